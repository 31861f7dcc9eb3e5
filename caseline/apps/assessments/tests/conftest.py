"""Fixtures for assessment tests: a team, its worker and manager, a referred child."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Role
from caseline.apps.assessments import actions
from caseline.apps.assessments.models import Assessment
from caseline.apps.people.models import Person
from tests.factories import ChildFactory, TeamFactory

REFERRAL_DATE = datetime.date(2025, 1, 6)
START_DATE = datetime.date(2025, 1, 7)
ON_TIME = datetime.date(2025, 2, 3)

COMPLETE: dict[str, Any] = {
    "child_seen": True,
    "child_seen_alone": True,
    "date_child_seen": datetime.date(2025, 1, 14),
    "child_views": "Zara drew her three houses: she wants her dad to stop shouting.",
    "child_views_method": Assessment.ViewsMethod.DRAWING,
    "parents_views": "Mum wants support with routines.",
    "identity": "Zara is bilingual; the family attend their church weekly.",
    "family_history": "Two earlier contacts about arguments at home.",
    "risk_factors": "Shouting late at night; Zara is tired at school.",
    "protective_factors": "Grandmother nearby; Zara attends school every day.",
    "analysis": "Needs are met in part; without support the stress is likely to grow.",
    "outcome": Assessment.Outcome.CIN_PLAN,
    "recommendation": "Child in need plan with parenting support.",
    "factors": ["3B", "4B"],
}


@pytest.fixture
def team(db: None) -> Team:
    return TeamFactory.create(name="Assessment Team Test", service=Team.Service.ASSESSMENT)


@pytest.fixture
def other_team(db: None) -> Team:
    return TeamFactory.create(name="Assessment Team Other", service=Team.Service.ASSESSMENT)


@pytest.fixture
def worker(make_user: Callable[..., User], team: Team) -> User:
    return make_user(
        Role.SOCIAL_WORKER, username="aw.worker", first_name="Ash", last_name="Worker", team=team
    )


@pytest.fixture
def manager(make_user: Callable[..., User], team: Team) -> User:
    return make_user(
        Role.TEAM_MANAGER,
        username="am.manager",
        first_name="Mo",
        last_name="Manager",
        team=team,
        manages=team,
    )


@pytest.fixture
def make_child(db: None, worker: User) -> Callable[..., Person]:
    """A child with an open referral, allocated to ``team`` (or another one)."""

    def make(
        given: str = "Zara",
        *,
        team: Team | None = None,
        referral_date: datetime.date = REFERRAL_DATE,
    ) -> Person:
        return ChildFactory.create(
            given_name=given,
            date_of_birth=datetime.date(2016, 3, 1),
            team=team,
            allocated_on=referral_date,
            referral_date=referral_date,
            opened_by=worker,
        )

    return make


@pytest.fixture
def child(make_child: Callable[..., Person], team: Team) -> Person:
    return make_child(team=team)


@pytest.fixture
def assessment(worker: User, child: Person) -> Assessment:
    return actions.start_assessment(acting_user=worker, child=child, start_date=START_DATE)


# The manager's comment when they authorise (management oversight of the decision).
COMMENT = "The analysis weighs the shouting against the grandmother's support: a plan is right."


def fill(assessment: Assessment, user: User, **overrides: Any) -> Assessment:
    values = {**COMPLETE, **overrides}
    return actions.save_assessment(
        acting_user=user, assessment=assessment, read_version=assessment.version, values=values
    )


@pytest.fixture
def submitted(assessment: Assessment, worker: User) -> Assessment:
    fill(assessment, worker)
    return actions.submit_assessment(acting_user=worker, assessment=assessment)
