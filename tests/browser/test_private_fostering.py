"""Private fostering's main path: a social worker records a notification and the first visit,
the team manager records the decision; young carers' (identified, assessed, supported) and
participation's (told about the Children in Care Council and how to complain, referred for
advocacy); the pages pass axe-core with no violations."""

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
        given_name="Kemi", family_name="Browsertest", date_of_birth=datetime.date(2011, 2, 1)
    )
    Allocation.objects.create(
        person=person,
        team=Team.objects.get(name="Assessment Team North"),
        worker=User.objects.get(username="social.worker"),
        start_date=timezone.localdate() - datetime.timedelta(days=30),
    )
    return person


def _fill_date(page: Any, field_id: str, day: datetime.date) -> None:
    page.locator(f"#{field_id}_0").fill(str(day.day))
    page.locator(f"#{field_id}_1").fill(str(day.month))
    page.locator(f"#{field_id}_2").fill(str(day.year))


def test_notification_first_visit_and_decision(live_server: Any, page: Any, child: Person) -> None:
    today = timezone.localdate()
    record_url = f"{live_server.url}/private-fostering/record/{child.pk}/"

    sign_in(page, live_server, "social.worker")
    page.goto(record_url)
    page.get_by_role("link", name="Record a private fostering notification").click()
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    _fill_date(page, "id_notified_on", today - datetime.timedelta(days=2))
    page.get_by_label("A professional (school, health, police or other)").check()
    page.get_by_label("Name of the person who notified us").fill("Head of Year 9")
    page.locator("#id_proposed_1").check()  # No
    page.get_by_label("Private foster carer's name").fill("Bea Okafor")
    page.get_by_role("button", name="Record the notification").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Notification recorded"
    )
    expect(page.locator("h3")).to_contain_text("Arrangement with Bea Okafor")

    page.get_by_role("link", name="Record a visit").click()
    _fill_date(page, "id_visit_date", today)
    page.locator("#id_child_seen_0").check()
    page.locator("#id_child_seen_alone_0").check()
    page.get_by_label("What you observed").fill("Kemi has her own room and is settled.")
    page.get_by_role("button", name="Record the visit").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Visit recorded")
    expect(page.get_by_text("Kemi has her own room and is settled.")).to_be_visible()
    violations = axe_violations(page)
    assert violations == [], describe(violations)

    page.context.clear_cookies()
    sign_in(page, live_server, "team.manager")
    page.goto(record_url)
    page.get_by_role("link", name="Record the decision").click()
    page.get_by_label("Suitable: the arrangement may continue").check()
    _fill_date(page, "id_decision_date", today)
    page.get_by_label("Reasons").fill("A safe, loving home; Kemi wants to stay.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Decision recorded")
    expect(page.get_by_text("A safe, loving home; Kemi wants to stay.")).to_be_visible()


def test_young_carer_identified_assessed_and_supported(
    live_server: Any, page: Any, child: Person
) -> None:
    today = timezone.localdate()
    sign_in(page, live_server, "social.worker")
    page.goto(f"{live_server.url}/private-fostering/record/{child.pk}/")
    page.get_by_role("link", name="Record a young carer").click()
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    _fill_date(page, "id_identified_on", today - datetime.timedelta(days=10))
    page.get_by_label("Who the child cares for").fill("Mum, who has multiple sclerosis")
    page.get_by_label("What the child does as a carer").fill("Cooks and helps mum dress.")
    page.get_by_role("button", name="Record the young carer").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Young carer recorded"
    )
    page.get_by_role("link", name="Record the assessment").click()
    _fill_date(page, "id_assessed_on", today)
    page.locator("#id_needs_support_0").check()  # Yes
    page.get_by_label("Outcome of the assessment").fill("Needs a break from caring.")
    page.get_by_role("button", name="Record the assessment").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Needs assessment recorded"
    )
    page.get_by_role("link", name="Record support").click()
    page.get_by_label("Support given").fill("Young carers' group")
    _fill_date(page, "id_started_on", today)
    page.get_by_role("button", name="Record the support").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Support recorded")
    expect(page.locator("main")).to_contain_text("Young carers' group")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    page.goto(f"{live_server.url}/people/{child.pk}/")
    expect(page.locator("main")).to_contain_text("Young carer")


def test_participation_told_and_an_advocacy_referral(
    live_server: Any, page: Any, child: Person
) -> None:
    today = timezone.localdate()
    sign_in(page, live_server, "social.worker")
    page.goto(f"{live_server.url}/private-fostering/record/{child.pk}/")
    page.get_by_role("link", name="Record what the child was told").click()
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    _fill_date(page, "id_on", today)
    page.get_by_label("The Children in Care Council").check()
    page.get_by_label("How to complain").check()
    page.get_by_role("button", name="Record it").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Recorded")
    page.get_by_role("link", name="Record an advocacy referral or visitor match").click()
    page.get_by_label("Referred for independent advocacy").check()
    _fill_date(page, "id_on", today)
    page.get_by_label("Advocacy service or independent visitor").fill("Coram Voice")
    page.get_by_role("button", name="Record it").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Recorded")
    expect(page.locator("main")).to_contain_text("Coram Voice")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
