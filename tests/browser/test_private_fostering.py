"""Private fostering's main path: a social worker records a notification and the first visit,
the team manager records the decision; the pages pass axe-core with no violations."""

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
