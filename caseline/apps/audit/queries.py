"""Reading the audit trail."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from caseline.apps.audit.models import AuditEvent


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
