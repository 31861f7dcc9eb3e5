"""Every write to case notes, oversight and supervision. Each is audited in its transaction."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from caseline.apps.accounts.permissions import Permission
from caseline.apps.audit.record import changed_values, record_event, snapshot
from caseline.apps.core.access import user_can
from caseline.apps.core.concurrency import save_versioned
from caseline.apps.people.models import Person
from caseline.apps.recording.events import RecordingEvent
from caseline.apps.recording.models import (
    PLAIN_NOTE_TYPES,
    CaseNote,
    ManagementOversight,
    NoteAmendment,
    NoteType,
    Supervision,
    SupervisionAction,
)

_NOTE_FIELDS = [
    "person",
    "note_type",
    "occurred_at",
    "recorded_by",
    "title",
    "body",
    "is_significant",
    "significance",
]


@dataclass(frozen=True)
class ActionInput:
    """One action agreed in supervision, as typed."""

    action: str
    owner: str
    by_when: datetime.date | None


def _require(user: Any, permission: Permission) -> None:
    if not user_can(user, permission):
        raise PermissionDenied


def _check_note(
    *,
    occurred_at: datetime.datetime,
    title: str,
    is_significant: bool,
    significance: str,
    errors: dict[str, str],
) -> None:
    if occurred_at > timezone.now():
        errors["occurred_at"] = "The date it happened must be today or in the past"
    if not title.strip():
        errors["title"] = "Enter a title"
    if is_significant and not significance.strip():
        errors["significance"] = "Say why this is a significant event for the child"


def _create_note(
    *,
    acting_user: Any,
    person: Person,
    note_type: NoteType,
    occurred_at: datetime.datetime,
    title: str,
    body: str,
    is_significant: bool = False,
    significance: str = "",
    others_involved: Iterable[Person] = (),
) -> CaseNote:
    note = CaseNote.objects.create(
        person=person,
        note_type=note_type,
        occurred_at=occurred_at,
        recorded_by=acting_user,
        title=title.strip(),
        body=body.strip(),
        is_significant=is_significant,
        significance=significance.strip() if is_significant else "",
    )
    others = [p for p in others_involved if p.pk != person.pk]
    if others:
        note.others_involved.set(others)
    return note


def _note_values(note: CaseNote) -> dict[str, Any]:
    values = snapshot(note, _NOTE_FIELDS)
    values["others_involved"] = sorted(p.pk for p in note.others_involved.all())
    return values


@transaction.atomic(durable=True)
def record_note(
    *,
    acting_user: Any,
    person: Person,
    note_type: str,
    occurred_at: datetime.datetime,
    title: str,
    body: str,
    is_significant: bool = False,
    significance: str = "",
    others_involved: Iterable[Person] = (),
) -> CaseNote:
    """Record a case note (visit, call, meeting, direct work or other) on the child's record."""
    _require(acting_user, Permission.NOTE_RECORD)
    errors: dict[str, str] = {}
    if note_type not in PLAIN_NOTE_TYPES:
        errors["note_type"] = "Select the type of note"
    _check_note(
        occurred_at=occurred_at,
        title=title,
        is_significant=is_significant,
        significance=significance,
        errors=errors,
    )
    if not body.strip():
        errors["body"] = "Enter what happened"
    if errors:
        raise ValidationError(errors)
    note = _create_note(
        acting_user=acting_user,
        person=person,
        note_type=NoteType(note_type),
        occurred_at=occurred_at,
        title=title,
        body=body,
        is_significant=is_significant,
        significance=significance,
        others_involved=others_involved,
    )
    record_event(
        acting_user=acting_user,
        event_type=RecordingEvent.NOTE_RECORDED,
        target=note,
        subject_person_id=person.pk,
        new_values=_note_values(note),
    )
    return note


def can_amend(user: Any, note: CaseNote) -> bool:
    """The note's author, or a manager (who records oversight), may amend it."""
    return user_can(user, Permission.NOTE_RECORD) and (
        note.recorded_by_id == user.pk or user_can(user, Permission.OVERSIGHT_RECORD)
    )


@transaction.atomic(durable=True)
def amend_note(
    *,
    acting_user: Any,
    note: CaseNote,
    read_version: int,
    title: str,
    body: str,
    reason: str,
) -> NoteAmendment:
    """Change a note's title or body, keeping the previous text and the reason.

    Raises ``EditConflict`` when someone else amended it after ``read_version`` was read.
    """
    if not can_amend(acting_user, note):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if not reason.strip():
        errors["reason"] = "Enter why you are amending this note"
    if not title.strip():
        errors["title"] = "Enter a title"
    if note.note_type in PLAIN_NOTE_TYPES and not body.strip():
        errors["body"] = "Enter what happened"
    if not errors and title.strip() == note.title and body.strip() == note.body:
        errors["body"] = "Change the title or the note before saving an amendment"
    if errors:
        raise ValidationError(errors)
    before = snapshot(note, ["title", "body"])
    amendment = NoteAmendment.objects.create(
        note=note,
        previous_title=note.title,
        previous_body=note.body,
        amended_by=acting_user,
        reason=reason.strip(),
    )
    note.title = title.strip()
    note.body = body.strip()
    save_versioned(note, read_version=read_version, update_fields=["title", "body"])
    old, new = changed_values(before, snapshot(note, ["title", "body"]))
    record_event(
        acting_user=acting_user,
        event_type=RecordingEvent.NOTE_AMENDED,
        target=note,
        subject_person_id=note.person_id,
        old_values=old,
        new_values=new,
        extra={"reason": amendment.reason, "amendment_id": amendment.pk},
    )
    return amendment


@transaction.atomic(durable=True)
def record_management_oversight(
    *,
    acting_user: Any,
    person: Person,
    occurred_at: datetime.datetime,
    decision: str,
    rationale: str,
    next_review_date: datetime.date | None = None,
    body: str = "",
    title: str = "Management oversight",
) -> ManagementOversight:
    """A manager records a decision on the child's case and why."""
    _require(acting_user, Permission.OVERSIGHT_RECORD)
    errors: dict[str, str] = {}
    _check_note(
        occurred_at=occurred_at,
        title=title,
        is_significant=False,
        significance="",
        errors=errors,
    )
    if not decision.strip():
        errors["decision"] = "Enter the management decision"
    if not rationale.strip():
        errors["rationale"] = "Enter the reasons for the decision"
    if next_review_date is not None and next_review_date < timezone.localtime(occurred_at).date():
        errors["next_review_date"] = "The next review date must be on or after the oversight date"
    if errors:
        raise ValidationError(errors)
    note = _create_note(
        acting_user=acting_user,
        person=person,
        note_type=NoteType.MANAGEMENT_OVERSIGHT,
        occurred_at=occurred_at,
        title=title,
        body=body,
    )
    oversight = ManagementOversight.objects.create(
        note=note,
        decision=decision.strip(),
        rationale=rationale.strip(),
        next_review_date=next_review_date,
    )
    record_event(
        acting_user=acting_user,
        event_type=RecordingEvent.OVERSIGHT_RECORDED,
        target=oversight,
        subject_person_id=person.pk,
        new_values={
            **_note_values(note),
            **snapshot(oversight, ["decision", "rationale", "next_review_date"]),
        },
    )
    return oversight


@transaction.atomic(durable=True)
def record_supervision(
    *,
    acting_user: Any,
    person: Person,
    occurred_at: datetime.datetime,
    supervisee: Any,
    objectives: str,
    contingency: str,
    actions: Sequence[ActionInput],
    reflection: str = "",
    body: str = "",
    title: str = "Case supervision",
) -> Supervision:
    """Record case supervision with its direction, actions (each with a date) and contingency."""
    _require(acting_user, Permission.OVERSIGHT_RECORD)
    errors: dict[str, str] = {}
    _check_note(
        occurred_at=occurred_at,
        title=title,
        is_significant=False,
        significance="",
        errors=errors,
    )
    if supervisee is None:
        errors["supervisee"] = "Select the worker being supervised"
    if not objectives.strip():
        errors["objectives"] = "Enter the objectives for the work with the child"
    if not contingency.strip():
        errors["contingency"] = "Enter what will happen if the plan does not work"
    if not actions:
        errors["actions"] = "Enter at least one action, with who will do it and by when"
    supervised_on = timezone.localtime(occurred_at).date()
    dated: list[tuple[ActionInput, datetime.date]] = []
    for number, item in enumerate(actions, start=1):
        if not item.action.strip() or not item.owner.strip() or item.by_when is None:
            errors["actions"] = (
                f"Action {number} needs what will be done, who will do it and by when"
            )
            break
        if item.by_when < supervised_on:
            errors["actions"] = f"The date for action {number} must be on or after the supervision"
            break
        dated.append((item, item.by_when))
    if errors:
        raise ValidationError(errors)
    note = _create_note(
        acting_user=acting_user,
        person=person,
        note_type=NoteType.SUPERVISION,
        occurred_at=occurred_at,
        title=title,
        body=body,
    )
    supervision = Supervision.objects.create(
        note=note,
        supervisor=acting_user,
        supervisee=supervisee,
        reflection=reflection.strip(),
        objectives=objectives.strip(),
        contingency=contingency.strip(),
    )
    rows = SupervisionAction.objects.bulk_create(
        SupervisionAction(
            supervision=supervision,
            person=person,
            action=item.action.strip(),
            owner=item.owner.strip(),
            by_when=by_when,
        )
        for item, by_when in dated
    )
    record_event(
        acting_user=acting_user,
        event_type=RecordingEvent.SUPERVISION_RECORDED,
        target=supervision,
        subject_person_id=person.pk,
        new_values={
            **_note_values(note),
            **snapshot(
                supervision, ["supervisor", "supervisee", "reflection", "objectives", "contingency"]
            ),
            "actions": [snapshot(row, ["action", "owner", "by_when"]) for row in rows],
        },
    )
    return supervision


@transaction.atomic(durable=True)
def complete_supervision_action(
    *, acting_user: Any, action: SupervisionAction, done_on: datetime.date
) -> SupervisionAction:
    """Mark an action agreed in supervision as done."""
    _require(acting_user, Permission.NOTE_RECORD)
    action = SupervisionAction.objects.select_for_update().get(pk=action.pk)
    note = CaseNote.objects.only("person_id", "occurred_at").get(
        supervision__pk=action.supervision_id
    )
    supervised_on = timezone.localtime(note.occurred_at).date()
    if action.done_on is not None:
        raise ValidationError({"done_on": "This action has already been marked as done"})
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": "The date it was done must be today or in the past"})
    if done_on < supervised_on:
        raise ValidationError(
            {"done_on": "The date it was done must be on or after the supervision"}
        )
    before = snapshot(action, ["done_on"])
    action.done_on = done_on
    action.save(update_fields=["done_on"])
    old, new = changed_values(before, snapshot(action, ["done_on"]))
    record_event(
        acting_user=acting_user,
        event_type=RecordingEvent.SUPERVISION_ACTION_COMPLETED,
        target=action,
        subject_person_id=note.person_id,
        old_values=old,
        new_values=new,
    )
    return action
