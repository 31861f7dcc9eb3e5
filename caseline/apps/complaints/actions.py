"""Every write about complaints: each audited against the child, refused without
``COMPLAINTS_MANAGE``."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.audit.record import record_event, snapshot
from caseline.apps.complaints.events import ComplaintEvent
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
from caseline.apps.core.access import require_permission
from caseline.apps.core.checks import Checks
from caseline.apps.people.models import Person


@transaction.atomic(durable=True)
def record_complaint(
    *,
    acting_user: User,
    child: Person,
    received_date: datetime.date | None,
    complainant: str,
    complainant_name: str,
    theme: str,
    summary: str,
    advocacy_offered: bool,
    advocacy_taken_up: bool,
) -> Complaint:
    """Record a complaint about the service a child received; stage 1 starts the day it was
    received."""
    require_permission(acting_user, Permission.COMPLAINTS_MANAGE)
    checks = Checks()
    checks.required("received_date", received_date, "Enter the date the complaint was received")
    checks.happened("received_date", received_date, "The date received")
    checks.check(complainant in Complainant.values, "complainant", "Select who is complaining")
    checks.required("complainant_name", complainant_name, "Enter the complainant's name")
    checks.check(theme in Theme.values, "theme", "Select what the complaint is about")
    checks.required("summary", summary, "Enter what the complaint is about")
    checks.check(
        advocacy_offered or not advocacy_taken_up,
        "advocacy_taken_up",
        "Advocacy can only be taken up if it was offered",
    )
    checks.raise_if_any()
    assert received_date is not None
    complaint = Complaint.objects.create(
        person=child,
        received_date=received_date,
        complainant=complainant,
        complainant_name=complainant_name.strip(),
        theme=theme,
        summary=summary.strip(),
        advocacy_offered=advocacy_offered,
        advocacy_taken_up=advocacy_taken_up,
        officer=acting_user,
        recorded_by=acting_user,
    )
    ComplaintStage.objects.create(
        complaint=complaint,
        stage=Stage.LOCAL_RESOLUTION,
        started_date=received_date,
        recorded_by=acting_user,
    )
    record_event(
        acting_user=acting_user,
        event_type=ComplaintEvent.COMPLAINT_RECORDED,
        target=complaint,
        subject_person_id=child.pk,
        new_values=snapshot(
            complaint,
            ["received_date", "complainant", "theme", "advocacy_offered", "advocacy_taken_up"],
        ),
    )
    return complaint


def _open_stage(complaint: Complaint) -> ComplaintStage:
    stage = complaint.stages.filter(completed_date__isnull=True).first()
    if stage is None:
        raise ValidationError("This complaint has no stage in progress.")
    return stage


@transaction.atomic(durable=True)
def extend_stage(*, acting_user: User, complaint: Complaint, reason: str) -> ComplaintStage:
    """Extend the stage in progress (stage 1 to 20 working days, stage 2 to 65)."""
    require_permission(acting_user, Permission.COMPLAINTS_MANAGE)
    stage = _open_stage(complaint)
    checks = Checks()
    checks.check(
        stage.stage != Stage.REVIEW_PANEL,
        None,
        "The review panel's timescale cannot be extended",
    )
    checks.check(not stage.extended, None, "This stage has already been extended")
    checks.required("reason", reason, "Enter why the stage needs more time")
    checks.raise_if_any()
    stage.extended = True
    stage.extension_reason = reason.strip()
    stage.save(update_fields=["extended", "extension_reason"])
    record_event(
        acting_user=acting_user,
        event_type=ComplaintEvent.STAGE_EXTENDED,
        target=stage,
        subject_person_id=complaint.person_id,
        new_values={"stage": stage.stage, "extended": True},
    )
    return stage


@transaction.atomic(durable=True)
def complete_stage(
    *,
    acting_user: User,
    complaint: Complaint,
    completed_date: datetime.date | None,
    outcome: str,
) -> ComplaintStage:
    """Record the response sent (for stage 3, the day the panel met) and the outcome."""
    require_permission(acting_user, Permission.COMPLAINTS_MANAGE)
    stage = _open_stage(complaint)
    checks = Checks()
    checks.required("completed_date", completed_date, "Enter the date")
    checks.happened("completed_date", completed_date, "The date")
    if completed_date and completed_date < stage.started_date:
        checks.add("completed_date", "The date must be on or after the date the stage started")
    checks.check(outcome in StageOutcome.values, "outcome", "Select the outcome")
    checks.raise_if_any()
    stage.completed_date = completed_date
    stage.outcome = outcome
    stage.save(update_fields=["completed_date", "outcome"])
    record_event(
        acting_user=acting_user,
        event_type=ComplaintEvent.STAGE_COMPLETED,
        target=stage,
        subject_person_id=complaint.person_id,
        new_values=snapshot(stage, ["stage", "completed_date", "outcome"]),
    )
    return stage


@transaction.atomic(durable=True)
def escalate(
    *, acting_user: User, complaint: Complaint, requested_date: datetime.date | None
) -> ComplaintStage:
    """Start the next stage, on the complainant's request, once the last is complete."""
    require_permission(acting_user, Permission.COMPLAINTS_MANAGE)
    last = complaint.stages.order_by("-stage").first()
    checks = Checks()
    checks.required("requested_date", requested_date, "Enter the date of the request")
    checks.happened("requested_date", requested_date, "The date of the request")
    if last is None or last.completed_date is None:
        checks.add(None, "Complete the stage in progress before starting the next")
    elif last.stage >= Stage.REVIEW_PANEL:
        checks.add(None, "The review panel is the last stage")
    elif requested_date and requested_date < last.completed_date:
        checks.add("requested_date", "The request must be on or after the last stage's response")
    checks.raise_if_any()
    assert last is not None
    assert requested_date is not None
    stage = ComplaintStage.objects.create(
        complaint=complaint,
        stage=last.stage + 1,
        started_date=requested_date,
        recorded_by=acting_user,
    )
    record_event(
        acting_user=acting_user,
        event_type=ComplaintEvent.STAGE_STARTED,
        target=stage,
        subject_person_id=complaint.person_id,
        new_values=snapshot(stage, ["stage", "started_date"]),
    )
    return stage


@transaction.atomic(durable=True)
def record_finding(
    *, acting_user: User, complaint: Complaint, stage: int, finding: str, upheld: bool | None
) -> Finding:
    """Record one finding of a stage and whether it was upheld."""
    require_permission(acting_user, Permission.COMPLAINTS_MANAGE)
    checks = Checks()
    found = complaint.stages.filter(stage=stage).first()
    checks.check(found is not None, "stage", "Select a stage this complaint has reached")
    checks.required("finding", finding, "Enter the finding")
    checks.required("upheld", upheld, "Select whether the finding was upheld")
    checks.raise_if_any()
    assert found is not None
    assert upheld is not None
    row = Finding.objects.create(
        stage=found, finding=finding.strip(), upheld=upheld, recorded_by=acting_user
    )
    record_event(
        acting_user=acting_user,
        event_type=ComplaintEvent.FINDING_RECORDED,
        target=row,
        subject_person_id=complaint.person_id,
        new_values={"stage": stage, "upheld": upheld},
    )
    return row


@transaction.atomic(durable=True)
def record_lesson(
    *,
    acting_user: User,
    complaint: Complaint,
    lesson: str,
    action: str,
    action_due: datetime.date | None,
) -> Lesson:
    """Record a lesson learned from the complaint and the action to be taken on it."""
    require_permission(acting_user, Permission.COMPLAINTS_MANAGE)
    checks = Checks()
    checks.required("lesson", lesson, "Enter the lesson learned")
    checks.required("action", action, "Enter the action to be taken")
    checks.planned("action_due", action_due, "The action's due date")
    checks.raise_if_any()
    row = Lesson.objects.create(
        complaint=complaint,
        lesson=lesson.strip(),
        action=action.strip(),
        action_due=action_due,
        recorded_by=acting_user,
    )
    record_event(
        acting_user=acting_user,
        event_type=ComplaintEvent.LESSON_RECORDED,
        target=row,
        subject_person_id=complaint.person_id,
        new_values=snapshot(row, ["complaint", "action_due"]),
    )
    return row
