"""The child's voice as the SSD asks it: at least one answer, on a day that can be true,
audited on the child, and only by those who record case notes."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from caseline.apps.accounts.models import User
from caseline.apps.audit.models import AuditEvent
from caseline.apps.people.models import Person
from caseline.apps.recording.actions import record_child_voice
from caseline.apps.recording.events import RecordingEvent

pytestmark = pytest.mark.django_db


def test_the_answers_are_recorded_and_audited(child: Person, worker: User) -> None:
    voice = record_child_voice(
        acting_user=worker,
        child=child,
        asked_on=timezone.localdate(),
        answers={"explained_worries": True, "agrees_with_worker": False},
    )
    assert (voice.explained_worries, voice.agrees_with_worker, voice.plan_keeps_safe) == (
        True,
        False,
        None,
    )
    event = AuditEvent.objects.get(event_type=RecordingEvent.CHILD_VOICE_RECORDED)
    assert event.subject_person_id == child.pk
    assert event.new_values["agrees_with_worker"] is False


def test_no_answer_or_a_future_day_is_refused(child: Person, worker: User) -> None:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        record_child_voice(acting_user=worker, child=child, asked_on=tomorrow, answers={})
    assert set(refused.value.message_dict) == {"answers", "asked_on"}
    with pytest.raises(TypeError, match="Unknown voice-of-the-child answers: happy"):
        record_child_voice(acting_user=worker, child=child, asked_on=None, answers={"happy": True})
    assert not child.voice_answers.exists()


def test_the_answers_need_the_permission(child: Person, make_user: Callable[..., User]) -> None:
    with pytest.raises(PermissionDenied):
        record_child_voice(
            acting_user=make_user(), child=child, asked_on=None, answers={"plan_keeps_safe": True}
        )
