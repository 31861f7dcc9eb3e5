"""Every indicator, in the order the analyst's page and the CSV list them."""

from __future__ import annotations

from caseline.apps.indicators.engine import Indicator
from caseline.apps.indicators.measures import (
    adoption,
    allegations_complaints,
    assessment,
    front_door,
    looked_after,
    protection,
    wider_service,
    workforce,
)

INDICATORS: tuple[Indicator, ...] = (
    *front_door.INDICATORS,
    *assessment.INDICATORS,
    *protection.INDICATORS,
    *looked_after.INDICATORS,
    *adoption.INDICATORS,
    *workforce.INDICATORS,
    *wider_service.INDICATORS,
    *allegations_complaints.INDICATORS,
)
BY_CODE: dict[str, Indicator] = {indicator.code: indicator for indicator in INDICATORS}
assert len(BY_CODE) == len(INDICATORS), "indicator codes must be unique"


def get(code: str) -> Indicator | None:
    return BY_CODE.get(code)
