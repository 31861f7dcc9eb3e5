"""Monthly trends, with England's figures and the statistical neighbours' beside them.

A trend asks the engine, as at each month end, for the 12 months to it (a rolling year, the
span England's published figures cover): the same indicator, the same definition, one
:func:`engine.compute_all` per month. Nothing is computed a second way. That is 24 engine
passes (``benchmarks/bench_dashboards.py``: seconds, too slow for a page), so each past month's
figures (numerator, denominator, value: no children) are kept in Django's cache for
``CACHE_SECONDS``; the latest month is always computed live, with its children.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.cache import cache

from caseline.apps.indicators.engine import Context, Indicator, Result, compute_all
from caseline.apps.indicators.periods import Period, PeriodKind, Scope, make_period
from caseline.apps.returns.national import (
    Authority,
    NationalFigure,
    NeighbourFigure,
    authorities,
    configured_authority,
    england_figures,
    local_figures,
    neighbour_average,
)
from caseline.apps.timescales.calendar import add_days

TREND_MONTHS = 24
CACHE_SECONDS = 60 * 60  # a correction to a past month shows within the hour

# The indicator whose definition matches a published England measure (england_figures.csv).
ENGLAND_MEASURE: dict[str, str] = {
    "FD4": "rereferrals_within_12_months",
    "AS1": "assessments_within_45_working_days",
    "CP2": "icpc_within_15_working_days",
    "CP4": "cpp_ceased_after_2_years_or_more",
    "CP5": "cpp_starts_with_previous_plan",
    "CP7": "cpp_reviews_in_timescale",
    "LA3": "cla_3_or_more_placements_in_year",
    "LA4": "cla_long_term_placement_stability",
    "HE1": "oc2_health_assessment",
    "HE2": "oc2_immunisations",
    "HE3": "oc2_teeth_checked",
    "HE4": "oc2_development_checks_under_5",
    "HE5": "sdq_score_recorded",
    "CL2": "care_leavers_19_21_in_eet",
    "CL3": "care_leavers_19_21_suitable_accommodation",
    "CL5": "care_leavers_17_18_in_eet",
    "CL6": "care_leavers_17_18_suitable_accommodation",
}


def england_for(indicator: Indicator) -> NationalFigure | None:
    """England's published figure for ``indicator``, where the CSV has one."""
    measure = ENGLAND_MEASURE.get(indicator.code)
    return england_figures().get(measure) if measure else None


def neighbours_for(indicator: Indicator) -> NeighbourFigure | None:
    """The configured authority's statistical neighbours' average for ``indicator`` (the same
    published measure as England's), where their figures are shipped."""
    measure = ENGLAND_MEASURE.get(indicator.code)
    authority = configured_authority()
    if measure is None or authority is None:
        return None
    return neighbour_average(measure, authority)


@dataclass(frozen=True)
class Comparators:
    """What the pages compare with: England, and the authority's statistical neighbours (by
    name, in the source's order), saying whether any of their figures are shipped."""

    authority: Authority | None
    neighbour_names: tuple[str, ...]
    neighbour_figures: bool


def comparators() -> Comparators:
    authority = configured_authority()
    if authority is None:
        return Comparators(None, (), False)
    known = authorities()
    names = tuple(known[number].name for number in authority.neighbours)
    mine = set(authority.neighbours)
    return Comparators(authority, names, any(f.la_number in mine for f in local_figures()))


def month_end(day: datetime.date) -> datetime.date:
    """The last day of ``day``'s month."""
    first_of_next = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return add_days(first_of_next, -1)


def month_ends(as_at: datetime.date, months: int = TREND_MONTHS) -> list[datetime.date]:
    """The last ``months`` month ends on or before ``as_at``, oldest first (``as_at`` itself
    when it is a month end)."""
    last = month_end(as_at)
    if last > as_at:
        last = add_days(last.replace(day=1), -1)
    ends = [last]
    while len(ends) < months:
        ends.append(add_days(ends[-1].replace(day=1), -1))
    return ends[::-1]


@dataclass(frozen=True)
class Point:
    """One month end's figure (an engine :class:`Result` without its rows)."""

    indicator: Indicator
    as_at: datetime.date
    period: Period
    scope: Scope
    numerator: int
    denominator: int | None
    value: float | None
    display: str


@dataclass(frozen=True)
class Trend:
    """One indicator as at each month end (the 12 months to it), with England's figure and the
    statistical neighbours' average; the latest month in full (its rows), for its children and
    its teams."""

    indicator: Indicator
    points: tuple[Point, ...]
    england: NationalFigure | None
    latest: Result
    neighbours: NeighbourFigure | None = None

    @property
    def previous(self) -> Point | None:
        return self.points[-2] if len(self.points) > 1 else None

    @property
    def change(self) -> float | None:
        """Since last month, in the indicator's unit (percentage points or a count)."""
        if self.previous is None or self.latest.value is None or self.previous.value is None:
            return None
        return round(self.latest.value - self.previous.value, 1)

    @property
    def better(self) -> bool | None:
        """Whether the change since last month is an improvement (None: no change or no
        direction)."""
        change = self.change
        if not change or self.indicator.higher_is_better is None:
            return None
        return (change > 0) is self.indicator.higher_is_better


def trends(
    indicators: list[Indicator] | tuple[Indicator, ...],
    scope: Scope,
    as_at: datetime.date,
    months: int = TREND_MONTHS,
) -> list[Trend]:
    """Each indicator's monthly trend to the last month end on or before ``as_at``: the engine
    asked once per month end for all of them together."""
    ends = month_ends(as_at, months)
    by_month: list[list[Point]] = []
    latest: list[Result] = []
    codes = ",".join(indicator.code for indicator in indicators)
    for end in ends:
        period = make_period(PeriodKind.LAST_12_MONTHS, end)
        key = f"indicators:trend:{codes}:{scope.kind}:{scope.id}:{scope.service}:{end}"
        # The figures only (no children, no functions): numerator, denominator, value, display.
        figures = cache.get(key) if end != ends[-1] else None
        if figures is None:
            results = compute_all(indicators, Context(end, period), scope)
            figures = [(r.numerator, r.denominator, r.value, r.display) for r in results]
            if end == ends[-1]:
                latest = results
            else:
                cache.set(key, figures, CACHE_SECONDS)
        by_month.append(
            [
                Point(indicator, end, period, scope, *figure)
                for indicator, figure in zip(indicators, figures, strict=True)
            ]
        )
    return [
        Trend(
            indicator,
            tuple(month[i] for month in by_month),
            england_for(indicator),
            latest[i],
            neighbours_for(indicator),
        )
        for i, indicator in enumerate(indicators)
    ]
