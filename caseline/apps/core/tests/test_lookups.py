"""``any_of``: the same rows as ``__in``, with the ids sent as one value on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caseline.apps.accounts.models import Team
from caseline.apps.people.models import Allocation, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def people() -> list[Person]:
    return [Person.objects.create(given_name=f"Any{n}", family_name="Of") for n in range(5)]


def test_the_same_people_as_in(people: list[Person]) -> None:
    wanted = [people[0].pk, people[3].pk, people[4].pk]
    found = set(Person.objects.filter(pk__any_of=wanted).values_list("pk", flat=True))
    assert found == set(Person.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    assert found == set(wanted)


def test_ids_that_match_no_one_and_repeated_ids(people: list[Person]) -> None:
    missing = max(p.pk for p in people) + 1000
    ids = [people[1].pk, people[1].pk, missing]
    assert list(Person.objects.filter(pk__any_of=ids)) == [people[1]]


def test_no_ids_match_nothing_without_asking_the_database(people: list[Person]) -> None:
    with CaptureQueriesContext(connection) as queries:
        assert list(Person.objects.filter(pk__any_of=[])) == []
    assert len(queries) == 0


def test_excluding_keeps_everyone_else(people: list[Person]) -> None:
    others = Person.objects.exclude(pk__any_of=[people[0].pk]).values_list("pk", flat=True)
    assert set(others) == {p.pk for p in people[1:]}


def test_on_a_foreign_key(people: list[Person]) -> None:
    team = Team.objects.create(name="Any of team")
    for person in people[:3]:
        Allocation.objects.create(person=person, team=team, start_date="2026-01-05")
    chosen = Allocation.objects.filter(person_id__any_of=[people[0].pk, people[2].pk])
    assert {a.person_id for a in chosen} == {people[0].pk, people[2].pk}
    through_relation = Allocation.objects.filter(person__any_of=[people[1].pk])
    assert [a.person_id for a in through_relation] == [people[1].pk]


@pytest.mark.parametrize("bad", ["123", 12, [1, "2"], [1.5], [True]])
def test_anything_but_a_list_of_whole_numbers_is_refused(bad: object) -> None:
    with pytest.raises(TypeError, match="any_of"):
        Person.objects.filter(pk__any_of=bad)


def test_the_ids_are_one_value_on_postgresql(people: list[Person]) -> None:
    ids = [p.pk for p in people]
    sql, params = Person.objects.filter(pk__any_of=ids).query.sql_with_params()
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql
        assert params == (ids,)
    else:
        assert " IN (" in sql
        assert params == tuple(ids)


# --- Strings ------------------------------------------------------------------------------------


def test_strings_find_the_same_people_as_in(people: list[Person]) -> None:
    for person, key in zip(people, ("ann", "bob", "ann", "cy", "dee"), strict=True):
        person.search_given = key
        person.save(update_fields=["search_given"])
    wanted = ["bob", "ann", "ann", "zed"]
    found = set(Person.objects.filter(search_given__any_of=wanted).values_list("pk", flat=True))
    assert found == set(Person.objects.filter(search_given__in=wanted).values_list("pk", flat=True))
    assert found == {people[0].pk, people[1].pk, people[2].pk}
    assert list(Person.objects.filter(search_given__any_of=["nobody"])) == []


def test_strings_are_one_value_whatever_their_order(people: list[Person]) -> None:
    sql, params = Person.objects.filter(
        search_given__any_of=["b", "a", "b"]
    ).query.sql_with_params()
    same, again = Person.objects.filter(search_given__any_of=["a", "b"]).query.sql_with_params()
    assert (sql, params) == (same, again)
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql
        assert params == (["a", "b"],)
    else:
        assert "json_each" in sql
        assert params == ('["a", "b"]',)
