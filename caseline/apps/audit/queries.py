"""Reading the audit trail."""

from __future__ import annotations

import datetime
import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, Max, QuerySet
from django.db.models.expressions import RawSQL

from caseline.apps.audit.events import NOT_CHANGING_RECORDS, READ_EVENT_TYPES
from caseline.apps.audit.models import AuditEvent

# Events with no child as subject whose target lives in one of these apps are about accounts,
# reference data or the trail itself, never a child: their details are shown in full.
APPS_WITHOUT_CHILDREN = frozenset({"accounts", "auth", "audit", "timescales"})
# Keys of ``extra`` that hold metadata (never a child's name or words), shown for every event.
METADATA_KEYS = frozenset({"section", "export", "people", "status", "path", "method", "filter"})


@dataclass(frozen=True)
class AuditFilter:
    """What an administrator filtered the audit trail by; empty values mean 'any'."""

    username: str = ""
    event_type: str = ""
    person_id: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    request_uuid: str = ""


def filtered_events(criteria: AuditFilter) -> QuerySet[AuditEvent]:
    """Audit events matching the filter, newest first."""
    events = AuditEvent.objects.select_related("target_type").order_by("-occurred_at", "-id")
    if criteria.username:
        events = events.filter(acting_username__iexact=criteria.username)
    if criteria.event_type:
        events = events.filter(event_type=criteria.event_type)
    if criteria.person_id is not None:
        events = events.filter(subject_person_id=criteria.person_id)
    if criteria.date_from:
        events = events.filter(occurred_at__date__gte=criteria.date_from)
    if criteria.date_to:
        events = events.filter(occurred_at__date__lte=criteria.date_to)
    if criteria.request_uuid:
        events = events.filter(request_uuid=criteria.request_uuid)
    return events


@dataclass(frozen=True)
class AuditRow:
    """One event as a viewer may see it: the details only where the viewer may see the child.

    ``detailed`` is False for an event about a child the viewer may not see (an
    administrator sees no child): then the row gives only metadata (when, who, what kind of
    event, the target's kind and id, the person's id, the names of the fields changed), never
    the target's description, the values or free text.
    """

    event: AuditEvent
    detailed: bool

    @property
    def changed_fields(self) -> list[str]:
        return list(self.event.new_values)

    @property
    def metadata(self) -> list[tuple[str, Any]]:
        return [(k, v) for k, v in self.event.extra.items() if k in METADATA_KEYS]


def _about_no_child(event: AuditEvent) -> bool:
    if event.subject_person_id is not None:
        return False
    if event.target_type_id is None:
        return True
    return event.target_type is not None and event.target_type.app_label in APPS_WITHOUT_CHILDREN


def subjects_of(events: list[AuditEvent]) -> set[int]:
    """The people a page of events is about."""
    return {e.subject_person_id for e in events if e.subject_person_id is not None}


def rows_for_viewer(events: list[AuditEvent], visible: set[int]) -> list[AuditRow]:
    """The events as a viewer who may see the people ``visible`` may see them."""
    return [AuditRow(e, _about_no_child(e) or e.subject_person_id in visible) for e in events]


def last_change_id() -> int:
    """The id of the newest audit event that records a change (not a read, an export, a
    refusal, nor a user's own signing in and its security): it moves with every write made
    through an action, so what was worked out from the record under one value is still true
    while it holds. One query, walking back from the newest event past the reads and sign-ins
    after the last change."""
    newest = (
        AuditEvent.objects.filter(_none_of(NOT_CHANGING_RECORDS))
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    return newest or 0


def _none_of(event_types: tuple[str, ...]) -> RawSQL:
    """The event's type is none of ``event_types``, the names written into the SQL rather than
    sent as values: a partial index naming the same list is then seen to apply (SQLite
    matches an index's condition only against the query's own text)."""
    if not all(re.fullmatch(r"[a-z][a-z0-9.-]*", name) for name in event_types):
        raise ValueError("event types are lower-case names of letters, digits, dots and dashes")
    names = ", ".join(f"'{name}'" for name in event_types)
    return RawSQL(  # noqa: S611 - names checked above, from the fixed tuples in audit.events
        f'NOT ("audit_auditevent"."event_type" IN ({names}))',
        [],
        output_field=BooleanField(),
    )


def last_changes_about(person_ids: Collection[int]) -> dict[int, int]:
    """For each person named, the id of the newest change event about them (not a read):
    those with none are left out. One query, read from ``audit_child_change_idx``.

    Events are inserted holding the chain's head row until their transaction ends
    (``audit.chain.seal``), so ids are given in the order changes commit: a change that
    commits after this was read always has a larger id."""
    rows = (
        AuditEvent.objects.filter(subject_person_id__any_of=list(person_ids))
        .filter(_none_of(READ_EVENT_TYPES))
        .order_by()
        .values("subject_person_id")
        .annotate(newest=Max("id"))
        .values_list("subject_person_id", "newest")
    )
    return {int(person): int(newest) for person, newest in rows if person is not None}


def last_general_change_id() -> int:
    """The id of the newest change event about no child (a local standard, a register, a
    round of audits, an import, a restore), leaving out users' own signing in: what a
    child's kept work also depends on. One lookup in ``audit_general_change_idx``."""
    newest = (
        AuditEvent.objects.filter(subject_person_id__isnull=True)
        .filter(_none_of(NOT_CHANGING_RECORDS))
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    return newest or 0
