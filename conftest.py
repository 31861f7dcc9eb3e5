"""Fixtures shared by every app's tests."""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.accounts.roles import assign_role

_triggers = importlib.import_module("caseline.apps.audit.migrations.0002_append_only_triggers")


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
    """Create a user holding the given roles (none by default)."""
    counter = iter(range(1, 10_000))

    def make(*roles: Role, username: str | None = None, **fields: Any) -> User:
        user = User.objects.create_user(
            username=username or f"user{next(counter)}",
            password="correct horse battery staple",
            first_name=fields.pop("first_name", "Test"),
            last_name=fields.pop("last_name", "User"),
            **fields,
        )
        for role in roles:
            assign_role(user, role)
        return user

    return make


@pytest.fixture(scope="session", autouse=True)
def _allow_sync_orm_beside_playwright() -> None:
    """Playwright's sync API runs an event loop in the test thread; the ORM calls the tests
    make between browser steps are still synchronous."""
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
