"""A social worker records the placement plan and the notice of a child's placement, each due
within 5 working days of its start (CPPCR regs 9 and 13). In a real browser, with axe-core on
every page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from caseline.apps.accounts.demo import ensure_demo_users
from caseline.apps.accounts.models import User
from caseline.apps.lookedafter import actions
from caseline.apps.lookedafter.actions import PlacementDetails
from caseline.apps.people.models import Allocation, Person
from caseline.apps.timescales.rules import format_date
from tests.browser.conftest import sign_in
from tests.browser.test_looked_after import assert_accessible, fill_date

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def child(transactional_db: None) -> Person:
    """Looked after in foster care from 3 days ago, allocated to the demo social worker."""
    ensure_demo_users()
    worker = User.objects.get(username="social.worker")
    assert worker.team is not None
    child = Person.objects.create(
        given_name="Pip", family_name="Sampleford", date_of_birth=datetime.date(2015, 2, 9)
    )
    today = timezone.localdate()
    Allocation.objects.create(
        person=child, team=worker.team, worker=worker, start_date=today - datetime.timedelta(90)
    )
    actions.start_period_of_care(
        acting_user=worker,
        child=child,
        start_date=today - datetime.timedelta(days=3),
        legal_status="V2",
        placement=PlacementDetails(
            placement_type="U6",
            placement_provider="PR1",
            ofsted_urn="SC100002",
            carer_name="Carer household Gamma",
        ),
    )
    return child


def test_the_placement_plan_and_notice_are_due_then_recorded(
    live_server: Any, page: Any, child: Person
) -> None:
    today = timezone.localdate()
    record = f"{live_server.url}/looked-after/{child.pk}/"
    sign_in(page, live_server, "social.worker")
    page.goto(record)
    due = page.locator("table", has_text="Statutory work due")
    expect(due).to_contain_text("Placement plan")
    expect(due).to_contain_text("Notice of the placement")
    records = page.locator("#placement-records")
    expect(records).to_contain_text("Not recorded for this placement")
    assert_accessible(page)

    records.get_by_role("link", name="Record the placement plan").click()
    page.get_by_role("button", name="Save the placement plan").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the date the placement plan was agreed"
    )
    assert_accessible(page)
    fill_date(page, "agreed_on", today)
    page.get_by_label("Who agreed and signed it").fill("Carer household Gamma")
    page.get_by_label("How the placement will meet the child's needs").fill(
        "Pip keeps his school; contact with Mum on Saturdays."
    )
    page.get_by_role("button", name="Save the placement plan").click()
    expect(page.get_by_role("alert", name="Success")).to_contain_text("Placement plan recorded")
    expect(records).to_contain_text(f"Agreed {format_date(today)} with Carer household Gamma")
    expect(records).to_contain_text("Completed on time")

    records.get_by_role("link", name="Record notice of the placement").click()
    page.get_by_label("Yes").check()
    fill_date(page, "given_on", today)
    page.get_by_label("The child's GP").check()
    page.get_by_label("The independent reviewing officer").check()
    assert_accessible(page)
    page.get_by_role("button", name="Save the notice").click()
    expect(records).to_contain_text("(an emergency placement)")
    expect(records).to_contain_text("The child's GP, The independent reviewing officer")
    expect(page.locator("table", has_text="Statutory work due")).not_to_contain_text(
        "Notice of the placement"
    )
    assert_accessible(page)
