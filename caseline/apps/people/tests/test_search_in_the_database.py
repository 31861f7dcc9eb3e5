"""Search asks the database, and keeps no names (ADR 0019): names of several words, names with
emoji, and the indexes that find a word inside a longer name on each database."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest
from django.db import connection

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.people import names, search
from caseline.apps.people.models import Allocation, Person
from caseline.apps.people.search import NameMatcher, SearchCriteria, search_people

pytestmark = pytest.mark.django_db
MakePerson = Callable[..., Person]


def found(user: User, name: str) -> list[str]:
    return [r.person.full_name for r in search_people(user, SearchCriteria(name=name))]


def test_a_double_barrelled_name_is_found_by_either_part(
    front_door: User, make_person: MakePerson
) -> None:
    make_person("Siobhán", "O'Neill-Brown")
    make_person("Mary", "Brown")
    make_person("Peter", "Oneil")
    siobhan = "Siobhán O'Neill-Brown"
    assert found(front_door, "O'Neill-Brown") == [siobhan]
    assert found(front_door, "Brown") == ["Mary Brown", siobhan]
    assert found(front_door, "Siobhan Brown") == [siobhan]
    assert found(front_door, "Siobhan O'Neill-Brown") == [siobhan]
    assert found(front_door, "Siobhan O'Neill Brown") == [siobhan]
    assert siobhan in found(front_door, "O Neill")
    assert found(front_door, "Siobahn Brwon") == [siobhan]  # a slip in each part


def test_a_name_with_an_emoji_is_found_by_its_first_name(
    front_door: User, make_person: MakePerson
) -> None:
    make_person("Lily 🌸 Rose", "Adeyemi")
    make_person("Mo 😀 Ali", "Patel")
    make_person("Amara🌟", "Okafor")
    assert found(front_door, "Lily") == ["Lily 🌸 Rose Adeyemi"]
    assert found(front_door, "Rose Adeyemi") == ["Lily 🌸 Rose Adeyemi"]
    assert found(front_door, "Mo") == ["Mo 😀 Ali Patel"]
    assert found(front_door, "Mo Patel") == ["Mo 😀 Ali Patel"]
    assert found(front_door, "Amara") == ["Amara🌟 Okafor"]
    assert found(front_door, "Amara🌟 Okafor") == ["Amara🌟 Okafor"]


def test_several_typed_words_are_not_read_as_one_long_name(
    front_door: User, make_person: MakePerson
) -> None:
    """Compared as one string, "mohammed wrenwick" is like "mohammed" (Jaro-Winkler rewards
    the shared beginning): the words are compared word by word instead."""
    make_person("Mohammed", "Ali")
    make_person("Mohammed Ali", "Khan")
    assert found(front_door, "Mohammed Wrenwick") == []
    assert found(front_door, "Mohammed Ali") == ["Mohammed Ali", "Mohammed Ali Khan"]
    matcher = NameMatcher()
    assert matcher.alike("mohammed wrenwick", "mohammed") == 0.0
    assert matcher.alike("mohammed wrenwick", "mohammed ali") < search.NAME_MATCH


def test_on_postgresql_a_misspelt_long_word_inside_a_name_is_found(
    front_door: User, make_person: MakePerson
) -> None:
    """pg_trgm's similarity forgives what SQLite's LIKE cannot: a slip inside a long word."""
    make_person("Aoife", "Smith-Fitzgerald")
    assert found(front_door, "Fitzgerald") == ["Aoife Smith-Fitzgerald"]
    expected = ["Aoife Smith-Fitzgerald"] if connection.vendor == "postgresql" else []
    assert found(front_door, "Fitzgerlad") == expected


def test_a_long_typed_name_keeps_its_first_four_words_and_its_last(
    front_door: User, make_person: MakePerson
) -> None:
    make_person("Maria", "Santos")
    assert found(front_door, "Maria da Graça de Jesus dos Santos") == ["Maria Santos"]
    matcher = NameMatcher()
    assert search.typed_words("a b c d e f g", matcher) == ["a", "b", "c", "d", "g"]
    assert search.typed_name_score([], [("Maria", "Santos")], matcher) == 0.0


def test_visibility_still_applies_to_names_found_inside_longer_names(
    make_user: Callable[..., User],
    make_person: MakePerson,
    allocate: Callable[..., Allocation],
) -> None:
    worker = make_user(Role.SOCIAL_WORKER)
    mine = make_person("Siobhán", "O'Neill-Brown")
    make_person("Aoife", "O'Neill-Brown")
    allocate(mine, worker)
    assert found(worker, "Brown") == ["Siobhán O'Neill-Brown"]


def _caches(module: ModuleType) -> list[str]:
    return [name for name, value in vars(module).items() if hasattr(value, "cache_info")]


def test_no_names_are_kept_between_searches(front_door: User, make_person: MakePerson) -> None:
    """No process-wide cache of names: each search remembers spellings for itself only."""
    make_person("Zainab", "Okonkwo")
    assert found(front_door, "Zainab Okonkwo") == ["Zainab Okonkwo"]
    assert _caches(names) == []
    assert _caches(search) == []
    matcher = NameMatcher()
    assert matcher.normalised("Zoë") == "zoe"
    assert NameMatcher()._normalised == {}


def test_typing_slips_go_to_the_database_as_one_value(
    front_door: User, make_person: MakePerson
) -> None:
    """A word's few hundred one-slip spellings are one parameter, not one each."""
    make_person("Jonathan", "Smith")
    parameters: list[int] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        parameters.append(len(params or ()))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        assert found(front_door, "Jonahtan Smiht") == ["Jonathan Smith"]
    assert parameters
    # With ``__in``, "jonahtan" alone was over 400 parameters; the user's id is a few of them
    # (visibility, and restrictions naming them or broken by them).
    assert max(parameters) < 30


def _plan(queryset: Any) -> str:
    sql, params = queryset.values_list("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # a few rows: ask for the index
            cursor.execute(f"EXPLAIN {sql}", params)
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


def test_words_inside_longer_names_are_read_from_the_partial_indexes(
    make_person: MakePerson,
) -> None:
    make_person("Siobhán", "O'Neill-Brown")
    inside = search._inside_names(Person.objects.all(), ["brown"])
    assert sorted(inside.values_list("family_name", flat=True)) == ["O'Neill-Brown"]
    plan = _plan(inside)
    assert "person_given_words_idx" in plan
    assert "person_family_words_idx" in plan
    if connection.vendor == "postgresql":
        assert "%" in plan  # pg_trgm's similarity, answered by the trigram index
    else:
        assert "SCAN people_person USING COVERING INDEX person_family_words_idx" in plan


def test_the_indexes_on_names_of_several_words() -> None:
    """Migration people.0006: trigram (GIN) indexes on PostgreSQL, plain ones on SQLite, both
    holding only names with a space."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'")
            assert cursor.fetchall() == [("pg_trgm",)]
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes "
                "WHERE indexname LIKE 'person_%%_words_idx'"
            )
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE name LIKE 'person_%_words_idx'"
            )
        indexes = dict(cursor.fetchall())
    assert set(indexes) == {"person_given_words_idx", "person_family_words_idx"}
    for definition in indexes.values():
        if connection.vendor == "postgresql":
            assert "gin_trgm_ops" in definition
            assert "strpos" in definition
        else:
            assert "instr" in definition


def test_a_name_found_by_its_date_of_birth_without_search_keys_is_still_scored(
    front_door: User,
) -> None:
    """People written without the actions' search keys are scored from their names."""
    Person.objects.create(
        given_name="Ada", family_name="Lovelace", date_of_birth=datetime.date(2015, 12, 10)
    )
    criteria = SearchCriteria(name="Ada Lovelace", date_of_birth=datetime.date(2015, 12, 10))
    [result] = search_people(front_door, criteria)
    assert result.name_score == 1.0
