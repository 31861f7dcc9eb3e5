"""Fixtures for the looked-after tests: a social worker, an IRO, an allocated child."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Role
from caseline.apps.lookedafter import actions
from caseline.apps.lookedafter.actions import PlacementDetails
from caseline.apps.lookedafter.models import Episode
from caseline.apps.people.models import Allocation, Person

START = datetime.date(2025, 1, 6)  # a Monday


@pytest.fixture
def team(db: None) -> Team:
    return Team.objects.create(name="Children in Care West", service=Team.Service.LOOKED_AFTER)


@pytest.fixture
def worker(make_user: Callable[..., User], team: Team) -> User:
    return make_user(Role.SOCIAL_WORKER, username="worker", first_name="Wren", team=team)


@pytest.fixture
def iro(make_user: Callable[..., User]) -> User:
    return make_user(Role.IRO, username="iro", first_name="Indra", last_name="Reviewer")


@pytest.fixture
def make_child(team: Team, worker: User) -> Callable[..., Person]:
    def make(given: str = "Ada", dob: datetime.date = datetime.date(2012, 5, 1)) -> Person:
        child = Person.objects.create(given_name=given, family_name="Testchild", date_of_birth=dob)
        Allocation.objects.create(person=child, team=team, worker=worker, start_date=START)
        return child

    return make


@pytest.fixture
def child(make_child: Callable[..., Person]) -> Person:
    return make_child()


def foster(**overrides: Any) -> PlacementDetails:
    values: dict[str, Any] = {
        "placement_type": "U6",
        "placement_provider": "PR1",
        "placement_postcode": "ab1 2cd",
        "carer_name": "Carer household Alpha",
        "ofsted_urn": "",
        "area": Episode.Area.IN,
    }
    values.update(overrides)
    return PlacementDetails(**values)


@pytest.fixture
def in_care(child: Person, worker: User, iro: User) -> Episode:
    """Ada looked after from START in foster care on an interim care order, with an IRO."""
    episode = actions.start_period_of_care(
        acting_user=worker, child=child, start_date=START, legal_status="C1", placement=foster()
    )
    actions.allocate_iro(acting_user=worker, child=child, iro=iro, start_date=START)
    return episode
