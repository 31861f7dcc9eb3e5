"""The administrator's audit trail page lists and filters events."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.context import begin_request
from caseline.apps.audit.events import EventType
from caseline.apps.audit.record import record_event, record_view


@pytest.fixture
def admin_client(client: Client, make_user: Any) -> Client:
    client.force_login(make_user(Role.ADMINISTRATOR, username="adi"))
    return client


@pytest.fixture
def events(make_user: Any) -> dict[str, Any]:
    alice = make_user(Role.SOCIAL_WORKER, username="alice")
    bob = make_user(Role.SOCIAL_WORKER, username="bob")
    begin_request()
    with transaction.atomic():
        first = record_event(acting_user=alice, event_type=EventType.CREATED, target=bob)
        second = record_event(
            acting_user=alice,
            event_type=EventType.UPDATED,
            target=bob,
            old_values={"job_title": ""},
            new_values={"job_title": "Senior"},
        )
    begin_request()
    record_view(acting_user=bob, subject=alice, section="summary")
    return {"alice": alice, "bob": bob, "first": first, "second": second}


def test_lists_every_event_newest_first(admin_client: Client, events: dict[str, Any]) -> None:
    response = admin_client.get("/audit/")
    types = [e.event_type for e in response.context["page"]]
    assert types == ["record.viewed", "object.updated", "object.created"]
    assert "job_title:  → Senior" in response.content.decode()


def test_filters_by_user(admin_client: Client, events: dict[str, Any]) -> None:
    page = admin_client.get("/audit/", {"username": "bob"}).context["page"]
    assert [e.event_type for e in page] == ["record.viewed"]


def test_filters_by_event_type_and_person(admin_client: Client, events: dict[str, Any]) -> None:
    page = admin_client.get("/audit/", {"event_type": "record.viewed"}).context["page"]
    assert len(page) == 1
    page = admin_client.get("/audit/", {"person_id": events["alice"].pk}).context["page"]
    assert [e.subject_person_id for e in page] == [events["alice"].pk]


def test_filters_by_request_to_show_one_action(
    admin_client: Client, events: dict[str, Any]
) -> None:
    page = admin_client.get("/audit/", {"request_uuid": str(events["first"].request_uuid)}).context[
        "page"
    ]
    assert {e.event_type for e in page} == {"object.created", "object.updated"}


def test_a_bad_filter_is_explained(admin_client: Client, events: dict[str, Any]) -> None:
    response = admin_client.get(
        "/audit/",
        {
            "request_uuid": "nonsense",
            "date_from_day": "31",
            "date_from_month": "2",
            "date_from_year": "2025",
        },
    )
    body = response.content.decode()
    assert "There is a problem" in body
    assert "Enter a request ID like" in body
    assert "From must be a real date" in body


def test_the_administrator_sees_no_child_names_or_note_text(
    admin_client: Client, make_user: Any
) -> None:
    from tests.factories import PersonFactory

    child = PersonFactory.create(given_name="Zebedee", family_name="Quartermaine")
    writer = make_user(Role.SOCIAL_WORKER, username="wendy")
    begin_request()
    with transaction.atomic():
        record_event(
            acting_user=writer,
            event_type=EventType.CREATED,
            target=child,
            subject_person_id=child.pk,
            new_values={"text": "Mother disclosed a secret about the garden"},
        )
    record_view(acting_user=writer, subject=child, section="summary")
    body = admin_client.get("/audit/", {"username": "wendy"}).content.decode()
    assert "Zebedee" not in body
    assert "Quartermaine" not in body
    assert "secret about the garden" not in body
    assert "Changed: text" in body
    assert f"Person {child.pk}" in body


def test_a_viewer_who_may_see_the_child_sees_the_details(make_user: Any, client: Client) -> None:
    from caseline.apps.audit.queries import rows_for_viewer

    user = make_user()
    with transaction.atomic():
        event = record_event(
            acting_user=user, event_type=EventType.UPDATED, subject_person_id=7, target=user
        )
    assert rows_for_viewer([event], {7})[0].detailed
    assert not rows_for_viewer([event], set())[0].detailed


def test_reading_the_audit_trail_is_itself_audited(
    admin_client: Client, events: dict[str, Any]
) -> None:
    from caseline.apps.audit.models import AuditEvent

    admin_client.get("/audit/", {"username": "bob"})
    viewed = AuditEvent.objects.get(event_type="audit.viewed")
    assert viewed.acting_username == "adi"
    assert viewed.extra["filter"] == "username=bob"
    assert viewed.extra["events"] == 1
