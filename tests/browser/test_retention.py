"""The senior leader reviews a record whose retention has ended and approves its destruction in
a real browser; the record is gone and the proof stays; the pages pass axe-core."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from caseline.apps.accounts.demo import ensure_demo_users
from caseline.apps.accounts.models import User
from caseline.apps.frontdoor.models import Referral
from caseline.apps.people.models import Person
from caseline.apps.retention.actions import list_due_records
from caseline.apps.retention.models import RetentionReview
from caseline.apps.retention.schedule import years_after
from tests.browser.conftest import axe_violations, describe, sign_in
from tests.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def child(transactional_db: None) -> Person:
    """A child whose only record is a referral, 25 a week ago: due for destruction."""
    ensure_demo_users()
    person = PersonFactory.create(
        given_name="Orla",
        family_name="Expired",
        date_of_birth=years_after(timezone.localdate() - datetime.timedelta(days=7), -25),
    )
    Referral.objects.create(
        person=person,
        referral_date=datetime.date(2018, 6, 4),
        source="1A",
        primary_need="N1",
        opened_by=User.objects.get(username="social.worker"),
    )
    list_due_records(as_at=timezone.localdate())
    return person


def test_approving_destruction_in_the_browser(page: Any, live_server: Any, child: Person) -> None:
    sign_in(page, live_server, "director")
    page.get_by_role("link", name="Retention").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Retention")
    expect(page.get_by_role("link", name="Orla Expired", exact=True)).to_be_visible()
    violations = axe_violations(page)
    assert violations == [], describe(violations)

    page.get_by_role("link", name="Review Orla Expired's record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Approve destruction of Orla Expired's record"
    )
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    page.get_by_role("button", name="Destroy the record").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Confirm that you have reviewed the record"
    )
    page.get_by_label("I have reviewed this record and approve its destruction").check()
    page.get_by_role("button", name="Destroy the record").click()

    expect(page.get_by_text(f"Record P{child.pk:07d} destroyed under RET-CIN")).to_be_visible()
    assert not Person.objects.filter(pk=child.pk).exists()
    assert RetentionReview.objects.get().status == RetentionReview.Status.DESTROYED
