"""Reads about complaints: the work list, one complaint, a child's complaints and the annual
report. Pages asking are closed to all but ``COMPLAINTS_MANAGE``; a complaint's child must
be visible to the reader (``get_person_for_user``)."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from caseline.apps.complaints import timescales
from caseline.apps.complaints.models import (
    Complainant,
    Complaint,
    ComplaintStage,
    Finding,
    Lesson,
    Stage,
    StageOutcome,
    Theme,
)
from caseline.apps.people.models import Person
from caseline.apps.people.queries import get_person_for_user, visible_among
from caseline.apps.timescales.rules import (
    CATALOGUE,
    Timeliness,
    TimelinessStatus,
    assess_timeliness,
)


def stage_timeliness(stage: ComplaintStage, as_at: datetime.date) -> Timeliness:
    """The stage judged against its timescale (the extended one once extended)."""
    code = timescales.rule_code_for(stage.stage, stage.extended)
    rule = CATALOGUE.in_force(code, stage.started_date) or CATALOGUE.get(code)
    return assess_timeliness(rule.due_date(stage.started_date), stage.completed_date, as_at)


@dataclass(frozen=True)
class WorkRow:
    stage: ComplaintStage
    timeliness: Timeliness
    person_visible: bool


def work_list(user: object, officer_id: int | None, as_at: datetime.date) -> list[WorkRow]:
    """Stages in progress, the soonest due first; ``officer_id`` narrows to one officer's."""
    stages: QuerySet[ComplaintStage] = ComplaintStage.objects.filter(
        completed_date__isnull=True
    ).select_related("complaint", "complaint__person")
    if officer_id is not None:
        stages = stages.filter(complaint__officer_id=officer_id)
    items = list(stages)
    seen = visible_among(user, {s.complaint.person_id for s in items})
    rows = [WorkRow(s, stage_timeliness(s, as_at), s.complaint.person_id in seen) for s in items]
    return sorted(rows, key=lambda r: (r.timeliness.due_date, r.stage.pk))


def get_complaint_for_user(user: object, complaint_id: int) -> Complaint:
    """The complaint, 404 if none; 403/404 if its child is not visible to the user."""
    complaint = get_object_or_404(
        Complaint.objects.select_related("person", "officer"), pk=complaint_id
    )
    get_person_for_user(user, complaint.person_id)
    return complaint


def complaints_about(person: Person) -> list[Complaint]:
    return list(
        Complaint.objects.filter(person=person)
        .prefetch_related("stages")
        .order_by("-received_date")
    )


# --- The annual report -----------------------------------------------------------------------


def report_year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """The reporting year starting 1 April ``year`` and ending 31 March the year after."""
    return datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31)


@dataclass
class StageFigures:
    stage: str
    started: int = 0
    completed: int = 0
    on_time: int = 0
    late: int = 0
    extended: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)

    @property
    def outcome_rows(self) -> list[tuple[str, int]]:
        """(outcome, count) pairs, for templates (a Counter answers 0 to ``.items``)."""
        return sorted(self.outcomes.items())


@dataclass
class AnnualReport:
    """Figures for the annual complaints report (the 2006 Regulations ask the authority to
    report each year on the representations it received; the regulation was not checked)."""

    year: int
    start: datetime.date
    end: datetime.date
    received: int = 0
    by_theme: list[tuple[str, int]] = field(default_factory=list)
    by_complainant: list[tuple[str, int]] = field(default_factory=list)
    advocacy_offered: int = 0
    advocacy_taken_up: int = 0
    stages: list[StageFigures] = field(default_factory=list)
    findings_upheld: int = 0
    findings_not_upheld: int = 0
    lessons: int = 0

    def rows(self) -> list[tuple[str, str, int]]:
        out: list[tuple[str, str, int]] = [("Complaints received", "All", self.received)]
        out += [("By theme", k, v) for k, v in self.by_theme]
        out += [("By complainant", k, v) for k, v in self.by_complainant]
        out += [
            ("Advocacy", "Offered", self.advocacy_offered),
            ("Advocacy", "Taken up", self.advocacy_taken_up),
        ]
        for s in self.stages:
            out += [
                (s.stage, "Started", s.started),
                (s.stage, "Completed", s.completed),
                (s.stage, "Completed on time", s.on_time),
                (s.stage, "Completed late", s.late),
                (s.stage, "Extended", s.extended),
            ]
            out += [(s.stage, f"Outcome: {k}", v) for k, v in s.outcomes.items()]
        out += [
            ("Findings", "Upheld", self.findings_upheld),
            ("Findings", "Not upheld", self.findings_not_upheld),
            ("Lessons learned", "All", self.lessons),
        ]
        return out


def annual_report(year: int, as_at: datetime.date) -> AnnualReport:
    """Complaints received in the year; stages started in the year, by stage, timeliness
    (judged as at ``as_at`` or the year's end if earlier) and outcome."""
    start, end = report_year_bounds(year)
    judged_at = min(as_at, end)
    report = AnnualReport(year, start, end)
    complaints = Complaint.objects.filter(received_date__range=(start, end))
    themes: Counter[str] = Counter()
    who: Counter[str] = Counter()
    for c in complaints.only("theme", "complainant", "advocacy_offered", "advocacy_taken_up"):
        report.received += 1
        themes[c.theme] += 1
        who[c.complainant] += 1
        report.advocacy_offered += c.advocacy_offered
        report.advocacy_taken_up += c.advocacy_taken_up
    report.by_theme = [(label, themes[code]) for code, label in Theme.choices if themes[code]]
    report.by_complainant = [(label, who[code]) for code, label in Complainant.choices if who[code]]
    figures = {value: StageFigures(label) for value, label in Stage.choices}
    outcome_labels = dict(StageOutcome.choices)
    for stage in ComplaintStage.objects.filter(started_date__range=(start, end)):
        f = figures[stage.stage]
        f.started += 1
        f.extended += stage.extended
        t = stage_timeliness(stage, judged_at)
        if t.status is TimelinessStatus.COMPLETED_ON_TIME:
            f.completed += 1
            f.on_time += 1
        elif t.status is TimelinessStatus.COMPLETED_LATE:
            f.completed += 1
            f.late += 1
        if stage.outcome and stage.completed_date and stage.completed_date <= judged_at:
            f.outcomes[outcome_labels[stage.outcome]] += 1
    report.stages = list(figures.values())
    findings = Finding.objects.filter(stage__started_date__range=(start, end))
    report.findings_upheld = findings.filter(upheld=True).count()
    report.findings_not_upheld = findings.filter(upheld=False).count()
    report.lessons = Lesson.objects.filter(complaint__received_date__range=(start, end)).count()
    return report
