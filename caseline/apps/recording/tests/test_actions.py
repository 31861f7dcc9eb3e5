"""Writes: validation, audit rows, amendments and optimistic locking."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.models import AuditEvent
from caseline.apps.core.concurrency import EditConflict
from caseline.apps.people.actions import merge_people
from caseline.apps.people.models import Person
from caseline.apps.recording.actions import (
    ActionInput,
    amend_note,
    complete_supervision_action,
    record_management_oversight,
    record_supervision,
)
from caseline.apps.recording.events import RecordingEvent
from caseline.apps.recording.models import (
    CaseNote,
    ManagementOversight,
    NoteAmendment,
    Supervision,
    SupervisionAction,
)
from caseline.apps.recording.tests.conftest import days_ago

pytestmark = pytest.mark.django_db

NoteFactory = Callable[..., CaseNote]
SupervisionFactory = Callable[..., Supervision]


def _messages(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return error.value.message_dict


# --- record_note ---------------------------------------------------------------------------


def test_record_note_saves_the_note_and_audits_it(
    note_factory: NoteFactory, child: Person, worker: User
) -> None:
    sibling = Person.objects.create(given_name="Bo", family_name="Testchild")
    note = note_factory(
        is_significant=True,
        significance="First time Ada spoke about home.",
        others_involved=[sibling, child],
    )
    assert note.recorded_by == worker
    assert note.note_type == "visit"
    assert list(note.others_involved.all()) == [sibling]  # the child is not "another" person
    event = AuditEvent.objects.get(event_type=RecordingEvent.NOTE_RECORDED)
    assert event.subject_person_id == child.pk
    assert event.target_id == str(note.pk)
    assert event.new_values["significance"] == "First time Ada spoke about home."
    assert event.new_values["others_involved"] == [sibling.pk]


def test_significance_is_required_when_flagged(note_factory: NoteFactory) -> None:
    with pytest.raises(ValidationError) as error:
        note_factory(is_significant=True, significance="  ")
    assert _messages(error) == {
        "significance": ["Say why this is a significant event for the child"]
    }
    assert not CaseNote.objects.exists()
    assert not AuditEvent.objects.filter(event_type=RecordingEvent.NOTE_RECORDED).exists()


def test_significance_is_dropped_when_not_flagged(note_factory: NoteFactory) -> None:
    note = note_factory(is_significant=False, significance="typed then unticked")
    assert note.significance == ""


def test_a_note_cannot_happen_in_the_future(note_factory: NoteFactory) -> None:
    with pytest.raises(ValidationError) as error:
        note_factory(occurred_at=timezone.now() + datetime.timedelta(hours=2))
    assert _messages(error) == {
        "occurred_at": ["The date it happened must be today or in the past"]
    }


def test_body_title_and_type_are_required(note_factory: NoteFactory) -> None:
    with pytest.raises(ValidationError) as error:
        note_factory(body=" ", title="", note_type="supervision")
    assert set(_messages(error)) == {"body", "title", "note_type"}


def test_recording_a_note_needs_the_permission(
    note_factory: NoteFactory, make_user: Callable[..., User]
) -> None:
    with pytest.raises(PermissionDenied):
        note_factory(acting_user=make_user(Role.ANALYST))


# --- amend_note ----------------------------------------------------------------------------


def test_amendment_keeps_the_previous_text_and_audits_old_and_new(
    note_factory: NoteFactory, worker: User, child: Person
) -> None:
    note = note_factory()
    amendment = amend_note(
        acting_user=worker,
        note=note,
        read_version=note.version,
        title="Home visit (announced)",
        body="Ada showed me her room and her drawings.",
        reason="Added what I saw",
    )
    note.refresh_from_db()
    assert note.title == "Home visit (announced)"
    assert note.body == "Ada showed me her room and her drawings."
    assert note.version == 2
    assert amendment.previous_title == "Home visit"
    assert amendment.previous_body == "Ada showed me her room."
    assert amendment.reason == "Added what I saw"
    event = AuditEvent.objects.get(event_type=RecordingEvent.NOTE_AMENDED)
    assert event.subject_person_id == child.pk
    assert event.old_values == {"title": "Home visit", "body": "Ada showed me her room."}
    assert event.new_values == {
        "title": "Home visit (announced)",
        "body": "Ada showed me her room and her drawings.",
    }
    assert event.extra["reason"] == "Added what I saw"


def test_amendment_needs_a_reason_and_a_change(note_factory: NoteFactory, worker: User) -> None:
    note = note_factory()
    with pytest.raises(ValidationError) as error:
        amend_note(acting_user=worker, note=note, read_version=1, title="X", body="Y", reason=" ")
    assert _messages(error) == {"reason": ["Enter why you are amending this note"]}
    with pytest.raises(ValidationError) as error:
        amend_note(
            acting_user=worker,
            note=note,
            read_version=1,
            title=note.title,
            body=note.body,
            reason="No change",
        )
    assert "body" in _messages(error)
    with pytest.raises(ValidationError) as error:
        amend_note(acting_user=worker, note=note, read_version=1, title="", body="", reason="r")
    assert set(_messages(error)) == {"title", "body"}
    assert not NoteAmendment.objects.exists()


def test_amendment_refuses_a_stale_version(note_factory: NoteFactory, worker: User) -> None:
    note = note_factory()
    stale = CaseNote.objects.get(pk=note.pk)
    amend_note(acting_user=worker, note=note, read_version=1, title="A", body="B", reason="r")
    with pytest.raises(EditConflict):
        amend_note(acting_user=worker, note=stale, read_version=1, title="C", body="D", reason="r")
    note.refresh_from_db()
    assert (note.title, note.body) == ("A", "B")
    assert NoteAmendment.objects.count() == 1  # the refused amendment was rolled back


def test_only_the_author_or_a_manager_may_amend(
    note_factory: NoteFactory, make_user: Callable[..., User], manager: User
) -> None:
    note = note_factory()
    colleague = make_user(Role.SOCIAL_WORKER)
    with pytest.raises(PermissionDenied):
        amend_note(
            acting_user=colleague, note=note, read_version=1, title="A", body="B", reason="r"
        )
    amend_note(acting_user=manager, note=note, read_version=1, title="A", body="B", reason="r")
    assert NoteAmendment.objects.get().amended_by == manager


# --- management oversight ------------------------------------------------------------------


def _oversight(manager: User, child: Person, **overrides: Any) -> ManagementOversight:
    values: dict[str, Any] = {
        "acting_user": manager,
        "child": child,
        "occurred_at": days_ago(1),
        "decision": "Proceed to a child in need plan.",
        "rationale": "Needs are met with support; no significant harm found.",
    }
    values.update(overrides)
    return record_management_oversight(**values)


def test_oversight_is_recorded_on_the_childs_record(manager: User, child: Person) -> None:
    review = timezone.localdate() + datetime.timedelta(days=30)
    oversight = _oversight(manager, child, next_review_date=review)
    assert oversight.note.note_type == "management-oversight"
    assert oversight.note.person == child
    assert oversight.next_review_date == review
    event = AuditEvent.objects.get(event_type=RecordingEvent.OVERSIGHT_RECORDED)
    assert event.subject_person_id == child.pk
    assert event.new_values["decision"] == "Proceed to a child in need plan."


def test_oversight_needs_a_decision_and_a_rationale(manager: User, child: Person) -> None:
    with pytest.raises(ValidationError) as error:
        _oversight(manager, child, rationale=" ")
    assert _messages(error) == {"rationale": ["Enter the reasons for the decision"]}
    with pytest.raises(ValidationError) as error:
        _oversight(manager, child, decision="")
    assert _messages(error) == {"decision": ["Enter the management decision"]}
    assert not CaseNote.objects.exists()


def test_oversight_review_date_cannot_be_before_the_oversight(manager: User, child: Person) -> None:
    with pytest.raises(ValidationError) as error:
        _oversight(manager, child, next_review_date=timezone.localdate() - datetime.timedelta(5))
    assert "next_review_date" in _messages(error)


def test_a_social_worker_cannot_record_oversight(worker: User, child: Person) -> None:
    with pytest.raises(PermissionDenied):
        _oversight(worker, child)


# --- supervision ---------------------------------------------------------------------------


def test_supervision_is_recorded_with_its_actions(
    supervision_factory: SupervisionFactory, manager: User, worker: User, child: Person
) -> None:
    supervision = supervision_factory(reflection="Attendance is the worry.")
    assert supervision.supervisor == manager
    assert supervision.supervisee == worker
    assert supervision.note.note_type == "supervision"
    action = supervision.actions.get()
    assert (action.action, action.owner, action.done_on) == ("Visit school", "Wren", None)
    assert action.person == child  # the note's child, for reading a caseload's open actions
    event = AuditEvent.objects.get(event_type=RecordingEvent.SUPERVISION_RECORDED)
    assert event.subject_person_id == child.pk
    assert event.new_values["actions"][0]["action"] == "Visit school"
    assert event.new_values["contingency"].startswith("If school attendance")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"contingency": " "}, "contingency", "Enter what will happen if the plan does not work"),
        ({"objectives": ""}, "objectives", "Enter the objectives for the work with the child"),
        (
            {"actions": []},
            "actions",
            "Enter at least one action, with who will do it and by when",
        ),
        (
            {"actions": [ActionInput(action="Visit school", owner="Wren", by_when=None)]},
            "actions",
            "Action 1 needs what will be done, who will do it and by when",
        ),
        (
            {
                "actions": [
                    ActionInput(
                        action="Visit school",
                        owner="Wren",
                        by_when=timezone.localdate() - datetime.timedelta(days=30),
                    )
                ]
            },
            "actions",
            "The date for action 1 must be on or after the supervision",
        ),
        ({"supervisee": None}, "supervisee", "Select the worker being supervised"),
    ],
)
def test_supervision_validation(
    supervision_factory: SupervisionFactory, overrides: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as error:
        supervision_factory(**overrides)
    assert _messages(error) == {field: [message]}
    assert not Supervision.objects.exists()
    assert not CaseNote.objects.exists()


def test_a_social_worker_cannot_record_supervision(
    supervision_factory: SupervisionFactory, worker: User
) -> None:
    with pytest.raises(PermissionDenied):
        supervision_factory(acting_user=worker)


def test_completing_an_action(
    supervision_factory: SupervisionFactory, worker: User, child: Person
) -> None:
    action = supervision_factory().actions.get()
    today = timezone.localdate()
    complete_supervision_action(acting_user=worker, action=action, done_on=today)
    action.refresh_from_db()
    assert action.done_on == today
    event = AuditEvent.objects.get(event_type=RecordingEvent.SUPERVISION_ACTION_COMPLETED)
    assert event.subject_person_id == child.pk
    assert event.old_values == {"done_on": None}
    assert event.new_values == {"done_on": today.isoformat()}
    with pytest.raises(ValidationError) as error:
        complete_supervision_action(acting_user=worker, action=action, done_on=today)
    assert _messages(error) == {"done_on": ["This action has already been marked as done"]}


@pytest.mark.parametrize("offset", [1, -30])
def test_an_action_cannot_be_done_in_the_future_or_before_supervision(
    supervision_factory: SupervisionFactory, worker: User, offset: int
) -> None:
    action = supervision_factory().actions.get()
    with pytest.raises(ValidationError) as error:
        complete_supervision_action(
            acting_user=worker,
            action=action,
            done_on=timezone.localdate() + datetime.timedelta(days=offset),
        )
    assert "done_on" in _messages(error)
    assert SupervisionAction.objects.get().done_on is None


def test_record_supervision_direct_call_checks_future_date(
    manager: User, worker: User, child: Person
) -> None:
    with pytest.raises(ValidationError) as error:
        record_supervision(
            acting_user=manager,
            child=child,
            occurred_at=timezone.now() + datetime.timedelta(days=1),
            supervisee=worker,
            objectives="o",
            contingency="c",
            actions=[ActionInput("a", "b", timezone.localdate() + datetime.timedelta(days=3))],
        )
    assert set(_messages(error)) == {"occurred_at"}


def test_a_note_without_a_time_shows_only_its_date(note_factory: NoteFactory) -> None:
    day = datetime.date(2025, 3, 3)
    midnight = timezone.make_aware(datetime.datetime.combine(day, datetime.time(0, 0)))
    assert note_factory(occurred_at=midnight).occurred_label == "3 March 2025"
    afternoon = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 5)))
    assert note_factory(occurred_at=afternoon).occurred_label == "3 March 2025, 09:05"


def test_merging_records_moves_open_supervision_actions_to_the_kept_child(
    supervision_factory: SupervisionFactory, manager: User, child: Person
) -> None:
    kept = Person.objects.create(given_name="Ada", family_name="Lovell", sex="F")
    action = supervision_factory().actions.get()
    merge_people(acting_user=manager, kept=kept, merged=child, reason="Same child, typed twice")
    action.refresh_from_db()
    assert action.person == kept
    assert action.supervision.note.person == kept  # still the note's child
    assert SupervisionAction.objects.filter(person=child).count() == 0
