"""Audit event types written by the SSD app. Values are stored: never rename one."""

from __future__ import annotations

from enum import StrEnum


class SsdEvent(StrEnum):
    EXPORT_REQUESTED = "ssd.export-requested"
    IMPORT_REFUSED = "ssd.import-refused"
    IMPORTED = "ssd.imported"
