"""The administrator's accounts pages and a user's set-up of two factors pass axe-core."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from caseline.apps.accounts.permissions import Role
from tests.browser.conftest import axe_violations, describe, sign_in
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_administrators_pages_are_accessible(live_server: Any, page: Any) -> None:
    UserFactory.create(username="ada.min", first_name="Ada", roles=[Role.ADMINISTRATOR])
    sam = UserFactory.create(
        username="sam.worth", first_name="Sam", last_name="Worth", roles=[Role.SOCIAL_WORKER]
    )
    sign_in(page, live_server, "ada.min", PASSWORD)
    for path in (
        "/accounts/users/",
        f"/accounts/users/{sam.pk}/",
        f"/accounts/users/{sam.pk}/change/",
        f"/accounts/users/{sam.pk}/roles/new/",
        "/accounts/users/new/",
        "/accounts/users/two-factor-roles/",
    ):
        page.goto(f"{live_server.url}{path}")
        violations = axe_violations(page)
        assert violations == [], f"{path}\n{describe(violations)}"
    page.goto(f"{live_server.url}/accounts/users/{sam.pk}/")
    page.get_by_role("button", name="Deactivate").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Inactive")


def test_setting_up_two_factors_is_accessible(live_server: Any, page: Any) -> None:
    UserFactory.create(username="sam.worth", first_name="Sam", roles=[Role.SOCIAL_WORKER])
    sign_in(page, live_server, "sam.worth", PASSWORD)
    page.get_by_role("link", name="Password and two factors").click()
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    page.get_by_role("link", name="Set up your authenticator app").click()
    expect(page.locator(".app-qr-code svg")).to_be_visible()
    violations = axe_violations(page)
    assert violations == [], describe(violations)
