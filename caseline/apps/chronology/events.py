from __future__ import annotations

from enum import StrEnum


class ChronologyEvent(StrEnum):
    AGENCY_EVENT_RECORDED = "chronology.agency-event-recorded"
