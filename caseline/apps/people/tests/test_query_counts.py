"""The record summary and the people search take a fixed number of queries, however long the
child's history and however many people could match: their cost must not grow with the
authority (docs/performance.md)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Role
from caseline.apps.chronology.tests.builders import Cast, build_child_with_every_event
from caseline.apps.people.models import Person
from caseline.apps.people.search import SearchCriteria, search_people

pytestmark = pytest.mark.django_db

SUMMARY_QUERIES = (
    53  # 41 on 23 November 2026: frame, read audit, every app's summary, badges, due work
    # (+2: private fostering and young carers, one query each for summary and badges;
    # +2: the read audit sealed into the audit chain; +2: allegations and complaints blocks;
    # +1: the restriction in force, for the frame's banner; +1: whether the education
    # service's records hold the child, for the special educational needs block)
)
SEARCH_QUERIES = 12  # seven indexed prefilters at most, the candidates, results and prefetches


@pytest.fixture
def cast(make_user: Callable[..., User]) -> Cast:
    team = Team.objects.create(name="Assessment Team Counts", service=Team.Service.ASSESSMENT)
    return Cast(
        front_door=make_user(Role.FRONT_DOOR, username="fd"),
        worker=make_user(Role.SOCIAL_WORKER, username="sw", team=team),
        manager=make_user(Role.TEAM_MANAGER, username="tm", team=team),
        team=team,
    )


def _summary_queries(client: Client, person: Person) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/people/{person.pk}/")
    assert response.status_code == 200
    return len(queries)


def test_the_summary_takes_the_same_queries_for_a_long_history(
    client: Client, cast: Cast, make_user: Callable[..., User]
) -> None:
    short, _ = build_child_with_every_event(cast, episodes=1)
    long, _ = build_child_with_every_event(cast, episodes=4)
    client.force_login(make_user(Role.ANALYST, username="analyst"))
    _summary_queries(client, short)  # the first request loads what every later one shares
    assert _summary_queries(client, long) == _summary_queries(client, short)
    assert _summary_queries(client, long) <= SUMMARY_QUERIES


def test_search_takes_a_fixed_number_of_queries_however_many_could_match(
    front_door: User, django_assert_max_num_queries: Any
) -> None:
    Person.objects.bulk_create(
        Person(
            given_name=given,
            family_name=family,
            preferred_name="Jack" if n == 0 else "",
            date_of_birth=datetime.date(2015, 1, 1 + n % 28),
            search_given=given.lower(),
            search_family=family.lower(),
            phonetic_given="JN",
            phonetic_family="SM0",
        )
        for n in range(120)
        for given, family in [("John" if n % 2 else "Jon", "Smith" if n % 3 else "Smyth")]
    )
    with django_assert_max_num_queries(SEARCH_QUERIES):
        results = search_people(front_door, SearchCriteria(name="Jonh Smiht"))
    assert len(results) == 50
    assert all(r.name_score >= 0.8 for r in results)
    # Reversed, and by a preferred name: still found, in the same bounded number of queries.
    with django_assert_max_num_queries(SEARCH_QUERIES):
        assert len(search_people(front_door, SearchCriteria(name="Smith John"))) == 50
    with django_assert_max_num_queries(SEARCH_QUERIES):
        found = search_people(front_door, SearchCriteria(name="Jack Smyth"))
    assert [r.person.preferred_name for r in found][:1] == ["Jack"]
