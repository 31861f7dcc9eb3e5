"""The designated officer records an allegation in a real browser, then its initial
consideration, a strategy meeting and the outcome; the pages pass axe-core, and the child's
record links to the allegation for the designated officer."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from caseline.apps.accounts.demo import ensure_demo_users
from caseline.apps.lado.models import Allegation
from tests.browser.conftest import axe_violations, describe, sign_in
from tests.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _date(page: Any, name: str, day: str, month: str, year: str) -> None:
    page.locator(f'input[name="{name}_day"]').fill(day)
    page.locator(f'input[name="{name}_month"]').fill(month)
    page.locator(f'input[name="{name}_year"]').fill(year)


def _no_violations(page: Any) -> None:
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_the_lado_records_an_allegation_through_to_its_outcome(live_server: Any, page: Any) -> None:
    ensure_demo_users()
    child = PersonFactory.create(given_name="Kit", family_name="Pupil")
    sign_in(page, live_server, "lado")
    page.get_by_role("link", name="Allegations").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Allegations against adults who work with children"
    )
    page.get_by_role("link", name="Record an allegation").click()
    _no_violations(page)
    _date(page, "received_date", "2", "3", "2026")
    page.get_by_label("How the allegation came in").select_option("employer")
    page.get_by_label("The adult's name").fill("Pat Teacherson")
    page.get_by_label("Employer or organisation").fill("Hillside Primary")
    page.get_by_label("Their role").fill("Class teacher")
    page.get_by_label("Sector").select_option("education")
    page.get_by_label("What was alleged").fill("Grabbed a pupil by the arm.")
    page.get_by_label("The children's record numbers").fill(str(child.pk))
    page.get_by_role("button", name="Save").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Allegation recorded"
    )
    allegation = Allegation.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(allegation.reference)
    expect(page.get_by_role("link", name="Kit Pupil")).to_be_visible()
    _no_violations(page)

    page.get_by_role("link", name="Record the initial consideration").click()
    _date(page, "consideration_date", "3", "3", "2026")
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("the threshold is met")

    page.get_by_role("link", name="Record a strategy meeting").click()
    _date(page, "meeting_date", "9", "3", "2026")
    page.get_by_label("Who attended").fill("LADO; police; head teacher")
    page.get_by_label("What the meeting decided").fill("Police to investigate.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("Police to investigate.")
    expect(page.locator("main")).to_contain_text("Completed on time")

    page.get_by_role("link", name="Record actions and the outcome").click()
    page.get_by_label("Police action").fill("No further action")
    page.get_by_label("Unsubstantiated").check()
    _date(page, "outcome_date", "1", "5", "2026")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("Unsubstantiated, 1 May 2026")
    _no_violations(page)

    page.goto(f"{live_server.url}/people/{child.pk}/")
    expect(page.locator("main")).to_contain_text(allegation.reference)
    page.get_by_role("link", name="Allegations naming this child").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Allegations naming this child")
    _no_violations(page)
    allegation.refresh_from_db()
    assert allegation.outcome == "unsubstantiated"
    assert allegation.strategy_meetings.count() == 1
