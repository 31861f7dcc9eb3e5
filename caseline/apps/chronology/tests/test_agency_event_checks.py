"""An event another agency reported: its date's checks and the permission to add one."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.chronology.actions import record_agency_event
from caseline.apps.chronology.models import AgencyEvent
from caseline.apps.people.models import Person

pytestmark = pytest.mark.django_db
D = datetime.date


def _record(user: User, child: Person, event_date: datetime.date) -> AgencyEvent:
    return record_agency_event(
        acting_user=user,
        child=child,
        event_date=event_date,
        agency="Police",
        what_happened="Call-out to the family home",
        why_it_matters="Domestic abuse in the pregnancy",
    )


def test_an_event_in_1850_is_refused(make_user: Callable[..., User]) -> None:
    worker = make_user(Role.SOCIAL_WORKER)
    unborn = Person.objects.create(given_name="Baby", family_name="Testchild")
    with pytest.raises(ValidationError) as caught:
        _record(worker, unborn, D(1850, 1, 1))
    assert caught.value.message_dict == {
        "event_date": ["The date of the event must be in 1900 or later"]
    }


def test_a_child_born_on_29_february_has_a_year_before(make_user: Callable[..., User]) -> None:
    worker = make_user(Role.SOCIAL_WORKER)
    leap = Person.objects.create(
        given_name="Leap", family_name="Testchild", date_of_birth=D(2016, 2, 29)
    )
    assert _record(worker, leap, D(2015, 2, 28)).event_date == D(2015, 2, 28)
    with pytest.raises(ValidationError, match="after the year before the child was born"):
        _record(worker, leap, D(2015, 2, 27))


def test_adding_one_needs_the_permission_to_record_notes(
    make_user: Callable[..., User],
) -> None:
    child = Person.objects.create(
        given_name="Ada", family_name="Testchild", date_of_birth=D(2015, 6, 1)
    )
    with pytest.raises(PermissionDenied):
        _record(make_user(Role.ANALYST), child, D(2024, 2, 14))
    assert not AgencyEvent.objects.exists()
