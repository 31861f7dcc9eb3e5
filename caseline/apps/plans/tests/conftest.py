"""The shared SMART plan is tested on a child in need plan: its fixtures, from cin (the
worker comes from the root conftest)."""

from __future__ import annotations

from caseline.apps.cin.tests.conftest import (  # noqa: F401 - fixtures used by the tests
    child,
    make_child,
    outcome,
    plan,
    team,
)
