"""England's published figures, shipped as data with their source (``data/england_figures.csv``).

The synthetic authority is tuned towards them; indicators show them beside an authority's own.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from django.conf import settings


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


# Statistical neighbours: each authority's ten (``data/statistical_neighbours.csv``) and the
# authorities' own published figures (``data/local_authority_figures.csv``), from which the
# neighbours' average is computed, as the DfE's LAIT does: the mean of the neighbours with a
# figure.


@dataclass(frozen=True)
class Authority:
    """An English local authority and its ten statistical neighbours (LA numbers)."""

    la_number: str
    name: str
    region: str
    neighbours: tuple[str, ...]


@dataclass(frozen=True)
class LocalFigure:
    """One authority's published figure for a measure and year."""

    la_number: str
    measure: str
    value: float
    unit: str
    numerator: int | None
    denominator: int | None
    period: str
    source: str


@dataclass(frozen=True)
class NeighbourFigure:
    """The mean of the neighbours' published figures for one measure and year."""

    measure: str
    value: float
    unit: str
    period: str
    sources: tuple[str, ...]
    counted: tuple[str, ...]  # the neighbours with a figure (LA numbers)
    neighbours: int  # how many neighbours the authority has


class DataFileError(ValueError):
    """A shipped data file that cannot be read: names the file, the line and what is wrong."""


def parse_rows(name: str, text: str) -> list[tuple[int, dict[str, str]]]:
    """The rows of a shipped CSV with their line numbers (lines starting "#" are comments)."""
    numbered = [
        (number, line)
        for number, line in enumerate(text.splitlines(), start=1)
        if line[:1] != "#" and line.strip()
    ]
    if not numbered:
        raise DataFileError(f"{name}: no header line")
    reader = csv.DictReader(line for _, line in numbered)
    return [(numbered[index + 1][0], row) for index, row in enumerate(reader)]


def parse_authorities(name: str, text: str) -> dict[str, Authority]:
    """Each authority by LA number; an LA number that is not three digits, a neighbour list
    that is not ten LA numbers, or a neighbour not in the file is refused with its line."""
    rows = parse_rows(name, text)
    found: dict[str, Authority] = {}
    for line, row in rows:
        number = (row.get("la_number") or "").strip()
        if not (len(number) == 3 and number.isdigit()):
            raise DataFileError(f"{name} line {line}: LA number {number!r} is not three digits")
        neighbours = tuple((row.get("neighbours") or "").split())
        if len(neighbours) != 10:
            raise DataFileError(
                f"{name} line {line}: {number} has {len(neighbours)} neighbours, not 10"
            )
        found[number] = Authority(number, row["name"], row["region"], neighbours)
    for line, row in rows:
        unknown = [n for n in row["neighbours"].split() if n not in found]
        if unknown:
            raise DataFileError(
                f"{name} line {line}: neighbours {', '.join(unknown)} of {row['la_number']} "
                "are not in the file"
            )
    return found


def parse_local_figures(
    name: str, text: str, authorities: dict[str, Authority]
) -> list[LocalFigure]:
    """Each published figure; an unknown authority or a value that is not a number is refused
    with its line."""
    figures = []
    for line, row in parse_rows(name, text):
        number = (row.get("la_number") or "").strip()
        if number not in authorities:
            raise DataFileError(f"{name} line {line}: no authority has LA number {number!r}")
        try:
            value = float(row["value"])
            numerator = int(row["numerator"]) if row.get("numerator") else None
            denominator = int(row["denominator"]) if row.get("denominator") else None
        except (TypeError, ValueError) as error:
            raise DataFileError(f"{name} line {line}: {error}") from None
        figures.append(
            LocalFigure(
                number,
                row["measure"],
                value,
                row["unit"],
                numerator,
                denominator,
                row["period"],
                row["source"],
            )
        )
    return figures


@functools.cache
def authorities() -> dict[str, Authority]:
    """Every authority Caseline knows the statistical neighbours of, by LA number."""
    name = "statistical_neighbours.csv"
    text = resources.files("caseline.apps.returns").joinpath(f"data/{name}").read_text("utf-8")
    return parse_authorities(name, text)


def local_figures() -> tuple[LocalFigure, ...]:
    """Every authority's published figure: the shipped file, or the file
    ``CASELINE_LOCAL_AUTHORITY_FIGURES`` names."""
    return _local_figures(settings.CASELINE_LOCAL_AUTHORITY_FIGURES)


@functools.cache
def _local_figures(path: str) -> tuple[LocalFigure, ...]:
    if path:
        try:
            name, text = path, Path(path).read_text(encoding="utf-8")
        except OSError as error:
            raise DataFileError(
                f"CASELINE_LOCAL_AUTHORITY_FIGURES names {path}, which cannot be read: {error}"
            ) from None
    else:
        name = "local_authority_figures.csv"
        data = resources.files("caseline.apps.returns").joinpath(f"data/{name}")
        text = data.read_text("utf-8")
    return tuple(parse_local_figures(name, text, authorities()))


def neighbour_average(
    measure: str,
    authority: Authority,
    figures: Iterable[LocalFigure] | None = None,
) -> NeighbourFigure | None:
    """The mean of ``authority``'s neighbours' figures for ``measure`` in the latest year any
    of them has one (one decimal place); None when none has."""
    neighbours = set(authority.neighbours)
    mine = [
        figure
        for figure in (local_figures() if figures is None else figures)
        if figure.measure == measure and figure.la_number in neighbours
    ]
    if not mine:
        return None
    latest = max(figure.period for figure in mine)
    counted = sorted((f for f in mine if f.period == latest), key=lambda f: f.la_number)
    return NeighbourFigure(
        measure=measure,
        value=round(sum(f.value for f in counted) / len(counted), 1),
        unit=counted[0].unit,
        period=latest,
        sources=tuple(sorted({f.source for f in counted})),
        counted=tuple(f.la_number for f in counted),
        neighbours=len(authority.neighbours),
    )


def configured_authority() -> Authority | None:
    """The authority Caseline serves (``CASELINE_LA_NUMBER``), if its neighbours are known."""
    return authorities().get(settings.CASELINE_LA_NUMBER)
