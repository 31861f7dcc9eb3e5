"""A manager records oversight and supervision, a social worker a significant note; the notes
page shows all three and the pages pass axe-core with no violations."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from caseline.apps.accounts.demo import ensure_demo_users
from caseline.apps.accounts.models import Team, User
from caseline.apps.people.models import Allocation, Person
from tests.browser.conftest import axe_violations, describe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def child(transactional_db: None) -> Person:
    ensure_demo_users()
    person = Person.objects.create(
        given_name="Nell", family_name="Browsertest", date_of_birth=datetime.date(2016, 6, 1)
    )
    Allocation.objects.create(
        person=person,
        team=Team.objects.get(name="Assessment Team North"),
        worker=User.objects.get(username="social.worker"),
        start_date=timezone.localdate() - datetime.timedelta(days=60),
    )
    return person


def _fill_date(page: Any, field_id: str, day: datetime.date) -> None:
    page.locator(f"#{field_id}_0").fill(str(day.day))
    page.locator(f"#{field_id}_1").fill(str(day.month))
    page.locator(f"#{field_id}_2").fill(str(day.year))


def test_oversight_supervision_and_a_significant_note(
    live_server: Any, page: Any, child: Person
) -> None:
    today = timezone.localdate()
    notes_url = f"{live_server.url}/recording/record/{child.pk}/"

    sign_in(page, live_server, "team.manager")
    page.goto(notes_url)
    page.get_by_role("link", name="Record management oversight").click()
    _fill_date(page, "id_occurred_on", today)
    page.get_by_label("Management decision").fill("Continue the child and family assessment")
    page.get_by_label("Reasons for the decision").fill("Nell says she feels safe at home")
    page.get_by_role("button", name="Save management oversight").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Management oversight recorded"
    )

    page.get_by_role("link", name="Record supervision").click()
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    _fill_date(page, "id_occurred_on", today)
    expect(page.get_by_label("Worker supervised")).to_have_value(
        str(User.objects.get(username="social.worker").pk)
    )
    page.get_by_label("Objectives").fill("Nell attends school every day")
    page.get_by_label("Contingency").fill("If attendance falls, hold a team around the child")
    page.locator("#id_actions-0-action").fill("Meet the school attendance officer")
    page.locator("#id_actions-0-owner").fill("Sam Worth")
    _fill_date(page, "id_actions-0-by_when", today + datetime.timedelta(days=14))
    page.get_by_role("button", name="Save supervision").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Supervision recorded"
    )

    page.context.clear_cookies()
    sign_in(page, live_server, "social.worker")
    page.goto(notes_url)
    page.get_by_role("link", name="Record a note").click()
    page.get_by_role("button", name="Save note").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the type of note")
    assert page.title() == "Record a note (error) - Caseline"
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    page.get_by_label("Visit", exact=True).check()
    _fill_date(page, "id_occurred_on", today)
    page.get_by_label("Title").fill("Home visit after school")
    page.get_by_label("What happened").fill("Nell showed me her new school bag.")
    page.get_by_label("This is a significant event for the child").check()
    page.get_by_label("Why this is significant (if it is)").fill(
        "Nell spoke about home for the first time"
    )
    page.get_by_role("button", name="Save note").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Note recorded")

    notes = page.locator("article.app-case-note")
    expect(notes).to_have_count(3)
    main = page.locator("main")
    expect(main).to_contain_text("Continue the child and family assessment")
    expect(main).to_contain_text("Meet the school attendance officer")
    expect(main).to_contain_text("Home visit after school")
    expect(main.locator(".govuk-tag", has_text="Significant event")).to_have_count(1)
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    page.get_by_role("link", name="Home visit after school").click()
    expect(page.get_by_role("link", name="Amend this note")).to_be_visible()
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_a_visit_recorded_on_the_plan_is_on_the_visits_and_notes_tab(
    live_server: Any, page: Any, child: Person
) -> None:
    today = timezone.localdate()
    notes_url = f"{live_server.url}/recording/record/{child.pk}/"

    # "Record a visit" on the tab leads to the form for the child's plan (here, none yet:
    # a child in need visit).
    sign_in(page, live_server, "social.worker")
    page.goto(notes_url)
    expect(page.locator("main")).to_contain_text("No visits have been recorded.")
    page.get_by_role("link", name="Record a visit").click()
    assert page.url == f"{live_server.url}/children-in-need/record/{child.pk}/visits/new/"
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a visit")
    _fill_date(page, "id_visit_date", today)
    page.locator('input[name="child_seen"][value="yes"]').check()
    page.locator('input[name="child_seen_alone"][value="yes"]').check()
    page.locator('input[name="seen_bedroom"][value="yes"]').check()
    page.get_by_label("Purpose of the visit").fill("First visit after the referral")
    page.get_by_label("What you observed").fill("Nell showed me her bedroom and her books.")
    page.get_by_role("button", name="Record the visit").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Visit recorded")

    # The tab lists it: when, what kind, whether Nell was seen alone, who recorded it.
    page.goto(notes_url)
    visits = page.locator("#visits + table")
    row = visits.locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(f"{today.day} {today:%B %Y}")
    expect(row).to_contain_text("Child in need visit")
    expect(row).to_contain_text("Seen alone")
    expect(row).to_contain_text("Sam Worth")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    row.get_by_role("link", name="Child in need visits").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Child in need visits")
