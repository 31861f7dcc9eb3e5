"""Early help, steps down and up, and how a quick return is made visible."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from caseline.apps.accounts.models import User
from caseline.apps.audit.models import AuditEvent
from caseline.apps.frontdoor import actions
from caseline.apps.frontdoor.events import FrontdoorEvent
from caseline.apps.frontdoor.models import EarlyHelpEpisode, StepChange
from caseline.apps.frontdoor.queries import recent_step_down, step_down_description, time_ago
from caseline.apps.people.models import Person

D = datetime.date


def test_step_down_closes_referral_and_starts_early_help(child: Person, front_door: User) -> None:
    referral = actions.record_referral(
        acting_user=front_door, child=child, referral_date=D(2025, 1, 6), source="2A"
    )
    step = actions.record_step_down(
        acting_user=front_door,
        child=child,
        date=D(2025, 3, 3),
        rationale="Assessment done; family support will help",
        organisation="Family Hub",
    )
    referral.refresh_from_db()
    assert (referral.closed_on, referral.closure_reason) == (D(2025, 3, 3), "RC9")
    assert step.from_referral == referral
    assert step.to_early_help is not None
    assert step.to_early_help.organisation == "Family Hub"
    assert step.direction == StepChange.Direction.STEP_DOWN
    kinds = set(
        AuditEvent.objects.filter(subject_person_id=child.pk).values_list("event_type", flat=True)
    )
    assert {
        FrontdoorEvent.REFERRAL_CLOSED,
        FrontdoorEvent.EARLY_HELP_STARTED,
        FrontdoorEvent.STEPPED_DOWN,
    } <= kinds
    # Re-referral 6 weeks later: the step down is visible.
    found = recent_step_down(child, D(2025, 4, 14))
    assert found == step
    assert (
        step_down_description(found, D(2025, 4, 14))
        == "Stepped down to early help on 3 March 2025, 6 weeks ago"
    )
    assert recent_step_down(child, D(2025, 6, 4)) is None  # more than 3 months later
    assert recent_step_down(child, D(2025, 3, 2)) is None  # before it happened


def test_step_down_without_rationale_refused(child: Person, front_door: User) -> None:
    with pytest.raises(ValidationError):
        actions.record_step_down(
            acting_user=front_door, child=child, date=D(2025, 3, 3), rationale=" "
        )
    assert not StepChange.objects.exists()


def test_step_up_ends_early_help(child: Person, front_door: User) -> None:
    with pytest.raises(ValidationError, match="no early help open"):
        actions.record_step_up(
            acting_user=front_door, child=child, date=D(2025, 3, 3), rationale="x"
        )
    with pytest.raises(ValidationError):
        actions.record_step_up(
            acting_user=front_door, child=child, date=D(2025, 3, 3), rationale=""
        )
    episode = actions.start_early_help(
        acting_user=front_door, child=child, start_date=D(2025, 1, 6), reason="Parenting support"
    )
    step = actions.record_step_up(
        acting_user=front_door, child=child, date=D(2025, 2, 3), rationale="Concerns escalated"
    )
    episode.refresh_from_db()
    assert episode.end_date == D(2025, 2, 3)
    assert episode.end_reason.startswith("Stepped up to children's social care")
    assert step.to_early_help == episode
    assert step.direction == StepChange.Direction.STEP_UP
    assert (
        AuditEvent.objects.filter(event_type=FrontdoorEvent.STEPPED_UP).get().subject_person_id
        == child.pk
    )


def test_early_help_validations(child: Person, front_door: User) -> None:
    with pytest.raises(ValidationError) as caught:
        actions.start_early_help(
            acting_user=front_door, child=child, start_date=D(2099, 1, 1), reason=""
        )
    assert set(caught.value.message_dict) == {"start_date", "reason"}
    episode = actions.start_early_help(
        acting_user=front_door, child=child, start_date=D(2025, 1, 6), reason="Support"
    )
    with pytest.raises(ValidationError, match="already has early help open"):
        actions.start_early_help(
            acting_user=front_door, child=child, start_date=D(2025, 2, 6), reason="Support"
        )
    with pytest.raises(ValidationError) as caught:
        actions.end_early_help(
            acting_user=front_door, episode=episode, end_date=D(2025, 1, 5), end_reason=""
        )
    assert set(caught.value.message_dict) == {"end_date", "end_reason"}
    actions.end_early_help(
        acting_user=front_door, episode=episode, end_date=D(2025, 3, 1), end_reason="Goals met"
    )
    with pytest.raises(ValidationError, match="ended on 1 March 2025"):
        actions.end_early_help(
            acting_user=front_door, episode=episode, end_date=D(2025, 3, 2), end_reason="x"
        )
    assert EarlyHelpEpisode.objects.get().end_reason == "Goals met"


@pytest.mark.parametrize(
    ("day", "as_at", "expected"),
    [
        (D(2025, 3, 3), D(2025, 3, 3), "today"),
        (D(2025, 3, 3), D(2025, 3, 4), "1 day ago"),
        (D(2025, 3, 3), D(2025, 3, 13), "10 days ago"),
        (D(2025, 3, 3), D(2025, 4, 14), "6 weeks ago"),
        (D(2025, 1, 31), D(2025, 4, 30), "2 months ago"),
        (D(2025, 1, 3), D(2025, 3, 10), "2 months ago"),
        (D(2024, 3, 3), D(2024, 5, 10), "2 months ago"),
        (D(2024, 1, 10), D(2024, 3, 20), "2 months ago"),
        (D(2024, 1, 10), D(2024, 3, 16), "2 months ago"),
    ],
)
def test_time_ago(day: datetime.date, as_at: datetime.date, expected: str) -> None:
    assert time_ago(day, as_at) == expected
