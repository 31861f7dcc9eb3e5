"""Every write of the inspection app: imports and their confirmation, the improvement plan,
monitoring visits and the self-evaluation. Each is audited in its own transaction."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Max

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.audit.record import record_event, snapshot
from caseline.apps.core.access import require_permission
from caseline.apps.core.checks import Checks
from caseline.apps.inspection.events import InspectionEvent
from caseline.apps.inspection.models import (
    ActionProgress,
    EvidenceLink,
    ImprovementArea,
    Inspection,
    Judgement,
    MonitoringVisit,
    PlanAction,
    ReportImport,
    SelfEvaluation,
    SelfEvaluationEntry,
    VisitFinding,
)
from caseline.apps.inspection.reader import (
    FRAMEWORK_GRADES,
    ILACS_AREAS,
    AreaRead,
    Framework,
    JudgementRead,
    Reading,
    Timescale,
    read_report,
)

# Longest report text kept (a 40-page report is about 100,000 characters).
MAX_REPORT_CHARACTERS = 2_000_000
TIMESCALES = {t.value for t in Timescale}


@transaction.atomic(durable=True)
def import_report(*, acting_user: User, file_name: str, text: str) -> ReportImport:
    """Read a report's text and keep it, with the reading, for review. Saves no inspection."""
    require_permission(acting_user, Permission.INSPECTION_MANAGE)
    checks = Checks()
    checks.required("report", text, "The report has no text to read")
    checks.check(
        len(text) <= MAX_REPORT_CHARACTERS,
        "report",
        f"The report must be {MAX_REPORT_CHARACTERS:,} characters or fewer",
    )
    checks.raise_if_any()
    reading = read_report(text)
    report_import = ReportImport.objects.create(
        file_name=file_name[:200],
        text=text,
        reading=reading.as_json(),
        imported_by=acting_user,
    )
    record_event(
        acting_user=acting_user,
        event_type=InspectionEvent.REPORT_IMPORTED,
        target=report_import,
        new_values={
            "file_name": report_import.file_name,
            "judgements": len(reading.judgements),
            "areas_for_improvement": len(reading.areas_for_improvement),
            "flags": [f.message for f in reading.flags],
        },
    )
    return report_import


def _check_reading(reading: Reading, checks: Checks) -> None:
    checks.required("framework", reading.framework, "Select the framework of the inspection")
    checks.required("authority", reading.authority, "Enter the authority inspected")
    checks.required("start_date", reading.start_date, "Enter the first day of the inspection")
    checks.required("end_date", reading.end_date, "Enter the last day of the inspection")
    checks.happened("start_date", reading.start_date, "The first day of the inspection")
    checks.happened("end_date", reading.end_date, "The last day of the inspection")
    checks.happened("published_date", reading.published_date, "The publication date")
    if reading.start_date and reading.end_date and reading.end_date < reading.start_date:
        checks.add("end_date", "The last day of the inspection must be on or after the first")
    if reading.published_date and reading.end_date and reading.published_date < reading.end_date:
        checks.add("published_date", "The publication date must be on or after the last day")
    grades = (
        {g.value for g in FRAMEWORK_GRADES[Framework(reading.framework)]}
        if reading.framework in {f.value for f in Framework}
        else set()
    )
    for index, judgement in enumerate(reading.judgements):
        checks.required(f"judgement_{index}_area", judgement.area, "Enter the judgement's area")
        checks.check(
            judgement.grade in grades,
            f"judgement_{index}_grade",
            f"Select a grade the framework uses for “{judgement.area}”",
        )
    checks.check(bool(reading.judgements), None, "Enter at least one judgement")
    for index, area in enumerate(reading.areas_for_improvement):
        checks.check(
            area.timescale == "" or area.timescale in TIMESCALES,
            f"area_{index}_timescale",
            "Select the timescale of the area for improvement",
        )


@transaction.atomic(durable=True)
def confirm_import(
    *, acting_user: User, report_import: ReportImport, reading: Reading
) -> Inspection:
    """Save the inspection as the reviewer confirmed it: ``reading`` is the reader's result
    with the reviewer's corrections. The audit row keeps what was read and what was changed."""
    require_permission(acting_user, Permission.INSPECTION_MANAGE)
    checks = Checks()
    if report_import.inspection_id is not None:
        checks.add(None, "This report has already been confirmed")
    _check_reading(reading, checks)
    checks.raise_if_any()
    assert reading.start_date is not None  # checked above
    assert reading.end_date is not None
    inspection = Inspection.objects.create(
        framework=reading.framework,
        authority=reading.authority.strip(),
        start_date=reading.start_date,
        end_date=reading.end_date,
        published_date=reading.published_date,
        report_text=report_import.text,
        recorded_by=acting_user,
    )
    Judgement.objects.bulk_create(
        Judgement(
            inspection=inspection,
            position=index,
            section=j.section.strip(),
            area=j.area.strip(),
            grade=j.grade,
        )
        for index, j in enumerate(reading.judgements)
    )
    areas = [
        ImprovementArea(
            inspection=inspection,
            kind=ImprovementArea.Kind.AREA,
            position=index,
            section=a.section.strip(),
            text=a.text.strip(),
            timescale=a.timescale,
        )
        for index, a in enumerate(reading.areas_for_improvement)
    ]
    start = len(areas)
    areas += [
        ImprovementArea(
            inspection=inspection,
            kind=ImprovementArea.Kind.RECOMMENDATION,
            position=start + index,
            text=text.strip(),
        )
        for index, text in enumerate(reading.recommendations)
    ]
    ImprovementArea.objects.bulk_create(areas)
    report_import.inspection = inspection
    report_import.save(update_fields=["inspection"])
    confirmed = reading.as_json()
    confirmed.pop("flags")
    read = dict(report_import.reading)
    corrections = {
        key: {"read": read.get(key), "confirmed": value}
        for key, value in confirmed.items()
        if read.get(key) != value
    }
    record_event(
        acting_user=acting_user,
        event_type=InspectionEvent.IMPORT_CONFIRMED,
        target=inspection,
        new_values=confirmed,
        extra={
            "import": report_import.pk,
            "corrections": corrections,
            "flags": read.get("flags", []),
        },
    )
    return inspection


@transaction.atomic(durable=True)
def add_area(
    *,
    acting_user: User,
    inspection: Inspection,
    kind: str,
    text: str,
    section: str = "",
    timescale: str = "",
) -> ImprovementArea:
    """Add a heading to the plan: most often the council's actions from the report's body."""
    require_permission(acting_user, Permission.INSPECTION_MANAGE)
    checks = Checks()
    checks.check(kind in ImprovementArea.Kind.values, "kind", "Select what kind of heading this is")
    checks.required("text", text, "Enter the heading's text")
    checks.check(timescale == "" or timescale in TIMESCALES, "timescale", "Select a timescale")
    checks.raise_if_any()
    last = inspection.areas.aggregate(last=Max("position"))["last"]
    area = ImprovementArea.objects.create(
        inspection=inspection,
        kind=kind,
        position=0 if last is None else last + 1,
        section=section.strip(),
        text=text.strip(),
        timescale=timescale,
    )
    record_event(
        acting_user=acting_user,
        event_type=InspectionEvent.AREA_ADDED,
        target=area,
        new_values=snapshot(area, ["inspection", "kind", "section", "text", "timescale"]),
    )
    return area


@transaction.atomic(durable=True)
def add_plan_action(
    *,
    acting_user: User,
    area: ImprovementArea,
    number: int | None,
    text: str,
    owner: str,
    target_date: datetime.date | None,
    created_on: datetime.date | None,
) -> PlanAction:
    """Add a numbered action under an area of the plan."""
    require_permission(acting_user, Permission.INSPECTION_MANAGE)
    checks = Checks()
    checks.required("number", number, "Enter the action's number")
    checks.required("text", text, "Enter what the action is")
    checks.required("owner", owner, "Enter who owns the action")
    checks.required("target_date", target_date, "Enter the target date")
    checks.planned("target_date", target_date, "The target date")
    checks.required("created_on", created_on, "Enter the day the action entered the plan")
    checks.happened("created_on", created_on, "The day the action entered the plan")
    inspection = area.inspection
    if (
        number is not None
        and PlanAction.objects.filter(inspection=inspection, number=number).exists()
    ):
        checks.add("number", f"The plan already has an action {number}")
    if created_on and created_on < inspection.start_date:
        checks.add("created_on", "The action cannot enter the plan before the inspection began")
    if created_on and target_date and target_date < created_on:
        checks.add("target_date", "The target date must be on or after the day it entered the plan")
    checks.raise_if_any()
    assert number is not None
    assert target_date is not None
    assert created_on is not None
    action = PlanAction.objects.create(
        area=area,
        inspection=inspection,
        number=number,
        text=text.strip(),
        owner=owner.strip(),
        target_date=target_date,
        created_on=created_on,
        recorded_by=acting_user,
    )
    record_event(
        acting_user=acting_user,
        event_type=InspectionEvent.ACTION_ADDED,
        target=action,
        new_values=snapshot(
            action, ["area", "number", "text", "owner", "target_date", "created_on"]
        ),
    )
    return action


@transaction.atomic(durable=True)
def record_progress(
    *,
    acting_user: User,
    action: PlanAction,
    entry_date: datetime.date | None,
    status: str = "",
    note: str = "",
    revised_target_date: datetime.date | None = None,
    revision_reason: str = "",
) -> ActionProgress:
    """A dated entry on an action: a note, a new status, a revised target date with its
    reason, or several of these."""
    require_permission(acting_user, Permission.INSPECTION_MANAGE)
    checks = Checks()
    checks.required("entry_date", entry_date, "Enter the date of the update")
    checks.happened("entry_date", entry_date, "The date of the update")
    if entry_date and entry_date < action.created_on:
        checks.add("entry_date", "The update cannot be before the action entered the plan")
    checks.check(
        status == "" or status in PlanAction.Status.values, "status", "Select the action's status"
    )
    checks.check(
        bool(status or note.strip() or revised_target_date),
        None,
        "Enter a status, a progress note or a revised target date",
    )
    if revised_target_date is not None:
        checks.planned("revised_target_date", revised_target_date, "The revised target date")
        checks.required("revision_reason", revision_reason, "Enter why the target date was revised")
    elif revision_reason.strip():
        checks.add("revised_target_date", "Enter the revised target date the reason is for")
    checks.raise_if_any()
    assert entry_date is not None
    entry = ActionProgress.objects.create(
        action=action,
        entry_date=entry_date,
        status=status,
        note=note.strip(),
        revised_target_date=revised_target_date,
        revision_reason=revision_reason.strip(),
        recorded_by=acting_user,
    )
    record_event(
        acting_user=acting_user,
        event_type=InspectionEvent.PROGRESS_RECORDED,
        target=entry,
        new_values=snapshot(
            entry,
            ["action", "entry_date", "status", "note", "revised_target_date", "revision_reason"],
        ),
    )
    return entry


def _check_url(checks: Checks, url: str) -> None:
    value = url.strip()
    checks.required("url", value, "Enter the link's address")
    local = value.startswith("/") and not value.startswith("//")
    if value and not (value.startswith(("https://", "http://")) or local):
        checks.add("url", "Enter an address starting https://, http:// or / (a Caseline page)")


@transaction.atomic(durable=True)
def add_evidence(
    *,
    acting_user: User,
    title: str,
    url: str,
    action: PlanAction | None = None,
    entry: SelfEvaluationEntry | None = None,
) -> EvidenceLink:
    """Link evidence (an indicator, an audit, a document) to an action or a self-evaluation
    entry."""
    require_permission(acting_user, Permission.INSPECTION_MANAGE)
    checks = Checks()
    checks.check((action is None) != (entry is None), None, "Link the evidence to one thing")
    checks.required("title", title, "Enter what the evidence is")
    _check_url(checks, url)
    checks.raise_if_any()
    link = EvidenceLink.objects.create(
        action=action, entry=entry, title=title.strip(), url=url.strip(), recorded_by=acting_user
    )
    record_event(
        acting_user=acting_user,
        event_type=InspectionEvent.EVIDENCE_ADDED,
        target=link,
        new_values=snapshot(link, ["action", "entry", "title", "url"]),
    )
    return link


@transaction.atomic(durable=True)
def record_monitoring_visit(
    *,
    acting_user: User,
    inspection: Inspection,
    start_date: datetime.date | None,
    end_date: datetime.date | None,
    areas_examined: str,
    letter_date: datetime.date | None = None,
    inspectors: str = "",
    summary: str = "",
) -> MonitoringVisit:
    """Record a monitoring visit: only after an inspection with an inadequate judgement."""
    require_permission(acting_user, Permission.INSPECTION_MANAGE)
    checks = Checks()
    checks.check(
        inspection.judged_inadequate,
        None,
        "Monitoring visits follow an inspection with a judgement of inadequate: this one has none",
    )
    checks.required("start_date", start_date, "Enter the first day of the visit")
    checks.required("end_date", end_date, "Enter the last day of the visit")
    checks.happened("start_date", start_date, "The first day of the visit")
    checks.happened("end_date", end_date, "The last day of the visit")
    checks.happened("letter_date", letter_date, "The date of the letter")
    checks.required("areas_examined", areas_examined, "Enter the areas the visit examined")
    if start_date and start_date <= inspection.end_date:
        checks.add("start_date", "The visit must be after the inspection it follows")
    if start_date and end_date and end_date < start_date:
        checks.add("end_date", "The last day of the visit must be on or after the first")
    if letter_date and end_date and letter_date < end_date:
        checks.add("letter_date", "The letter must be dated on or after the visit")
    checks.raise_if_any()
    assert start_date is not None
    assert end_date is not None
    visit = MonitoringVisit.objects.create(
        inspection=inspection,
        start_date=start_date,
        end_date=end_date,
        letter_date=letter_date,
        inspectors=inspectors.strip(),
        areas_examined=areas_examined.strip(),
        summary=summary.strip(),
        recorded_by=acting_user,
    )
    record_event(
        acting_user=acting_user,
        event_type=InspectionEvent.VISIT_RECORDED,
        target=visit,
        new_values=snapshot(
            visit,
            ["inspection", "start_date", "end_date", "letter_date", "inspectors", "areas_examined"],
        ),
    )
    return visit


@transaction.atomic(durable=True)
def record_visit_finding(
    *,
    acting_user: User,
    visit: MonitoringVisit,
    area: str,
    finding: str,
    actions: Sequence[PlanAction] = (),
) -> VisitFinding:
    """A finding of a monitoring visit, linked to the plan's actions it bears on."""
    require_permission(acting_user, Permission.INSPECTION_MANAGE)
    checks = Checks()
    checks.required("area", area, "Enter the area the finding is about")
    checks.required("finding", finding, "Enter the finding")
    strangers = [a.number for a in actions if a.inspection_id != visit.inspection_id]
    checks.check(
        not strangers, "actions", "Link only actions of the plan that follows this inspection"
    )
    checks.raise_if_any()
    row = VisitFinding.objects.create(visit=visit, area=area.strip(), finding=finding.strip())
    row.actions.set(actions)
    record_event(
        acting_user=acting_user,
        event_type=InspectionEvent.FINDING_RECORDED,
        target=row,
        new_values={
            "visit": visit.pk,
            "area": row.area,
            "finding": row.finding,
            "actions": sorted(a.number for a in actions),
        },
    )
    return row


@transaction.atomic(durable=True)
def start_self_evaluation(
    *, acting_user: User, title: str, as_at: datetime.date | None
) -> SelfEvaluation:
    """Begin a year's self-evaluation."""
    require_permission(acting_user, Permission.INSPECTION_MANAGE)
    checks = Checks()
    checks.required("title", title, "Enter the self-evaluation's title")
    checks.required("as_at", as_at, "Enter the date the self-evaluation speaks for")
    checks.happened("as_at", as_at, "The date the self-evaluation speaks for")
    checks.raise_if_any()
    assert as_at is not None
    evaluation = SelfEvaluation.objects.create(
        title=title.strip(), as_at=as_at, recorded_by=acting_user
    )
    record_event(
        acting_user=acting_user,
        event_type=InspectionEvent.SELF_EVALUATION_STARTED,
        target=evaluation,
        new_values=snapshot(evaluation, ["title", "as_at"]),
    )
    return evaluation


@transaction.atomic(durable=True)
def record_self_evaluation_entry(
    *,
    acting_user: User,
    self_evaluation: SelfEvaluation,
    judgement_area: str,
    what_we_know: str,
    how_we_know: str = "",
    what_we_are_doing: str = "",
) -> SelfEvaluationEntry:
    """Write (or rewrite) what the self-evaluation says about one ILACS judgement area."""
    require_permission(acting_user, Permission.INSPECTION_MANAGE)
    checks = Checks()
    checks.check(judgement_area in ILACS_AREAS, "judgement_area", "Select an ILACS judgement area")
    checks.required("what_we_know", what_we_know, "Enter what we know")
    checks.raise_if_any()
    fields = ["what_we_know", "how_we_know", "what_we_are_doing"]
    entry = SelfEvaluationEntry.objects.filter(
        self_evaluation=self_evaluation, judgement_area=judgement_area
    ).first()
    before = snapshot(entry, fields) if entry else {}
    if entry is None:
        entry = SelfEvaluationEntry(
            self_evaluation=self_evaluation, judgement_area=judgement_area, recorded_by=acting_user
        )
    entry.what_we_know = what_we_know.strip()
    entry.how_we_know = how_we_know.strip()
    entry.what_we_are_doing = what_we_are_doing.strip()
    entry.save()
    record_event(
        acting_user=acting_user,
        event_type=InspectionEvent.SELF_EVALUATION_ENTRY_RECORDED,
        target=entry,
        old_values=before,
        new_values={"judgement_area": judgement_area, **snapshot(entry, fields)},
    )
    return entry


def reading_from(
    *,
    framework: str,
    authority: str,
    start_date: datetime.date | None,
    end_date: datetime.date | None,
    published_date: datetime.date | None,
    judgements: Sequence[tuple[str, str, str]],
    areas: Sequence[tuple[str, str, str]],
    recommendations: Sequence[str],
) -> Reading:
    """A :class:`Reading` made of what a reviewer confirmed (section, area, grade;
    section, text, timescale)."""
    return Reading(
        framework=framework,
        authority=authority,
        start_date=start_date,
        end_date=end_date,
        published_date=published_date,
        judgements=[JudgementRead(*j) for j in judgements],
        areas_for_improvement=[AreaRead(*a) for a in areas],
        recommendations=list(recommendations),
    )


def reading_copy(reading: Reading) -> Reading:
    """A deep copy of a reading (to correct one value in tests and commands)."""
    return Reading.from_json(reading.as_json())
