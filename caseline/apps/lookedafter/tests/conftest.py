"""Fixtures for the looked-after tests: an IRO and an allocated child (the social worker,
Wren, is the root conftest's, in this app's team)."""

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
from caseline.apps.people.models import Person
from tests.factories import ChildFactory, TeamFactory

START = datetime.date(2025, 1, 6)  # a Monday


@pytest.fixture
def team(db: None) -> Team:
    return TeamFactory.create(name="Children in Care West", service=Team.Service.LOOKED_AFTER)


@pytest.fixture
def iro(make_user: Callable[..., User]) -> User:
    return make_user(Role.IRO, username="iro", first_name="Indra", last_name="Reviewer")


@pytest.fixture
def make_child(team: Team, worker: User) -> Callable[..., Person]:
    def make(given: str = "Ada", dob: datetime.date = datetime.date(2012, 5, 1)) -> Person:
        return ChildFactory.create(
            given_name=given, date_of_birth=dob, team=team, worker=worker, allocated_on=START
        )

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
