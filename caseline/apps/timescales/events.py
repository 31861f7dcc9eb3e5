"""Audit event types written by timescales. Values are stored: never rename one."""

from __future__ import annotations

from enum import StrEnum


class TimescalesEvent(StrEnum):
    LOCAL_STANDARD_SET = "timescales.local-standard-set"
