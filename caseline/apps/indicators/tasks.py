"""The background tasks of indicators: the worker runs them, the actions enqueue them."""

from __future__ import annotations

import datetime

from django_tasks import task


@task()
def count_trend_months(scope_choice: str, month_ends: list[str]) -> None:
    """Count and keep the director's trend for one scope ("team-3") and these month ends."""
    from caseline.apps.indicators.actions import count_trends
    from caseline.apps.indicators.forms import scope_named

    count_trends(
        scopes=[scope_named(scope_choice, {})],
        month_ends=[datetime.date.fromisoformat(end) for end in month_ends],
    )
