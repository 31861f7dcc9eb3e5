"""The front door worker records a contact, decides to refer, and sees the referral."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from caseline.apps.accounts.demo import ensure_demo_users
from caseline.apps.frontdoor.models import Contact, Referral
from caseline.apps.people.models import Person
from tests.browser.conftest import axe_violations, describe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def synthetic_child(transactional_db: None) -> Person:
    ensure_demo_users()
    return Person.objects.create(
        given_name="Zuri",
        family_name="Testfamily",
        date_of_birth=datetime.date(2016, 2, 3),
        sex=Person.Sex.FEMALE,
    )


def test_contact_to_referral(live_server: Any, page: Any, synthetic_child: Person) -> None:
    child = synthetic_child
    today = timezone.localdate()
    sign_in(page, live_server, "front.door")
    page.goto(f"{live_server.url}/front-door/contacts/new/?person={child.pk}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a contact")
    violations = axe_violations(page)
    assert violations == [], describe(violations)

    # A failed submission shows the error summary, itself accessible.
    page.get_by_role("button", name="Record contact").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    violations = axe_violations(page)
    assert violations == [], describe(violations)

    page.locator("#id_received_on_0").fill(str(today.day))
    page.locator("#id_received_on_1").fill(str(today.month))
    page.locator("#id_received_on_2").fill(str(today.year))
    page.get_by_label("Who made the contact (source)").select_option("2A")
    page.get_by_label("Referrer's name").fill("A Teacher")
    page.get_by_label("What is the concern?").fill("Zuri said she is frightened to go home.")
    page.get_by_label("Given", exact=True).check()
    page.get_by_role("button", name="Record contact").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Contact about Zuri"
    )

    contact = Contact.objects.get()
    page.goto(f"{live_server.url}/front-door/")
    expect(page.locator("table")).to_contain_text("Zuri Testfamily")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    page.get_by_role("link", name="View").click()
    page.get_by_role("link", name="Record the decision").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Decide what happens next")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    page.get_by_label("Referral to children's social care").check()
    page.get_by_label("Reason for the decision").fill("Needs a social work assessment today.")
    page.get_by_label("Primary need (for a referral, optional)").select_option("N1")
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "referral opened for Zuri Testfamily"
    )
    referral = Referral.objects.get(person=child)
    assert referral.contact_id == contact.pk

    page.goto(f"{live_server.url}/front-door/record/{child.pk}/")
    table = page.locator("table", has_text="Referral date")
    expect(table).to_contain_text(today.strftime("%-d %B %Y"))
    expect(table).to_contain_text("Abuse or neglect")
    expect(table).to_contain_text("Open")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
