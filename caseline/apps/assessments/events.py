"""Audit event types written by assessments. Values are stored: never rename one."""

from __future__ import annotations

from enum import StrEnum


class AssessmentEvent(StrEnum):
    STARTED = "assessments.started"
    SAVED = "assessments.saved"
    SUBMITTED = "assessments.submitted"
    RETURNED = "assessments.returned"
    AUTHORISED = "assessments.authorised"
