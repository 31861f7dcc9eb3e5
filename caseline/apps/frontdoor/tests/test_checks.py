"""The front door's actions check permissions and implausible dates before they write."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Role
from caseline.apps.frontdoor import actions, queries
from caseline.apps.frontdoor.models import Contact, ContactPerson, EarlyHelpEpisode, Referral
from caseline.apps.frontdoor.tests.conftest import LONDON, at
from caseline.apps.people.models import Person

D = datetime.date
SUBJECT = ContactPerson.Role.SUBJECT


def _record_contact(user: User, child: Person, received: datetime.datetime) -> Contact:
    return actions.record_contact(
        acting_user=user,
        received_at=received,
        source="2A",
        concern="Worried",
        consent=Contact.Consent.GIVEN,
        people=[(child, SUBJECT)],
    )


def test_contact_dated_year_one_refused(child: Person, front_door: User) -> None:
    with pytest.raises(ValidationError) as caught:
        _record_contact(front_door, child, datetime.datetime(1, 1, 1, 10, tzinfo=LONDON))
    assert caught.value.message_dict["received_at"] == [
        "The date the contact was received must be in 1900 or later"
    ]
    assert not Contact.objects.exists()


def test_contact_before_the_child_was_born_refused(child: Person, front_door: User) -> None:
    with pytest.raises(ValidationError) as caught:
        _record_contact(front_door, child, at(2010, 1, 4))
    assert caught.value.message_dict["received_at"] == [
        "The date the contact was received must be on or after Ama's date of birth (1 June 2015)"
    ]


def test_recent_step_down_copes_with_a_contact_dated_year_one(
    child: Person, front_door: User
) -> None:
    assert queries.recent_step_down(child, D(1, 1, 1)) is None
    assert queries.months_before(D(1, 2, 1), 3) == D.min
    # A contact stored as 01/01/0001 before the forms refused it: its page still opens.
    contact = Contact.objects.create(
        received_at=datetime.datetime(1, 1, 1, 10, tzinfo=LONDON),
        source="2A",
        concern="Typed with the wrong year",
        consent=Contact.Consent.GIVEN,
        recorded_by=front_door,
    )
    ContactPerson.objects.create(contact=contact, person=child, role=SUBJECT)
    client = Client()
    client.force_login(front_door)
    response = client.get(reverse("frontdoor:contact-detail", args=[contact.pk]))
    assert response.status_code == 200


def test_contact_form_refuses_year_one(child: Person, front_door: User) -> None:
    client = Client()
    client.force_login(front_door)
    response = client.post(
        reverse("frontdoor:contact-new") + f"?person={child.pk}",
        {
            "received_on_day": "1",
            "received_on_month": "1",
            "received_on_year": "0001",
            "source": "2A",
            "concern": "Worried",
            "consent": "given",
        },
    )
    assert response.status_code == 400
    assert "must be in 1900 or later" in response.content.decode()
    assert not Contact.objects.exists()


def test_referral_before_birth_refused(child: Person, front_door: User) -> None:
    with pytest.raises(ValidationError) as caught:
        actions.record_referral(
            acting_user=front_door, child=child, referral_date=D(2015, 5, 31), source="2A"
        )
    assert "date of birth" in caught.value.message_dict["referral_date"][0]
    assert not Referral.objects.exists()


def test_step_down_in_the_future_refused_on_its_own_field(child: Person, front_door: User) -> None:
    with pytest.raises(ValidationError) as caught:
        actions.record_step_down(
            acting_user=front_door, child=child, date=D(2099, 1, 1), rationale="Support"
        )
    assert caught.value.message_dict == {
        "date": ["The date of the step down must be today or in the past"]
    }
    assert not EarlyHelpEpisode.objects.exists()


def test_early_help_and_allocation_refuse_1850(
    child: Person, front_door: User, manager: User, team: Team
) -> None:
    with pytest.raises(ValidationError, match="1900 or later"):
        actions.start_early_help(
            acting_user=front_door, child=child, start_date=D(1850, 1, 1), reason="Support"
        )
    with pytest.raises(ValidationError, match="1900 or later"):
        actions.allocate_case(
            acting_user=manager, child=child, team=team, worker=None, start_date=D(1850, 1, 1)
        )


def test_every_action_needs_its_permission(
    child: Person, make_user: Callable[..., User], front_door: User, team: Team
) -> None:
    # A performance analyst reads records but records nothing at the front door.
    analyst = make_user(Role.ANALYST)
    contact = _record_contact(front_door, child, at(2025, 4, 17))
    referral = actions.record_referral(
        acting_user=front_door, child=child, referral_date=D(2025, 4, 18), source="2A"
    )
    calls: list[Callable[[], object]] = [
        lambda: _record_contact(analyst, child, at(2025, 4, 17)),
        lambda: actions.decide_contact(
            acting_user=analyst, contact=contact, decision="advice", rationale="x"
        ),
        lambda: actions.record_referral(
            acting_user=analyst, child=child, referral_date=D(2025, 4, 18), source="2A"
        ),
        lambda: actions.close_referral(
            acting_user=analyst, referral=referral, closed_on=D(2025, 4, 19), closure_reason="RC8"
        ),
        lambda: actions.start_early_help(
            acting_user=analyst, child=child, start_date=D(2025, 4, 19), reason="x"
        ),
        lambda: actions.record_step_down(
            acting_user=analyst, child=child, date=D(2025, 4, 19), rationale="x"
        ),
        lambda: actions.record_step_up(
            acting_user=analyst, child=child, date=D(2025, 4, 19), rationale="x"
        ),
        # A front door worker records contacts but does not allocate cases.
        lambda: actions.allocate_case(
            acting_user=front_door, child=child, team=team, worker=None, start_date=D(2025, 4, 19)
        ),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    episode = actions.start_early_help(
        acting_user=front_door, child=child, start_date=D(2025, 4, 19), reason="x"
    )
    with pytest.raises(PermissionDenied):
        actions.end_early_help(
            acting_user=analyst, episode=episode, end_date=D(2025, 4, 20), end_reason="x"
        )
