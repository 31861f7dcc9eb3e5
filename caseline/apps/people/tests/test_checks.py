"""People's actions check permissions and implausible dates before they write."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.people import actions
from caseline.apps.people.models import Address, Alert, Person

pytestmark = pytest.mark.django_db
MakePerson = Callable[..., Person]
D = datetime.date


def test_address_starting_in_9999_refused(front_door: User, make_person: MakePerson) -> None:
    person = make_person()
    with pytest.raises(ValidationError) as caught:
        actions.add_address(
            acting_user=front_door,
            person=person,
            line_1="1 Test Street",
            postcode="SW1A 1AA",
            start_date=D(9999, 1, 1),
        )
    assert caught.value.message_dict == {
        "start_date": ["The date they started living here must be within 5 years from today"]
    }
    assert not Address.objects.exists()


def test_address_before_the_person_was_born_refused(
    front_door: User, make_person: MakePerson
) -> None:
    person = make_person(date_of_birth=D(2015, 3, 27))
    with pytest.raises(ValidationError) as caught:
        actions.add_address(
            acting_user=front_door,
            person=person,
            line_1="1 Test Street",
            postcode="SW1A 1AA",
            start_date=D(2010, 1, 1),
        )
    assert "Ada's date of birth (27 March 2015)" in caught.value.message_dict["start_date"][0]


def test_identity_dates_must_be_plausible(front_door: User) -> None:
    with pytest.raises(ValidationError) as caught:
        actions.create_person(
            acting_user=front_door,
            given_name="Ada",
            family_name="Testperson",
            date_of_birth=D(1850, 1, 1),
            date_of_death=D(1851, 1, 1),
        )
    assert caught.value.message_dict == {
        "date_of_birth": ["Date of birth must be in 1900 or later"],
        "date_of_death": ["Date of death must be in 1900 or later"],
    }
    with pytest.raises(ValidationError) as caught:
        actions.create_person(
            acting_user=front_door,
            given_name="Baby",
            family_name="Testperson",
            expected_date_of_birth=D(9999, 1, 1),
        )
    assert caught.value.message_dict == {
        "expected_date_of_birth": ["Expected date of birth must be within 5 years from today"]
    }


def test_other_dates_refuse_1850(front_door: User, make_person: MakePerson) -> None:
    person, other = make_person(), make_person("Bo")
    with pytest.raises(ValidationError, match="1900 or later"):
        actions.add_alert(acting_user=front_door, person=person, text="x", start_date=D(1850, 1, 1))
    with pytest.raises(ValidationError, match="1900 or later"):
        actions.record_relationship(
            acting_user=front_door,
            person=person,
            other=other,
            kind="parent",
            start_date=D(1850, 1, 1),
        )
    with pytest.raises(ValidationError, match="1900 or later"):
        actions.add_household_member(
            acting_user=front_door, person=person, start_date=D(1850, 1, 1)
        )
    with pytest.raises(ValidationError, match="1900 or later"):
        actions.add_professional(
            acting_user=front_door,
            person=person,
            name="Dr Test",
            agency="GP",
            role="GP",
            start_date=D(1850, 1, 1),
        )
    alert = actions.add_alert(
        acting_user=front_door, person=person, text="x", start_date=D(2025, 1, 1)
    )
    with pytest.raises(ValidationError, match="within 5 years"):
        actions.end_alert(acting_user=front_door, alert=alert, end_date=D(9999, 1, 1))
    assert Alert.objects.get().end_date is None


def test_every_action_needs_its_permission(
    make_user: Callable[..., User], make_person: MakePerson, front_door: User
) -> None:
    reader = make_user(Role.QA_LEAD)  # reads records, changes none
    person, other = make_person(), make_person("Bo")
    address = actions.add_address(
        acting_user=front_door,
        person=person,
        line_1="1 Test Street",
        postcode="SW1A 1AA",
        start_date=D(2020, 1, 1),
    )
    alert = actions.add_alert(
        acting_user=front_door, person=person, text="x", start_date=D(2025, 1, 1)
    )
    relationship = actions.record_relationship(
        acting_user=front_door, person=person, other=other, kind="sibling"
    )
    edits: list[Callable[[User], object]] = [
        lambda user: actions.create_person(acting_user=user, given_name="A", family_name="B"),
        lambda user: actions.create_related_person(
            acting_user=user, related_to=person, kind="parent", given_name="A", family_name="B"
        ),
        lambda user: actions.update_person_identity(
            acting_user=user, person=person, read_version=person.version, given_name="Ann"
        ),
        lambda user: actions.add_other_name(
            acting_user=user, person=person, kind="alias", given_name="Annie"
        ),
        lambda user: actions.add_address(
            acting_user=user,
            person=person,
            line_1="2 Test Street",
            postcode="SW1A 1AA",
            start_date=D(2021, 1, 1),
        ),
        lambda user: actions.add_contact_detail(
            acting_user=user, person=person, kind="phone", value="01632 960 001"
        ),
        lambda user: actions.record_relationship(
            acting_user=user, person=person, other=other, kind="parent"
        ),
        lambda user: actions.end_relationship(
            acting_user=user, relationship=relationship, end_date=D(2025, 1, 1)
        ),
        lambda user: actions.add_household_member(acting_user=user, person=person),
        lambda user: actions.add_professional(
            acting_user=user, person=person, name="Dr Test", agency="GP", role="GP"
        ),
        lambda user: actions.add_alert(
            acting_user=user, person=person, text="y", start_date=D(2025, 1, 1)
        ),
        lambda user: actions.end_address(acting_user=user, address=address, end_date=D(2025, 1, 1)),
        lambda user: actions.end_alert(acting_user=user, alert=alert, end_date=D(2025, 2, 1)),
        lambda user: actions.merge_people(
            acting_user=user, kept=person, merged=other, reason="Same"
        ),
    ]
    for edit in edits:
        with pytest.raises(PermissionDenied):
            edit(reader)
    # A front door worker adds and changes people, but does not merge them.
    with pytest.raises(PermissionDenied):
        edits[-1](front_door)
