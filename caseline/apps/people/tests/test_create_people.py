"""``create_people``, a family's people added together (a bulk import): the same people,
refusals and audit events as ``create_person`` one person at a time, their duplicates looked
for in one read of the record."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.models import AuditEvent
from caseline.apps.people import actions
from caseline.apps.people.duplicates import probable_duplicates
from caseline.apps.people.events import PeopleEvent
from caseline.apps.people.models import Person
from caseline.apps.people.search import _identifier_filter, _identifier_finds

pytestmark = pytest.mark.django_db
MakePerson = Callable[..., Person]
D = datetime.date

FAMILY: list[dict[str, Any]] = [
    {"given_name": "Maya", "family_name": "Brook", "date_of_birth": D(1990, 3, 4), "sex": "F"},
    {
        "given_name": " Ada ",
        "family_name": "Brook",
        "date_of_birth": D(2015, 6, 1),
        "upn": "a801200120001",
        "disabilities": ["HEAR"],
    },
    {"given_name": "Ben", "family_name": "Brook", "date_of_birth": D(2018, 1, 9)},
]
# Twins: the second is probably the first, once the first is on the record.
TWINS: list[dict[str, Any]] = [
    {"given_name": "Jon", "family_name": "Smith", "date_of_birth": D(2014, 2, 3)},
    {"given_name": "John", "family_name": "Smith", "date_of_birth": D(2014, 2, 3)},
]


def kept(after: tuple[int, int] = (0, 0)) -> list[Any]:
    """The people and their audit, in the order they were added (ids left out); only those
    after the person and event ids ``after``."""
    people = Person.objects.filter(pk__gt=after[0]).order_by("id")
    fields = [*actions.IDENTITY_FIELDS, *actions.SEARCH_KEY_FIELDS, "recorded_by_id"]
    events = AuditEvent.objects.filter(
        event_type=PeopleEvent.PERSON_CREATED, pk__gt=after[1]
    ).order_by("id")
    return [
        *({f: getattr(p, f) for f in fields} for p in people),
        *((e.new_values, e.extra, e.acting_user_id) for e in events),
    ]


def last_ids() -> tuple[int, int]:
    person = Person.objects.order_by("-id").first()
    event = AuditEvent.objects.order_by("-id").first()
    return (person.pk if person else 0, event.pk if event else 0)


def test_create_people_adds_and_audits_as_create_person_does(front_door: User) -> None:
    for values in FAMILY:
        actions.create_person(acting_user=front_door, **values)
    one_at_a_time = kept()
    Person.objects.all().delete()
    before = last_ids()
    made = actions.create_people(acting_user=front_door, people=FAMILY)
    assert kept(before) == one_at_a_time
    assert [p.given_name for p in made] == ["Maya", "Ada", "Ben"]


def test_the_duplicates_of_a_family_are_read_once(front_door: User) -> None:
    with CaptureQueriesContext(connection) as one_read:
        actions.create_people(acting_user=front_door, people=FAMILY)
    reads = [q["sql"] for q in one_read.captured_queries if "SELECT" in q["sql"]]
    assert sum('FROM "people_person"' in sql for sql in reads) == 1


def test_a_person_like_one_added_before_them_is_refused_by_their_index(
    front_door: User, make_person: MakePerson
) -> None:
    actions.create_person(acting_user=front_door, **TWINS[0])
    with pytest.raises(actions.ProbableDuplicates) as one:
        actions.create_person(acting_user=front_door, **TWINS[1])
    [first] = Person.objects.all()
    Person.objects.all().delete()
    with pytest.raises(actions.PersonRefused) as together:
        actions.create_people(acting_user=front_door, people=[FAMILY[0], *TWINS])
    assert together.value.index == 2
    assert isinstance(together.value.error, actions.ProbableDuplicates)
    assert together.value.messages == one.value.messages
    [match] = together.value.error.matches
    assert (match.given_name, match.date_of_birth) == (first.given_name, first.date_of_birth)
    assert not Person.objects.exists()


def test_a_person_already_on_the_record_is_found_as_the_one_row_check_finds_them(
    front_door: User, make_person: MakePerson
) -> None:
    existing = make_person("Ben", "Brooke", date_of_birth=D(2018, 1, 9))
    by_upn = make_person("Other", "Name", upn="A801200120001")
    assert probable_duplicates(given_name="Ada", family_name="Brook", upn="A801200120001") == [
        by_upn
    ]
    with pytest.raises(actions.PersonRefused) as together:
        actions.create_people(acting_user=front_door, people=[FAMILY[0], FAMILY[2]])
    assert together.value.index == 1
    assert together.value.error.matches == [existing]  # type: ignore[attr-defined]
    with pytest.raises(actions.PersonRefused) as together:
        actions.create_people(acting_user=front_door, people=FAMILY)
    assert together.value.index == 1
    assert together.value.error.matches == [by_upn]  # type: ignore[attr-defined]


def test_bad_details_are_refused_at_their_index_after_the_duplicates_before_them(
    front_door: User, make_person: MakePerson
) -> None:
    make_person("Maya", "Brook", date_of_birth=D(1990, 3, 4))
    unnamed = {**FAMILY[2], "given_name": " "}
    with pytest.raises(actions.PersonRefused) as caught:
        actions.create_people(acting_user=front_door, people=[FAMILY[1], unnamed])
    assert caught.value.index == 1
    assert isinstance(caught.value.error, ValidationError)
    assert caught.value.message_dict == {"given_name": ["Enter a first name"]}
    # Maya, first, is refused as a duplicate before Ben's missing name is reached.
    with pytest.raises(actions.PersonRefused) as caught:
        actions.create_people(acting_user=front_door, people=[FAMILY[0], unnamed])
    assert caught.value.index == 0
    assert Person.objects.count() == 1


def test_create_people_needs_the_permission_to_add_people(
    make_user: Callable[..., User],
) -> None:
    with pytest.raises(PermissionDenied):
        actions.create_people(acting_user=make_user(Role.ANALYST), people=FAMILY)
    assert not Person.objects.exists()


def test_the_duplicate_check_finds_by_identifier_whom_the_search_finds(
    make_person: MakePerson,
) -> None:
    """``_identifier_finds`` (on values read) agrees with ``_identifier_filter`` (the search's
    query): an NHS number, a UPN, a Caseline ID, and a UPN that reads as a Caseline ID."""
    by_nhs = make_person("Amir", "Testname", nhs_number="9990000018")
    make_person("Other", "Name", upn="A801200120001")
    p_upn = make_person("Pat", "Name")
    Person.objects.filter(pk=p_upn.pk).update(upn="P123456789012")
    everyone = list(Person.objects.all())
    for identifier in ("999 000 0018", "a801200120001", "P123456789012", f"P{by_nhs.pk}", "x"):
        query = _identifier_filter(identifier)
        assert query is not None
        found = set(Person.objects.filter(query))
        assert found == {
            p for p in everyone if _identifier_finds(identifier, p.pk, p.nhs_number, p.upn)
        }, identifier
