"""The catalogue: every indicator defined, sourced and documented; periods as documented."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from caseline.apps.indicators.catalogue import BY_CODE, INDICATORS, get
from caseline.apps.indicators.engine import Kind
from caseline.apps.indicators.periods import IndicatorInputError, make_period

D = datetime.date
DOCS = Path(__file__).resolve().parents[4] / "docs" / "indicators.md"


def test_every_indicator_has_its_definition_source_and_is_in_the_docs() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    assert len(BY_CODE) == len(INDICATORS) >= 28
    for indicator in INDICATORS:
        assert indicator.definition.endswith(".")
        assert indicator.source
        assert indicator.source_url.startswith("https://")
        if indicator.kind is Kind.PERCENTAGE:
            assert indicator.numerator
            assert indicator.denominator
        assert f"**{indicator.code}: {indicator.name}**" in docs, indicator.code
    assert get("AS1") is BY_CODE["AS1"]
    assert get("nope") is None


@pytest.mark.parametrize(
    ("kind", "as_at", "start", "end"),
    [
        ("collection-year", D(2026, 3, 31), D(2025, 4, 1), D(2026, 3, 31)),
        ("collection-year", D(2026, 4, 1), D(2026, 4, 1), D(2026, 4, 1)),
        ("collection-year", D(2025, 11, 2), D(2025, 4, 1), D(2025, 11, 2)),
        ("last-12-months", D(2026, 3, 31), D(2025, 4, 1), D(2026, 3, 31)),
        ("last-12-months", D(2024, 2, 29), D(2023, 3, 1), D(2024, 2, 29)),
    ],
)
def test_periods(kind: str, as_at: datetime.date, start: datetime.date, end: datetime.date) -> None:
    period = make_period(kind, as_at)
    assert (period.start, period.end) == (start, end)


def test_a_range_ends_by_the_as_at_date() -> None:
    period = make_period("range", D(2026, 3, 31), D(2026, 1, 1))
    assert (period.start, period.end) == (D(2026, 1, 1), D(2026, 3, 31))
    with pytest.raises(IndicatorInputError, match="on or before the as-at date"):
        make_period("range", D(2026, 3, 31), D(2026, 1, 1), D(2026, 4, 1))
    with pytest.raises(IndicatorInputError, match="start on or before"):
        make_period("range", D(2026, 3, 31), D(2026, 3, 2), D(2026, 3, 1))
