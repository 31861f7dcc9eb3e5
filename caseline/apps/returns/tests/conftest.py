"""Fixtures for the returns' tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings


@pytest.fixture(scope="module")
def validators() -> None:
    """The real validators' environment; skipped where it is not built, but never in CI."""
    python = Path(settings.CASELINE_VALIDATORS_PYTHON)
    if not python.is_file():
        reason = f"the returns' validators are not installed (no {python}): run `make validators`"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must run them.")
        pytest.skip(reason)
