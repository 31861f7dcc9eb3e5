"""Indicators' writes: the director's monthly trends counted and kept (ADR 0038).

Counting a month end's figures is a whole engine pass, so it is done by the daily job and the
worker, never in a page's request. What is kept is figures only (no child is named), each
with when it was counted and the record's version then.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from caseline.apps.accounts.models import Team
from caseline.apps.audit.queries import last_change_id
from caseline.apps.audit.record import record_event
from caseline.apps.indicators import dashboards
from caseline.apps.indicators.engine import Context, Indicator, compute_all
from caseline.apps.indicators.events import IndicatorsEvent
from caseline.apps.indicators.models import TrendFigure
from caseline.apps.indicators.periods import AUTHORITY, PeriodKind, Scope, ScopeKind, make_period
from caseline.apps.indicators.tasks import count_trend_months

# How long a scope's months asked of the worker are not asked again by this process.
ASKED_SECONDS = 10 * 60


@dataclass(frozen=True)
class TrendCount:
    """What one count did: scopes and month ends counted, figures kept, seconds taken."""

    scopes: int
    month_ends: int
    figures: int
    seconds: float


def scopes_counted_daily() -> list[Scope]:
    """The scopes the daily job counts: the authority, each service area with a team, and
    each team (a worker's is counted when first asked for)."""
    teams = list(Team.objects.order_by("name").values_list("id", "name", "service"))
    services = dict(Team.Service.choices)
    in_use = sorted({service for _, _, service in teams})
    return [
        AUTHORITY,
        *(Scope(ScopeKind.SERVICE, None, services[s], service=s) for s in in_use),
        *(Scope(ScopeKind.TEAM, pk, name) for pk, name, _ in teams),
    ]


def count_trends(
    *,
    scopes: Sequence[Scope],
    month_ends: Sequence[datetime.date],
    indicators: Sequence[Indicator] | None = None,
) -> TrendCount:
    """Count ``indicators`` (the headline measures by default) for each scope as at each
    month end, over the 12 months to it, and keep the figures, replacing what was kept. The
    counting is done first, outside any transaction; the figures are then written in one,
    with one audit event."""
    started = time.perf_counter()
    measures = list(indicators) if indicators is not None else dashboards.headline()
    version = last_change_id()
    counted_at = timezone.now()
    figures: list[TrendFigure] = []
    for end in month_ends:
        context = Context(end, make_period(PeriodKind.LAST_12_MONTHS, end))
        # The authority first: with results kept (ADR 0037), each team's is cut from its rows.
        for scope in sorted(scopes, key=lambda s: not s.is_authority):
            for result in compute_all(measures, context, scope):
                figures.append(
                    TrendFigure(
                        code=result.indicator.code,
                        scope=scope.choice,
                        month_end=end,
                        numerator=result.numerator,
                        denominator=result.denominator,
                        value=result.value,
                        counted_at=counted_at,
                        record_version=version,
                    )
                )
    _keep(figures, scopes, month_ends, measures)
    return TrendCount(len(scopes), len(month_ends), len(figures), time.perf_counter() - started)


@transaction.atomic(durable=True)
def _keep(
    figures: list[TrendFigure],
    scopes: Sequence[Scope],
    month_ends: Sequence[datetime.date],
    measures: Sequence[Indicator],
) -> None:
    TrendFigure.objects.bulk_create(
        figures,
        update_conflicts=True,
        unique_fields=["code", "scope", "month_end"],
        update_fields=["numerator", "denominator", "value", "counted_at", "record_version"],
    )
    record_event(
        acting_user=None,
        event_type=IndicatorsEvent.TRENDS_COUNTED,
        extra={
            "measures": [measure.code for measure in measures],
            "scopes": [scope.choice for scope in scopes],
            "month_ends": [end.isoformat() for end in month_ends],
            "figures": len(figures),
        },
    )


def ask_for_trends(scope: Scope, month_ends: Sequence[datetime.date]) -> bool:
    """Ask the worker to count ``scope``'s trend for these month ends (a page found them not
    yet counted), unless this process asked in the last ``ASKED_SECONDS``. Whether it asked."""
    if not month_ends or not cache.add(f"indicators:trends-asked:{scope.choice}", 1, ASKED_SECONDS):
        return False
    ends = [end.isoformat() for end in month_ends]
    transaction.on_commit(lambda: count_trend_months.enqueue(scope.choice, ends))
    return True
