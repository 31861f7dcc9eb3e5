"""Reading a SMART plan's outcomes and actions, scoped to a child already checked for
visibility (``ChildRecordMixin``); each lookup raises 404 for another child's."""

from __future__ import annotations

from django.http import Http404

from caseline.apps.people.models import Person
from caseline.apps.plans.kinds import ActionT, OutcomeT, PlanT, SmartPlanKind


def get_outcome(
    kind: SmartPlanKind[PlanT, OutcomeT, ActionT],
    child: Person,
    outcome_id: int,
    *,
    plan_id: int | None = None,
) -> OutcomeT:
    """The child's outcome with this id (on the plan ``plan_id``, if given), or 404."""
    outcomes = kind.outcome_model._default_manager.filter(pk=outcome_id, plan__person=child)
    if plan_id is not None:
        outcomes = outcomes.filter(plan_id=plan_id)
    outcome = outcomes.select_related("plan").first()
    if outcome is None:
        raise Http404("No such outcome for this child")
    return outcome


def get_action(
    kind: SmartPlanKind[PlanT, OutcomeT, ActionT],
    child: Person,
    action_id: int,
    *,
    plan_id: int | None = None,
) -> ActionT:
    """The child's action with this id (on the plan ``plan_id``, if given), or 404."""
    actions = kind.action_model._default_manager.filter(pk=action_id, outcome__plan__person=child)
    if plan_id is not None:
        actions = actions.filter(outcome__plan_id=plan_id)
    action = actions.select_related("outcome").first()
    if action is None:
        raise Http404("No such action for this child")
    return action
