"""Fixtures of the inspection tests: the quality assurance lead and the Wirral 2011 plan."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.inspection.models import Inspection
from caseline.apps.inspection.wirral import load_wirral_2011

WIRRAL_2011 = Path(__file__).parent / "fixtures" / "wirral-2011-safeguarding-and-lac-inspection.txt"


@pytest.fixture
def qa_lead(make_user: Callable[..., User]) -> User:
    return make_user(Role.QA_LEAD, username="qa.lead", first_name="Quinn", last_name="Ashby")


@pytest.fixture
def wirral(qa_lead: User) -> Inspection:
    """Wirral's 2011 inspection with its action plan as the update report gives it."""
    return load_wirral_2011(
        acting_user=qa_lead, report_text=WIRRAL_2011.read_text(encoding="utf-8")
    )
