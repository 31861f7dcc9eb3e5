"""The API every capability calls to write the audit trail.

Writes: action functions call :func:`record_event` inside their own transaction, so the
event and the change commit or roll back together. Reads of a child's record and exports
call :func:`record_view` and :func:`record_export`. A bulk job that calls many actions in one
transaction (the SSD import) may gather their events with :func:`events_together`.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from enum import StrEnum
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone

from caseline.apps.audit.chain import seal
from caseline.apps.audit.context import current_request_uuid
from caseline.apps.audit.events import READ_EVENTS, EventType
from caseline.apps.audit.models import AuditEvent


class AuditOutsideTransaction(RuntimeError):
    """A write was audited outside a transaction, so the two could part company."""


def json_safe(value: Any) -> Any:
    """A JSON-storable form of a field value."""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set | frozenset):
        return [json_safe(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    return value


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The named fields of a model instance as JSON-safe values (foreign keys by id)."""
    values: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        attname = getattr(field, "attname", name)
        values[name] = json_safe(getattr(instance, attname))
    return values


def changed_values(
    before: Mapping[str, Any], after: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The old and new values of only the keys whose values differ."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


# Rows per INSERT when one export names thousands of people.
EXPORT_EVENTS_PER_INSERT = 2000
# The events gathered by ``events_together``, while its block runs.
_gathered: ContextVar[list[AuditEvent] | None] = ContextVar("caseline_audit_gathered", default=None)


@contextmanager
def events_together() -> Iterator[None]:
    """Gather the events recorded inside the block, then seal and insert them together when
    it ends: one lock of the chain's head and one INSERT, not three queries an event.

    For a bulk job calling many actions inside one transaction (the SSD import, a family at a
    time). Enter it inside that transaction: the events are written before it commits, or,
    when the block raises, dropped with the changes they record. Events are not saved (they
    have no id) until the block ends.
    """
    if not connection.in_atomic_block:
        raise AuditOutsideTransaction("Events are gathered inside the transaction they audit.")
    gathered: list[AuditEvent] = []
    token = _gathered.set(gathered)
    try:
        yield
    finally:
        _gathered.reset(token)
    with transaction.atomic(savepoint=False):
        seal(gathered)
        AuditEvent.objects.bulk_create(  # write-outside-actions: the audit trail itself
            gathered, batch_size=EXPORT_EVENTS_PER_INSERT
        )


def record_event(
    *,
    acting_user: Any,
    event_type: StrEnum,
    target: models.Model | None = None,
    subject_person_id: int | None = None,
    old_values: Mapping[str, Any] | None = None,
    new_values: Mapping[str, Any] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. Writes must be audited inside the transaction that makes them."""
    if event_type not in READ_EVENTS and not connection.in_atomic_block:
        raise AuditOutsideTransaction(
            f"{event_type} must be recorded inside the transaction that makes the change."
        )
    event = _event(
        acting_user=acting_user,
        event_type=event_type,
        target=target,
        subject_person_id=subject_person_id,
        old_values=old_values,
        new_values=new_values,
        extra=extra,
    )
    gathered = _gathered.get()
    if gathered is not None:  # inside ``events_together``: sealed when its block ends
        gathered.append(event)
        return event
    with transaction.atomic(savepoint=False):
        seal([event])
        event.save(force_insert=True)  # write-outside-actions: the audit trail itself
    return event


def _event(
    *,
    acting_user: Any,
    event_type: StrEnum,
    target: models.Model | None = None,
    subject_person_id: int | None = None,
    old_values: Mapping[str, Any] | None = None,
    new_values: Mapping[str, Any] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """An unsaved event, filled in as every event is."""
    user = acting_user if getattr(acting_user, "pk", None) is not None else None
    return AuditEvent(
        acting_user=user,
        acting_username=getattr(user, "username", "") if user else "",
        event_type=str(event_type),
        target_type=(
            ContentType.objects.get_for_model(target, for_concrete_model=False) if target else None
        ),
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:200] if target is not None else "",
        subject_person_id=subject_person_id,
        old_values=json_safe(dict(old_values or {})),
        new_values=json_safe(dict(new_values or {})),
        extra=json_safe(dict(extra or {})),
        request_uuid=current_request_uuid(),
        occurred_at=timezone.now(),
    )


def record_view(*, acting_user: Any, subject: models.Model, section: str = "summary") -> AuditEvent:
    """Record that a user read part of a person's record."""
    return record_event(
        acting_user=acting_user,
        event_type=EventType.CHILD_RECORD_VIEWED,
        target=subject,
        subject_person_id=int(subject.pk),
        extra={"section": section},
    )


def record_reads(
    *,
    acting_user: Any,
    event_type: StrEnum,
    subject_person_ids: Iterable[int],
    extra: Mapping[str, Any] | None = None,
) -> list[AuditEvent]:
    """Record that ``acting_user`` read something of each of these people: one event each,
    sealed and inserted together (a page of fifty children is three queries, not fifty
    times three)."""
    events = [
        _event(
            acting_user=acting_user,
            event_type=event_type,
            subject_person_id=person_id,
            extra=extra,
        )
        for person_id in sorted(set(subject_person_ids))
    ]
    with transaction.atomic(savepoint=False):
        seal(events)
        return AuditEvent.objects.bulk_create(  # write-outside-actions: the audit trail itself
            events, batch_size=EXPORT_EVENTS_PER_INSERT
        )


def record_export(
    *,
    acting_user: Any,
    export_name: str,
    subject_person_ids: Iterable[int] = (),
    extra: Mapping[str, Any] | None = None,
) -> list[AuditEvent]:
    """Record an export: one event for the export, and one per person it contained.

    The people's events are inserted in batches: a return names every child of the authority.
    """
    people = sorted(set(subject_person_ids))
    details = {"export": export_name, "people": len(people), **(extra or {})}
    with transaction.atomic():
        events = [
            record_event(acting_user=acting_user, event_type=EventType.EXPORTED, extra=details)
        ]
        per_person = [
            _event(
                acting_user=acting_user,
                event_type=EventType.EXPORTED,
                subject_person_id=person_id,
                extra={"export": export_name},
            )
            for person_id in people
        ]
        seal(per_person)
        events.extend(
            AuditEvent.objects.bulk_create(  # write-outside-actions: the audit trail itself
                per_person, batch_size=EXPORT_EVENTS_PER_INSERT
            )
        )
    return events
