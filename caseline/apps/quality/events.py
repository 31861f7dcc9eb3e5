"""Audit event types for case audits and IRO challenges. Values are stored: never rename one."""

from __future__ import annotations

from enum import StrEnum


class QualityEvent(StrEnum):
    TOOL_VERSIONED = "quality.tool-versioned"
    ROUND_SET_UP = "quality.round-set-up"
    AUDIT_ANSWERED = "quality.audit-answered"
    AUDIT_SUBMITTED = "quality.audit-submitted"
    AUDIT_REFLECTED = "quality.audit-reflected"
    AUDIT_MODERATED = "quality.audit-moderated"
    PARTNER_ANSWER_RECORDED = "quality.partner-answer-recorded"
    ACTION_SET = "quality.action-set"
    ACTION_DONE = "quality.action-done"
    CHALLENGE_RAISED = "quality.challenge-raised"
    CHALLENGE_ESCALATED = "quality.challenge-escalated"
    CHALLENGE_RESOLVED = "quality.challenge-resolved"
