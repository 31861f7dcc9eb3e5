"""Fixtures for My work: a team, its workers and children in varied states."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Role
from caseline.apps.assessments.models import Assessment
from caseline.apps.cin.models import CINPlan, CINVisit, PlanReview
from caseline.apps.frontdoor.models import Contact, ContactPerson, Referral
from caseline.apps.people.models import Person
from caseline.apps.recording.models import (
    CaseNote,
    NoteType,
    Supervision,
    SupervisionAction,
)
from tests.factories import ChildFactory, TeamFactory

TODAY = datetime.date(2025, 6, 11)  # a Wednesday


def aware(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def team(db: None) -> Team:
    return TeamFactory.create(name="Children in Need West", service=Team.Service.CHILDREN_IN_NEED)


@pytest.fixture
def manager(make_user: Callable[..., User], team: Team) -> User:
    return make_user(
        Role.TEAM_MANAGER, username="tm", first_name="Tess", last_name="Manager", manages=team
    )


@pytest.fixture
def worker(make_user: Callable[..., User], team: Team) -> User:
    return make_user(
        Role.SOCIAL_WORKER, username="sw", first_name="Sam", last_name="Worker", team=team
    )


@pytest.fixture
def other_worker(make_user: Callable[..., User], team: Team) -> User:
    return make_user(
        Role.SOCIAL_WORKER, username="sw2", first_name="Olu", last_name="Other", team=team
    )


@pytest.fixture
def signed_in() -> Callable[[User], Client]:
    def sign_in(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def make_child(team: Team, worker: User) -> Callable[..., Person]:
    """A child with an open referral, allocated to ``worker`` unless told otherwise:
    ``allocated_to`` another user, "team" (no worker yet) or "nobody"."""
    counter = iter(range(1, 100_000))

    def make(
        given: str = "",
        *,
        allocated_to: User | str | None = None,
        referral_date: datetime.date | None = datetime.date(2025, 1, 6),
        allocated_on: datetime.date = datetime.date(2025, 1, 6),
    ) -> Person:
        n = next(counter)
        allocated_worker = allocated_to if isinstance(allocated_to, User) else worker
        return ChildFactory.create(
            given_name=given or f"Child{n}",
            family_name=f"Testchild{n:05d}",
            date_of_birth=datetime.date(2016, 5, 1),
            team=None if allocated_to == "nobody" else team,
            worker=None if allocated_to == "team" else allocated_worker,
            allocated_on=allocated_on,
            referral_date=referral_date,
            opened_by=worker,
        )

    return make


def add_plan(child: Person, user: User, start: datetime.date) -> CINPlan:
    referral = Referral.objects.get(person=child, closed_on__isnull=True)
    return CINPlan.objects.create(
        person=child, referral=referral, start_date=start, child_views="Views", recorded_by=user
    )


def add_visit(child: Person, user: User, day: datetime.date, seen: bool = True) -> CINVisit:
    return CINVisit.objects.create(
        person=child,
        visit_date=day,
        child_seen=seen,
        child_seen_alone=seen,
        purpose="Visit",
        observations="Observed",
        recorded_by=user,
    )


def add_review(plan: CINPlan, user: User, day: datetime.date) -> PlanReview:
    return PlanReview.objects.create(
        plan=plan,
        review_date=day,
        progress="Progress",
        child_views="Views",
        decision="continue",
        recorded_by=user,
    )


def add_assessment(
    child: Person, user: User, status: str, *, outcome: str = "", authorised_on: Any = None
) -> Assessment:
    referral = Referral.objects.filter(person=child).order_by("-referral_date").first()
    assert referral is not None
    return Assessment.objects.create(
        person=child,
        referral=referral,
        start_date=referral.referral_date,
        status=status,
        outcome=outcome,
        authorised_on=authorised_on,
        submitted_at=aware(datetime.date(2025, 2, 3)) if status != "draft" else None,
        submitted_by=user if status != "draft" else None,
        recorded_by=user,
    )


def add_contact(child: Person, user: User, received: datetime.date) -> Contact:
    contact = Contact.objects.create(
        received_at=aware(received),
        source="1A",
        concern="Concern",
        consent=Contact.Consent.GIVEN,
        recorded_by=user,
    )
    ContactPerson.objects.create(contact=contact, person=child)
    return contact


def add_supervision(
    child: Person, user: User, day: datetime.date, action_by: datetime.date | None = None
) -> Supervision:
    note = CaseNote.objects.create(
        person=child,
        note_type=NoteType.SUPERVISION,
        occurred_at=aware(day),
        recorded_by=user,
        title="Supervision",
    )
    supervision = Supervision.objects.create(
        note=note, supervisor=user, supervisee=user, objectives="Goals", contingency="Plan B"
    )
    if action_by is not None:
        SupervisionAction.objects.create(
            supervision=supervision,
            person=child,
            action="Visit school",
            owner="Sam",
            by_when=action_by,
        )
    return supervision


@pytest.fixture
def varied(make_child: Callable[..., Person], worker: User, manager: User) -> dict[str, Person]:
    """Children in different states, each giving a different set of due items."""
    plain = make_child("Plain")
    with_plan = make_child("Planned")
    plan = add_plan(with_plan, worker, datetime.date(2025, 2, 3))
    add_visit(with_plan, worker, datetime.date(2025, 3, 3))
    add_visit(with_plan, worker, datetime.date(2025, 4, 1), seen=False)
    add_review(plan, worker, datetime.date(2025, 4, 28))
    awaiting_plan = make_child("Awaiting")
    add_assessment(
        awaiting_plan,
        manager,
        Assessment.Status.AUTHORISED,
        outcome=Assessment.Outcome.CIN_PLAN,
        authorised_on=datetime.date(2025, 2, 20),
    )
    assessed = make_child("Assessed")
    add_assessment(assessed, worker, Assessment.Status.SUBMITTED)
    contacted = make_child("Contacted", allocated_to="nobody", referral_date=None)
    add_contact(contacted, worker, datetime.date(2025, 6, 6))
    supervised = make_child("Supervised")
    add_supervision(supervised, manager, datetime.date(2025, 5, 1), datetime.date(2025, 5, 20))
    add_assessment(supervised, worker, Assessment.Status.DRAFT)
    return {
        "plain": plain,
        "with_plan": with_plan,
        "awaiting_plan": awaiting_plan,
        "assessed": assessed,
        "contacted": contacted,
        "supervised": supervised,
    }
