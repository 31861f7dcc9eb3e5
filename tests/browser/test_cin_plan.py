"""A social worker plans for a child in need and records a visit, in a real browser."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from caseline.apps.accounts.demo import ensure_demo_users
from caseline.apps.accounts.models import User
from caseline.apps.assessments.models import Assessment
from caseline.apps.frontdoor.models import Referral
from caseline.apps.people.models import Allocation, Person
from tests.browser.conftest import axe_violations, describe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def child(transactional_db: None) -> Person:
    ensure_demo_users()
    worker = User.objects.get(username="social.worker")
    today = timezone.localdate()
    child = Person.objects.create(
        given_name="Mia", family_name="Exampleton", date_of_birth=datetime.date(2017, 4, 2)
    )
    assert worker.team is not None
    Allocation.objects.create(
        person=child, team=worker.team, worker=worker, start_date=today - datetime.timedelta(30)
    )
    referral = Referral.objects.create(
        person=child,
        referral_date=today - datetime.timedelta(days=20),
        source="1A",
        opened_by=worker,
    )
    Assessment.objects.create(
        person=child,
        referral=referral,
        start_date=referral.referral_date,
        identity="Mia's mum is from Ghana. Mia is learning Twi at a Saturday school.",
        status=Assessment.Status.AUTHORISED,
        authorised_on=today - datetime.timedelta(days=10),
        recorded_by=worker,
    )
    return child


def fill_date(page: Any, name: str, day: datetime.date) -> None:
    page.locator(f'input[name="{name}_day"]').fill(str(day.day))
    page.locator(f'input[name="{name}_month"]').fill(str(day.month))
    page.locator(f'input[name="{name}_year"]').fill(str(day.year))


def test_social_worker_makes_a_plan_and_records_a_visit(
    live_server: Any, page: Any, child: Person
) -> None:
    today = timezone.localdate()
    sign_in(page, live_server, "social.worker")
    page.goto(f"{live_server.url}/children-in-need/record/{child.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Plans")
    page.get_by_role("link", name="Start a child in need plan").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Start a child in need plan")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    fill_date(page, "start_date", today - datetime.timedelta(days=7))
    page.get_by_label("The child's views on the plan").fill(
        "Mia says she wants to get to school on time and see her friends."
    )
    # The plan is not agreed without how it meets Mia's identity needs, written beside what
    # her assessment found.
    page.get_by_role("button", name="Start the plan").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter how the plan meets the child's identity needs"
    )
    found = page.locator("#id_identity_needs_found")
    expect(found).to_contain_text("What we know about Mia's identity")
    expect(found).to_contain_text("Mia is learning Twi at a Saturday school.")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    page.get_by_label("How the plan meets Mia's identity needs").fill(
        "Mia keeps going to her Saturday Twi school: no plan meetings on Saturday mornings."
    )
    page.get_by_role("button", name="Start the plan").click()

    page.get_by_label("What we want to be different for Mia").fill(
        "Mia gets to school on time every day."
    )
    page.get_by_role("button", name="Add the outcome").click()

    page.get_by_label("What will happen").fill("Walk Mia to school each morning")
    page.get_by_label("Who will do it").fill("Mum (Sarah)")
    fill_date(page, "by_when", today + datetime.timedelta(days=28))
    page.get_by_label("How we will know it has worked").fill(
        "School says Mia was on time every day for four weeks"
    )
    page.get_by_role("button", name="Add the action").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Action added")

    page.get_by_role("button", name="Record a visit").or_(
        page.locator("a.govuk-button", has_text="Record a visit")
    ).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a visit")
    page.get_by_role("button", name="Record the visit").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date of the visit")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    fill_date(page, "visit_date", today)
    page.locator('input[name="child_seen"][value="yes"]').check()
    page.locator('input[name="child_seen_alone"][value="yes"]').check()
    page.locator('input[name="seen_bedroom"][value="yes"]').check()
    page.get_by_label("Purpose of the visit").fill("Planned visit to talk about the plan")
    page.get_by_label("What you observed").fill("Mia showed me her school bag, packed and ready")
    page.get_by_role("button", name="Record the visit").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Visit recorded")
    table = page.locator("table", has_text="How we will know")
    expect(table).to_contain_text("Walk Mia to school each morning")
    expect(table).to_contain_text("Mum (Sarah)")
    expect(table).to_contain_text("Not started")
    expect(page.locator("table", has_text="Child seen")).to_contain_text("Seen alone")
    expect(page.locator(".moj-identity-bar")).to_contain_text("Child in need plan")
    expect(page.locator("main")).to_contain_text("no plan meetings on Saturday mornings")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
