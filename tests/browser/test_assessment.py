"""A social worker writes an assessment; their manager returns it, then authorises it."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from caseline.apps.accounts.demo import ensure_demo_users
from caseline.apps.accounts.models import Team, User
from caseline.apps.assessments.models import Assessment
from caseline.apps.frontdoor.models import Referral
from caseline.apps.people.models import Allocation, Person
from tests.browser.conftest import axe_violations, describe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def referred_child(transactional_db: None) -> Person:
    """A synthetic child with an open referral, allocated to the demo worker's team."""
    ensure_demo_users()
    worker = User.objects.get(username="social.worker")
    child = Person.objects.create(
        given_name="Remy",
        family_name="Brightwater",
        date_of_birth=datetime.date(2019, 5, 4),
    )
    referral_date = timezone.localdate() - datetime.timedelta(days=3)
    Referral.objects.create(
        person=child,
        referral_date=referral_date,
        source="1A",
        opened_by=User.objects.get(username="front.door"),
    )
    Allocation.objects.create(
        person=child,
        team=Team.objects.get(name="Assessment Team North"),
        worker=worker,
        start_date=referral_date,
    )
    return child


def _switch_user(page: Any, live_server: Any, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, live_server, username)


def _save_and_submit(page: Any) -> None:
    page.get_by_role("button", name="Save and submit for authorisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Submit the assessment for authorisation"
    )
    page.get_by_role("button", name="Submit for authorisation").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Assessment submitted for authorisation"
    )


def test_assessment_from_draft_to_authorisation(
    live_server: Any, page: Any, referred_child: Person
) -> None:
    child = referred_child
    start = timezone.localdate() - datetime.timedelta(days=3)

    # The worker starts the assessment from the child's record.
    sign_in(page, live_server, "social.worker")
    page.goto(f"{live_server.url}/assessments/record/{child.pk}/")
    page.get_by_role("link", name="Start an assessment").click()
    page.locator('input[name="start_date_day"]').fill(str(start.day))
    page.locator('input[name="start_date_month"]').fill(str(start.month))
    page.locator('input[name="start_date_year"]').fill(str(start.year))
    page.get_by_role("button", name="Start assessment").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Assessment started")

    # The long form, with the analysis left for later.
    page.get_by_role("group", name="Was the child seen during the assessment?").get_by_label(
        "Yes"
    ).check()
    page.get_by_label("The child's views and wishes").fill(
        "Remy showed me his toy garage and said he likes it when dad reads to him."
    )
    page.get_by_label("Play").check()
    page.get_by_label("Risks and concerns").fill("Arguments at home late at night.")
    page.get_by_label("Strengths and protective factors").fill("A close grandmother nearby.")
    page.get_by_label("Child in need plan").check()
    page.get_by_label("3B - Domestic violence").check()
    violations = axe_violations(page)
    assert violations == [], describe(violations)

    # It cannot be submitted without an analysis: the page says so, linked to the section.
    page.get_by_role("button", name="Save and submit for authorisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Submit the assessment for authorisation"
    )
    expect(page.locator("main")).to_contain_text("cannot be submitted until these are done")
    expect(page.get_by_role("button", name="Submit for authorisation")).to_have_count(0)
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    page.get_by_role("link", name="Record the analysis").click()
    expect(page.get_by_label("Analysis")).to_be_visible()
    assert page.url.endswith("/edit/#id_analysis")
    page.get_by_label("Analysis").fill(
        "The grandmother's support balances the arguments; a plan can reduce the stress."
    )
    _save_and_submit(page)

    # The manager finds it in the queue; authorising needs their comment on it.
    _switch_user(page, live_server, "team.manager")
    page.goto(f"{live_server.url}/assessments/awaiting-authorisation/")
    page.get_by_role("link", name="Remy Brightwater").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Authorise the assessment")
    expect(page.locator("main")).to_contain_text("Every part needed for authorisation is complete")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    page.get_by_role("button", name="Authorise").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter your comment on the assessment and its decision")
    violations = axe_violations(page)
    assert violations == [], describe(violations)

    # It goes back to the worker with a reason.
    page.get_by_role("link", name="Return to the social worker").click()
    page.get_by_label("Why are you returning the assessment?").fill(
        "Say what dad thinks about the arguments."
    )
    page.get_by_role("button", name="Return assessment").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Assessment returned"
    )

    # The worker adds it and submits again.
    _switch_user(page, live_server, "social.worker")
    assessment = Assessment.objects.get(person=child)
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/edit/")
    expect(page.locator("main")).to_contain_text("Say what dad thinks about the arguments.")
    page.get_by_label("Parents' and carers' views").fill(
        "Dad says the arguments are about money and wants help with a budget."
    )
    _save_and_submit(page)

    # The manager authorises it today with their comment, and is taken on to the plan.
    _switch_user(page, live_server, "team.manager")
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/authorise/")
    page.get_by_label("Your comment on the assessment and its decision").fill(
        "A clear analysis; a child in need plan with budgeting support is right."
    )
    page.get_by_role("button", name="Authorise").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Assessment authorised"
    )
    expect(page.locator("main")).to_contain_text(
        "A clear analysis; a child in need plan with budgeting support is right."
    )
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.AUTHORISED
    assert assessment.authorised_on == timezone.localdate()
    assert assessment.authorised_by == User.objects.get(username="team.manager")
    assert assessment.returns.count() == 1
    page.get_by_role("link", name="Start the child in need plan for Remy Brightwater").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a child in need plan")
    assert page.url == f"{live_server.url}/children-in-need/record/{child.pk}/plans/new/"
