"""What the people app adds to the child's record: the family's events in the chronology."""

from __future__ import annotations

from caseline.apps.people.chronology import family_chronology
from caseline.apps.people.contribution import RecordContribution

# Births, deaths, relationships, moves and alerts, from the people records.
CONTRIBUTION = RecordContribution(
    app_label="people",
    chronology=family_chronology,
)
