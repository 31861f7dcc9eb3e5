"""Audit event types of the synthetic authority generator."""

from __future__ import annotations

from enum import StrEnum


class SyntheticEvent(StrEnum):
    """Values are stored, so never rename one; add a new member instead."""

    AUTHORITY_GENERATED = "synthetic.authority-generated"
