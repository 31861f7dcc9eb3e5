"""Notes, visits, oversight and supervision refuse implausible dates and need permissions."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.people.models import Person
from caseline.apps.recording.actions import (
    ActionInput,
    amend_note,
    complete_supervision_action,
    record_management_oversight,
)
from caseline.apps.recording.models import CaseNote, Supervision

pytestmark = pytest.mark.django_db

LONDON = timezone.get_default_timezone()
IN_1850 = datetime.datetime(1850, 6, 1, 10, 0, tzinfo=LONDON)
# Ada (the fixtures' child) was born on 1 April 2015.
BEFORE_BIRTH = datetime.datetime(2014, 6, 1, 10, 0, tzinfo=LONDON)
BEFORE_BIRTH_MESSAGE = "The date it happened must be on or after Ada's date of birth (1 April 2015)"


@pytest.mark.parametrize("note_type", ["visit", "phone-call"])
def test_notes_and_visits_refuse_1850_and_before_birth(
    note_factory: Callable[..., CaseNote], note_type: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        note_factory(note_type=note_type, occurred_at=IN_1850)
    assert caught.value.message_dict == {
        "occurred_at": ["The date it happened must be in 1900 or later"]
    }
    with pytest.raises(ValidationError) as caught:
        note_factory(note_type=note_type, occurred_at=BEFORE_BIRTH)
    assert caught.value.message_dict == {"occurred_at": [BEFORE_BIRTH_MESSAGE]}
    assert not CaseNote.objects.exists()


def test_oversight_refuses_1850_and_before_birth(manager: User, child: Person) -> None:
    def oversight(**values: Any) -> object:
        return record_management_oversight(
            acting_user=manager,
            child=child,
            decision="Proceed",
            rationale="Needs are met",
            **values,
        )

    with pytest.raises(ValidationError, match="1900 or later"):
        oversight(occurred_at=IN_1850)
    with pytest.raises(ValidationError) as caught:
        oversight(occurred_at=BEFORE_BIRTH)
    assert caught.value.message_dict == {"occurred_at": [BEFORE_BIRTH_MESSAGE]}
    with pytest.raises(ValidationError) as caught:
        oversight(occurred_at=timezone.now(), next_review_date=datetime.date(9999, 1, 1))
    assert caught.value.message_dict == {
        "next_review_date": ["The next review date must be within 5 years from today"]
    }
    assert not CaseNote.objects.exists()


def test_supervision_refuses_1850_before_birth_and_far_actions(
    supervision_factory: Callable[..., Supervision],
) -> None:
    with pytest.raises(ValidationError, match="1900 or later"):
        supervision_factory(occurred_at=IN_1850)
    with pytest.raises(ValidationError) as caught:
        supervision_factory(occurred_at=BEFORE_BIRTH)
    assert caught.value.message_dict == {"occurred_at": [BEFORE_BIRTH_MESSAGE]}
    far = ActionInput(action="Visit school", owner="Wren", by_when=datetime.date(9999, 1, 1))
    with pytest.raises(ValidationError) as caught:
        supervision_factory(actions=[far])
    assert caught.value.message_dict == {
        "actions": ["The date for action 1 must be within 5 years from today"]
    }
    assert not CaseNote.objects.exists()


def test_action_done_in_1850_refused(
    supervision_factory: Callable[..., Supervision], worker: User
) -> None:
    action = supervision_factory().actions.get()
    with pytest.raises(ValidationError) as caught:
        complete_supervision_action(
            acting_user=worker, action=action, done_on=datetime.date(1850, 1, 1)
        )
    assert caught.value.message_dict == {
        "done_on": ["The date it was done must be in 1900 or later"]
    }


def test_every_action_needs_its_permission(
    make_user: Callable[..., User],
    child: Person,
    worker: User,
    note_factory: Callable[..., CaseNote],
    supervision_factory: Callable[..., Supervision],
) -> None:
    analyst = make_user(Role.ANALYST)  # reads records, records nothing
    note = note_factory()
    action = supervision_factory().actions.get()
    with pytest.raises(PermissionDenied):
        note_factory(acting_user=analyst)
    with pytest.raises(PermissionDenied):
        amend_note(
            acting_user=analyst,
            note=note,
            read_version=note.version,
            title="x",
            body="y",
            reason="z",
        )
    with pytest.raises(PermissionDenied):
        complete_supervision_action(
            acting_user=analyst, action=action, done_on=timezone.localdate()
        )
    # A social worker records notes but not management oversight or supervision.
    with pytest.raises(PermissionDenied):
        record_management_oversight(
            acting_user=worker,
            child=child,
            occurred_at=timezone.now(),
            decision="Proceed",
            rationale="Needs are met",
        )
    with pytest.raises(PermissionDenied):
        supervision_factory(acting_user=worker)
