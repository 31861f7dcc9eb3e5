"""Fixtures for the child in need tests: an allocated child and an open episode (the social
worker, Wren, is the root conftest's, in this app's team)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from caseline.apps.accounts.models import Team, User
from caseline.apps.cin import actions
from caseline.apps.cin.models import CINPlan, PlanOutcome
from caseline.apps.people.models import Person
from tests.factories import ChildFactory, TeamFactory

REFERRAL_DATE = datetime.date(2025, 1, 6)
PLAN_START = datetime.date(2025, 2, 3)
# How the plan meets Ada's identity needs, which agreeing or reviewing a plan asks for.
IDENTITY = "Ada's dad is Polish: the plan keeps her Saturday Polish school and her church."


@pytest.fixture
def team(db: None) -> Team:
    return TeamFactory.create(name="Children in Need East", service=Team.Service.CHILDREN_IN_NEED)


@pytest.fixture
def make_child(team: Team, worker: User) -> Callable[..., Person]:
    def make(given: str = "Ada", *, referral_date: datetime.date | None = REFERRAL_DATE) -> Person:
        return ChildFactory.create(
            given_name=given,
            date_of_birth=datetime.date(2016, 5, 1),
            team=team,
            worker=worker,
            referral_date=referral_date,
        )

    return make


@pytest.fixture
def child(make_child: Callable[..., Person]) -> Person:
    return make_child()


@pytest.fixture
def plan(child: Person, worker: User) -> CINPlan:
    return actions.start_plan(
        acting_user=worker,
        child=child,
        start_date=PLAN_START,
        child_views="Ada wants Mum to feel better and to go to school every day.",
        family_views="Mum agrees with the plan.",
        identity_needs=IDENTITY,
    )


@pytest.fixture
def outcome(plan: CINPlan, worker: User) -> PlanOutcome:
    return actions.add_outcome(
        acting_user=worker, plan=plan, outcome="Ada goes to school every day, on time."
    )


def smart(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "what": "Walk Ada to school each morning",
        "who": "Mum (Sarah)",
        "by_when": datetime.date(2025, 3, 3),
        "how_we_will_know": "School reports attendance above 95% for four weeks",
    }
    values.update(overrides)
    return values
