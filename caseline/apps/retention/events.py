"""Audit event types written by retention. Values are stored: never rename one."""

from __future__ import annotations

from enum import StrEnum


class RetentionEvent(StrEnum):
    REVIEW_LISTED = "retention.review-listed"
    REVIEW_WITHDRAWN = "retention.review-withdrawn"
    RECORD_DESTROYED = "retention.record-destroyed"
    HOLD_PLACED = "retention.hold-placed"
    HOLD_LIFTED = "retention.hold-lifted"
    DUE_LIST_VIEWED = "retention.due-list-viewed"
