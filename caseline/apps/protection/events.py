"""Audit event types for child protection. Values are stored, so never rename one."""

from __future__ import annotations

from enum import StrEnum


class ProtectionEvent(StrEnum):
    STRATEGY_RECORDED = "protection.strategy-recorded"
    S47_STARTED = "protection.s47-started"
    S47_COMPLETED = "protection.s47-completed"
    POLICE_DECISION_RECORDED = "protection.police-decision-recorded"
    CONFERENCE_RECORDED = "protection.conference-recorded"
    PLAN_STARTED = "protection.plan-started"
    PLAN_UPDATED = "protection.plan-updated"
    OUTCOME_ADDED = "protection.outcome-added"
    ACTION_ADDED = "protection.action-added"
    ACTION_STATUS_UPDATED = "protection.action-status-updated"
    CORE_GROUP_RECORDED = "protection.core-group-recorded"
    REVIEW_RECORDED = "protection.review-recorded"
    VISIT_RECORDED = "protection.visit-recorded"
    PLAN_ENDED = "protection.plan-ended"
    TRANSFER_IN_RECORDED = "protection.transfer-in-recorded"
    ICPC_NOT_REQUIRED = "protection.icpc-not-required"
    HISTORY_RECORDED = "protection.history-recorded"
    # Recorded in another system and brought in (ADR 0036): never a discussion, a
    # completion or a conference held in Caseline.
    S47_RECORDED_ELSEWHERE = "protection.s47-recorded-elsewhere"
    CONFERENCE_RECORDED_ELSEWHERE = "protection.conference-recorded-elsewhere"
    PLAN_STARTED_ELSEWHERE = "protection.plan-started-elsewhere"
    PLAN_ENDED_ELSEWHERE = "protection.plan-ended-elsewhere"
