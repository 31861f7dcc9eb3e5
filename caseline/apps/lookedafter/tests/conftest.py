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
from caseline.apps.lookedafter.models import Episode, PlacementProvider
from caseline.apps.people.models import Person
from caseline.apps.returns.rules.ssda903_placements import NO_URN_TYPES
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
    """A foster placement given as typed details (as an importer gives them), with the
    fostering service's URN; tests of the register pass ``provider``."""
    values: dict[str, Any] = {
        "placement_type": "U6",
        "placement_provider": "PR1",
        "placement_postcode": "ab1 2cd",
        "carer_name": "Carer household Alpha",
        "ofsted_urn": "SC100001",
        "area": Episode.Area.IN,
    }
    values.update(overrides)
    if values["placement_type"] in NO_URN_TYPES and "ofsted_urn" not in overrides:
        values["ofsted_urn"] = ""  # a placement with parents, or a temporary one, has none
    return PlacementDetails(**values)


@pytest.fixture
def in_care(child: Person, worker: User, iro: User) -> Episode:
    """Ada looked after from START in foster care on an interim care order, with an IRO."""
    episode = actions.start_period_of_care(
        acting_user=worker, child=child, start_date=START, legal_status="C1", placement=foster()
    )
    actions.allocate_iro(acting_user=worker, child=child, iro=iro, start_date=START)
    return episode


@pytest.fixture
def fostering_service(worker: User) -> PlacementProvider:
    """The council's own fostering service, in the register of providers."""
    return PlacementProvider.objects.create(
        name="Northshire Fostering Service",
        ofsted_urn="SC100002",
        postcode="AB1 9ZZ",
        provider_type="PR1",
        recorded_by=worker,
    )


@pytest.fixture
def childrens_home(worker: User) -> PlacementProvider:
    """A private children's home, in the register of providers."""
    return PlacementProvider.objects.create(
        name="Larch House",
        ofsted_urn="SC123456",
        postcode="CD3 4EF",
        provider_type="PR4",
        placement_types=["K2"],
        recorded_by=worker,
    )
