"""England's published figures, shipped as data with their source (``data/england_figures.csv``).

The synthetic authority is tuned towards them; indicators show them beside an authority's own.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class NationalFigure:
    """One published England figure."""

    measure: str
    value: float
    unit: str
    numerator: int | None
    denominator: int | None
    period: str
    source: str


@functools.cache
def england_figures() -> dict[str, NationalFigure]:
    """Every England figure Caseline ships, by measure."""
    text = resources.files("caseline.apps.returns").joinpath("data/england_figures.csv")
    lines = [line for line in text.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    figures: dict[str, NationalFigure] = {}
    for row in csv.DictReader(lines):
        figures[row["measure"]] = NationalFigure(
            measure=row["measure"],
            value=float(row["value"]),
            unit=row["unit"],
            numerator=int(row["numerator"]) if row["numerator"] else None,
            denominator=int(row["denominator"]) if row["denominator"] else None,
            period=row["period"],
            source=row["source"],
        )
    return figures


def england(measure: str) -> float:
    """England's figure for ``measure`` (a percentage unless its unit says otherwise)."""
    return england_figures()[measure].value
