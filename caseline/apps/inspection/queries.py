"""Reads of the inspection app. None of it is about one child, so no record visibility applies:
the pages' permission (``INSPECTION_VIEW``) is the whole of the check."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from caseline.apps.inspection.models import (
    ActionProgress,
    ImprovementArea,
    Inspection,
    MonitoringVisit,
    PlanAction,
    ReportImport,
    SelfEvaluation,
    SelfEvaluationEntry,
)
from caseline.apps.inspection.plan import PlanAsAt, plan_as_at


def inspections() -> QuerySet[Inspection]:
    """Every inspection, newest first, with how many actions its plan has."""
    return Inspection.objects.annotate(action_count=Count("actions")).only(
        "authority", "framework", "start_date", "end_date", "published_date"
    )


def pending_imports() -> QuerySet[ReportImport]:
    """Imports read but not yet confirmed."""
    return (
        ReportImport.objects.filter(inspection__isnull=True)
        .select_related("imported_by")
        .defer("text")
    )


def get_inspection(inspection_id: int) -> Inspection:
    return get_object_or_404(Inspection.objects.defer("report_text"), pk=inspection_id)


def plan_areas(inspection: Inspection) -> list[ImprovementArea]:
    """The plan's headings, each with ``plan_actions`` (and their evidence) prefetched."""
    actions = PlanAction.objects.prefetch_related("evidence").order_by("number")
    return list(
        inspection.areas.prefetch_related(
            Prefetch("actions", queryset=actions, to_attr="plan_actions")
        )
    )


def progress_by_action(inspection: Inspection) -> dict[int, list[ActionProgress]]:
    """Every progress entry of the plan's actions, by action id, in date order."""
    entries: dict[int, list[ActionProgress]] = defaultdict(list)
    for entry in ActionProgress.objects.filter(action__inspection=inspection).order_by(
        "entry_date", "id"
    ):
        entries[entry.action_id].append(entry)
    return entries


def plan_for(inspection: Inspection, as_at: datetime.date) -> PlanAsAt:
    """The improvement plan as it stood at the end of ``as_at`` (three queries)."""
    return plan_as_at(plan_areas(inspection), progress_by_action(inspection), as_at)


def get_action(action_id: int) -> PlanAction:
    return get_object_or_404(PlanAction.objects.select_related("area", "inspection"), pk=action_id)


def visits_of(inspection: Inspection) -> QuerySet[MonitoringVisit]:
    return inspection.monitoring_visits.prefetch_related("findings__actions")


def get_visit(visit_id: int) -> MonitoringVisit:
    return get_object_or_404(MonitoringVisit.objects.select_related("inspection"), pk=visit_id)


def self_evaluations() -> QuerySet[SelfEvaluation]:
    return SelfEvaluation.objects.all()


def get_self_evaluation(evaluation_id: int) -> SelfEvaluation:
    return get_object_or_404(SelfEvaluation, pk=evaluation_id)


def entries_of(evaluation: SelfEvaluation) -> dict[str, SelfEvaluationEntry]:
    """The self-evaluation's entries by judgement area, with their evidence."""
    return {e.judgement_area: e for e in evaluation.entries.prefetch_related("evidence")}


def get_entry(entry_id: int) -> SelfEvaluationEntry:
    return get_object_or_404(
        SelfEvaluationEntry.objects.select_related("self_evaluation"), pk=entry_id
    )
