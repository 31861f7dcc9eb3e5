"""Audit event types for allegations. Values are stored: never rename one."""

from __future__ import annotations

from enum import StrEnum


class LadoEvent(StrEnum):
    ALLEGATION_RECORDED = "lado.allegation-recorded"
    INITIAL_CONSIDERATION_RECORDED = "lado.initial-consideration-recorded"
    STRATEGY_MEETING_RECORDED = "lado.strategy-meeting-recorded"
    OUTCOME_RECORDED = "lado.outcome-recorded"
