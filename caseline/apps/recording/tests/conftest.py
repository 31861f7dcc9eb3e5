"""Fixtures for case recording: a team and a child allocated to it (the worker, Wren, and the
manager, Mina, are the root conftest's, in this team)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from caseline.apps.accounts.models import Team, User
from caseline.apps.people.models import Person
from caseline.apps.recording.actions import ActionInput, record_note, record_supervision
from caseline.apps.recording.models import CaseNote, Supervision
from tests.factories import ChildFactory, TeamFactory


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def team(db: None) -> Team:
    return TeamFactory.create(name="Assessment Team South", service=Team.Service.ASSESSMENT)


@pytest.fixture
def allocation_start() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=100)


@pytest.fixture
def child(team: Team, worker: User, allocation_start: datetime.date) -> Person:
    return ChildFactory.create(
        date_of_birth=datetime.date(2015, 4, 1),
        team=team,
        worker=worker,
        allocated_on=allocation_start,
    )


@pytest.fixture
def note_factory(worker: User, child: Person) -> Callable[..., CaseNote]:
    def make(**overrides: Any) -> CaseNote:
        values: dict[str, Any] = {
            "acting_user": worker,
            "child": child,
            "note_type": "visit",
            "occurred_at": days_ago(2),
            "title": "Home visit",
            "body": "Ada showed me her room.",
        }
        values.update(overrides)
        return record_note(**values)

    return make


@pytest.fixture
def supervision_factory(manager: User, worker: User, child: Person) -> Callable[..., Supervision]:
    def make(**overrides: Any) -> Supervision:
        values: dict[str, Any] = {
            "acting_user": manager,
            "child": child,
            "occurred_at": days_ago(3),
            "supervisee": worker,
            "objectives": "Ada is safe at home and attends school.",
            "contingency": "If school attendance does not improve, convene a meeting.",
            "actions": [
                ActionInput(
                    action="Visit school",
                    owner="Wren",
                    by_when=timezone.localdate() + datetime.timedelta(days=7),
                )
            ],
        }
        values.update(overrides)
        return record_supervision(**values)

    return make
