"""Fixtures: a child allocated to the root conftest's worker, Wren, in her team."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest

from caseline.apps.accounts.models import Team, User
from caseline.apps.people.models import Person
from tests.factories import ChildFactory


@pytest.fixture
def make_child(team: Team, worker: User) -> Callable[..., Person]:
    def make(given: str = "Ada") -> Person:
        return ChildFactory.create(
            given_name=given, date_of_birth=datetime.date(2012, 5, 1), team=team, worker=worker
        )

    return make


@pytest.fixture
def child(make_child: Callable[..., Person]) -> Person:
    return make_child()
