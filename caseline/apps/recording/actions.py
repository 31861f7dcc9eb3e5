"""Every write to case notes, oversight and supervision. Each checks the permission its page
declares first, and is audited in its transaction."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.audit.record import changed_values, record_event, snapshot
from caseline.apps.core.access import require_permission
from caseline.apps.core.checks import NOT_IN_FUTURE, Checks
from caseline.apps.core.concurrency import save_versioned
from caseline.apps.people.models import Person
from caseline.apps.recording.events import RecordingEvent
from caseline.apps.recording.models import (
    PLAIN_NOTE_TYPES,
    CaseNote,
    ChildVoice,
    ManagementOversight,
    NoteAmendment,
    NoteType,
    Supervision,
    SupervisionAction,
)
from caseline.apps.recording.queries import can_amend

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


def _check_note(
    checks: Checks,
    *,
    child: Person,
    occurred_at: datetime.datetime,
    title: str,
    is_significant: bool = False,
    significance: str = "",
) -> None:
    """What every note needs: when it happened (not later than now, not before 1900 or the
    child's birth) and a title; a significant event says why it is significant."""
    what = "The date it happened"
    if checks.check(occurred_at <= timezone.now(), "occurred_at", NOT_IN_FUTURE.says(what=what)):
        checks.happened("occurred_at", timezone.localdate(occurred_at), what, child=child)
    checks.required("title", title, "Enter a title")
    if is_significant:
        checks.required(
            "significance", significance, "Say why this is a significant event for the child"
        )


def _create_note(
    *,
    acting_user: User,
    child: Person,
    note_type: NoteType,
    occurred_at: datetime.datetime,
    title: str,
    body: str,
    is_significant: bool = False,
    significance: str = "",
    others_involved: Iterable[Person] = (),
) -> CaseNote:
    note = CaseNote.objects.create(
        person=child,
        note_type=note_type,
        occurred_at=occurred_at,
        recorded_by=acting_user,
        title=title.strip(),
        body=body.strip(),
        is_significant=is_significant,
        significance=significance.strip() if is_significant else "",
    )
    others = [p for p in others_involved if p.pk != child.pk]
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
    acting_user: User,
    child: Person,
    note_type: str,
    occurred_at: datetime.datetime,
    title: str,
    body: str,
    is_significant: bool = False,
    significance: str = "",
    others_involved: Iterable[Person] = (),
) -> CaseNote:
    """Record a case note (visit, call, meeting, direct work or other) on the child's record."""
    require_permission(acting_user, Permission.NOTE_RECORD)
    checks = Checks()
    checks.check(note_type in PLAIN_NOTE_TYPES, "note_type", "Select the type of note")
    _check_note(
        checks,
        child=child,
        occurred_at=occurred_at,
        title=title,
        is_significant=is_significant,
        significance=significance,
    )
    checks.required("body", body, "Enter what happened")
    checks.raise_if_any()
    note = _create_note(
        acting_user=acting_user,
        child=child,
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
        subject_person_id=child.pk,
        new_values=_note_values(note),
    )
    return note


@transaction.atomic(durable=True)
def amend_note(
    *,
    acting_user: User,
    note: CaseNote,
    read_version: int,
    title: str,
    body: str,
    reason: str,
) -> NoteAmendment:
    """Change a note's title or body, keeping the previous text and the reason.

    Raises ``EditConflict`` when someone else amended it after ``read_version`` was read.
    """
    require_permission(acting_user, Permission.NOTE_RECORD)
    if not can_amend(acting_user, note):
        raise PermissionDenied("Only the note's author or a manager may amend it")
    checks = Checks()
    checks.required("reason", reason, "Enter why you are amending this note")
    checks.required("title", title, "Enter a title")
    if note.note_type in PLAIN_NOTE_TYPES:
        checks.required("body", body, "Enter what happened")
    if not checks:
        checks.check(
            title.strip() != note.title or body.strip() != note.body,
            "body",
            "Change the title or the note before saving an amendment",
        )
    checks.raise_if_any()
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
    acting_user: User,
    child: Person,
    occurred_at: datetime.datetime,
    decision: str,
    rationale: str,
    next_review_date: datetime.date | None = None,
    body: str = "",
    title: str = "Management oversight",
) -> ManagementOversight:
    """A manager records a decision on the child's case and why."""
    require_permission(acting_user, Permission.OVERSIGHT_RECORD)
    checks = Checks()
    _check_note(checks, child=child, occurred_at=occurred_at, title=title)
    checks.required("decision", decision, "Enter the management decision")
    checks.required("rationale", rationale, "Enter the reasons for the decision")
    if checks.planned("next_review_date", next_review_date, "The next review date"):
        checks.check(
            next_review_date is None or next_review_date >= timezone.localdate(occurred_at),
            "next_review_date",
            "The next review date must be on or after the oversight date",
        )
    checks.raise_if_any()
    note = _create_note(
        acting_user=acting_user,
        child=child,
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
        subject_person_id=child.pk,
        new_values={
            **_note_values(note),
            **snapshot(oversight, ["decision", "rationale", "next_review_date"]),
        },
    )
    return oversight


@transaction.atomic(durable=True)
def record_supervision(
    *,
    acting_user: User,
    child: Person,
    occurred_at: datetime.datetime,
    supervisee: User | None,
    objectives: str,
    contingency: str,
    actions: Sequence[ActionInput],
    reflection: str = "",
    body: str = "",
    title: str = "Case supervision",
) -> Supervision:
    """Record case supervision with its direction, actions (each with a date) and contingency."""
    require_permission(acting_user, Permission.OVERSIGHT_RECORD)
    checks = Checks()
    _check_note(checks, child=child, occurred_at=occurred_at, title=title)
    checks.required("supervisee", supervisee, "Select the worker being supervised")
    checks.required("objectives", objectives, "Enter the objectives for the work with the child")
    checks.required("contingency", contingency, "Enter what will happen if the plan does not work")
    checks.check(
        bool(actions), "actions", "Enter at least one action, with who will do it and by when"
    )
    supervised_on = timezone.localdate(occurred_at)
    dated: list[tuple[ActionInput, datetime.date]] = []
    for number, item in enumerate(actions, start=1):
        if not item.action.strip() or not item.owner.strip() or item.by_when is None:
            checks.add(
                "actions", f"Action {number} needs what will be done, who will do it and by when"
            )
            break
        if not checks.planned("actions", item.by_when, f"The date for action {number}"):
            break
        if not checks.check(
            item.by_when >= supervised_on,
            "actions",
            f"The date for action {number} must be on or after the supervision",
        ):
            break
        dated.append((item, item.by_when))
    checks.raise_if_any()
    assert supervisee is not None
    note = _create_note(
        acting_user=acting_user,
        child=child,
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
            person=child,
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
        subject_person_id=child.pk,
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
    *, acting_user: User, action: SupervisionAction, done_on: datetime.date
) -> SupervisionAction:
    """Mark an action agreed in supervision as done."""
    require_permission(acting_user, Permission.NOTE_RECORD)
    action = SupervisionAction.objects.select_for_update().get(pk=action.pk)
    note = CaseNote.objects.only("person_id", "occurred_at").get(
        supervision__pk=action.supervision_id
    )
    supervised_on = timezone.localdate(note.occurred_at)
    checks = Checks()
    if checks.check(
        action.done_on is None, "done_on", "This action has already been marked as done"
    ) and checks.happened("done_on", done_on, "The date it was done"):
        checks.check(
            done_on >= supervised_on,
            "done_on",
            "The date it was done must be on or after the supervision",
        )
    checks.raise_if_any()
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


VOICE_ANSWERS = (
    "explained_worries",
    "story_helped_understand",
    "agrees_with_worker",
    "plan_keeps_safe",
    "tablet_helped_explain",
)


@transaction.atomic(durable=True)
def record_child_voice(
    *,
    acting_user: User,
    child: Person,
    asked_on: datetime.date | None,
    answers: dict[str, bool | None],
) -> ChildVoice:
    """Record the child's answers to the SSD's voice-of-the-child questions (each yes, no or
    not asked): at least one answered, on a day not in the future nor before the child's
    birth (the day may be unknown for a record brought from another system)."""
    require_permission(acting_user, Permission.NOTE_RECORD)
    checks = Checks()
    unknown = set(answers) - set(VOICE_ANSWERS)
    if unknown:
        raise TypeError(f"Unknown voice-of-the-child answers: {', '.join(sorted(unknown))}")
    checks.check(
        any(answers.get(name) is not None for name in VOICE_ANSWERS),
        "answers",
        "Answer at least one question",
    )
    if asked_on is not None:
        what = "The date the child was asked"
        if checks.check(
            asked_on <= timezone.localdate(), "asked_on", NOT_IN_FUTURE.says(what=what)
        ):
            checks.happened("asked_on", asked_on, what, child=child)
    checks.raise_if_any()
    voice = ChildVoice.objects.create(
        person=child,
        asked_on=asked_on,
        recorded_by=acting_user,
        **{name: answers.get(name) for name in VOICE_ANSWERS},
    )
    record_event(
        acting_user=acting_user,
        event_type=RecordingEvent.CHILD_VOICE_RECORDED,
        target=voice,
        subject_person_id=child.pk,
        new_values=snapshot(voice, ["asked_on", *VOICE_ANSWERS]),
    )
    return voice
