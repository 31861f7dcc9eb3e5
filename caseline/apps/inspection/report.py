"""The council's progress report on the improvement plan for a committee, up to a date.

Shaped as councils' update reports are (the Wirral 2011 report to its scrutiny committee in
``/work/shared/seeds/``): a summary, the inspection's judgements, progress under each area
for improvement (actions achieved, delayed and revised), the actions drawn from the body of
the report, and the whole plan as an appendix. The page and the PDF show the same object.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from caseline.apps.inspection.models import ImprovementArea, Inspection, Judgement, PlanAction
from caseline.apps.inspection.plan import ActionAsAt, AreaAsAt, PlanAsAt, number_range

Status = PlanAction.Status


def long_date(day: datetime.date) -> str:
    """ "31 August 2011"."""
    return f"{day.day} {day:%B %Y}"


def _actions_phrase(items: list[ActionAsAt]) -> str:
    numbers = [a.action.number for a in items]
    word = "action" if len(numbers) == 1 else "actions"
    return f"{word} {number_range(numbers)}"


@dataclass
class AreaProgress:
    """One heading of the plan and what the report says of it."""

    area: ImprovementArea
    progress: AreaAsAt
    paragraph: str


@dataclass
class CommitteeReport:
    inspection: Inspection
    as_at: datetime.date
    plan: PlanAsAt
    judgements: list[tuple[str, list[Judgement]]]
    summary: list[str]
    areas: list[AreaProgress]
    council: list[AreaProgress]

    @property
    def title(self) -> str:
        return "Inspection improvement plan: progress report"

    @property
    def as_at_text(self) -> str:
        return long_date(self.as_at)


def area_paragraph(progress: AreaAsAt) -> str:
    """What the report says of one heading: its actions and which are achieved, delayed
    (with the date now expected) and revised (from and to)."""
    actions = progress.actions
    if not actions:
        return "No action has been entered under this area yet."
    count = len(actions)
    sentences = [f"It has {count} action{'s' if count != 1 else ''} ({_actions_phrase(actions)})."]
    achieved = progress.achieved
    if achieved and len(achieved) == count:
        sentences.append("All have been achieved.")
    elif achieved:
        sentences.append(f"Achieved: {_actions_phrase(achieved)}.")
    for item in progress.delayed:
        expected = f", now expected by {long_date(item.target_date)}" if item.revised else ""
        sentences.append(f"Action {item.action.number} is delayed{expected}.")
    revised = [a for a in progress.revised if a.status != Status.DELAYED]
    for item in revised:
        first = item.revisions[0].from_date
        sentences.append(
            f"Action {item.action.number} has had its target date revised from "
            f"{long_date(first)} to {long_date(item.target_date)}"
            + (f" ({item.revisions[-1].reason.rstrip('.')})." if item.revisions[-1].reason else ".")
        )
    on_track = [a for a in progress.on_track if not a.revised]
    if on_track:
        sentences.append(f"On track: {_actions_phrase(on_track)}.")
    if progress.not_started:
        sentences.append(f"Not started: {_actions_phrase(progress.not_started)}.")
    return " ".join(sentences)


def committee_report(inspection: Inspection, plan: PlanAsAt) -> CommitteeReport:
    """The progress report on ``inspection``'s plan as ``plan`` (read for a date) stands."""
    judgements: list[tuple[str, list[Judgement]]] = []
    for judgement in inspection.judgements.all():
        if not judgements or judgements[-1][0] != judgement.section:
            judgements.append((judgement.section, []))
        judgements[-1][1].append(judgement)
    report_areas = plan.report_areas
    area_count = sum(1 for a in report_areas if a.area.kind == ImprovementArea.Kind.AREA)
    recommendation_count = len(report_areas) - area_count
    under_areas = sum(len(a.actions) for a in report_areas)
    from_body = sum(len(a.actions) for a in plan.council_areas)
    counts = plan.counts
    total = under_areas + from_body
    set_by = f"{area_count} area{'s' if area_count != 1 else ''} for improvement"
    if recommendation_count:
        set_by += (
            f" and {recommendation_count} recommendation{'s' if recommendation_count != 1 else ''}"
        )
    summary = [
        f"This report outlines the progress made up to {long_date(plan.as_at)} in implementing "
        f"the improvement plan that follows Ofsted's inspection of {inspection.authority} "
        f"({inspection.framework_label.lower()}), undertaken between "
        f"{long_date(inspection.start_date)} and {long_date(inspection.end_date)}.",
        f"The inspection set {set_by}. The plan has {under_areas} action"
        f"{'s' if under_areas != 1 else ''} under them and {from_body} action"
        f"{'s' if from_body != 1 else ''} the council drew from the body of the report.",
        f"Of the {total} actions, {counts[Status.ACHIEVED]} have been achieved, "
        f"{counts[Status.ON_TRACK]} are on track, {counts[Status.DELAYED]} "
        f"{'is' if counts[Status.DELAYED] == 1 else 'are'} delayed and "
        f"{counts[Status.NOT_STARTED]} not started; {plan.revised_count} "
        + ("has had its" if plan.revised_count == 1 else "have had their")
        + " target date revised.",
    ]
    return CommitteeReport(
        inspection=inspection,
        as_at=plan.as_at,
        plan=plan,
        judgements=judgements,
        summary=summary,
        areas=[AreaProgress(a.area, a, area_paragraph(a)) for a in report_areas],
        council=[AreaProgress(a.area, a, area_paragraph(a)) for a in plan.council_areas],
    )
