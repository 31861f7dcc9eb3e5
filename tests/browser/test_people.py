"""A front door worker finds, adds and opens a child's record in a real browser; the pages
pass axe-core with no violations."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from caseline.apps.accounts.demo import ensure_demo_users
from caseline.apps.people.models import Person
from tests.browser.conftest import axe_violations, describe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_users(transactional_db: None) -> None:
    ensure_demo_users()


def fill_child(page: Any, given: str) -> None:
    page.get_by_label("First name", exact=True).fill(given)
    page.get_by_label("Last name", exact=True).fill("Brightwater")
    date_of_birth = page.get_by_role("group", name="Date of birth", exact=True)
    date_of_birth.get_by_label("Day").fill("14")
    date_of_birth.get_by_label("Month").fill("6")
    date_of_birth.get_by_label("Year").fill("2016")
    page.get_by_label("Female", exact=True).check()


def test_front_door_searches_adds_a_child_and_sees_duplicates(
    live_server: Any, page: Any, demo_users: None
) -> None:
    sign_in(page, live_server, "front.door")
    page.goto(f"{live_server.url}/people/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a person")
    violations = axe_violations(page)
    assert violations == [], describe(violations)

    page.get_by_label("Name").fill("Maisie Brightwater")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="0 people found")).to_be_visible()

    page.get_by_role("link", name="Add a new person").click()
    fill_child(page, "Maisie")
    page.get_by_label("Ethnicity").select_option("WBRI")
    page.get_by_role("button", name="Add person").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("has been added")
    child = Person.objects.get()
    expect(page.locator(".moj-identity-bar")).to_contain_text("Maisie Brightwater")
    expect(page.locator(".moj-identity-bar")).to_contain_text(child.caseline_id)
    expect(page.get_by_role("heading", name="Who Maisie is")).to_be_visible()
    expect(page.get_by_text("White British")).to_be_visible()
    violations = axe_violations(page)
    assert violations == [], describe(violations)

    # A second, similarly named child with the same date of birth is caught.
    page.goto(f"{live_server.url}/people/new/")
    fill_child(page, "Maisy")
    page.get_by_role("button", name="Add person").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.get_by_text("This person may already be on the record").first).to_be_visible()
    expect(page.get_by_role("link", name="Maisie Brightwater")).to_be_visible()
    assert Person.objects.count() == 1
    violations = axe_violations(page)
    assert violations == [], describe(violations)

    # Searching with a typing slip finds the child and opens the record summary.
    page.goto(f"{live_server.url}/people/?name=Maisy+Brightwatter")
    page.get_by_role("link", name="Maisie Brightwater", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Summary")
    expect(page.locator(".moj-sub-navigation")).to_contain_text("Who has viewed this record")
