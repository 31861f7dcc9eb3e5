"""A social worker and a conference chair take a child from a strategy discussion through a
section 47 enquiry and initial conference to a child protection plan, then read the plan the
family gets. Each page passes axe-core with no violations."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from caseline.apps.accounts.demo import ensure_demo_users
from caseline.apps.accounts.models import Team, User
from caseline.apps.frontdoor.models import Referral
from caseline.apps.people.models import Allocation, Person
from caseline.apps.protection.models import ProtectionPlan
from tests.browser.conftest import axe_violations, describe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def child(transactional_db: None) -> Person:
    ensure_demo_users()
    worker = User.objects.get(username="social.worker")
    User.objects.filter(pk=worker.pk).update(
        work_phone="0113 496 0777", email="sam.worth@caseline.example"
    )
    person = Person.objects.create(
        given_name="Tilly", family_name="Browsertest", date_of_birth=datetime.date(2013, 3, 1)
    )
    Allocation.objects.create(
        person=person,
        team=Team.objects.get(name="Assessment Team North"),
        worker=worker,
        start_date=timezone.localdate() - datetime.timedelta(days=60),
    )
    Referral.objects.create(
        person=person,
        referral_date=timezone.localdate() - datetime.timedelta(days=40),
        source="1A",
        opened_by=worker,
    )
    return person


def _fill_date(page: Any, field_id: str, day: datetime.date) -> None:
    page.locator(f"#{field_id}_0").fill(str(day.day))
    page.locator(f"#{field_id}_1").fill(str(day.month))
    page.locator(f"#{field_id}_2").fill(str(day.year))


def _no_violations(page: Any) -> None:
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def _agencies(page: Any, health: str = "Attended") -> None:
    for phrase in ("children's social care", "the police", "education", "other agencies"):
        page.get_by_label(f"How {phrase} took part").select_option(label="Attended")
    page.get_by_label("How health took part").select_option(label=health)


def test_strategy_discussion_to_a_plan_the_family_can_read(
    live_server: Any, page: Any, child: Person
) -> None:
    today = timezone.localdate()
    strategy_day = today - datetime.timedelta(days=20)
    record_url = f"{live_server.url}/child-protection/record/{child.pk}/"

    sign_in(page, live_server, "social.worker")
    page.goto(record_url)
    _no_violations(page)
    page.get_by_role("link", name="Record a strategy discussion").click()
    page.get_by_role("button", name="Save strategy discussion").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select how the police took part")
    _no_violations(page)
    page.get_by_label("Strategy meeting").check()
    _fill_date(page, "id_held_on", strategy_day)
    page.get_by_label("Time").fill("10:30")
    _agencies(page, health="Not invited")
    page.get_by_label("Information shared").fill("School saw a bruise on Tilly's arm.")
    page.get_by_label("Decision", exact=True).fill("Joint section 47 enquiry.")
    page.get_by_label("Reasons for the decision").fill("Unexplained injury to a child.")
    page.get_by_label("Section 47 enquiry jointly with the police").check()
    page.get_by_role("button", name="Save strategy discussion").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Strategy discussion recorded"
    )
    main = page.locator("main")
    expect(main).to_contain_text("Health took no part in this strategy discussion.")
    _no_violations(page)

    page.get_by_role("link", name="Record the outcome").click()
    page.get_by_label("Concerns substantiated: a child protection conference is needed").check()
    _fill_date(page, "id_completed_on", today - datetime.timedelta(days=10))
    page.get_by_label("Reasons for the outcome").fill("Tilly said she was hit.")
    page.get_by_role("button", name="Save outcome").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Section 47 outcome recorded"
    )

    page.context.clear_cookies()
    sign_in(page, live_server, "iro")
    page.goto(record_url)
    page.get_by_role("link", name="Record the initial conference").click()
    expect(page.locator("main")).to_contain_text("Previous child protection plans: 0")
    _no_violations(page)
    _fill_date(page, "id_conference_date", today - datetime.timedelta(days=5))
    for phrase in ("children's social care", "the police", "health", "education"):
        page.get_by_label(f"How {phrase} took part").select_option(label="Attended")
    page.get_by_label("How other agencies took part").select_option(label="Not invited")
    page.locator("#id_health_knows_child_0").check()
    page.get_by_label("Yes, before the conference").check()
    page.get_by_label("How the child took part").fill("Tilly wrote to the chair.")
    page.get_by_label("How the family took part").fill("Mum attended.")
    page.get_by_label("The child needs a child protection plan").check()
    page.get_by_label("Reasons for the decision").fill("Likely significant harm.")
    page.get_by_label("Category of abuse").select_option("PHY")
    # Tilly's social worker leads her plan unless the chair chooses another who holds cases.
    lead = page.get_by_label("Lead social worker")
    sam = User.objects.get(username="social.worker")
    expect(lead).to_have_value(str(sam.pk))
    expect(lead.locator("option", has_text="Ira Reeve")).to_have_count(0)
    expect(lead.locator("optgroup").first).to_have_attribute("label", "Assessment Team North")
    page.get_by_label("Outline plan").fill("Mum to do the safe care course.")
    page.get_by_role("button", name="Save conference").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter how the plan meets the child's identity needs"
    )
    _no_violations(page)
    page.get_by_label("How the plan meets Tilly's identity needs").fill(
        "Tilly is deaf and uses BSL: every meeting has a BSL interpreter."
    )
    page.get_by_role("button", name="Save conference").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Initial child protection conference recorded"
    )
    expect(page.locator("main")).to_contain_text("Completed on time")
    _no_violations(page)

    plan = ProtectionPlan.objects.get(person=child)
    page.context.clear_cookies()
    sign_in(page, live_server, "social.worker")
    page.goto(f"{record_url}plan/{plan.pk}/")
    expect(page.locator(".govuk-tag--red", has_text="Child protection plan")).to_be_visible()
    page.get_by_role("link", name="Add what needs to change").click()
    page.get_by_label("What needs to change").fill("Tilly is not hurt at home.")
    page.get_by_role("button", name="Add").click()
    page.get_by_role("link", name="Add an action").click()
    page.get_by_label("What will happen").fill("Go to the safe care course every week")
    page.get_by_label("Who will do it").fill("Mum")
    _fill_date(page, "id_by_when", today + datetime.timedelta(days=30))
    page.get_by_label("How we will know it has worked").fill("The course leader tells us")
    page.get_by_role("button", name="Add the action").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Action added")
    expect(page.locator("main")).to_contain_text("Go to the safe care course every week")
    _no_violations(page)

    page.get_by_role("link", name="Change the plan").click()
    page.get_by_label("What we are worried about").fill("Tilly had a bruise on her arm.")
    page.get_by_label("Contingency plan").fill(
        "If Tilly is hurt again we will hold a legal planning meeting."
    )
    page.get_by_label("The child's views").fill("Tilly wants Mum to stop shouting.")
    expect(page.get_by_label("How the plan meets Tilly's identity needs")).to_have_value(
        "Tilly is deaf and uses BSL: every meeting has a BSL interpreter."
    )
    expect(page.get_by_label("Lead social worker")).to_have_value(str(sam.pk))
    _no_violations(page)
    page.get_by_role("button", name="Save the plan").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Plan saved")

    page.get_by_role("link", name="The plan for the family").click()
    main = page.locator("main")
    expect(main).to_contain_text("We are worried that Tilly is at risk of being hurt physically.")
    expect(main).to_contain_text("Go to the safe care course every week")
    # Who to call first; how each action is going; who Tilly is; what the words mean.
    contact = page.locator("#family-contact")
    expect(contact).to_contain_text("Tilly's social worker is Sam Worth.")
    expect(contact).to_contain_text("Phone: 0113 496 0777")
    expect(contact).to_contain_text("sam.worth@caseline.example")
    expect(page.locator("table", has_text="How it is going")).to_contain_text("On track")
    expect(main).to_contain_text("every meeting has a BSL interpreter")
    expect(page.locator("#family-words")).to_contain_text(
        "Legal planning meeting: a meeting where social workers and the council's lawyers"
    )
    expect(page.locator("#readability-grade")).to_contain_text("Flesch-Kincaid Grade")
    _no_violations(page)
    pdf_href = page.get_by_role("link", name="Download as a PDF").get_attribute("href")
    response = page.request.get(f"{live_server.url}{pdf_href}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")
    page.get_by_role("link", name="Show the version for the child").click()
    expect(page.locator("main")).to_contain_text("Hello Tilly. This is your plan.")
    _no_violations(page)

    page.get_by_role("link", name="Back to the plan").click()
    page.get_by_role("link", name="Record a core group meeting").click()
    _fill_date(page, "id_meeting_date", today - datetime.timedelta(days=1))
    page.get_by_label("Who came").fill("Mum, school nurse, social worker")
    page.get_by_label("Some progress").check()
    page.get_by_label("Progress against the plan").fill("Mum has started the course.")
    _no_violations(page)
    page.get_by_role("button", name="Save core group").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Core group recorded"
    )
    expect(page.locator("main")).to_contain_text("Completed on time")

    page.context.clear_cookies()
    sign_in(page, live_server, "iro")
    page.goto(f"{record_url}plan/{plan.pk}/")
    page.get_by_role("link", name="Record a review conference").click()
    _fill_date(page, "id_conference_date", today)
    for phrase in ("children's social care", "the police", "health", "education"):
        page.get_by_label(f"How {phrase} took part").select_option(label="Attended")
    page.get_by_label("How other agencies took part").select_option(label="Not invited")
    page.locator("#id_health_knows_child_0").check()
    page.get_by_label("Yes, before the conference").check()
    page.get_by_label("How the child took part").fill("Tilly met the chair.")
    page.get_by_label("How the family took part").fill("Mum attended.")
    page.get_by_label("Good progress").check()
    page.get_by_label("End the child protection plan").check()
    page.get_by_label("Reasons for the decision").fill("Tilly is no longer at continuing risk.")
    _no_violations(page)
    page.get_by_role("button", name="Save review conference").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Review conference recorded"
    )
    page.get_by_role("link", name="View the child protection plan").click()
    expect(page.locator("main")).to_contain_text(
        "A review conference decided the child is no longer at risk"
    )
    expect(page.locator(".govuk-tag", has_text="Child protection plan")).to_have_count(0)
    _no_violations(page)


def test_a_transfer_in_awaits_its_conference_until_the_chair_records_it(
    live_server: Any, page: Any, child: Person
) -> None:
    today = timezone.localdate()
    record_url = f"{live_server.url}/child-protection/record/{child.pk}/"
    sign_in(page, live_server, "social.worker")
    page.goto(record_url)
    page.get_by_role("link", name="Record a transfer in").click()
    page.get_by_role("button", name="Save the transfer in").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the local authority the child moved from"
    )
    _no_violations(page)
    _fill_date(page, "id_notified_on", today - datetime.timedelta(days=2))
    page.get_by_label("Local authority the child moved from").fill("Northshire")
    page.get_by_role("button", name="Save the transfer in").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "The transfer-in conference is due by"
    )
    awaited = page.locator(".govuk-summary-card", has_text="Transfer-in conference awaited")
    expect(awaited).to_contain_text("Northshire, on a child protection plan there")
    expect(awaited.locator(".govuk-tag")).to_contain_text("Due")
    _no_violations(page)

    page.context.clear_cookies()
    sign_in(page, live_server, "iro")
    page.goto(record_url)
    page.get_by_role("link", name="Record a transfer-in conference").click()
    expect(page.locator("main")).to_contain_text("from Northshire, on a child protection plan")
    _no_violations(page)
    _fill_date(page, "id_conference_date", today)
    for phrase in ("children's social care", "the police", "health", "education"):
        page.get_by_label(f"How {phrase} took part").select_option(label="Attended")
    page.get_by_label("How other agencies took part").select_option(label="Not invited")
    page.locator("#id_health_knows_child_0").check()
    page.get_by_label("Yes, before the conference").check()
    page.get_by_label("How the child took part").fill("Tilly met the chair.")
    page.get_by_label("How the family took part").fill("Mum attended.")
    page.get_by_label("The child needs a child protection plan").check()
    page.get_by_label("Reasons for the decision").fill("The risks Northshire found remain.")
    page.get_by_label("Category of abuse").select_option("NEG")
    page.get_by_label("Outline plan").fill("Carry on the plan Northshire made.")
    page.get_by_label("How the plan meets Tilly's identity needs").fill(
        "Tilly keeps her place at the deaf club she found in Northshire."
    )
    page.get_by_role("button", name="Save conference").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Transfer-in conference recorded"
    )
    expect(page.locator("main")).to_contain_text("Northshire (we were told on")
    expect(page.locator("main")).to_contain_text("Completed on time")
    _no_violations(page)
    page.goto(record_url)
    expect(page.locator("main")).not_to_contain_text("Transfer-in conference awaited")
    expect(page.locator("main")).to_contain_text("Transfer-in conference on")
