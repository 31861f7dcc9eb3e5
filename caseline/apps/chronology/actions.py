"""Writes to the chronology: only the events other agencies report."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from caseline.apps.audit.record import record_event, snapshot
from caseline.apps.chronology.events import ChronologyEvent
from caseline.apps.chronology.models import AgencyEvent
from caseline.apps.people.models import Person


@transaction.atomic(durable=True)
def record_agency_event(
    *,
    acting_user: Any,
    person: Person,
    event_date: datetime.date,
    agency: str,
    what_happened: str,
    why_it_matters: str,
) -> AgencyEvent:
    """Add an event another agency reported. Its significance must be said."""
    errors: dict[str, str] = {}
    if event_date > timezone.localdate():
        errors["event_date"] = "The date of the event must be today or in the past"
    if person.date_of_birth and event_date < person.date_of_birth.replace(
        year=person.date_of_birth.year - 1
    ):
        errors["event_date"] = (
            "The date of the event must be after the year before the child was born"
        )
    for name, value, message in (
        ("agency", agency, "Enter the agency that reported the event"),
        ("what_happened", what_happened, "Enter what happened"),
        ("why_it_matters", why_it_matters, "Enter why this matters for the child"),
    ):
        if not value.strip():
            errors[name] = message
    if errors:
        raise ValidationError(errors)
    event = AgencyEvent.objects.create(
        person=person,
        event_date=event_date,
        agency=agency.strip(),
        what_happened=what_happened.strip(),
        why_it_matters=why_it_matters.strip(),
        recorded_by=acting_user,
    )
    record_event(
        acting_user=acting_user,
        event_type=ChronologyEvent.AGENCY_EVENT_RECORDED,
        target=event,
        subject_person_id=person.pk,
        new_values=snapshot(event, ["event_date", "agency", "what_happened", "why_it_matters"]),
    )
    return event
