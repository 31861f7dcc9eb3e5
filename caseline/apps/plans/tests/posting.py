"""Helpers for tests that post the plan apps' forms."""

from __future__ import annotations

import datetime


def date_fields(name: str, day: datetime.date | None) -> dict[str, str]:
    """The day, month and year boxes of the GOV.UK date input ``name`` (empty for ``None``)."""
    if day is None:
        return {f"{name}_day": "", f"{name}_month": "", f"{name}_year": ""}
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }
