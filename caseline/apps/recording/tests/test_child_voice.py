"""The child's voice as the SSD asks it: at least one answer, on a day that can be true,
audited on the child, and only by those who record case notes."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
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


def test_the_answers_are_recorded_from_the_page(
    child: Person, worker: User, client: Client
) -> None:
    client.force_login(worker)
    url = f"/recording/record/{child.pk}/voice/new/"
    page = client.get(url).content.decode()
    assert "Do they agree with what their worker has said?" in page
    today = timezone.localdate()
    asked = {"asked_on_day": today.day, "asked_on_month": today.month, "asked_on_year": today.year}
    refused = client.post(url, asked)
    assert "Answer at least one question" in refused.content.decode()
    assert not child.voice_answers.exists()
    response = client.post(url, {**asked, "plan_keeps_safe": "Y", "agrees_with_worker": "N"})
    assert response.status_code == 302
    voice = child.voice_answers.get()
    assert (voice.plan_keeps_safe, voice.agrees_with_worker, voice.explained_worries) == (
        True,
        False,
        None,
    )
    assert voice.asked_on == today
