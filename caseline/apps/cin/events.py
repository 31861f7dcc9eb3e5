"""Audit event types for children in need plans, reviews and visits.

Values are stored, so never rename one; add a new member instead.
"""

from __future__ import annotations

from enum import StrEnum


class CinEvent(StrEnum):
    PLAN_STARTED = "cin.plan-started"
    PLAN_UPDATED = "cin.plan-updated"
    OUTCOME_ADDED = "cin.outcome-added"
    ACTION_ADDED = "cin.action-added"
    ACTION_STATUS_UPDATED = "cin.action-status-updated"
    REVIEW_RECORDED = "cin.review-recorded"
    PLAN_ENDED = "cin.plan-ended"
    VISIT_RECORDED = "cin.visit-recorded"
    PRE_PROCEEDINGS_STARTED = "cin.pre-proceedings-started"
    LETTER_BEFORE_PROCEEDINGS_SENT = "cin.letter-before-proceedings-sent"
    FGDM_RECORDED = "cin.fgdm-recorded"
    PRE_PROCEEDINGS_MEETING_RECORDED = "cin.pre-proceedings-meeting-recorded"
    PRE_PROCEEDINGS_ENDED = "cin.pre-proceedings-ended"
    COURT_APPLICATION_RECORDED = "cin.court-application-recorded"
