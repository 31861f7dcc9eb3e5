"""Fixtures for the people tests."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Role
from caseline.apps.people import actions
from caseline.apps.people.models import Allocation, Person
from tests.factories import AllocationFactory, TeamFactory


@pytest.fixture
def front_door(make_user: Callable[..., User]) -> User:
    return make_user(Role.FRONT_DOOR, username="fd")


@pytest.fixture
def manager(make_user: Callable[..., User]) -> User:
    return make_user(Role.TEAM_MANAGER, username="tm")


@pytest.fixture
def make_person(front_door: User) -> Callable[..., Person]:
    """Add a person through the action (duplicate check skipped)."""

    def make(given: str = "Ada", family: str = "Testperson", **values: Any) -> Person:
        values.setdefault("date_of_birth", datetime.date(2015, 3, 27))
        return actions.create_person(
            acting_user=front_door,
            given_name=given,
            family_name=family,
            confirmed_not_duplicate=True,
            **values,
        )

    return make


@pytest.fixture
def team(db: None) -> Team:
    return TeamFactory.create(name="Assessment Team Test", service=Team.Service.ASSESSMENT)


@pytest.fixture
def allocate(team: Team) -> Callable[..., Allocation]:
    def allocate(person: Person, worker: User | None) -> Allocation:
        return AllocationFactory.create(
            person=person, team=team, worker=worker, start_date=datetime.date(2026, 1, 5)
        )

    return allocate
