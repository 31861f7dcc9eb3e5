"""What the SSD app adds to a child's record: where an imported record came from."""

from __future__ import annotations

from caseline.apps.people.contribution import Category, ChronologyEntry, RecordContribution
from caseline.apps.people.models import Person
from caseline.apps.people.queries import RecordsHeld
from caseline.apps.ssd.models import SourceRecord


def ssd_chronology(person: Person, held: RecordsHeld) -> list[ChronologyEntry]:
    """One entry for each import that brought the person's record from another system."""
    records = held.rows(SourceRecord).filter(table="ssd_person")
    return [
        ChronologyEntry(
            date=record.imported_at.date(),
            category=Category.NOTE,
            what_happened=(
                f"The record was brought into Caseline from {record.system}'s Standard "
                f"Safeguarding Dataset extract, where the person's id was {record.source_id}."
            ),
            source="Data migration",
        )
        for record in records.only("system", "source_id", "imported_at")
    ]


CONTRIBUTION = RecordContribution(
    app_label="ssd", chronology=ssd_chronology, chronology_from_own_records=True
)
