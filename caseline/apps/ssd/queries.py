"""Reads for the analyst's SSD pages."""

from __future__ import annotations

from django.db.models import QuerySet

from caseline.apps.returns.models import ReturnRun
from caseline.apps.ssd.actions import RUN_SLUG

RECENT_RUNS = 20


def recent_runs() -> QuerySet[ReturnRun]:
    """The latest export runs, newest first."""
    return (
        ReturnRun.objects.filter(return_slug=RUN_SLUG)
        .select_related("requested_by")
        .defer("person_ids", "report")
        .order_by("-requested_at", "-id")[:RECENT_RUNS]
    )


def export_run(run_id: int) -> ReturnRun:
    """One export run, or ``ReturnRun.DoesNotExist``."""
    return ReturnRun.objects.select_related("requested_by").get(pk=run_id, return_slug=RUN_SLUG)
