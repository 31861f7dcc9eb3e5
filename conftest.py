"""Fixtures shared by every app's tests."""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Role
from tests.factories import TeamFactory, UserFactory

_triggers = importlib.import_module("caseline.apps.audit.migrations.0005_seal_existing_events")


def _execute(statements: dict[str, list[str]]) -> None:
    with connection.cursor() as cursor:
        for statement in statements.get(connection.vendor, []):
            cursor.execute(statement)


@pytest.fixture(autouse=True)
def _audit_triggers_allow_test_flush(request: pytest.FixtureRequest) -> Iterator[None]:
    """Tests on committed data end with a flush of every table, which the audit table's
    append-only triggers rightly refuse. Lift them for that flush. They come back at the next
    transactional test's start; tests on rolled-back transactions that need them run before
    any transactional test (pytest-django orders them so) and the test database is rebuilt
    every session (no --reuse-db)."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    if not transactional:
        yield
        return
    request.getfixturevalue("transactional_db")
    _execute({"sqlite": _triggers.SQLITE_DROP, "postgresql": _triggers.POSTGRES_DROP})
    _execute({"sqlite": _triggers.SQLITE_CREATE, "postgresql": _triggers.POSTGRES_CREATE})
    yield
    _execute({"sqlite": _triggers.SQLITE_DROP, "postgresql": _triggers.POSTGRES_DROP})


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    """Create a user holding the given roles (none by default), named user1, user2... in each
    test unless given a username; other fields as ``tests.factories.UserFactory`` takes."""
    counter = iter(range(1, 10_000))

    def make(*roles: Role, username: str | None = None, **fields: Any) -> User:
        return UserFactory.create(
            username=username or f"user{next(counter)}", roles=roles, **fields
        )

    return make


# The usual cast: a team, its social worker and its manager. An app's conftest overrides the
# ones it needs named differently (a fixture asks for the nearest ``team``, so overriding
# ``team`` alone moves the worker and manager into that app's team).


@pytest.fixture
def team(db: None) -> Team:
    return TeamFactory.create()


@pytest.fixture
def worker(make_user: Callable[..., User], team: Team) -> User:
    return make_user(Role.SOCIAL_WORKER, username="worker", first_name="Wren", team=team)


@pytest.fixture
def manager(make_user: Callable[..., User], team: Team) -> User:
    return make_user(
        Role.TEAM_MANAGER, username="manager", first_name="Mina", team=team, manages=team
    )


@pytest.fixture(scope="session", autouse=True)
def _allow_sync_orm_beside_playwright() -> None:
    """Playwright's sync API runs an event loop in the test thread; the ORM calls the tests
    make between browser steps are still synchronous."""
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def validators() -> None:
    """The DfE returns' real validators (``make validators``): skipped where their environment
    is not built, but never in CI, which must run them."""
    python = Path(settings.CASELINE_VALIDATORS_PYTHON)
    if not python.is_file():
        reason = f"the returns' validators are not installed (no {python}): run `make validators`"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must run them.")
        pytest.skip(reason)
