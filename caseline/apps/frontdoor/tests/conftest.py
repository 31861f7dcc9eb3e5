"""Fixtures for front door tests: synthetic children and users."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Role
from caseline.apps.people.models import Person
from tests.factories import PersonFactory, TeamFactory

LONDON = ZoneInfo("Europe/London")


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """An aware London time."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LONDON)


# Wednesday 16 April 2025, 11:00 in London: "now" in tests that set the clock.
NOW = at(2025, 4, 16, 11)
Clock = Callable[[datetime.datetime], None]


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """``clock(at(...))`` makes that moment now, for a test about "later than now"."""

    def set_now(moment: datetime.datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: moment.astimezone(datetime.UTC))

    return set_now


@pytest.fixture
def make_person(db: None) -> Callable[..., Person]:
    def make(given: str = "Ama", family: str = "Testchild", **fields: Any) -> Person:
        fields.setdefault("date_of_birth", datetime.date(2015, 6, 1))
        return PersonFactory.create(given_name=given, family_name=family, **fields)

    return make


@pytest.fixture
def child(make_person: Callable[..., Person]) -> Person:
    return make_person()


@pytest.fixture
def front_door(make_user: Callable[..., User]) -> User:
    return make_user(Role.FRONT_DOOR, username="fd.worker", first_name="Fran", last_name="Door")


@pytest.fixture
def manager(make_user: Callable[..., User]) -> User:
    return make_user(Role.TEAM_MANAGER, username="tm.manager", first_name="Tam", last_name="Lead")


@pytest.fixture
def team(db: None) -> Team:
    return TeamFactory.create(name="Assessment Team Test", service=Team.Service.ASSESSMENT)


def signed_in(user: User) -> Client:
    """A test client signed in as ``user``."""
    client = Client()
    client.force_login(user)
    return client


def contact_form(
    day: datetime.date, time: str = "", **fields: str | list[str]
) -> dict[str, str | list[str]]:
    """What the contact form posts: received on ``day`` at ``time`` (blank: not given), from a
    school, consent given, with ``fields`` added or changed."""
    return {
        "received_on_day": str(day.day),
        "received_on_month": str(day.month),
        "received_on_year": str(day.year),
        "received_time": time,
        "source": "2A",
        "concern": "Bruising seen at school",
        "consent": "given",
        **fields,
    }
