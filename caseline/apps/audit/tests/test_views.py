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
