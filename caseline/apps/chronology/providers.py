"""What the chronology app adds to the child's record: events other agencies reported."""

from __future__ import annotations

from django.urls import reverse

from caseline.apps.chronology.models import AgencyEvent
from caseline.apps.people.contribution import Category, ChronologyEntry, RecordContribution
from caseline.apps.people.models import Person
from caseline.apps.people.queries import RecordsHeld


def agency_event_entries(person: Person, held: RecordsHeld) -> list[ChronologyEntry]:
    """Events other agencies reported, entered by hand; always significant."""
    return [
        ChronologyEntry(
            date=event.event_date,
            category=Category.OTHER_AGENCY,
            what_happened=event.what_happened,
            source=event.agency,  # the category says it was reported by another agency
            recorded_by=str(event.recorded_by),
            why_it_matters=event.why_it_matters,
            significant=True,
            href=reverse("chronology:record", kwargs={"person_id": person.pk}),
        )
        for event in held.rows(AgencyEvent).select_related("recorded_by")
    ]


# Other agencies' events in the chronology.
CONTRIBUTION = RecordContribution(
    app_label="chronology",
    chronology=agency_event_entries,
    chronology_from_own_records=True,
)
