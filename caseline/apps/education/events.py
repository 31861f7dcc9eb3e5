"""Audit event types for education records. Values are stored: never rename one."""

from __future__ import annotations

from enum import StrEnum


class EducationEvent(StrEnum):
    RECORD_IMPORTED = "education.record-imported"
