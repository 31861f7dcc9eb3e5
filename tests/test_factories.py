"""The test builders make what their docstrings say."""

from __future__ import annotations

import datetime

import pytest

from caseline.apps.accounts.permissions import Role
from caseline.apps.frontdoor.models import Referral
from caseline.apps.people.models import Allocation
from tests.factories import PASSWORD, START, ChildFactory, PersonFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_user_in_roles_and_team_managing_it() -> None:
    team = TeamFactory.create()
    user = UserFactory.create(roles=[Role.SOCIAL_WORKER, Role.IRO], team=team, manages=team)
    team.refresh_from_db()
    assert team.manager == user
    assert user.team == team
    assert set(user.groups.values_list("name", flat=True)) == {Role.SOCIAL_WORKER, Role.IRO}
    assert user.check_password(PASSWORD)
    assert (user.first_name, user.last_name) == ("Test", "User")


def test_user_without_roles_or_team() -> None:
    user = UserFactory.create()
    assert not user.groups.exists()
    assert user.team is None


def test_person_defaults() -> None:
    person = PersonFactory.create()
    assert (person.given_name, person.family_name) == ("Ada", "Testchild")
    assert not Allocation.objects.filter(person=person).exists()


def test_child_allocated_and_referred() -> None:
    team = TeamFactory.create()
    worker = UserFactory.create(team=team)
    day = datetime.date(2025, 2, 3)
    child = ChildFactory.create(team=team, worker=worker, allocated_on=day, referral_date=day)
    allocation = Allocation.objects.get(person=child)
    assert (allocation.team, allocation.worker, allocation.start_date) == (team, worker, day)
    referral = Referral.objects.get(person=child)
    assert (referral.referral_date, referral.opened_by, referral.source) == (day, worker, "1A")


def test_child_on_a_team_with_no_worker_yet() -> None:
    team = TeamFactory.create()
    child = ChildFactory.create(team=team, referral_date=START)
    allocation = Allocation.objects.get(person=child)
    assert (allocation.worker, allocation.start_date) == (None, START)
    assert Referral.objects.get(person=child).opened_by.username.startswith("factory-user-")


def test_child_without_team_or_referral() -> None:
    child = ChildFactory.create()
    assert not Allocation.objects.filter(person=child).exists()
    assert not Referral.objects.filter(person=child).exists()
