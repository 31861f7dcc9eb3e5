"""Audit event types written by indicators. Values are stored: never rename one."""

from __future__ import annotations

from enum import StrEnum


class IndicatorsEvent(StrEnum):
    # The monthly trends counted and kept (no child named: figures only).
    TRENDS_COUNTED = "indicators.trends-counted"
