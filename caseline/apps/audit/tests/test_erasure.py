"""The one change the audit trail allows: erasing an event's content, keeping the fact."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from caseline.apps.accounts.models import User
from caseline.apps.audit.erasure import ERASED_EXTRA, erase_content
from caseline.apps.audit.events import EventType
from caseline.apps.audit.models import AuditEvent
from caseline.apps.audit.record import AuditOutsideTransaction, record_event


@pytest.fixture
def event(make_user: Any) -> AuditEvent:
    user = make_user()
    with transaction.atomic():
        return record_event(
            acting_user=user,
            event_type=EventType.UPDATED,
            target=user,
            subject_person_id=42,
            old_values={"first_name": "Old"},
            new_values={"first_name": "New"},
            extra={"why": "secret"},
        )


def test_erasing_blanks_the_content_and_keeps_the_fact(event: AuditEvent) -> None:
    with transaction.atomic():
        assert erase_content(subject_person_ids=[42], targets={}) == 1
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.old_values, stored.new_values, stored.target_repr) == ({}, {}, "")
    assert stored.extra == {"content_destroyed": True}
    assert (stored.event_type, stored.target_id, stored.subject_person_id) == (
        event.event_type,
        event.target_id,
        42,
    )
    assert stored.occurred_at == event.occurred_at
    assert stored.acting_user_id == event.acting_user_id


def test_erasing_keeps_the_chain_columns_and_skips_what_is_already_erased(
    event: AuditEvent,
) -> None:
    with transaction.atomic():
        assert erase_content(subject_person_ids=[42], targets={}) == 1
        assert erase_content(subject_person_ids=[42], targets={User: {event.acting_user_id}}) == 0
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (
        stored.chain_position,
        stored.previous_hash,
        stored.content_hash,
        stored.event_hash,
    ) == (event.chain_position, event.previous_hash, event.content_hash, event.event_hash)
    assert len(stored.content_hash) == 64


def test_erasing_by_target(event: AuditEvent) -> None:
    with transaction.atomic():
        assert erase_content(subject_person_ids=[], targets={User: {event.acting_user_id}}) == 1
    assert AuditEvent.objects.get(pk=event.pk).new_values == {}


@pytest.mark.django_db(transaction=True)
def test_erasing_is_refused_outside_a_transaction() -> None:
    with pytest.raises(AuditOutsideTransaction):
        erase_content(subject_person_ids=[42], targets={})


@pytest.mark.parametrize(
    "assignments",
    [
        # Content erased, but something else changed too.
        "old_values = '{}', new_values = '{}', extra = 'X', target_repr = '', "
        "event_type = 'tampered'",
        "old_values = '{}', new_values = '{}', extra = 'X', target_repr = '', "
        "subject_person_id = 7",
        # Content changed, not erased.
        "old_values = '{}', new_values = '{\"first_name\": \"Forged\"}', extra = 'X', "
        "target_repr = ''",
        # Erased without saying so.
        "old_values = '{}', new_values = '{}', extra = '{}', target_repr = ''",
        # Erased, and the hash chain's columns rewritten with it.
        "old_values = '{}', new_values = '{}', extra = 'X', target_repr = '', "
        "content_hash = 'f00d'",
        "old_values = '{}', new_values = '{}', extra = 'X', target_repr = '', event_hash = 'f00d'",
        "old_values = '{}', new_values = '{}', extra = 'X', target_repr = '', "
        "previous_hash = 'f00d'",
        "old_values = '{}', new_values = '{}', extra = 'X', target_repr = '', "
        "chain_position = NULL",
        "old_values = '{}', new_values = '{}', extra = 'X', target_repr = '', "
        "chain_position = chain_position + 100",
    ],
)
def test_the_database_refuses_anything_but_erasure(event: AuditEvent, assignments: str) -> None:
    assignments = assignments.replace("'X'", f"'{ERASED_EXTRA}'")
    statement = f"UPDATE audit_auditevent SET {assignments}"  # noqa: S608
    if connection.vendor == "postgresql":
        statement = statement.replace("'{}'", "'{}'::jsonb")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AuditEvent.objects.get(pk=event.pk).new_values == {"first_name": "New"}
