"""Every response that shows a child's data writes one audit event naming the user and the
children shown; refusals are audited too (issue 19)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.events import EventType
from caseline.apps.audit.models import AuditEvent
from caseline.apps.audit.record import record_export
from caseline.apps.frontdoor import actions as frontdoor
from caseline.apps.frontdoor.models import Contact, ContactPerson
from caseline.apps.people.models import Person
from tests.factories import AllocationFactory, PersonFactory, ReferralFactory


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _shown_to(user: User) -> list[set[int]]:
    """The people named by each read event of the user, oldest first."""
    events = AuditEvent.objects.filter(
        acting_user=user,
        event_type__in=[EventType.CHILD_RECORD_VIEWED, EventType.CHILDREN_LISTED],
    ).order_by("chain_position")
    return [{e.subject_person_id, *e.extra.get("people", [])} - {None} for e in events]


@pytest.fixture
def front_door(make_user: Any) -> User:
    return make_user(Role.FRONT_DOOR, username="fd")


@pytest.fixture
def child(make_person: Any) -> Person:
    return make_person("Tamsin", "Readaudit")


@pytest.fixture
def contact(front_door: User, child: Person) -> Contact:
    return frontdoor.record_contact(
        acting_user=front_door,
        received_at=timezone.now() - datetime.timedelta(hours=1),
        source="2A",
        concern="Bruising seen at school",
        consent=Contact.Consent.GIVEN,
        people=[(child, ContactPerson.Role.SUBJECT)],
    )


@pytest.mark.parametrize(
    "page",
    [
        lambda c: reverse("frontdoor:contacts"),
        lambda c: reverse("frontdoor:contact-detail", kwargs={"pk": c.pk}),
        lambda c: reverse("frontdoor:contact-decide", kwargs={"pk": c.pk}),
        lambda c: reverse("frontdoor:contact-new") + f"?person={c.people.get().person_id}",
        lambda c: reverse("people:new") + f"?related_to={c.people.get().person_id}",
        lambda c: reverse("people:search") + "?name=Tamsin+Readaudit",
    ],
    ids=["front door", "contact", "decide", "new contact", "new person", "search"],
)
def test_a_page_showing_a_child_is_audited_once_naming_them(
    front_door: User, child: Person, contact: Contact, page: Any
) -> None:
    response = _client(front_door).get(page(contact))
    assert response.status_code == 200
    assert "Readaudit" in response.text
    if "results" in response.context:
        assert [r.person for r in response.context["results"]] == [child]
    assert _shown_to(front_door) == [{child.pk}]


def test_a_form_shown_again_with_its_errors_is_audited(
    front_door: User, child: Person, contact: Contact
) -> None:
    url = reverse("frontdoor:contact-decide", kwargs={"pk": contact.pk})
    response = _client(front_door).post(url, {"version": contact.version})
    assert response.status_code == 400
    assert _shown_to(front_door) == [{child.pk}]


def test_closing_a_referral_and_ending_early_help_pages_are_audited(
    front_door: User, child: Person
) -> None:
    referral = ReferralFactory.create(person=child, opened_by=front_door)
    episode = frontdoor.start_early_help(
        acting_user=front_door,
        child=PersonFactory.create(given_name="Other"),
        start_date=datetime.date(2025, 1, 6),
        reason="Parenting support",
    )
    client = _client(front_door)
    assert (
        client.get(reverse("frontdoor:referral-close", kwargs={"pk": referral.pk})).status_code
        == 200
    )
    assert (
        client.get(reverse("frontdoor:early-help-end", kwargs={"pk": episode.pk})).status_code
        == 200
    )
    assert _shown_to(front_door) == [{child.pk}, {episode.person_id}]


def test_the_merge_preview_is_audited_naming_both(make_user: Any, team: Team) -> None:
    manager = make_user(Role.TEAM_MANAGER, username="tm", team=team)
    kept, merged = PersonFactory.create(), PersonFactory.create(given_name="Adah")
    for person in (kept, merged):
        AllocationFactory.create(person=person, team=team)
    url = f"{reverse('people:merge')}?kept={kept.pk}&merged={merged.pk}"
    assert _client(manager).get(url).status_code == 200
    assert _shown_to(manager) == [{kept.pk, merged.pk}]


def test_a_page_showing_no_child_writes_no_read_event(front_door: User) -> None:
    assert _client(front_door).get(reverse("core:home")).status_code == 200
    assert _shown_to(front_door) == []


def test_a_refusal_is_audited_with_the_user(make_user: Any, child: Person) -> None:
    admin = make_user(Role.ADMINISTRATOR, username="adi")
    url = reverse("people:record", kwargs={"person_id": child.pk})
    assert _client(admin).get(url).status_code == 403
    refused = AuditEvent.objects.get(event_type=EventType.ACCESS_REFUSED)
    assert refused.acting_username == "adi"
    assert refused.extra == {"path": url, "method": "GET"}
    assert _shown_to(admin) == []


def test_who_has_viewed_a_record_includes_exports(front_door: User, child: Person) -> None:
    record_export(acting_user=front_door, export_name="Annex A", subject_person_ids=[child.pk])
    response = _client(front_door).get(reverse("people:viewers", kwargs={"person_id": child.pk}))
    rows = list(response.context["page"])
    assert [e.event_type for e in rows] == [EventType.EXPORTED]
    assert "Exported: Annex A" in response.text
