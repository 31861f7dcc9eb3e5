"""Closing a child in need episode: the CIN census's rules on what a closed episode may hold,
refused where the referral is closed (``actions.close_referral``) and by a step down."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.models import AuditEvent
from caseline.apps.cin import actions as cin
from caseline.apps.frontdoor import actions
from caseline.apps.frontdoor.models import Referral
from caseline.apps.frontdoor.queries import episode_activity
from caseline.apps.lookedafter import actions as lookedafter
from caseline.apps.lookedafter.tests.conftest import foster
from caseline.apps.people.models import Person
from caseline.apps.plans.tests.posting import date_fields
from caseline.apps.protection import actions as protection
from caseline.apps.protection.models import Section47Enquiry
from caseline.apps.protection.tests.conftest import strategy_values
from tests.factories import ChildFactory, TeamFactory

pytestmark = pytest.mark.django_db
D = datetime.date
IDENTITY = "Ada speaks Tamil at home: Mum has an interpreter at every meeting."


@pytest.fixture
def team(db: None) -> Team:
    return TeamFactory.create(name="Assessment North", service=Team.Service.CHILDREN_IN_NEED)


@pytest.fixture
def worker(make_user: Callable[..., User], team: Team) -> User:
    return make_user(Role.SOCIAL_WORKER, username="worker", team=team)


@pytest.fixture
def child(worker: User, team: Team) -> Person:
    return ChildFactory.create(
        given_name="Ada",
        date_of_birth=D(2012, 5, 1),
        team=team,
        worker=worker,
        referral_date=D(2025, 4, 1),
    )


@pytest.fixture
def referral(child: Person) -> Referral:
    return Referral.objects.get(person=child)


def _enquiry(child: Person, worker: User) -> Section47Enquiry:
    discussion = protection.record_strategy_discussion(
        acting_user=worker, child=child, **strategy_values()
    )
    return discussion.enquiry


def _complete(worker: User, enquiry: Section47Enquiry, outcome: str) -> Section47Enquiry:
    return protection.complete_enquiry(
        acting_user=worker,
        enquiry=enquiry,
        outcome=outcome,
        completed_on=D(2025, 4, 24),
        outcome_note="Reasons.",
    )


def _close(worker: User, referral: Referral, reason: str = "RC7", **kwargs: object) -> Referral:
    values: dict[str, object] = {"closed_on": D(2025, 6, 30), **kwargs}
    return actions.close_referral(
        acting_user=worker,
        referral=referral,
        closure_reason=reason,
        **values,  # type: ignore[arg-type]
    )


def _refusal(
    worker: User, referral: Referral, reason: str = "RC7", **kwargs: object
) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        _close(worker, referral, reason, **kwargs)
    referral.refresh_from_db()
    assert referral.closed_on is None
    return refused.value.message_dict


def test_an_episode_with_an_open_enquiry_cannot_close(
    child: Person, worker: User, referral: Referral
) -> None:
    enquiry = _enquiry(child, worker)
    [message] = _refusal(worker, referral)["__all__"]
    assert message.startswith("A section 47 enquiry in this episode has neither had")
    assert message.endswith("before closing the episode. (CIN census rule 8868)")
    # Concerns substantiated: the conference is awaited, so still not.
    enquiry = _complete(worker, enquiry, Section47Enquiry.Outcome.CONFERENCE)
    assert "__all__" in _refusal(worker, referral)
    # Decided against: it may close.
    protection.decide_icpc_not_required(
        acting_user=worker, enquiry=enquiry, decided_on=D(2025, 4, 28), reason="Risk reduced."
    )
    assert _close(worker, referral).closed_on == D(2025, 6, 30)


def test_an_episode_cannot_close_before_work_dated_in_it(
    child: Person, worker: User, referral: Referral
) -> None:
    enquiry = _complete(worker, _enquiry(child, worker), Section47Enquiry.Outcome.NFA)
    assert episode_activity(referral, D(2025, 6, 30)).latest_activity == enquiry.start_date
    day_before = enquiry.start_date - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        _close(worker, referral, closed_on=day_before)
    [message] = refused.value.message_dict["closed_on"]
    assert message == (
        "Work in this episode is dated 10 April 2025, after the closure date. Close the "
        "episode on or after that day. (CIN census rule 8565)"
    )
    referral.refresh_from_db()
    assert referral.closed_on is None
    assert _close(worker, referral, closed_on=enquiry.start_date).closed_on == D(2025, 4, 10)


def test_an_enquiry_needing_no_conference_lets_the_episode_close(
    child: Person, worker: User, referral: Referral
) -> None:
    _complete(worker, _enquiry(child, worker), Section47Enquiry.Outcome.NFA)
    assert _close(worker, referral).closure_reason == "RC7"


@pytest.mark.parametrize("reason", ["RC8", "RC9"])
def test_closed_after_assessment_is_refused_after_a_section_47_enquiry(
    child: Person, worker: User, referral: Referral, reason: str
) -> None:
    _complete(worker, _enquiry(child, worker), Section47Enquiry.Outcome.NFA)
    [message] = _refusal(worker, referral, reason)["closure_reason"]
    assert message.startswith(f"{reason} means the case closed after assessment")
    assert message.endswith("Select another reason. (CIN census rule 2990)")


def test_closed_after_assessment_is_refused_after_a_child_in_need_plan(
    child: Person, worker: User, referral: Referral
) -> None:
    cin.start_plan(
        acting_user=worker,
        child=child,
        start_date=D(2025, 5, 1),
        child_views="Ada wants to stay at home.",
        identity_needs=IDENTITY,
    )
    assert "closure_reason" in _refusal(worker, referral, "RC8")
    [message] = _refusal(worker, referral, "RC7", nfa=True)["nfa"]
    assert message.endswith("did not lead to no further action. (CIN census rule 4000)")


def test_closed_after_assessment_is_fine_with_nothing_past_the_assessment(
    worker: User, referral: Referral
) -> None:
    assert _close(worker, referral, "RC8").closure_reason == "RC8"


def test_no_further_action_is_refused_after_a_section_47_enquiry(
    child: Person, worker: User, referral: Referral
) -> None:
    _complete(worker, _enquiry(child, worker), Section47Enquiry.Outcome.NFA)
    [message] = _refusal(worker, referral, nfa=True)["nfa"]
    assert message.startswith("This episode had a section 47 enquiry or conference")
    assert message.endswith("(CIN census rule 8831)")


def test_a_child_looked_after_in_the_episode_needs_a_stated_primary_need(
    child: Person, worker: User, referral: Referral
) -> None:
    lookedafter.start_period_of_care(
        acting_user=worker,
        child=child,
        start_date=D(2025, 5, 1),
        legal_status="V2",
        placement=foster(),
    )
    assert episode_activity(referral, D(2025, 6, 30)).looked_after
    errors = _refusal(worker, referral, nfa=True)
    assert errors == {
        "nfa": [
            "Ada was looked after during this episode, so the referral did not lead to no "
            "further action"
        ],
        "primary_need": [
            "Ada was looked after during this episode, so it led to further action: give its "
            "primary need (not N0, not stated)"
        ],
    }
    assert "primary_need" in _refusal(worker, referral, primary_need="N0")
    closed = _close(worker, referral, primary_need="N1")
    assert (closed.primary_need, closed.closure_reason) == ("N1", "RC7")
    event = AuditEvent.objects.get(event_type="frontdoor.referral-closed")
    assert event.new_values["primary_need"] == "N1"


def test_a_period_of_care_outside_the_episode_does_not_count(
    child: Person, worker: User, referral: Referral
) -> None:
    assert not episode_activity(referral, D(2025, 6, 30)).looked_after
    lookedafter.start_period_of_care(
        acting_user=worker,
        child=child,
        start_date=D(2025, 7, 1),
        legal_status="V2",
        placement=foster(),
    )
    assert not episode_activity(referral, D(2025, 6, 30)).looked_after
    assert episode_activity(referral, D(2025, 7, 1)).looked_after


def test_a_step_down_after_a_plan_closes_as_services_ceased(
    child: Person, worker: User, referral: Referral
) -> None:
    cin.start_plan(
        acting_user=worker,
        child=child,
        start_date=D(2025, 5, 1),
        child_views="Ada wants to stay at home.",
        identity_needs=IDENTITY,
    )
    actions.record_step_down(
        acting_user=worker, child=child, date=D(2025, 6, 30), rationale="Needs met by the plan."
    )
    referral.refresh_from_db()
    assert referral.closure_reason == "RC7"


def test_a_step_down_after_an_assessment_alone_closes_as_referred_to_early_help(
    child: Person, worker: User, referral: Referral
) -> None:
    actions.record_step_down(
        acting_user=worker, child=child, date=D(2025, 6, 30), rationale="Early help fits."
    )
    referral.refresh_from_db()
    assert referral.closure_reason == "RC9"


def test_the_closing_page_shows_the_dfe_rule(
    client: Client, child: Person, worker: User, referral: Referral
) -> None:
    _enquiry(child, worker)
    client.force_login(worker)
    response = client.post(
        reverse("frontdoor:referral-close", args=[referral.pk]),
        {**date_fields("closed_on", D(2025, 6, 30)), "closure_reason": "RC7"},
    )
    assert response.status_code == 400
    assert b"(CIN census rule 8868)" in response.content
    page = client.get(reverse("frontdoor:referral-close", args=[referral.pk]))
    assert b"Keep the referral&#x27;s" in page.content
