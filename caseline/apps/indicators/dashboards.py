"""The director's and senior leaders' page: the headline measures with their monthly trend and
England's figure, the worst-performing teams on each, and what changed since last month.

Every figure is an engine :class:`~caseline.apps.indicators.engine.Result`; a team's figure is
the authority's rows of the children that team is responsible for (``engine.responsible``, the
engine's own team scope), and every figure links to its drill-down.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.http import QueryDict
from django.urls import reverse

from caseline.apps.accounts.models import Team
from caseline.apps.indicators import catalogue
from caseline.apps.indicators.engine import Indicator, Result, responsible
from caseline.apps.indicators.periods import Period, PeriodKind, Scope, ScopeKind
from caseline.apps.indicators.trends import Point, Trend, trends

# The headline measures: the front door, assessment, child protection and care.
HEADLINE_CODES = ("FD1", "FD4", "AS1", "CP2", "CP5", "LA3")
WORST_TEAMS = 3


def headline() -> list[Indicator]:
    indicators = [catalogue.get(code) for code in HEADLINE_CODES]
    return [indicator for indicator in indicators if indicator is not None]


def _date(query: QueryDict, name: str, day: datetime.date) -> None:
    query[f"{name}_day"] = str(day.day)
    query[f"{name}_month"] = str(day.month)
    query[f"{name}_year"] = str(day.year)


def drill_href(code: str, as_at: datetime.date, period: Period, scope: Scope) -> str:
    """The drill-down of ``code`` for this as-at date, period and scope."""
    query = QueryDict(mutable=True)
    _date(query, "as_at", as_at)
    query["period"] = period.kind.value
    if period.kind is PeriodKind.RANGE:
        _date(query, "start", period.start)
        _date(query, "end", period.end)
    query["scope"] = scope.choice
    return f"{reverse('indicators:detail', args=[code])}?{query.urlencode()}"


def result_href(result: Result | Point) -> str:
    return drill_href(result.indicator.code, result.as_at, result.period, result.scope)


def by_team(result: Result) -> list[Result]:
    """``result`` for each team responsible for a child in it (the engine's team scope)."""
    allocations = responsible(result.as_at, result.denominator_ids)
    rows = defaultdict(list)
    for row in result.rows:
        allocation = allocations.get(row.person_id)
        if allocation is not None and allocation.team_id is not None:
            rows[allocation.team_id].append(row)
    names = dict(Team.objects.filter(pk__any_of=list(rows)).values_list("pk", "name"))
    return [
        Result(
            result.indicator,
            result.as_at,
            result.period,
            Scope(ScopeKind.TEAM, team_id, names.get(team_id, "")),
            tuple(team_rows),
        )
        for team_id, team_rows in rows.items()
    ]


def worst_teams(result: Result, limit: int = WORST_TEAMS) -> list[Result]:
    """The teams doing worst on ``result``'s indicator (nothing for one with no direction)."""
    better = result.indicator.higher_is_better
    if better is None:
        return []
    teams = [team for team in by_team(result) if team.value is not None]
    teams.sort(key=lambda team: (team.value if better else -(team.value or 0), team.scope.name))
    return teams[:limit]


@dataclass(frozen=True)
class Headline:
    trend: Trend
    worst: list[Result]

    @property
    def result(self) -> Result:
        return self.trend.latest


def director_page(scope: Scope, as_at: datetime.date) -> list[Headline]:
    """The headline measures as at the last month end on or before ``as_at``."""
    return [
        Headline(trend, worst_teams(trend.latest) if scope.is_authority else [])
        for trend in trends(headline(), scope, as_at)
    ]


def oldest_count(headlines: list[Headline]) -> datetime.datetime | None:
    """When the oldest kept figure on the page was counted (None: none kept yet)."""
    times = [
        point.counted_at
        for line in headlines
        for point in line.trend.points[:-1]
        if point.counted_at is not None
    ]
    return min(times, default=None)
