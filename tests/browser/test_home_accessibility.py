"""A demo user signs in through a real browser; the pages pass axe-core with no violations."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from caseline.apps.accounts.demo import ensure_demo_users
from tests.browser.conftest import axe_violations, describe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_users(transactional_db: None) -> None:
    ensure_demo_users()


def test_sign_in_page_has_no_accessibility_violations(
    live_server: Any, page: Any, demo_users: None
) -> None:
    page.goto(f"{live_server.url}/accounts/sign-in/")
    assert page.title() == "Sign in - Caseline"
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_social_worker_signs_in_to_an_accessible_home_page(
    live_server: Any, page: Any, demo_users: None
) -> None:
    sign_in(page, live_server, "social.worker")
    assert page.get_by_role("heading", level=1).inner_text() == "Hello, Sam"
    assert page.get_by_role("heading", name="Your children").is_visible()
    # The stylesheet built from GOV.UK Frontend is really applied.
    font = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert "Arial" in font
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_error_summary_is_accessible_and_focused(
    live_server: Any, page: Any, demo_users: None
) -> None:
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(page).to_have_title("Sign in (error) - Caseline")
    expect(summary).to_be_focused()
    violations = axe_violations(page)
    assert violations == [], describe(violations)
