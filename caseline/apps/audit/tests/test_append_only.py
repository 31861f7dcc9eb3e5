"""The audit trail can be added to and read, never changed or deleted."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from caseline.apps.audit.events import EventType
from caseline.apps.audit.models import AuditEvent, AuditTrailIsAppendOnly
from caseline.apps.audit.record import AuditOutsideTransaction, record_event, record_export


@pytest.fixture
def event(make_user: Any) -> AuditEvent:
    user = make_user()
    with transaction.atomic():
        return record_event(
            acting_user=user,
            event_type=EventType.UPDATED,
            target=user,
            old_values={"first_name": "Old"},
            new_values={"first_name": "New"},
        )


def test_an_event_records_who_what_which_and_the_values(event: AuditEvent) -> None:
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.acting_username.startswith("user")
    assert stored.event_type == "object.updated"
    assert stored.target_id == str(stored.acting_user_id)
    assert stored.changes == [("first_name", "Old", "New")]
    assert stored.request_uuid is not None


def test_saving_an_existing_event_is_refused(event: AuditEvent) -> None:
    event.event_type = "tampered"
    with pytest.raises(AuditTrailIsAppendOnly):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).event_type == "object.updated"


def test_deleting_an_event_is_refused(event: AuditEvent) -> None:
    with pytest.raises(AuditTrailIsAppendOnly):
        event.delete()
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_bulk_updates_are_refused(event: AuditEvent) -> None:
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(event_type="tampered")
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.bulk_update([event], ["event_type"])


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET event_type = 'tampered'",
        "DELETE FROM audit_auditevent",
    ],
)
def test_the_database_itself_refuses_changes(event: AuditEvent, statement: str) -> None:
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AuditEvent.objects.get(pk=event.pk).event_type == "object.updated"


@pytest.mark.django_db(transaction=True)
def test_a_write_audited_outside_a_transaction_is_refused(make_user: Any) -> None:
    user = make_user()
    with pytest.raises(AuditOutsideTransaction):
        record_event(acting_user=user, event_type=EventType.CREATED, target=user)
    assert not AuditEvent.objects.exists()


def test_an_export_is_recorded_once_and_per_person(make_user: Any) -> None:
    user = make_user()
    events = record_export(acting_user=user, export_name="Annex A", subject_person_ids=[3, 1, 3])
    assert len(events) == 3
    assert [e.subject_person_id for e in events] == [None, 1, 3]
    assert events[0].extra == {"export": "Annex A", "people": 2}
    assert len({e.request_uuid for e in events}) == 1
