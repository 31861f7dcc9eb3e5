"""Building a child's chronology from every provider, filtered."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from caseline.apps.chronology.entries import Category, ChronologyEntry, registered_providers
from caseline.apps.chronology.models import AgencyEvent
from caseline.apps.people.models import Person


@dataclass(frozen=True)
class ChronologyFilter:
    categories: frozenset[Category] = field(default_factory=frozenset)
    significant_only: bool = False
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def agency_event_entries(person: Person) -> list[ChronologyEntry]:
    """Events other agencies reported, entered by hand; always significant."""
    return [
        ChronologyEntry(
            date=event.event_date,
            category=Category.OTHER_AGENCY,
            what_happened=event.what_happened,
            source=f"Reported by {event.agency}",
            recorded_by=str(event.recorded_by),
            why_it_matters=event.why_it_matters,
            significant=True,
        )
        for event in AgencyEvent.objects.filter(person=person).select_related("recorded_by")
    ]


def chronology_for(
    person: Person, criteria: ChronologyFilter | None = None
) -> list[ChronologyEntry]:
    """Every entry for the person, oldest first, filtered."""
    criteria = criteria or ChronologyFilter()
    entries = [entry for provider in registered_providers() for entry in provider(person)]
    if criteria.categories:
        entries = [e for e in entries if e.category in criteria.categories]
    if criteria.significant_only:
        entries = [e for e in entries if e.significant]
    if criteria.date_from:
        entries = [e for e in entries if e.date >= criteria.date_from]
    if criteria.date_to:
        entries = [e for e in entries if e.date <= criteria.date_to]
    return sorted(entries, key=lambda e: (e.date, e.order, e.category.value, e.what_happened))
