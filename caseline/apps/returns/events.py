"""Audit event types written by returns. Values are stored: never rename one."""

from __future__ import annotations

from enum import StrEnum


class ReturnsEvent(StrEnum):
    RUN_REQUESTED = "returns.run-requested"
