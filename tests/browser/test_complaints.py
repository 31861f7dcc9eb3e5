"""The complaints officer records a complaint from the child's record in a real browser, the
stage 1 response, the request for stage 2, a finding and a lesson, then finds it on the work
list, the child's chronology and the annual report; the pages pass axe-core."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from caseline.apps.accounts.demo import ensure_demo_users
from caseline.apps.complaints.models import Complaint
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


def _yes_no(page: Any, name: str, value: str) -> None:
    page.locator(f'input[name="{name}"][value="{value}"]').check()


def test_the_complaints_officer_takes_a_complaint_to_stage_2(live_server: Any, page: Any) -> None:
    ensure_demo_users()
    child = PersonFactory.create(given_name="Rio", family_name="Young")
    sign_in(page, live_server, "complaints")
    page.goto(f"{live_server.url}/complaints/children/{child.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Complaints")
    _no_violations(page)
    page.get_by_role("link", name="Record a complaint").click()
    _no_violations(page)
    _date(page, "received_date", "1", "4", "2026")
    page.get_by_label("The child or young person").check()
    page.get_by_label("The complainant's name").fill("Rio Young")
    page.get_by_label("What the complaint is about").select_option("communication")
    page.get_by_label("The complaint", exact=True).fill("My social worker does not call back.")
    _yes_no(page, "advocacy_offered", "yes")
    _yes_no(page, "advocacy_taken_up", "yes")
    page.get_by_role("button", name="Save").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Complaint recorded"
    )
    complaint = Complaint.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(complaint.reference)
    expect(page.locator("main")).to_contain_text("Started 1 April 2026.")
    _no_violations(page)

    page.get_by_role("link", name="Record the response").click()
    _date(page, "completed_date", "15", "4", "2026")
    page.get_by_label("Not upheld").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Response recorded")
    # Ten working days from Wednesday 1 April 2026, Easter apart, end on Friday 17 April.
    expect(page.locator("main")).to_contain_text("Completed 15 April 2026: Not upheld.")
    expect(page.locator("main")).to_contain_text("Completed on time")

    page.get_by_role("link", name="Start the next stage").click()
    _date(page, "requested_date", "20", "4", "2026")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Next stage started"
    )
    expect(page.locator("main")).to_contain_text("Stage 2: investigation")

    page.get_by_role("link", name="Record a finding").click()
    page.get_by_label("Stage 1: local resolution").check()
    page.get_by_label("The finding", exact=True).fill("Calls were returned within two days.")
    _yes_no(page, "upheld", "no")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("Calls were returned within two days.")

    page.get_by_role("link", name="Record a lesson learned").click()
    page.get_by_label("Lesson learned").fill("Tell children when their worker is away.")
    page.get_by_label("Action to be taken").fill("Out-of-office messages in every team.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("Out-of-office messages in every team.")
    _no_violations(page)

    page.get_by_role("link", name="Back to complaints").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Complaints and representations")
    page.get_by_role("link", name="Show every officer's").click()
    expect(page.get_by_role("link", name=complaint.reference)).to_be_visible()
    _no_violations(page)

    page.goto(f"{live_server.url}/chronology/record/{child.pk}/")
    expect(page.locator("main")).to_contain_text(
        f"Complaint {complaint.reference} received from the child or young person"
    )

    page.goto(f"{live_server.url}/complaints/report/?year=2026")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Annual complaints report 2026 to 2027"
    )
    _no_violations(page)
    stages = list(complaint.stages.order_by("stage").values_list("stage", "outcome"))
    assert stages == [(1, "not-upheld"), (2, "")]
    assert complaint.lessons.count() == 1
