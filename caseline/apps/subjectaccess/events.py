"""Audit event types written by subject access. Values are stored: never rename one."""

from __future__ import annotations

from enum import StrEnum


class SubjectAccessEvent(StrEnum):
    REQUEST_RECORDED = "subjectaccess.request-recorded"
    REQUEST_EXTENDED = "subjectaccess.request-extended"
    REQUEST_COMPLETED = "subjectaccess.request-completed"
    PACK_ASSEMBLED = "subjectaccess.pack-assembled"
    RECORD_SEARCHED = "subjectaccess.record-searched"
    REDACTION_ADDED = "subjectaccess.redaction-added"
    REDACTION_REMOVED = "subjectaccess.redaction-removed"
    PACK_APPROVED = "subjectaccess.pack-approved"
