from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from caseline.apps.accounts.models import User
from caseline.apps.audit.events import EventType
from caseline.apps.audit.models import AuditEvent
from caseline.apps.core.concurrency import EditConflict
from caseline.apps.people import actions
from caseline.apps.people.events import PeopleEvent
from caseline.apps.people.models import (
    Address,
    Alert,
    Allocation,
    HouseholdMember,
    OtherName,
    Person,
    PersonMerge,
    Relationship,
)
from caseline.apps.people.queries import record_ids

pytestmark = pytest.mark.django_db
MakePerson = Callable[..., Person]


def events(event_type: str, person: Person) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event_type=event_type, subject_person_id=person.pk))


def test_create_person_keeps_search_keys_and_audits(front_door: User) -> None:
    person = actions.create_person(
        acting_user=front_door,
        given_name="  Zoë ",
        family_name="O'Brien-Smyth",
        date_of_birth=datetime.date(2016, 5, 1),
        nhs_number="999 000 0018",
        upn="a801200120001",
        ethnicity="WBRI",
        disabilities=["HEAR"],
        sex="F",
    )
    assert person.given_name == "Zoë"
    assert person.search_given == "zoe"
    assert person.search_family == "obrien smyth"
    assert person.phonetic_given == "S"
    assert person.phonetic_family.startswith("OBRN")
    assert person.nhs_number == "9990000018"
    assert person.upn == "A801200120001"
    assert person.recorded_by == front_door
    [event] = events(PeopleEvent.PERSON_CREATED, person)
    assert event.new_values["given_name"] == "Zoë"
    assert event.new_values["date_of_birth"] == "2016-05-01"
    assert event.acting_user == front_door


def test_create_person_refuses_probable_duplicate_until_confirmed(
    front_door: User, make_person: MakePerson
) -> None:
    existing = make_person("John", "Smith", date_of_birth=datetime.date(2014, 2, 3))
    with pytest.raises(actions.ProbableDuplicates) as raised:
        actions.create_person(
            acting_user=front_door,
            given_name="Jon",
            family_name="Smyth",
            date_of_birth=datetime.date(2014, 2, 3),
        )
    assert raised.value.matches == [existing]
    assert Person.objects.count() == 1
    second = actions.create_person(
        acting_user=front_door,
        given_name="Jon",
        family_name="Smyth",
        date_of_birth=datetime.date(2014, 2, 3),
        confirmed_not_duplicate=True,
    )
    assert events(PeopleEvent.PERSON_CREATED, second)[0].extra == {"confirmed_not_duplicate": True}


def test_same_nhs_number_is_a_duplicate_whatever_the_name(
    front_door: User, make_person: MakePerson
) -> None:
    existing = make_person("Amir", "Testname", nhs_number="9990000018")
    with pytest.raises(actions.ProbableDuplicates) as raised:
        actions.create_person(
            acting_user=front_door,
            given_name="Other",
            family_name="Person",
            nhs_number="9990000018",
        )
    assert raised.value.matches == [existing]


def test_different_dob_and_name_is_not_a_duplicate(
    front_door: User, make_person: MakePerson
) -> None:
    make_person("John", "Smith", date_of_birth=datetime.date(2014, 2, 3))
    person = actions.create_person(
        acting_user=front_door,
        given_name="Priya",
        family_name="Example",
        date_of_birth=datetime.date(2014, 2, 3),
    )
    assert person.pk


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"given_name": ""}, "given_name", "Enter a first name"),
        ({"family_name": " "}, "family_name", "Enter a last name"),
        ({"date_of_birth": datetime.date(2999, 1, 1)}, "date_of_birth", "today or in the past"),
        ({"nhs_number": "9990000019"}, "nhs_number", "check the digits"),
        ({"upn": "C801200120001"}, "upn", "check letter"),
        ({"ethnicity": "XXXX"}, "ethnicity", "listed options"),
        ({"religion": "XXXX"}, "religion", "listed options"),
        ({"sex": "Q"}, "sex", "Select the person's sex"),
        ({"disabilities": ["NONE", "HEAR"]}, "disabilities", "on its own"),
        ({"disabilities": ["BAD"]}, "disabilities", "listed options"),
        (
            {
                "date_of_birth": datetime.date(2015, 1, 1),
                "date_of_death": datetime.date(2014, 1, 1),
            },
            "date_of_death",
            "on or after the date of birth",
        ),
        ({"date_of_death": datetime.date(2999, 1, 1)}, "date_of_death", "today or in the past"),
        (
            {
                "date_of_birth": datetime.date(2015, 1, 1),
                "expected_date_of_birth": datetime.date(2027, 1, 1),
            },
            "expected_date_of_birth",
            "not both",
        ),
    ],
)
def test_create_person_validation(
    front_door: User, values: dict[str, Any], field: str, message: str
) -> None:
    data: dict[str, Any] = {"given_name": "Ada", "family_name": "Testperson", **values}
    with pytest.raises(ValidationError) as raised:
        actions.create_person(acting_user=front_door, **data)
    assert message in raised.value.message_dict[field][0]
    assert not Person.objects.exists()
    assert not AuditEvent.objects.filter(event_type=PeopleEvent.PERSON_CREATED).exists()


def test_create_person_rejects_unknown_fields(front_door: User) -> None:
    with pytest.raises(TypeError):
        actions.create_person(acting_user=front_door, given_name="A", family_name="B", bogus=1)
    with pytest.raises(TypeError):
        actions.update_person_identity(
            acting_user=front_door, person=Person(), read_version=1, bogus=1
        )


def test_update_identity_audits_changed_values_and_locks(
    front_door: User, make_person: MakePerson
) -> None:
    person = make_person("Ada", "Testperson")
    read = person.version
    actions.update_person_identity(
        acting_user=front_door,
        person=person,
        read_version=read,
        family_name="Newname",
        religion="NONE",
    )
    person.refresh_from_db()
    assert person.family_name == "Newname"
    assert person.search_family == "newname"
    assert person.phonetic_family == "NNM"
    assert person.version == read + 1
    [event] = events(PeopleEvent.IDENTITY_UPDATED, person)
    assert event.old_values == {"family_name": "Testperson", "religion": ""}
    assert event.new_values == {"family_name": "Newname", "religion": "NONE"}
    stale = Person.objects.get(pk=person.pk)
    with pytest.raises(EditConflict, match="changed by someone else"):
        actions.update_person_identity(
            acting_user=front_door, person=stale, read_version=read, given_name="Late"
        )
    person.refresh_from_db()
    assert person.given_name == "Ada"
    assert len(events(PeopleEvent.IDENTITY_UPDATED, person)) == 1


def test_other_name_is_searchable_and_validated(front_door: User, make_person: MakePerson) -> None:
    person = make_person()
    other = actions.add_other_name(
        acting_user=front_door, person=person, kind="previous", family_name="Smyth"
    )
    assert other.phonetic_family == "SM0"
    assert events(PeopleEvent.OTHER_NAME_ADDED, person)[0].new_values["family_name"] == "Smyth"
    with pytest.raises(ValidationError, match="first name or a last name"):
        actions.add_other_name(acting_user=front_door, person=person, kind="alias")
    with pytest.raises(ValidationError, match="kind of name"):
        actions.add_other_name(acting_user=front_door, person=person, kind="x", given_name="A")
    assert OtherName.objects.count() == 1


def test_add_address_normalises_postcode_and_ends_previous(
    front_door: User, make_person: MakePerson
) -> None:
    person = make_person()
    first = actions.add_address(
        acting_user=front_door,
        person=person,
        line_1="1 Test Street",
        postcode="sw1a1aa",
        start_date=datetime.date(2020, 1, 1),
    )
    assert first.postcode == "SW1A 1AA"
    assert first.postcode_search == "SW1A1AA"
    second = actions.add_address(
        acting_user=front_door,
        person=person,
        line_1="2 Example Road",
        postcode="M1 1AE",
        start_date=datetime.date(2024, 6, 1),
        end_previous=True,
    )
    first.refresh_from_db()
    assert first.end_date == datetime.date(2024, 6, 1)
    assert second.end_date is None
    ended = events(PeopleEvent.ADDRESS_ENDED, person)
    assert ended[0].new_values == {"end_date": "2024-06-01"}
    assert len(events(PeopleEvent.ADDRESS_ADDED, person)) == 2


def test_add_address_errors(front_door: User, make_person: MakePerson) -> None:
    person = make_person()
    actions.add_address(
        acting_user=front_door,
        person=person,
        line_1="1 A St",
        postcode="M1 1AE",
        start_date=datetime.date(2024, 1, 1),
    )
    with pytest.raises(ValidationError) as raised:
        actions.add_address(
            acting_user=front_door, person=person, line_1="", postcode="123", start_date=None
        )
    assert set(raised.value.message_dict) == {"line_1", "postcode", "start_date"}
    with pytest.raises(ValidationError) as raised:
        actions.add_address(
            acting_user=front_door,
            person=person,
            line_1="2 B St",
            postcode="M1 1AE",
            start_date=datetime.date(2023, 1, 1),
            end_previous=True,
        )
    assert (
        "on or after the start of the current address" in raised.value.message_dict["start_date"][0]
    )
    with pytest.raises(ValidationError) as raised:
        actions.add_address(
            acting_user=front_door,
            person=person,
            line_1="2 B St",
            postcode="M1 1AE",
            start_date=datetime.date(2025, 1, 1),
            end_date=datetime.date(2024, 1, 1),
        )
    assert "end_date" in raised.value.message_dict
    assert Address.objects.count() == 1


def test_contact_details(front_door: User, make_person: MakePerson) -> None:
    person = make_person()
    actions.add_contact_detail(
        acting_user=front_door, person=person, kind="phone", value="01632 960 001"
    )
    actions.add_contact_detail(
        acting_user=front_door, person=person, kind="email", value="a@example.com"
    )
    assert person.contact_details.count() == 2
    assert len(events(PeopleEvent.CONTACT_DETAIL_ADDED, person)) == 2
    with pytest.raises(ValidationError, match="correct format"):
        actions.add_contact_detail(
            acting_user=front_door, person=person, kind="email", value="nope"
        )
    with pytest.raises(ValidationError, match="phone number"):
        actions.add_contact_detail(acting_user=front_door, person=person, kind="phone", value="12")
    with pytest.raises(ValidationError, match="phone or email"):
        actions.add_contact_detail(acting_user=front_door, person=person, kind="fax", value="1")


def test_relationships(front_door: User, make_person: MakePerson) -> None:
    child = make_person("Ada", "Testperson")
    mother = make_person("Maria", "Testperson", date_of_birth=datetime.date(1990, 1, 1))
    rel = actions.record_relationship(
        acting_user=front_door,
        person=mother,
        other=child,
        kind="parent",
        has_parental_responsibility=True,
        lives_with=True,
        start_date=datetime.date(2015, 3, 27),
    )
    assert rel.has_parental_responsibility
    # Audited on both records.
    assert events(PeopleEvent.RELATIONSHIP_RECORDED, child)[0].new_values["kind"] == "parent"
    assert len(events(PeopleEvent.RELATIONSHIP_RECORDED, mother)) == 1
    with pytest.raises(ValidationError, match="themselves"):
        actions.record_relationship(
            acting_user=front_door, person=child, other=child, kind="sibling"
        )
    with pytest.raises(ValidationError, match="on or after the start date"):
        actions.record_relationship(
            acting_user=front_door,
            person=mother,
            other=child,
            kind="carer",
            start_date=datetime.date(2020, 1, 1),
            end_date=datetime.date(2019, 1, 1),
        )
    with pytest.raises(ValidationError, match="how they are related"):
        actions.record_relationship(acting_user=front_door, person=mother, other=child, kind="boss")
    assert Relationship.objects.count() == 1
    with pytest.raises(ValidationError, match="on or after the start date"):
        actions.end_relationship(
            acting_user=front_door, relationship=rel, end_date=datetime.date(2010, 1, 1)
        )
    with pytest.raises(ValidationError, match="Enter the date"):
        actions.end_relationship(acting_user=front_door, relationship=rel, end_date=None)
    actions.end_relationship(
        acting_user=front_door, relationship=rel, end_date=datetime.date(2025, 1, 1)
    )
    rel.refresh_from_db()
    assert rel.end_date == datetime.date(2025, 1, 1)
    assert len(events(PeopleEvent.RELATIONSHIP_ENDED, child)) == 1
    with pytest.raises(ValidationError, match="already ended"):
        actions.end_relationship(
            acting_user=front_door, relationship=rel, end_date=datetime.date(2025, 2, 1)
        )


def test_create_related_person_is_one_transaction(
    front_door: User, make_person: MakePerson
) -> None:
    child = make_person("Ada", "Testperson")
    father, rel = actions.create_related_person(
        acting_user=front_door,
        related_to=child,
        kind="parent",
        has_parental_responsibility=True,
        given_name="Tom",
        family_name="Testperson",
        date_of_birth=datetime.date(1988, 1, 1),
    )
    assert (rel.person, rel.other, rel.has_parental_responsibility) == (father, child, True)
    with pytest.raises(ValidationError):
        actions.create_related_person(
            acting_user=front_door,
            related_to=child,
            kind="nonsense",
            given_name="Sue",
            family_name="Unrelated",
            date_of_birth=datetime.date(1980, 1, 1),
        )
    assert not Person.objects.filter(given_name="Sue").exists()
    sibling, rel = actions.create_related_person(
        acting_user=front_door,
        related_to=child,
        kind="sibling",
        person_is_the_relative=False,
        given_name="Bo",
        family_name="Testperson",
        date_of_birth=datetime.date(2019, 1, 1),
    )
    assert (rel.person, rel.other) == (child, sibling)


def test_households_professionals_alerts(front_door: User, make_person: MakePerson) -> None:
    child = make_person()
    member = actions.add_household_member(
        acting_user=front_door, person=child, household_name="Test house"
    )
    assert member.household.name == "Test house"
    other = make_person("Bo", "Testperson")
    actions.add_household_member(acting_user=front_door, person=other, household=member.household)
    assert HouseholdMember.objects.filter(household=member.household).count() == 2
    with pytest.raises(ValidationError, match="already in this household"):
        actions.add_household_member(
            acting_user=front_door, person=other, household=member.household
        )
    assert (
        events(PeopleEvent.HOUSEHOLD_MEMBER_ADDED, child)[0].new_values["household_name"]
        == "Test house"
    )

    professional = actions.add_professional(
        acting_user=front_door,
        person=child,
        name="Dr Example",
        agency="Test Surgery",
        role="GP",
        email="gp@example.com",
    )
    assert professional.role == "GP"
    assert events(PeopleEvent.PROFESSIONAL_ADDED, child)[0].new_values["name"] == "Dr Example"
    with pytest.raises(ValidationError) as raised:
        actions.add_professional(
            acting_user=front_door, person=child, name="", agency="", role="", email="x"
        )
    assert set(raised.value.message_dict) == {"name", "agency", "role", "email"}

    alert = actions.add_alert(
        acting_user=front_door,
        person=child,
        text="Do not disclose address",
        start_date=datetime.date(2025, 1, 1),
    )
    assert events(PeopleEvent.ALERT_ADDED, child)[0].new_values["text"] == alert.text
    with pytest.raises(ValidationError) as raised:
        actions.add_alert(acting_user=front_door, person=child, text="", start_date=None)
    assert set(raised.value.message_dict) == {"text", "start_date"}
    with pytest.raises(ValidationError, match="on or after"):
        actions.add_alert(
            acting_user=front_door,
            person=child,
            text="x",
            start_date=datetime.date(2025, 1, 1),
            end_date=datetime.date(2024, 1, 1),
        )
    assert Alert.objects.count() == 1


def test_merge_moves_rows_across_apps_and_keeps_both(
    manager: User, front_door: User, make_person: MakePerson, allocate: Callable[..., Allocation]
) -> None:
    kept = make_person("John", "Smith")
    merged = make_person("Jon", "Smyth")
    parent = make_person("Maria", "Smith", date_of_birth=datetime.date(1990, 1, 1))
    earlier = make_person("Johnny", "Smith")
    actions.merge_people(acting_user=manager, kept=merged, merged=earlier, reason="Same child")
    rel = actions.record_relationship(
        acting_user=front_door, person=parent, other=merged, kind="parent"
    )
    between = actions.record_relationship(
        acting_user=front_door, person=kept, other=merged, kind="sibling"
    )
    address = actions.add_address(
        acting_user=front_door,
        person=merged,
        line_1="1 Test St",
        postcode="M1 1AE",
        start_date=datetime.date(2020, 1, 1),
    )
    allocation = allocate(merged, None)
    member = actions.add_household_member(acting_user=front_door, person=merged)
    AuditEvent.objects.create(
        event_type=str(EventType.CHILD_RECORD_VIEWED),
        subject_person_id=merged.pk,
        request_uuid="00000000-0000-0000-0000-000000000001",
    )

    merge = actions.merge_people(
        acting_user=manager, kept=kept, merged=merged, reason="Same child, typo"
    )

    for row in (rel, address, allocation, member):
        row.refresh_from_db()
    assert rel.other == kept
    assert address.person == kept
    assert allocation.person == kept
    assert member.person == kept
    between.refresh_from_db()
    assert (between.person, between.other) == (kept, merged)  # left: it links the two
    merged.refresh_from_db()
    earlier.refresh_from_db()
    assert merged.merged_into == kept
    assert earlier.merged_into == kept  # a record merged earlier follows
    assert Person.objects.filter(pk__in=[kept.pk, merged.pk]).count() == 2
    moved = merge.moved["moved"]
    assert moved["people.Address.person"] == [address.pk]
    assert moved["people.Allocation.person"] == [allocation.pk]
    assert moved["people.Relationship.other"] == [rel.pk]
    assert sorted(record_ids(kept)) == sorted([kept.pk, merged.pk, earlier.pk])
    # The merged record's audit events stay under its own id; both records get a merge event.
    assert AuditEvent.objects.filter(subject_person_id=merged.pk).count() > 1
    assert len(events(PeopleEvent.PERSON_MERGED, kept)) == 1
    assert len(events(PeopleEvent.PERSON_MERGED, merged)) == 2
    assert PersonMerge.objects.count() == 2


def test_merge_refusals(manager: User, make_person: MakePerson) -> None:
    a = make_person("Ada", "Testperson")
    b = make_person("Ada", "Testperson")
    with pytest.raises(ValidationError, match="two different records"):
        actions.merge_people(acting_user=manager, kept=a, merged=a, reason="x")
    with pytest.raises(ValidationError, match="why these records"):
        actions.merge_people(acting_user=manager, kept=a, merged=b, reason=" ")
    actions.merge_people(acting_user=manager, kept=a, merged=b, reason="Same")
    with pytest.raises(ValidationError, match="already been merged"):
        actions.merge_people(acting_user=manager, kept=a, merged=b, reason="Same")
    c = make_person("Ada", "Testperson")
    with pytest.raises(ValidationError, match="merged into another"):
        actions.merge_people(acting_user=manager, kept=b, merged=c, reason="Same")


def test_merge_leaves_rows_that_cannot_move_and_lists_them(
    manager: User, front_door: User, make_person: MakePerson, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import IntegrityError
    from django.db.models.query import QuerySet

    kept = make_person("John", "Smith")
    merged = make_person("Jon", "Smyth")
    first, second = (
        actions.add_address(
            acting_user=front_door,
            person=merged,
            line_1=f"{n} Test St",
            postcode="M1 1AE",
            start_date=datetime.date(2020, 1, n),
        )
        for n in (1, 2)
    )
    original_update = QuerySet.update

    def update(self: QuerySet[Any], **kwargs: Any) -> int:
        # Pretend a uniqueness rule refuses the bulk move and the move of the first address.
        if self.model is Address and "person" in kwargs:
            where = str(self.query)
            if " IN (" in where or f'"id" = {first.pk}' in where:
                raise IntegrityError("unique")
        return original_update(self, **kwargs)

    monkeypatch.setattr(QuerySet, "update", update)
    merge = actions.merge_people(acting_user=manager, kept=kept, merged=merged, reason="Same")
    assert merge.moved["moved"]["people.Address.person"] == [second.pk]
    assert merge.moved["not_moved"]["people.Address.person"] == [first.pk]
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.person, second.person) == (merged, kept)
