"""Reading a SMART plan's outcomes and actions, scoped to a child already checked for
visibility (``ChildRecordMixin``); each lookup raises 404 for another child's."""

from __future__ import annotations

from typing import TypeVar

from django.db import models
from django.http import Http404

from caseline.apps.people.models import Person
from caseline.apps.plans.kinds import ActionT, OutcomeT, PlanT, SmartPlanKind

RowT = TypeVar("RowT", bound=models.Model)


def get_plan(kind: SmartPlanKind[PlanT, OutcomeT, ActionT], child: Person, plan_id: int) -> PlanT:
    """The child's plan with this id, or 404."""
    plans = kind.plan_model._default_manager.select_related(*kind.plan_related)
    plan = plans.filter(pk=plan_id, person=child).first()
    if plan is None:
        raise Http404("No such plan for this child")
    return plan


def get_outcome(
    kind: SmartPlanKind[PlanT, OutcomeT, ActionT],
    child: Person,
    outcome_id: int,
    *,
    plan_id: int | None = None,
) -> OutcomeT:
    """The child's outcome with this id (on the plan ``plan_id``, if given), or 404."""
    return _of_child(kind.outcome_model, "plan", child, outcome_id, plan_id)


def get_action(
    kind: SmartPlanKind[PlanT, OutcomeT, ActionT],
    child: Person,
    action_id: int,
    *,
    plan_id: int | None = None,
) -> ActionT:
    """The child's action with this id (on the plan ``plan_id``, if given), or 404."""
    return _of_child(kind.action_model, "outcome__plan", child, action_id, plan_id)


def _of_child(model: type[RowT], to_plan: str, child: Person, pk: int, plan_id: int | None) -> RowT:
    rows = model._default_manager.filter(pk=pk, **{f"{to_plan}__person": child})
    if plan_id is not None:
        rows = rows.filter(**{f"{to_plan}_id": plan_id})
    row = rows.select_related(to_plan).first()
    if row is None:
        raise Http404(f"No such {model._meta.verbose_name} for this child")
    return row
