"""Audit event types for complaints. Values are stored: never rename one."""

from __future__ import annotations

from enum import StrEnum


class ComplaintEvent(StrEnum):
    COMPLAINT_RECORDED = "complaints.complaint-recorded"
    STAGE_EXTENDED = "complaints.stage-extended"
    STAGE_COMPLETED = "complaints.stage-completed"
    STAGE_STARTED = "complaints.stage-started"
    FINDING_RECORDED = "complaints.finding-recorded"
    LESSON_RECORDED = "complaints.lesson-recorded"
