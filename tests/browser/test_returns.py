"""The performance analyst produces the CIN census in a real browser, follows a validator error
to the child's record, corrects it and sees it gone on the rerun; the pages pass axe-core."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from pytest_django.fixtures import Settings

from caseline.apps.accounts.demo import ensure_demo_users
from caseline.apps.accounts.models import User
from caseline.apps.frontdoor.models import Referral
from caseline.apps.people.models import Person
from caseline.apps.people.validators import upn_check_letter
from tests.browser.conftest import axe_violations, describe, sign_in
from tests.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def upn(la_number: str) -> str:
    body = f"{la_number}123425001"
    return upn_check_letter(body) + body


@pytest.fixture
def child(transactional_db: None, settings: Settings, tmp_path: Path) -> Person:
    """A child referred in 2025 to 2026 whose UPN names no real authority (CIN rule 1530)."""
    settings.CASELINE_RETURNS_DIR = tmp_path
    settings.CASELINE_LA_NUMBER = "344"
    ensure_demo_users()
    person = PersonFactory.create(
        given_name="Nell",
        family_name="Census",
        date_of_birth=datetime.date(2015, 5, 1),
        upn=upn("999"),
        sex="F",
        ethnicity="WBRI",
        disabilities=["NONE"],
    )
    Referral.objects.create(
        person=person,
        referral_date=datetime.date(2025, 6, 2),
        source="1A",
        primary_need="N1",
        opened_by=User.objects.get(username="social.worker"),
    )
    return person


def produce_the_census(page: Any, live_server: Any) -> None:
    """Ask for the 2026 census on the page; the worker runs it (here in the test's thread, which
    shares the live server's database), and the waiting page shows the result when ready."""
    page.goto(f"{live_server.url}/returns/")
    page.get_by_label("Children in need census").check()
    page.get_by_label("Collection year").select_option("2026")
    page.get_by_role("button", name="Produce and check the return").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Children in need census 2026")
    expect(page.get_by_text("Waiting for the worker to start")).to_be_visible()
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    expect(page.locator(".govuk-tag", has_text="Ready")).to_be_visible(timeout=30_000)


@pytest.mark.usefixtures("validators")
def test_the_analyst_fixes_a_census_error_at_its_source(
    live_server: Any, page: Any, child: Person
) -> None:
    sign_in(page, live_server, "analyst")
    page.get_by_role("link", name="Returns").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Statutory returns")
    violations = axe_violations(page)
    assert violations == [], describe(violations)

    produce_the_census(page, live_server)
    by_rule = page.locator("#by-rule")
    expect(by_rule).to_contain_text("1530")
    expect(by_rule).to_contain_text("UPN invalid (characters 2-4 not a recognised LA code)")
    violations = axe_violations(page)
    assert violations == [], describe(violations)

    page.locator("#by-child").get_by_role("link", name="Nell Census").click()
    expect(page.get_by_text("To put right before the DfE returns")).to_be_visible()
    expect(page.get_by_text("Will fail: UPN invalid (characters 2-4")).to_be_visible()
    page.get_by_role("link", name="Change identity details").click()
    page.get_by_label("Unique pupil number (optional)", exact=True).fill(upn("344"))
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()

    produce_the_census(page, live_server)
    expect(page.get_by_text("1 failure fixed")).to_be_visible()
    expect(page.locator("#by-rule")).not_to_contain_text("1530")
    page.goto(f"{live_server.url}/people/{child.pk}/")
    expect(page.get_by_text("characters 2-4 not a recognised LA code")).to_have_count(0)
