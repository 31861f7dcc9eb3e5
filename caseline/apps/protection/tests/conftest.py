"""Fixtures for child protection: a worker, a conference chair, an allocated child with an
open child in need episode, and helpers to take the child to a plan."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Role
from caseline.apps.people.models import Person
from caseline.apps.protection import actions
from caseline.apps.protection.models import (
    Agency,
    Conference,
    Participation,
    ProtectionPlan,
    Section47Enquiry,
    StrategyDiscussion,
    TransferIn,
)
from tests.factories import ChildFactory, TeamFactory

REFERRAL_DATE = datetime.date(2025, 4, 1)
STRATEGY_DAY = datetime.date(2025, 4, 10)  # a Thursday before Easter 2025
ICPC_DAY = datetime.date(2025, 5, 1)
# How the plan meets Ada's identity needs, which agreeing or reviewing a plan asks for.
IDENTITY = "Ada speaks Tamil at home: Mum has an interpreter at every meeting."


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour, 0), tzinfo=timezone.get_current_timezone()
    )


def everyone(
    participation: str = Participation.ATTENDED, **overrides: str
) -> dict[str, tuple[str, str]]:
    """Every agency taking part the same way, with per-agency overrides (police="absent")."""
    return {
        agency.value: (overrides.get(agency.value.replace("-", "_"), participation), "")
        for agency in Agency
    }


@pytest.fixture
def team(db: None) -> Team:
    return TeamFactory.create(name="Safeguarding East", service=Team.Service.CHILDREN_IN_NEED)


@pytest.fixture
def worker(make_user: Callable[..., User], team: Team) -> User:
    return make_user(
        Role.SOCIAL_WORKER, username="worker", first_name="Wren", last_name="Hale", team=team
    )


@pytest.fixture
def chair(make_user: Callable[..., User]) -> User:
    return make_user(Role.IRO, username="chair", first_name="Corin", last_name="Dale")


@pytest.fixture
def make_child(team: Team, worker: User) -> Callable[..., Person]:
    def make(given: str = "Ada", *, referral: bool = True) -> Person:
        return ChildFactory.create(
            given_name=given,
            date_of_birth=datetime.date(2012, 5, 1),
            team=team,
            worker=worker,
            referral_date=REFERRAL_DATE if referral else None,
        )

    return make


@pytest.fixture
def child(make_child: Callable[..., Person]) -> Person:
    return make_child()


def strategy_values(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "kind": StrategyDiscussion.Kind.MEETING,
        "held_at": at(STRATEGY_DAY),
        "participants": everyone(),
        "information_shared": "School saw bruising to Ada's arm. Police hold no recent call-outs.",
        "decision": "Joint section 47 enquiry; visit Ada at school today.",
        "rationale": "Unexplained injury to a child; reasonable cause to suspect harm.",
        "s47_decision": StrategyDiscussion.S47Decision.JOINT,
    }
    values.update(overrides)
    return values


def conference_values(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "conference_date": ICPC_DAY,
        "attendees": everyone(),
        "health_knows_child": True,
        "reports_shared": Conference.ReportsShared.YES,
        "child_participation": "Ada met the chair before and sent her views in a letter.",
        "family_participation": "Mum and Dad attended with an advocate.",
        "decision": Conference.Decision.PLAN,
        "rationale": "Ada is likely to suffer significant harm without a plan.",
        "category": "PHY",
        "outline_plan": "Parents to work with the family support service on safe care.",
        "identity_needs": IDENTITY,
    }
    values.update(overrides)
    return values


def awaiting_conference(
    child: Person, worker: User, day: datetime.date = STRATEGY_DAY
) -> Section47Enquiry:
    """A section 47 enquiry that concluded a conference is needed, and none held yet (for
    tests that build several children; the fixtures below build one)."""
    discussion = actions.record_strategy_discussion(
        acting_user=worker, child=child, **strategy_values(held_at=at(day))
    )
    return actions.complete_enquiry(
        acting_user=worker,
        enquiry=discussion.enquiry,
        outcome=Section47Enquiry.Outcome.CONFERENCE,
        completed_on=datetime.date(2025, 4, 24),
        outcome_note="Concerns substantiated.",
    )


def transferred_in(child: Person, worker: User, day: datetime.date) -> TransferIn:
    """We were told on ``day`` that the child, on a plan in Northshire, had moved here."""
    return actions.record_transfer_in(
        acting_user=worker, child=child, notified_on=day, from_authority="Northshire"
    )


def on_plan(child: Person, worker: User, chair_user: User) -> ProtectionPlan:
    """On a plan from an initial conference on ICPC_DAY chaired by ``chair_user``."""
    conference = actions.hold_initial_conference(
        acting_user=chair_user,
        child=child,
        enquiry=awaiting_conference(child, worker),
        lead_social_worker=worker,
        **conference_values(),
    )
    return ProtectionPlan.objects.get(conference=conference)


@pytest.fixture
def discussion(child: Person, worker: User) -> StrategyDiscussion:
    return actions.record_strategy_discussion(acting_user=worker, child=child, **strategy_values())


@pytest.fixture
def enquiry(discussion: StrategyDiscussion, worker: User) -> Section47Enquiry:
    return actions.complete_enquiry(
        acting_user=worker,
        enquiry=discussion.enquiry,
        outcome=Section47Enquiry.Outcome.CONFERENCE,
        completed_on=datetime.date(2025, 4, 24),
        outcome_note="Concerns substantiated.",
    )


@pytest.fixture
def conference(enquiry: Section47Enquiry, child: Person, chair: User, worker: User) -> Conference:
    return actions.hold_initial_conference(
        acting_user=chair,
        child=child,
        enquiry=enquiry,
        lead_social_worker=worker,
        **conference_values(),
    )


@pytest.fixture
def plan(conference: Conference) -> ProtectionPlan:
    return ProtectionPlan.objects.get(conference=conference)
