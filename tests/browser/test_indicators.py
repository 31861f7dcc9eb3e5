"""The analyst follows an indicator's figure to its children and on to one child's record, in a
real browser; the pages pass axe-core."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from playwright.sync_api import expect

from caseline.apps.accounts.demo import ensure_demo_users
from caseline.apps.accounts.models import User
from caseline.apps.indicators.tests.builders import Record
from caseline.apps.people.models import Person
from tests.browser.conftest import axe_violations, describe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = datetime.date


@pytest.fixture
def late(transactional_db: None) -> Person:
    """A child whose assessment took 46 working days, authorised in 2025-26."""
    ensure_demo_users()
    record = Record(User.objects.get(username="social.worker"))
    child = record.child(given_name="Lena", family_name="Late")
    record.assessment(child, D(2025, 7, 21), D(2025, 9, 24))
    on_time = record.child(given_name="Ona", family_name="Time")
    record.assessment(on_time, D(2025, 7, 21), D(2025, 9, 23))
    return child


def test_the_analyst_follows_a_figure_to_its_children_and_a_record(
    live_server: Any, page: Any, late: Person
) -> None:
    sign_in(page, live_server, "analyst")
    page.get_by_role("link", name="Indicators").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Indicators")
    page.get_by_label("Day").first.fill("31")
    page.get_by_label("Month").first.fill("3")
    page.get_by_label("Year").first.fill("2026")
    page.get_by_role("button", name="Show the figures").click()
    violations = axe_violations(page)
    assert violations == [], describe(violations)

    page.get_by_role("link", name="AS1: Assessments authorised within 45 working days").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Assessments authorised within 45 working days"
    )
    expect(page.get_by_role("heading", name="50% (1 of 2)")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Lena Late")
    expect(row).to_contain_text("24 September 2025")
    expect(row).to_contain_text("46 to 50")
    violations = axe_violations(page)
    assert violations == [], describe(violations)

    row.get_by_role("link", name="Lena Late").click()
    expect(page).to_have_url(f"{live_server.url}/people/{late.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Summary")
    expect(page.get_by_text("Lena Late").first).to_be_visible()
