from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.people import actions
from caseline.apps.people.duplicates import probable_duplicates
from caseline.apps.people.models import Allocation, Person
from caseline.apps.people.names import normalise_name, phonetic, similarity
from caseline.apps.people.queries import visible_among, visible_people
from caseline.apps.people.search import SearchCriteria, dob_score, name_score, search_people

pytestmark = pytest.mark.django_db
MakePerson = Callable[..., Person]
DOB = datetime.date(2014, 2, 3)


def names(results: list) -> list[str]:  # type: ignore[type-arg]
    return [r.person.full_name for r in results]


def test_names_are_normalised_and_phonetic() -> None:
    assert normalise_name("  Zoë  O'Brien-Smyth ") == "zoe obrien smyth"
    assert phonetic("Smith") == phonetic("Smyth") == "SM0"
    assert phonetic("") == ""
    assert similarity("jon", "john") > 0.9
    assert similarity("", "john") == 0.0
    assert similarity("smiht", "smith") >= 0.9  # one swapped pair
    assert similarity("priya", "john") < 0.8


def test_typos_find_the_right_person_first(front_door: User, make_person: MakePerson) -> None:
    make_person("John", "Smith", date_of_birth=DOB)
    make_person("Joan", "Smithers", date_of_birth=datetime.date(2011, 1, 1))
    make_person("Priya", "Example")
    results = search_people(front_door, SearchCriteria(name="Jon Smyth"))
    assert names(results)[0] == "John Smith"
    assert "Priya Example" not in names(results)
    assert names(search_people(front_door, SearchCriteria(name="Smith John")))[0] == "John Smith"
    assert names(search_people(front_door, SearchCriteria(name="smyth")))[0] == "John Smith"


def test_other_names_and_preferred_names_are_searched(
    front_door: User, make_person: MakePerson
) -> None:
    person = make_person("Ada", "Testperson", preferred_name="Addie")
    actions.add_other_name(
        acting_user=front_door, person=person, kind="previous", family_name="Kowalski"
    )
    assert names(search_people(front_door, SearchCriteria(name="Ada Kowalsky"))) == [
        "Ada Testperson"
    ]
    assert names(search_people(front_door, SearchCriteria(name="Addie Testperson"))) == [
        "Ada Testperson"
    ]


def test_search_by_dob_identifiers_and_postcode(front_door: User, make_person: MakePerson) -> None:
    a = make_person(
        "John", "Smith", date_of_birth=DOB, nhs_number="9990000018", upn="A801200120001"
    )
    b = make_person("Priya", "Example", date_of_birth=datetime.date(2014, 3, 2))
    actions.add_address(
        acting_user=front_door,
        person=b,
        line_1="1 Test St",
        postcode="M1 1AE",
        start_date=datetime.date(2020, 1, 1),
    )
    assert names(search_people(front_door, SearchCriteria(date_of_birth=DOB))) == ["John Smith"]
    assert names(search_people(front_door, SearchCriteria(identifier="999 000 0018"))) == [
        "John Smith"
    ]
    assert names(search_people(front_door, SearchCriteria(identifier="a801200120001"))) == [
        "John Smith"
    ]
    assert names(search_people(front_door, SearchCriteria(identifier=a.caseline_id))) == [
        "John Smith"
    ]
    assert search_people(front_door, SearchCriteria(identifier="1234567890")) == []
    [result] = search_people(front_door, SearchCriteria(postcode="m11ae"))
    assert result.person == b
    assert result.current_address is not None
    assert result.current_address.postcode == "M1 1AE"
    # Name and a date of birth with day and month swapped still finds, ranked lower.
    [swapped] = search_people(front_door, SearchCriteria(name="Priya Example", date_of_birth=DOB))
    assert swapped.person == b
    assert swapped.score < 1
    assert "similar date of birth" in swapped.matched_on
    # Every criterion given must match.
    assert search_people(front_door, SearchCriteria(name="John Smith", postcode="M1 1AE")) == []
    assert search_people(front_door, SearchCriteria()) == []


def test_scores() -> None:
    assert dob_score(DOB, None) == 0
    assert dob_score(DOB, datetime.date(2015, 2, 3)) == 0.6
    assert dob_score(DOB, datetime.date(2010, 5, 9)) == 0
    assert name_score("ada", "", [("Ada", "Testperson")]) == 1.0


def test_merged_records_are_not_found(
    manager: User, front_door: User, make_person: MakePerson
) -> None:
    kept = make_person("John", "Smith")
    merged = make_person("John", "Smith")
    actions.merge_people(acting_user=manager, kept=kept, merged=merged, reason="Same")
    assert [r.person for r in search_people(front_door, SearchCriteria(name="John Smith"))] == [
        kept
    ]


def test_results_are_limited_to_fifty(front_door: User) -> None:
    Person.objects.bulk_create(
        Person(
            given_name="John",
            family_name="Smith",
            search_given="john",
            search_family="smith",
            phonetic_given="JN",
            phonetic_family="SM0",
        )
        for _ in range(60)
    )
    assert len(search_people(front_door, SearchCriteria(name="John Smith"))) == 50


def test_social_worker_sees_only_allocated_children_and_relatives(
    make_user: Callable[..., User],
    front_door: User,
    make_person: MakePerson,
    allocate: Callable[..., Allocation],
) -> None:
    worker = make_user(Role.SOCIAL_WORKER)
    mine = make_person("John", "Smith")
    parent = make_person("Mary", "Smith", date_of_birth=datetime.date(1990, 1, 1))
    make_person("Jon", "Smyth", date_of_birth=datetime.date(2012, 1, 1))
    actions.record_relationship(acting_user=front_door, person=parent, other=mine, kind="parent")
    allocate(mine, worker)
    assert set(visible_people(worker)) == {mine, parent}
    assert names(search_people(worker, SearchCriteria(name="Smith"))) == [
        "John Smith",
        "Mary Smith",
    ]
    assert len(search_people(front_door, SearchCriteria(name="Smith"))) == 3


def test_visible_among_answers_for_just_the_people_asked_about(
    make_user: Callable[..., User],
    front_door: User,
    make_person: MakePerson,
    allocate: Callable[..., Allocation],
    django_assert_num_queries: Any,
) -> None:
    worker = make_user(Role.SOCIAL_WORKER)
    mine, other, unasked = (make_person(n, "Smith") for n in ("John", "Jon", "Joan"))
    allocate(mine, worker)
    visible_among(worker, [mine.pk])  # reads the worker's permissions, once per request
    with django_assert_num_queries(1):
        assert visible_among(worker, [mine.pk, other.pk]) == {mine.pk}
    assert visible_among(front_door, [mine.pk, other.pk]) == {mine.pk, other.pk}
    assert unasked.pk not in visible_among(front_door, [mine.pk])
    with django_assert_num_queries(0):
        assert visible_among(worker, []) == set()


def test_probable_duplicates(make_person: MakePerson) -> None:
    a = make_person("John", "Smith", date_of_birth=DOB, upn="A801200120001")
    make_person("Joan", "Smithers", date_of_birth=DOB)
    assert probable_duplicates(given_name="Jon", family_name="Smyth", date_of_birth=DOB) == [a]
    assert probable_duplicates(given_name="X", family_name="Y", upn="A801200120001") == [a]
    assert (
        probable_duplicates(
            given_name="Jon", family_name="Smyth", date_of_birth=DOB, exclude_id=a.pk
        )
        == []
    )
    assert probable_duplicates(given_name="Jon", family_name="Smyth") == []


def test_typing_slips_and_part_matching(front_door: User, make_person: MakePerson) -> None:
    from caseline.apps.people.search import typing_slips

    assert "smith" in typing_slips("smiht")
    assert typing_slips("jo") == {"jo"}
    make_person("John", "Smith")
    make_person("John", "Worthington")
    assert names(search_people(front_door, SearchCriteria(name="Jonh Smiht"))) == ["John Smith"]
    assert name_score("john", "smith", [("John", "Worthington")]) < 0.75


def test_visibility_by_team_and_without_permission(
    make_user: Callable[..., User], make_person: MakePerson, allocate: Callable[..., Allocation]
) -> None:
    from caseline.apps.people.models import Allocation as AllocationModel

    child = make_person()
    allocation = allocate(child, None)
    colleague = make_user(Role.SOCIAL_WORKER, team=allocation.team)
    admin = make_user(Role.ADMINISTRATOR)
    assert list(visible_people(colleague)) == [child]
    assert list(visible_people(admin)) == []
    AllocationModel.objects.filter(pk=allocation.pk).update(end_date=datetime.date(2026, 2, 1))
    assert list(visible_people(colleague)) == []


def test_a_contribution_registers_once_with_its_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    from caseline.apps.people import contribution
    from caseline.apps.timescales.rules import CATALOGUE

    rule = CATALOGUE.get("cin-visit")

    # In the name of an installed app with no contribution of its own.
    visits = contribution.RecordContribution(app_label="genogram", timescale_rules=(rule,))
    monkeypatch.setattr(contribution, "_registered", {})
    contribution.register_contribution(visits)
    contribution.register_contribution(visits)
    assert contribution.contributions() == [visits]
    assert CATALOGUE.get("cin-visit") is rule
    clash = dataclasses.replace(
        visits, timescale_rules=(dataclasses.replace(rule, title="Another title"),)
    )
    with pytest.raises(ValueError, match="already registered"):
        contribution.register_contribution(clash)
    assert contribution.contributions() == [visits]
    assert CATALOGUE.get("cin-visit") is rule


def test_name_search_columns_keep_fine_statistics_on_postgresql() -> None:
    """Migration people.0003: without it PostgreSQL read the whole register for a name's
    typing slips."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("statistics targets are a PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, attstattarget FROM pg_attribute "
            "WHERE attrelid = 'people_person'::regclass AND attname LIKE ANY (%s)",
            [["search_%", "phonetic_%"]],
        )
        targets = dict(cursor.fetchall())
    assert targets == {
        "search_given": 250,
        "search_family": 250,
        "phonetic_given": 250,
        "phonetic_family": 250,
    }
