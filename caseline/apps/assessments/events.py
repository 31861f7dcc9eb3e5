"""Audit event types written by assessments. Values are stored: never rename one."""

from __future__ import annotations

from enum import StrEnum


class AssessmentEvent(StrEnum):
    STARTED = "assessments.started"
    SAVED = "assessments.saved"
    SUBMITTED = "assessments.submitted"
    RETURNED = "assessments.returned"
    AUTHORISED = "assessments.authorised"
    # A completed assessment brought in from another system (an SSD import).
    IMPORTED_COMPLETED = "assessments.imported-completed"
