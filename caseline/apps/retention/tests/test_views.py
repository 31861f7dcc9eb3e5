"""The retention page: what falls due in the next 90 days, approving, holding; who may."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.events import EventType
from caseline.apps.audit.models import AuditEvent
from caseline.apps.people.models import Person
from caseline.apps.retention import actions
from caseline.apps.retention.models import LegalHold, RetentionReview
from caseline.apps.retention.schedule import years_after
from tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def approver(make_user: Callable[..., User]) -> User:
    return make_user(Role.SENIOR_LEADER, username="governance")


def _child_in_need(given: str, turns_25_on: datetime.date) -> Person:
    """A child whose only record is a referral, so kept to the 25th birthday."""
    referral = ReferralFactory.create(
        person__given_name=given,
        person__family_name="Retained",
        person__date_of_birth=years_after(turns_25_on, -25),
        referral_date=datetime.date(2020, 1, 6),
    )
    return referral.person


@pytest.fixture
def due_now() -> Person:
    return _child_in_need("Duenow", timezone.localdate() - datetime.timedelta(days=10))


@pytest.fixture
def due_soon() -> Person:
    return _child_in_need("Duesoon", timezone.localdate() + datetime.timedelta(days=30))


@pytest.fixture
def not_due() -> Person:
    return _child_in_need("Notdue", timezone.localdate() + datetime.timedelta(days=120))


def test_the_page_lists_what_is_due_and_what_falls_due_in_90_days(
    client: Client, approver: User, due_now: Person, due_soon: Person, not_due: Person
) -> None:
    actions.list_due_records(as_at=timezone.localdate())
    client.force_login(approver)
    response = client.get(reverse("retention:due"))
    assert response.status_code == 200
    sections = response.content.decode().split('id="due-soon"')
    assert "Duenow Retained" in sections[0]
    assert "Awaiting review" in sections[0]
    assert "Duesoon Retained" in sections[1]
    assert "Not yet due" in sections[1]
    assert "Notdue" not in response.content.decode()
    review = RetentionReview.objects.get()
    assert reverse("retention:approve", args=[review.pk]) in sections[0]
    # Naming children, the page is audited as an export of each.
    listed = AuditEvent.objects.filter(
        event_type=EventType.EXPORTED, subject_person_id__isnull=False
    )
    assert set(listed.values_list("subject_person_id", flat=True)) == {due_now.pk, due_soon.pk}


@pytest.mark.parametrize(
    "role", [Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.ADMINISTRATOR, Role.ANALYST]
)
def test_the_pages_are_closed_to_roles_without_the_permission(
    client: Client, make_user: Callable[..., User], role: Role, due_now: Person
) -> None:
    actions.list_due_records(as_at=timezone.localdate())
    client.force_login(make_user(role))
    review = RetentionReview.objects.get()
    for url in (
        reverse("retention:due"),
        reverse("retention:approve", args=[review.pk]),
        reverse("retention:hold", args=[due_now.pk]),
    ):
        assert client.get(url).status_code == 403
    assert (
        client.post(reverse("retention:approve", args=[review.pk]), {"confirm": "on"}).status_code
        == 403
    )
    assert Person.objects.filter(pk=due_now.pk).exists()


def test_approving_destroys_the_record_and_says_under_which_rule(
    client: Client, approver: User, due_now: Person
) -> None:
    actions.list_due_records(as_at=timezone.localdate())
    review = RetentionReview.objects.get()
    client.force_login(approver)
    url = reverse("retention:approve", args=[review.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Approve destruction of Duenow Retained" in page.content.decode()

    refused = client.post(url, {})
    assert refused.status_code == 400
    assert "Confirm that you have reviewed the record" in refused.content.decode()
    assert Person.objects.filter(pk=due_now.pk).exists()

    response = client.post(url, {"confirm": "on"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("retention:due")
    assert f"Record P{due_now.pk:07d} destroyed under RET-CIN" in response.content.decode()
    assert not Person.objects.filter(pk=due_now.pk).exists()
    assert RetentionReview.objects.get().status == RetentionReview.Status.DESTROYED
    assert f"P{due_now.pk:07d}" in response.content.decode().split('id="destroyed"')[1]


def test_a_hold_placed_on_the_page_shows_and_stops_the_approval(
    client: Client, approver: User, due_now: Person
) -> None:
    actions.list_due_records(as_at=timezone.localdate())
    review = RetentionReview.objects.get()
    client.force_login(approver)
    hold_url = reverse("retention:hold", args=[due_now.pk])
    assert client.post(hold_url, {"reason": ""}).status_code == 400
    client.post(hold_url, {"reason": "Subject access request open"})
    hold = LegalHold.objects.get()
    page = client.get(reverse("retention:due")).content.decode()
    assert "Legal hold" in page
    assert reverse("retention:lift", args=[hold.pk]) in page

    refused = client.post(reverse("retention:approve", args=[review.pk]), {"confirm": "on"})
    assert refused.status_code == 400
    assert "stops destruction" in refused.content.decode()
    assert Person.objects.filter(pk=due_now.pk).exists()

    client.post(reverse("retention:lift", args=[hold.pk]), {"reason": "Request answered"})
    hold.refresh_from_db()
    assert hold.lifted_at is not None
    assert hold.lifted_by == approver


def test_the_page_reads_a_fixed_number_of_queries(
    client: Client, approver: User, django_assert_max_num_queries: Any
) -> None:
    for n in range(6):
        _child_in_need(f"Child{n}", timezone.localdate() + datetime.timedelta(days=n))
    client.force_login(approver)
    # 32: the page's reads, and its three audit writes, each sealed into the hash chain by
    # reading and updating the chain's head row (two queries each, however many children).
    with django_assert_max_num_queries(32):
        assert client.get(reverse("retention:due")).status_code == 200
