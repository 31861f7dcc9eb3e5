"""What an indicator is asked about: the as-at date, the period and the scope.

**As at.** The figure is what the record said was true on the as-at date: anything dated after
it (a decision, an authorisation, a plan's end) has not happened yet. Every figure is computed
from dated rows, not from a snapshot, so "as at 31 March 2025" gives that day's figures (as the
record now holds them: a date corrected since is read as corrected).

**Periods.** The DfE's collection year holding the as-at date (1 April to 31 March, up to the
as-at date when it falls inside the year), the 12 months ending on the as-at date, or a chosen
range ending on or before it. "At 31 March" measures (placement stability, the OC2 health
measures, children on a plan) are taken on the period's last day.

**Scopes.** The whole authority, one service area (the teams of one service), one team or one
worker: a child belongs to the team and worker responsible for them on the as-at date (their
allocation open that day, or, with none open, their last allocation before it).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import StrEnum

from caseline.apps.returns.years import CollectionYear
from caseline.apps.timescales.calendar import add_calendar_months, add_days


class IndicatorInputError(ValueError):
    """What was asked for cannot be computed as asked (a bad date, period or scope)."""


class PeriodKind(StrEnum):
    COLLECTION_YEAR = "collection-year"
    LAST_12_MONTHS = "last-12-months"
    RANGE = "range"


PERIOD_LABELS = {
    PeriodKind.COLLECTION_YEAR: "DfE collection year (1 April to 31 March)",
    PeriodKind.LAST_12_MONTHS: "The last 12 months",
    PeriodKind.RANGE: "A chosen range",
}


@dataclass(frozen=True)
class Period:
    """The days an indicator counts over, from ``start`` to ``end`` (both included)."""

    kind: PeriodKind
    start: datetime.date
    end: datetime.date

    @property
    def label(self) -> str:
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"

    def __contains__(self, day: object) -> bool:
        return isinstance(day, datetime.date) and self.start <= day <= self.end

    @property
    def twelve_months_to_end(self) -> Period:
        """The 12 months ending on the period's last day: the year of an "at 31 March"
        measure (for a collection year, the year itself)."""
        return Period(self.kind, add_days(add_calendar_months(self.end, -12), 1), self.end)


def collection_year_of(day: datetime.date) -> CollectionYear:
    """The DfE collection year that ``day`` falls in."""
    return CollectionYear(day.year + 1 if day.month >= 4 else day.year)


def make_period(
    kind: PeriodKind | str,
    as_at: datetime.date,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> Period:
    """The period of ``kind`` for ``as_at``; a range needs ``start`` (and ``end``, which
    defaults to the as-at date). Raises :class:`IndicatorInputError` saying what is wrong."""
    try:
        kind = PeriodKind(kind)
    except ValueError:
        choices = ", ".join(k.value for k in PeriodKind)
        raise IndicatorInputError(f"--period must be one of {choices}, not {kind!r}.") from None
    if kind is PeriodKind.COLLECTION_YEAR:
        year = collection_year_of(as_at)
        return Period(kind, year.start, min(year.end, as_at))
    if kind is PeriodKind.LAST_12_MONTHS:
        return Period(kind, add_days(add_calendar_months(as_at, -12), 1), as_at)
    if start is None:
        raise IndicatorInputError("A chosen range needs its first day (--from).")
    end = end or as_at
    if end > as_at:
        raise IndicatorInputError(
            f"The range must end on or before the as-at date ({as_at:%-d %B %Y}): nothing after "
            "it is known as at that date."
        )
    if start > end:
        raise IndicatorInputError("The range must start on or before the day it ends.")
    return Period(kind, start, end)


def parse_date(raw: str, what: str) -> datetime.date:
    """An ISO date (2026-03-31), or :class:`IndicatorInputError` naming ``what``."""
    try:
        return datetime.date.fromisoformat(raw.strip())
    except ValueError:
        raise IndicatorInputError(f"{what} must be a date like 2026-03-31, not {raw!r}.") from None


class ScopeKind(StrEnum):
    AUTHORITY = "authority"
    SERVICE = "service"
    TEAM = "team"
    WORKER = "worker"


@dataclass(frozen=True)
class Scope:
    """Whose children: the authority's, one service area's (``service``: the teams' service),
    one team's or one worker's (``id``: the team's or the worker's)."""

    kind: ScopeKind = ScopeKind.AUTHORITY
    id: int | None = None
    name: str = "The whole authority"
    service: str = ""

    @property
    def is_authority(self) -> bool:
        return self.kind is ScopeKind.AUTHORITY

    @property
    def choice(self) -> str:
        """The scope as the page's controls name it ("authority", "team-3", "service-North")."""
        if self.kind is ScopeKind.SERVICE:
            return f"service-{self.service}"
        if self.kind in (ScopeKind.TEAM, ScopeKind.WORKER):
            return f"{self.kind.value}-{self.id}"
        return "authority"


AUTHORITY = Scope()
