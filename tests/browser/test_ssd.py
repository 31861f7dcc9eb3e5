"""The performance analyst exports the record as an SSD extract in a real browser; the pages
pass axe-core."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from pytest_django.fixtures import Settings

from caseline.apps.accounts.demo import ensure_demo_users
from tests.browser.conftest import axe_violations, describe, sign_in
from tests.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def record(transactional_db: None, settings: Settings, tmp_path: Path) -> None:
    settings.CASELINE_RETURNS_DIR = tmp_path
    ensure_demo_users()
    PersonFactory.create(given_name="Nell", family_name="Extract")


@pytest.mark.usefixtures("record")
def test_the_analyst_exports_the_record(live_server: Any, page: Any) -> None:
    sign_in(page, live_server, "analyst")
    page.get_by_role("link", name="SSD export").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Standard Safeguarding Dataset export"
    )
    violations = axe_violations(page)
    assert violations == [], describe(violations)

    page.get_by_role("button", name="Export the record").click()
    expect(page.get_by_text("Waiting for the worker to start")).to_be_visible()
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    page.get_by_role("link", name="Check progress").click()
    expect(page.locator(".govuk-tag", has_text="Ready")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("cell", name="ssd_person", exact=True)).to_be_visible()
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the extract").click()
    assert download.value.suggested_filename.startswith("ssd_extract_")
