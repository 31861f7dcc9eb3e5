"""Monthly trends, with England's figures and the statistical neighbours' beside them.

A trend asks the engine, as at each month end, for the 12 months to it (a rolling year, the
span England's published figures cover): the same indicator, the same definition. That is 24
engine passes, minutes at 50,000 children, so the page never counts past months (ADR 0038):
the daily job (``caseline indicator_trends``) and the worker count them and keep the figures
(``TrendFigure``); the page reads them, and only the latest month is counted in the request,
with its children. A month not yet counted shows as being counted, and the page asks the
worker for it.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone

from caseline.apps.indicators.engine import Context, Indicator, Result, compute_all, display
from caseline.apps.indicators.models import TrendFigure
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
    """One month end's figure (an engine :class:`Result`'s figures, without its rows), as
    counted at ``counted_at``; ``numerator`` None while it is still being counted."""

    indicator: Indicator
    as_at: datetime.date
    period: Period
    scope: Scope
    numerator: int | None
    denominator: int | None
    value: float | None
    counted_at: datetime.datetime | None

    @property
    def counted(self) -> bool:
        return self.numerator is not None

    @property
    def display(self) -> str:
        return display(self.indicator, self.value) if self.counted else "Being counted"


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


def point_of(result: Result, counted_at: datetime.datetime | None = None) -> Point:
    """``result``'s figures as a trend point."""
    return Point(
        result.indicator,
        result.as_at,
        result.period,
        result.scope,
        result.numerator,
        result.denominator,
        result.value,
        counted_at or timezone.now(),
    )


def kept_points(
    indicators: Sequence[Indicator], scope: Scope, ends: Sequence[datetime.date]
) -> dict[tuple[str, datetime.date], Point]:
    """The figures kept for these measures, scope and month ends, by (code, month end)."""
    by_code = {indicator.code: indicator for indicator in indicators}
    kept = TrendFigure.objects.filter(
        code__in=list(by_code), scope=scope.choice, month_end__in=list(ends)
    )
    return {
        (figure.code, figure.month_end): Point(
            by_code[figure.code],
            figure.month_end,
            make_period(PeriodKind.LAST_12_MONTHS, figure.month_end),
            scope,
            figure.numerator,
            figure.denominator,
            figure.value,
            figure.counted_at,
        )
        for figure in kept
    }


def trends(
    indicators: Sequence[Indicator],
    scope: Scope,
    as_at: datetime.date,
    months: int = TREND_MONTHS,
) -> list[Trend]:
    """Each indicator's monthly trend to the last month end on or before ``as_at``: the past
    months as kept (one query), the latest counted now with its rows."""
    ends = month_ends(as_at, months)
    last = ends[-1]
    latest = compute_all(
        indicators, Context(last, make_period(PeriodKind.LAST_12_MONTHS, last)), scope
    )
    kept = kept_points(indicators, scope, ends[:-1])
    trends_: list[Trend] = []
    for indicator, result in zip(indicators, latest, strict=True):
        points = [
            kept.get((indicator.code, end))
            or Point(
                indicator,
                end,
                make_period(PeriodKind.LAST_12_MONTHS, end),
                scope,
                None,
                None,
                None,
                None,
            )
            for end in ends[:-1]
        ]
        points.append(point_of(result))
        trends_.append(
            Trend(
                indicator,
                tuple(points),
                england_for(indicator),
                result,
                neighbours_for(indicator),
            )
        )
    return trends_


def not_counted(trends_: Sequence[Trend]) -> list[datetime.date]:
    """The month ends some trend still lacks a figure for, oldest first."""
    return sorted({point.as_at for trend in trends_ for point in trend.points if not point.counted})
