"""The QA lead runs a survey of children's views in a real browser: starts it, records two
responses, reads the results by question and age group, records what changed; adds a member
of the Children in Care Council and a meeting they attended. The pages pass axe-core."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from caseline.apps.accounts.demo import ensure_demo_users
from caseline.apps.privatefostering.models import CouncilMeeting, Survey
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


def test_a_survey_and_the_children_in_care_council(live_server: Any, page: Any) -> None:
    ensure_demo_users()
    child = PersonFactory.create(given_name="Nia", family_name="Voice")
    sign_in(page, live_server, "qa.lead")
    page.get_by_role("link", name="Surveys of children's views").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Surveys of children's views")
    _no_violations(page)
    page.get_by_role("link", name="Start a survey").click()
    page.get_by_label("Title").fill("Children's views 2026")
    _date(page, "opened_on", "5", "1", "2026")
    page.get_by_label("Questions").fill("I feel safe where I live\nMy worker listens to me")
    _no_violations(page)
    page.get_by_role("button", name="Start the survey").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Children's views 2026")

    for group, scores in (("Under 11", ("5", "4")), ("16 and 17", ("3", "2"))):
        page.get_by_role("link", name="Record a response").click()
        _date(page, "responded_on", "9", "1", "2026")
        page.get_by_label(group).check()
        page.get_by_role("group", name="1. I feel safe where I live").get_by_label(
            f"{scores[0]}:"
        ).check()
        page.get_by_role("group", name="2. My worker listens to me").get_by_label(
            f"{scores[1]}:"
        ).check()
        page.get_by_role("button", name="Save").click()
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
            "Response recorded"
        )
    expect(page.locator("main")).to_contain_text("2 responses.")
    safe = page.get_by_role("row").filter(has_text="I feel safe where I live")
    expect(safe).to_contain_text("4.0")  # the mean of 5 and 3
    expect(safe).to_contain_text("5.0")  # under 11
    _no_violations(page)

    page.get_by_role("link", name="Record what changed").click()
    page.get_by_label("What changed as a result").fill("Workers now call back within a day.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("Workers now call back within a day.")
    assert Survey.objects.get().closed_on is not None

    page.get_by_role("link", name="Back to surveys").click()
    page.get_by_role("link", name="the Children in Care Council").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Children in Care Council")
    page.get_by_role("link", name="Add a member").click()
    page.get_by_label("The child's record number").fill(str(child.pk))
    _date(page, "joined_on", "1", "9", "2025")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("link", name="Nia Voice")).to_be_visible()
    page.get_by_role("link", name="Record a meeting").click()
    _date(page, "meeting_on", "15", "1", "2026")
    page.get_by_label("Nia Voice").check()
    page.get_by_label("What the council discussed").fill("The new advocacy provider.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("The new advocacy provider.")
    _no_violations(page)
    assert list(CouncilMeeting.objects.get().attended.values_list("person", flat=True)) == [
        child.pk
    ]
