"""The front door worker records a contact, decides to refer, and sees the referral; and the
front door's snags of issue 22, each walked through."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from caseline.apps.accounts.demo import ensure_demo_users
from caseline.apps.accounts.models import User
from caseline.apps.frontdoor.models import Contact, Referral
from caseline.apps.people import actions as people_actions
from caseline.apps.people.models import Person
from tests.browser.conftest import axe_violations, describe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fill_date(page: Any, name: str, day: datetime.date) -> None:
    page.locator(f'input[name="{name}_day"]').fill(str(day.day))
    page.locator(f'input[name="{name}_month"]').fill(str(day.month))
    page.locator(f'input[name="{name}_year"]').fill(str(day.year))


def _long(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


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


def _summary(page: Any, key: str) -> Any:
    """The value of the contact summary's row whose key is ``key``."""
    return (
        page.locator(".govuk-summary-list__row")
        .filter(has=page.locator("dt").get_by_text(key, exact=True))
        .locator("dd")
    )


def test_the_front_door_without_a_snag(live_server: Any, page: Any, transactional_db: None) -> None:
    """Issue 22: find the child from "Record a contact", a time later than now refused on the
    time field, no time shown as the date alone, the referrer read as one line, a contact
    corrected before it is decided, a blank decision date, and the allocation list."""
    ensure_demo_users()
    front = User.objects.get(username="front.door")
    child = people_actions.create_person(
        acting_user=front,
        given_name="Zuri",
        family_name="Testfamily",
        date_of_birth=datetime.date(2016, 2, 3),
        sex=Person.Sex.FEMALE,
        confirmed_not_duplicate=True,
    )
    now = timezone.localtime()
    today = now.date()
    url = live_server.url
    sign_in(page, live_server, "front.door")

    # "Record a contact" says to search, then choose "Record a contact" from the result: it is.
    page.goto(f"{url}/front-door/")
    page.get_by_role("link", name="Record a contact").click()
    expect(page.get_by_text('choose "Record a contact" from their result')).to_be_visible()
    page.get_by_label("Child's name").fill("Zuri Testfamily")
    page.get_by_role("button", name="Search for the child").click()
    page.get_by_role("link", name="Record a contact about Zuri Testfamily").click()
    expect(page.locator(".govuk-caption-l")).to_contain_text("Zuri Testfamily")
    _fill_date(page, "received_on", today)
    page.get_by_label("Who made the contact (source)").select_option("2A")
    page.get_by_label("Referrer's name").fill("Mrs J Teacher")
    page.get_by_label("Referrer's organisation").fill("Caseline East Primary")
    page.get_by_label("What is the concern?").fill("Zuri said she is frightened to go home.")
    page.get_by_label("Given", exact=True).check()
    if (now.hour, now.minute) < (23, 58):
        # A time later than now is refused where it is typed.
        page.get_by_label("Time received (optional)").fill("23:59")
        page.get_by_role("button", name="Record contact").click()
        expect(page.locator("#id_received_time_error")).to_contain_text(
            "The time the contact was received must not be later than now"
        )
        expect(page.get_by_label("Time received (optional)")).to_have_value("23:59")
        violations = axe_violations(page)
        assert violations == [], describe(violations)
    # No time: the date alone.
    page.get_by_label("Time received (optional)").fill("")
    page.get_by_role("button", name="Record contact").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Contact about Zuri"
    )
    expect(_summary(page, "Received")).to_have_text(_long(today))
    expect(_summary(page, "Referrer")).to_have_text("Mrs J Teacher, Caseline East Primary")
    violations = axe_violations(page)
    assert violations == [], describe(violations)

    # Corrected before it is decided: now a time (midnight: never later than now), and
    # another source.
    page.get_by_role("link", name="Correct the contact's details").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Correct the contact's details")
    expect(page.get_by_label("Referrer's name")).to_have_value("Mrs J Teacher")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    page.get_by_label("Time received (optional)").fill("00:00")
    page.get_by_label("Who made the contact (source)").select_option("1A")
    page.get_by_role("button", name="Save corrections").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Contact details corrected"
    )
    expect(_summary(page, "Received")).to_have_text(f"{_long(today)} 00:00")
    contact = Contact.objects.get()
    assert (contact.source, contact.version) == ("1A", 2)

    # Decided with the date left blank, as its hint invites: today, now.
    page.get_by_role("link", name="Record the decision").click()
    expect(page.get_by_text("Leave blank if you decided today")).to_be_visible()
    page.get_by_label("Referral to children's social care").check()
    page.get_by_label("Reason for the decision").fill("Needs a social work assessment today.")
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "referral opened for Zuri Testfamily"
    )
    expect(page.get_by_role("link", name="Correct the contact's details")).to_have_count(0)
    assert Referral.objects.get(person=child).referral_date == today

    # The team manager's list: practitioners only, their team first, with caseloads.
    page.context.clear_cookies()
    sign_in(page, live_server, "team.manager")
    page.goto(f"{url}/front-door/record/{child.pk}/allocate/")
    worker = page.get_by_label("Worker (optional)")
    team = worker.locator('optgroup[label="Assessment Team North"] option')
    expect(team).to_have_text(["Tess Manning (no children)", "Sam Worth (no children)"])
    for name in ("Ana Lister", "Dee Rector", "Adi Minter", "Farah Doorley", "Ira Reeve"):
        expect(worker).not_to_contain_text(name)
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    worker.select_option(label="Sam Worth (no children)")
    page.get_by_label("Why is the social worker changing?").select_option("FCONTA")
    page.get_by_role("button", name="Allocate").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Case allocated to Assessment Team North"
    )
    # Reallocating starts from the worker the case is with, whose caseload now counts it.
    page.goto(f"{url}/front-door/record/{child.pk}/allocate/")
    expect(page.get_by_label("Worker (optional)").locator("option:checked")).to_have_text(
        "Sam Worth (1 child)"
    )
