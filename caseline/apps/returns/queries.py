"""Reads for the analyst's returns pages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Max, QuerySet, Subquery

from caseline.apps.people.models import Person
from caseline.apps.people.queries import restricted_from
from caseline.apps.returns.models import ReturnFinding, ReturnRun
from caseline.apps.returns.registry import RETURNS

RECENT_RUNS = 20


def recent_runs() -> QuerySet[ReturnRun]:
    """The latest runs of the statutory returns, newest first, without their bulky columns
    (the SSD export's runs, kept in the same table, are listed on its own page)."""
    return (
        ReturnRun.objects.filter(return_slug__in=list(RETURNS))
        .select_related("requested_by")
        .defer("person_ids", "report")
        .order_by("-requested_at", "-id")[:RECENT_RUNS]
    )


def previous_finished_run(run: ReturnRun) -> ReturnRun | None:
    """The last run of the same return and year that finished before this one was asked for."""
    return (
        ReturnRun.objects.filter(
            return_slug=run.return_slug,
            year=run.year,
            status=ReturnRun.Status.DONE,
            requested_at__lt=run.requested_at,
        )
        .order_by("-requested_at", "-id")
        .first()
    )


def names_of(viewer: Any, person_ids: Iterable[int]) -> dict[int, str]:
    """Each person's full name, for the report by child; "Restricted record" for anyone whose
    record is restricted from the viewer (the return still counts them: ADR 0030)."""
    ids = set(person_ids)
    if not ids:
        return {}
    hidden = restricted_from(viewer, ids)
    return {
        pk: "Restricted record" if pk in hidden else f"{given} {family}"
        for pk, given, family in Person.objects.filter(pk__in=ids).values_list(
            "pk", "given_name", "family_name"
        )
    }


def latest_finished_runs() -> QuerySet[ReturnRun]:
    """The newest finished run of each return: what the record pages report from."""
    newest = (
        ReturnRun.objects.filter(status=ReturnRun.Status.DONE)
        .values("return_slug")
        .annotate(newest=Max("id"))
        .values("newest")
    )
    return ReturnRun.objects.filter(pk__in=Subquery(newest))


def findings_for(person_id: int) -> list[ReturnFinding]:
    """What the newest run of each return found about one child, errors first."""
    return list(
        ReturnFinding.objects.filter(person_id=person_id, run__in=latest_finished_runs())
        .select_related("run")
        .only("code", "is_error", "message", "run__return_slug", "run__year")
        .order_by("-is_error", "code")
    )
