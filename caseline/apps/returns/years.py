"""Collection years as the DfE names the returns.

The CIN census 2026 and the SSDA903 2026 cover 1 April 2025 to 31 March 2026: a return's year is
the year its collection period ends, and its reference date is that 31 March. Code lists
(``codes.lists``) count the other way, by the year the period starts, so the CIN census 2026
reads the code lists of 2025: :attr:`CollectionYear.code_list_year` says which.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from caseline.apps.timescales.calendar import add_calendar_months


class ReturnInputError(ValueError):
    """What the person producing or validating a return asked for cannot be done as asked."""


@dataclass(frozen=True, order=True)
class CollectionYear:
    """One year of a DfE return: ``CollectionYear(2026)`` is 1 April 2025 to 31 March 2026."""

    year: int

    @property
    def start(self) -> datetime.date:
        """The first day of the collection period, 1 April."""
        return datetime.date(self.year - 1, 4, 1)

    @property
    def end(self) -> datetime.date:
        """The last day of the collection period, 31 March: the census reference date."""
        return datetime.date(self.year, 3, 31)

    @property
    def code_list_year(self) -> int:
        """The collection year as ``codes.lists`` counts it (the year the period starts)."""
        return self.year - 1

    @property
    def key(self) -> str:
        """How a run and its audit row name it: "2026"."""
        return str(self.year)

    @property
    def label(self) -> str:
        """How the DfE writes it: "2025 to 2026"."""
        return f"{self.year - 1} to {self.year}"

    def __contains__(self, day: object) -> bool:
        return isinstance(day, datetime.date) and self.start <= day <= self.end


def parse_collection_year(raw: str, *, supported: Iterable[int], what: str) -> CollectionYear:
    """The collection year ``raw`` names, if ``what`` can be produced for it.

    Raises :class:`ReturnInputError` naming the years that can be, when it is not a year or
    not one of them.
    """
    years = sorted(supported)
    choices = ", ".join(str(year) for year in years)
    try:
        year = int(raw.strip())
    except ValueError:
        raise ReturnInputError(
            f"--year must be a collection year like 2026 (for 1 April 2025 to 31 March 2026), "
            f"not {raw!r}."
        ) from None
    if year not in years:
        raise ReturnInputError(
            f"The {what} cannot be produced for {year}: Caseline holds its specification and "
            f"code lists for {choices} only."
        )
    return CollectionYear(year)


# How far back Ofsted's Annex A lists look from the as-at date: lists 1 to 9 over six months,
# lists 10 and 11 and the "in the last 12 months" counts over twelve (DOMAIN.md §3, Annex A).
ANNEX_A_MONTHS = 6
ANNEX_A_LONG_MONTHS = 12


@dataclass(frozen=True, order=True)
class AsAtDate:
    """A return made for any day rather than a collection year (Ofsted's Annex A).

    The period runs from the same day six calendar months before (clamped to the month's end:
    31 August goes back to 28 or 29 February) to the as-at date, both days included; the
    twelve-month look-back likewise.
    """

    day: datetime.date

    @property
    def start(self) -> datetime.date:
        """The first day of the six months the lists cover."""
        return add_calendar_months(self.day, -ANNEX_A_MONTHS)

    @property
    def end(self) -> datetime.date:
        """The as-at date: the last day the lists cover."""
        return self.day

    @property
    def twelve_months_start(self) -> datetime.date:
        """The first day of the twelve months the longer lists and counts cover."""
        return add_calendar_months(self.day, -ANNEX_A_LONG_MONTHS)

    @property
    def year(self) -> int:
        """The calendar year of the as-at date (a run's ``year``)."""
        return self.day.year

    @property
    def key(self) -> str:
        """How the run and its audit row name it: "2026-11-30"."""
        return self.day.isoformat()

    @property
    def label(self) -> str:
        """ "as at 30 November 2026"."""
        return f"as at {self.day.day} {self.day:%B %Y}"

    def __contains__(self, day: object) -> bool:
        return isinstance(day, datetime.date) and self.start <= day <= self.end


def parse_as_at(raw: str) -> AsAtDate:
    """The as-at date ``raw`` names (YYYY-MM-DD), or :class:`ReturnInputError` saying why not."""
    try:
        day = datetime.date.fromisoformat(raw.strip())
    except ValueError:
        raise ReturnInputError(
            f"--as-at must be a date written YYYY-MM-DD, like 2026-11-30, not {raw!r}."
        ) from None
    if day.year < 2000:
        raise ReturnInputError(f"--as-at {raw}: Caseline holds no records that old.")
    return AsAtDate(day)
