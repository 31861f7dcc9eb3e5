"""Audit event types written by subject access. Values are stored: never rename one."""

from __future__ import annotations

from enum import StrEnum


class SubjectAccessEvent(StrEnum):
    REQUEST_RECORDED = "subjectaccess.request-recorded"
    REQUEST_EXTENDED = "subjectaccess.request-extended"
    REQUEST_COMPLETED = "subjectaccess.request-completed"
