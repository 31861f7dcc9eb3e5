"""Writes to the chronology: only the events other agencies report."""

from __future__ import annotations

import datetime

from django.db import transaction

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.audit.record import record_event, snapshot
from caseline.apps.chronology.events import ChronologyEvent
from caseline.apps.chronology.models import AgencyEvent
from caseline.apps.core.access import require_permission
from caseline.apps.core.checks import Checks
from caseline.apps.people.models import Person
from caseline.apps.timescales.calendar import add_calendar_months


@transaction.atomic(durable=True)
def record_agency_event(
    *,
    acting_user: User,
    child: Person,
    event_date: datetime.date,
    agency: str,
    what_happened: str,
    why_it_matters: str,
) -> AgencyEvent:
    """Add an event another agency reported. Its significance must be said.

    An event may come from the year before the child was born (a police call-out in the
    pregnancy, a pre-birth concern), so its date is checked against that, not the birth.
    """
    require_permission(acting_user, Permission.NOTE_RECORD)
    checks = Checks()
    born = child.date_of_birth
    if checks.happened("event_date", event_date, "The date of the event") and born:
        checks.check(
            event_date >= add_calendar_months(born, -12),
            "event_date",
            "The date of the event must be after the year before the child was born",
        )
    checks.required("agency", agency, "Enter the agency that reported the event")
    checks.required("what_happened", what_happened, "Enter what happened")
    checks.required("why_it_matters", why_it_matters, "Enter why this matters for the child")
    checks.raise_if_any()
    event = AgencyEvent.objects.create(
        person=child,
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
        subject_person_id=child.pk,
        new_values=snapshot(event, ["event_date", "agency", "what_happened", "why_it_matters"]),
    )
    return event
