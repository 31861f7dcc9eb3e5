"""Audit event types written by the inspection app. Values are stored: never rename one."""

from __future__ import annotations

from enum import StrEnum


class InspectionEvent(StrEnum):
    REPORT_IMPORTED = "inspection.report-imported"
    IMPORT_CONFIRMED = "inspection.import-confirmed"
    AREA_ADDED = "inspection.area-added"
    ACTION_ADDED = "inspection.action-added"
    PROGRESS_RECORDED = "inspection.progress-recorded"
    EVIDENCE_ADDED = "inspection.evidence-added"
    VISIT_RECORDED = "inspection.monitoring-visit-recorded"
    FINDING_RECORDED = "inspection.visit-finding-recorded"
    SELF_EVALUATION_STARTED = "inspection.self-evaluation-started"
    SELF_EVALUATION_ENTRY_RECORDED = "inspection.self-evaluation-entry-recorded"
