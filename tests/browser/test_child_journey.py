"""Issue 3, "The child's record", done when: a front door worker records a contact and makes a
referral; a social worker records an assessment, a child in need plan, visits and notes; a
manager returns then authorises the assessment; all of it shows on the child's record, with
due and late dates from the timescale engine."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from caseline.apps.accounts.demo import ensure_demo_users
from caseline.apps.accounts.models import Team, User
from caseline.apps.assessments.models import Assessment
from caseline.apps.assessments.queries import timeliness
from caseline.apps.frontdoor.models import Contact, Referral
from caseline.apps.people import actions
from caseline.apps.people.models import Allocation, Person
from caseline.apps.people.summary import due_items
from caseline.apps.timescales.rules import CATALOGUE
from tests.browser.conftest import axe_violations, describe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GIVEN, FAMILY = "Ottilie", "Journeyman"
FULL_NAME = f"{GIVEN} {FAMILY}"
DATE_OF_BIRTH = datetime.date(2015, 9, 14)


@pytest.fixture
def demo_users(transactional_db: None) -> None:
    ensure_demo_users()


def _as(page: Any, live_server: Any, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, live_server, username)


def _fill_date(page: Any, name: str, day: datetime.date) -> None:
    page.locator(f'input[name="{name}_day"]').fill(str(day.day))
    page.locator(f'input[name="{name}_month"]').fill(str(day.month))
    page.locator(f'input[name="{name}_year"]').fill(str(day.year))


def _long(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _success(page: Any, text: str) -> None:
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(text)


def _row(page: Any, scope: Any, key: str) -> Any:
    """The summary list row whose key is exactly ``key``."""
    return scope.locator(".govuk-summary-list__row").filter(
        has=page.locator("dt").get_by_text(key, exact=True)
    )


def _submit_assessment(page: Any) -> None:
    page.get_by_role("button", name="Save and submit for authorisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Submit the assessment for authorisation"
    )
    page.get_by_role("button", name="Submit for authorisation").click()
    _success(page, "Assessment submitted for authorisation")


def test_contact_to_plan_on_the_childs_record(
    live_server: Any, page: Any, demo_users: None
) -> None:
    today = timezone.localdate()
    # The contact came in long enough ago that the assessment, authorised today, is late.
    contact_day = today - datetime.timedelta(days=80)
    url = live_server.url

    # --- The front door finds no one, adds the child, records a contact and refers. ---
    sign_in(page, live_server, "front.door")
    page.goto(f"{url}/people/")
    page.get_by_label("Name").fill(FULL_NAME)
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="0 people found")).to_be_visible()
    page.get_by_role("link", name="Add a new person").click()
    page.get_by_label("First name").fill(GIVEN)
    page.get_by_label("Last name", exact=True).fill(FAMILY)
    _fill_date(page, "date_of_birth", DATE_OF_BIRTH)
    page.get_by_label("Female").check()
    page.get_by_role("button", name="Add person").click()
    _success(page, f"{FULL_NAME}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Summary")
    child = Person.objects.get(given_name=GIVEN, family_name=FAMILY)

    page.get_by_role("link", name="Contacts and episodes").click()
    page.get_by_role("link", name="Record a contact").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a contact")
    _fill_date(page, "received_on", contact_day)
    page.get_by_label("Who made the contact (source)").select_option("2A")
    page.get_by_label("Referrer's name").fill("A Teacher")
    page.get_by_label("What is the concern?").fill(
        "Ottilie told her teacher there is shouting at home every night."
    )
    page.get_by_label("Given", exact=True).check()
    page.get_by_role("button", name="Record contact").click()
    _success(page, f"Contact about {GIVEN}")
    contact = Contact.objects.get()

    page.goto(f"{url}/front-door/contacts/{contact.pk}/")
    page.get_by_role("link", name="Record the decision").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Decide what happens next")
    page.get_by_label("Referral to children's social care").check()
    page.get_by_label("Reason for the decision").fill("Needs a social work assessment.")
    page.get_by_label("Primary need (for a referral, optional)").select_option("N1")
    _fill_date(page, "decided_on", contact_day)
    page.get_by_role("button", name="Record decision").click()
    _success(page, f"referral opened for {FULL_NAME}")
    referral = Referral.objects.get(person=child)
    assert referral.contact_id == contact.pk
    assert referral.referral_date == contact_day

    # --- The team manager allocates the child to the social worker. ---
    _as(page, live_server, "team.manager")
    page.goto(f"{url}/front-door/record/{child.pk}/")
    page.get_by_role("link", name="Allocate the case").click()
    worker = User.objects.get(username="social.worker")
    page.get_by_label("Team").select_option(str(Team.objects.get(name="Assessment Team North").pk))
    page.get_by_label("Worker (optional)").select_option(str(worker.pk))
    _fill_date(page, "start_date", contact_day)
    page.get_by_label("Why is the social worker changing?").select_option("FCONTA")
    page.get_by_role("button", name="Allocate").click()
    _success(page, "Case allocated to Assessment Team North")
    allocation = Allocation.objects.get(person=child, end_date__isnull=True)
    assert allocation.worker == worker

    # --- The social worker writes the assessment, every section, and submits it. ---
    _as(page, live_server, "social.worker")
    page.goto(f"{url}/people/{child.pk}/")
    page.get_by_role("link", name="Assessments", exact=True).click()
    page.get_by_role("link", name="Start an assessment").click()
    _fill_date(page, "start_date", contact_day + datetime.timedelta(days=1))
    page.get_by_role("button", name="Start assessment").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Assessment started")

    page.get_by_role("group", name="Was the child seen during the assessment?").get_by_label(
        "Yes"
    ).check()
    page.get_by_role("group", name="Was the child seen alone?").get_by_label("Yes").check()
    _fill_date(page, "date_child_seen", today)
    page.get_by_label("The child's views and wishes").fill(
        "Ottilie drew her family and said she feels safest at her nan's house."
    )
    page.get_by_role("group", name="How were the child's views gathered?").get_by_role(
        "radio"
    ).first.check()
    page.get_by_label("Parents' and carers' views").fill(
        "Mum says money worries cause the arguments; dad wants help with his temper."
    )
    page.get_by_label("Identity, culture, religion, language and heritage").fill(
        "Ottilie is proud of her Irish heritage and goes to Irish dancing on Saturdays."
    )
    page.get_by_label("Family history and functioning").fill(
        "No previous involvement. Nan lives two streets away and sees Ottilie daily."
    )
    page.get_by_label("Risks and concerns").fill("Nightly shouting; Ottilie is tired at school.")
    page.get_by_label("Strengths and protective factors").fill(
        "A close nan and a school that notices."
    )
    page.get_by_label("Analysis").fill(
        "The arguments upset Ottilie but she is not at risk of significant harm; support "
        "for the parents should reduce them."
    )
    page.get_by_role("group", name="Outcome").get_by_label("Child in need plan").check()
    page.get_by_label("Recommendation").fill("A child in need plan, reviewed within 3 months.")
    page.get_by_label("3B - Domestic violence").check()
    page.get_by_label("Reason the assessment took longer than 45 working days").fill(
        "The family were abroad for three weeks of the assessment."
    )
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    _submit_assessment(page)
    assessment = Assessment.objects.get(person=child)

    # --- The manager returns it with a reason. ---
    _as(page, live_server, "team.manager")
    page.goto(f"{url}/assessments/awaiting-authorisation/")
    page.get_by_role("link", name=FULL_NAME).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Authorise the assessment")
    page.get_by_role("link", name="Return to the social worker").click()
    page.get_by_label("Why are you returning the assessment?").fill(
        "Say who will support the parents with money worries."
    )
    page.get_by_role("button", name="Return assessment").click()
    _success(page, "Assessment returned")

    # --- The worker amends it and submits again. ---
    _as(page, live_server, "social.worker")
    page.goto(f"{url}/assessments/{assessment.pk}/edit/")
    expect(page.locator("main")).to_contain_text(
        "Say who will support the parents with money worries."
    )
    page.get_by_label("Recommendation").fill(
        "A child in need plan, reviewed within 3 months; the family support worker helps "
        "the parents with a budget."
    )
    _submit_assessment(page)

    # --- The manager authorises it. ---
    _as(page, live_server, "team.manager")
    page.goto(f"{url}/assessments/{assessment.pk}/authorise/")
    page.get_by_label("Your comment on the assessment and its decision").fill(
        "The analysis is sound: a child in need plan will support the parents."
    )
    page.get_by_role("button", name="Authorise").click()
    _success(page, "Assessment authorised")
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.AUTHORISED
    assert assessment.returns.count() == 1
    assessment_timeliness = timeliness(assessment, today)
    assert assessment_timeliness.is_late

    # --- The worker starts the plan, records a visit and a significant note. ---
    _as(page, live_server, "social.worker")
    page.goto(f"{url}/children-in-need/record/{child.pk}/")
    page.get_by_role("link", name="Start a child in need plan").click()
    _fill_date(page, "start_date", today)
    page.get_by_label("The child's views on the plan").fill(
        "Ottilie wants quiet evenings and to keep going to dancing."
    )
    # Beside what her assessment found about who she is.
    expect(page.locator("#id_identity_needs_found")).to_contain_text("Irish dancing on Saturdays")
    page.get_by_label(f"How the plan meets {GIVEN}'s identity needs").fill(
        "The plan keeps Saturdays free for her Irish dancing."
    )
    page.get_by_role("button", name="Start the plan").click()
    page.get_by_label(f"What we want to be different for {GIVEN}").fill(
        "Evenings at home are calm and Ottilie sleeps well."
    )
    page.get_by_role("button", name="Add the outcome").click()
    page.get_by_label("What will happen").fill("Parents attend a budgeting course")
    page.get_by_label("Who will do it").fill("Mum and dad, with the family support worker")
    _fill_date(page, "by_when", today + datetime.timedelta(days=42))
    page.get_by_label("How we will know it has worked").fill(
        "Ottilie tells us there has been no shouting for a month"
    )
    page.get_by_role("button", name="Add the action").click()
    _success(page, "Action added")

    page.goto(f"{url}/children-in-need/record/{child.pk}/visits/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a visit")
    _fill_date(page, "visit_date", today)
    page.locator('input[name="child_seen"][value="yes"]').check()
    page.locator('input[name="child_seen_alone"][value="yes"]').check()
    page.locator('input[name="seen_bedroom"][value="yes"]').check()
    page.get_by_label("Purpose of the visit").fill("First visit under the plan")
    page.get_by_label("What you observed").fill("Ottilie showed me her dancing medals.")
    page.get_by_role("button", name="Record the visit").click()
    _success(page, "Visit recorded")

    page.goto(f"{url}/recording/record/{child.pk}/")
    page.get_by_role("link", name="Record a note").click()
    page.get_by_label("Phone call", exact=True).check()
    _fill_date(page, "occurred_on", today)
    page.get_by_label("Title").fill("Call from nan about a police call-out")
    page.get_by_label("What happened").fill("Nan says police came to the house last night.")
    page.get_by_label("This is a significant event for the child").check()
    page.get_by_label("Why this is significant (if it is)").fill(
        "The first time the police have been called"
    )
    page.get_by_role("button", name="Save note").click()
    _success(page, "Note recorded")

    # --- The record summary shows it all, with due dates from the engine. ---
    page.goto(f"{url}/people/{child.pk}/")
    main = page.locator("main")
    block = main.locator("dl", has_text="Timescale")
    expect(_row(page, block, "Status")).to_contain_text("Authorised")
    expect(_row(page, block, "Authorised")).to_contain_text(_long(today))
    expect(_row(page, block, "Outcome")).to_contain_text("Child in need plan")
    expect(_row(page, block, "Timescale")).to_contain_text(assessment_timeliness.label)
    expect(main).to_contain_text("Child in need plan started")
    expect(page.locator(".moj-identity-bar")).to_contain_text("Child in need plan")
    due_table = page.locator("table", has_text="Work")
    expected = due_items(child, today)
    assert expected, "the engine should have work due for a child on a plan"
    for item in expected:
        row = due_table.locator("tr", has_text=item.title).first
        expect(row).to_contain_text(_long(item.timeliness.due_date))
        expect(row).to_contain_text(item.timeliness.label)
    # The next visit and first review come from the catalogue's rules, counted from today's
    # visit and today's plan start.
    due_by_title = {item.title: item.timeliness.due_date for item in expected}
    assert due_by_title["Child in need visit"] == CATALOGUE.get("cin-visit").due_date(today)
    assert due_by_title["Child in need plan review"] == CATALOGUE.get("cin-plan-review").due_date(
        today
    )
    plan_block = main.locator("dl", has_text="Child in need plan started")
    expect(_row(page, plan_block, "Child in need plan started")).to_contain_text(_long(today))
    expect(_row(page, plan_block, "Last visit")).to_contain_text(
        f"{_long(today)}, child seen alone"
    )

    # --- The chronology lists the contact, the referral and the significant note. ---
    page.goto(f"{url}/chronology/record/{child.pk}/")
    chronology = page.locator("table.app-chronology")
    expect(chronology.locator('tr[data-category="contact"]').first).to_contain_text(
        contact_day.strftime("%-d %b %Y")
    )
    expect(chronology.locator('tr[data-category="referral"]').first).to_contain_text(
        contact_day.strftime("%-d %b %Y")
    )
    note_row = chronology.locator("tr", has_text="Call from nan about a police call-out")
    expect(note_row).to_contain_text("Significant")
    expect(note_row).to_contain_text("The first time the police have been called")

    # The record summary, last, passes axe-core.
    page.goto(f"{url}/people/{child.pk}/")
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_people_pages_for_duplicates_addresses_alerts_and_households_are_accessible(
    live_server: Any, page: Any, demo_users: None
) -> None:
    """The pages that finish the people capability, with and without errors, pass axe-core."""
    today = timezone.localdate()
    manager = User.objects.get(username="team.manager")
    child = Person.objects.create(
        given_name="Wren", family_name="Axetest", date_of_birth=DATE_OF_BIRTH
    )
    twin = Person.objects.create(
        given_name="Wrenn", family_name="Axetest", date_of_birth=DATE_OF_BIRTH
    )
    parent = Person.objects.create(given_name="Rowan", family_name="Axetest")
    for person in (child, twin):
        Allocation.objects.create(
            person=person,
            team=Team.objects.get(name="Assessment Team North"),
            worker=None,
            start_date=today,
        )
    actions.record_relationship(acting_user=manager, person=parent, other=child, kind="parent")
    actions.add_household_member(
        acting_user=manager, person=parent, household_name="Axetest, Elm Row"
    )
    actions.add_address(
        acting_user=manager,
        person=child,
        line_1="2 Elm Row",
        postcode="SW1A 1AA",
        start_date=today - datetime.timedelta(days=30),
    )
    actions.add_alert(
        acting_user=manager,
        person=child,
        text="Risk to lone workers",
        start_date=today - datetime.timedelta(days=30),
    )
    url = live_server.url
    sign_in(page, live_server, "team.manager")

    page.goto(f"{url}/people/{child.pk}/")
    page.get_by_role("link", name="Check for duplicates of this person").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Possible duplicates of Wren Axetest")
    expect(page.get_by_role("link", name="Wrenn Axetest")).to_be_visible()
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    page.get_by_role("link", name=f"Review merge of {twin.caseline_id}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merge two records")

    page.goto(f"{url}/people/{child.pk}/")
    page.get_by_role("link", name="End this address").click()
    page.get_by_role("button", name="End address").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the date they stopped living here")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    # The error summary's link takes the user to the day input.
    summary.get_by_role("link", name="Enter the date they stopped living here").click()
    expect(
        page.get_by_role("group", name="Date they stopped living here").get_by_label("Day")
    ).to_be_focused()
    _fill_date(page, "end_date", today)
    page.get_by_role("button", name="End address").click()
    _success(page, "Address ended")
    expect(page.locator("main")).to_contain_text("No current address.")

    page.get_by_role("link", name="End this alert").click()
    _fill_date(page, "end_date", today - datetime.timedelta(days=1))
    page.get_by_role("button", name="End alert").click()
    _success(page, "Alert ended")
    expect(page.locator(".govuk-warning-text")).to_have_count(0)

    page.goto(f"{url}/people/{child.pk}/people/")
    page.get_by_role("link", name="Add to an existing household").click()
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    page.get_by_label("Axetest, Elm Row: Rowan Axetest lives here").check()
    page.get_by_role("button", name="Add to household").click()
    _success(page, "Wren Axetest added to Axetest, Elm Row")
    expect(page.locator("main")).to_contain_text("Rowan Axetest")
