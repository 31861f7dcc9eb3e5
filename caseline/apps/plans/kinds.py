"""A kind of SMART plan: one app's concrete plan, outcome and action models, the audit events
its writes make and the words it uses. The shared actions, lookups and pages take one."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import models

from caseline.apps.plans.models import SmartAction, SmartOutcome, SmartPlan

PlanT = TypeVar("PlanT", bound=SmartPlan)
OutcomeT = TypeVar("OutcomeT", bound=SmartOutcome)
ActionT = TypeVar("ActionT", bound=SmartAction)


# The members of an app's audit event enum that its SMART plan's writes record.
SMART_PLAN_EVENTS = ("OUTCOME_ADDED", "ACTION_ADDED", "ACTION_STATUS_UPDATED")


@dataclass(frozen=True)
class SmartPlanKind(Generic[PlanT, OutcomeT, ActionT]):
    """One app's SMART plan. Build it with :meth:`of`."""

    plan_model: type[PlanT]
    outcome_model: type[OutcomeT]
    action_model: type[ActionT]
    outcome_added: StrEnum
    action_added: StrEnum
    progress_updated: StrEnum
    # What an outcome is, in lower case with ``{name}`` for the child's name ("what needs
    # to change"), and the message when none is given.
    outcome_label: str
    outcome_missing: str
    # Progress heard at a meeting (child protection's core groups) is dated the day it was
    # heard and always says what was heard. Otherwise it is dated the day it is recorded and
    # needs a note only when the action was not done.
    progress_at_meetings: bool = False
    # Read with the plan when it is locked (what ``effective_end_date`` needs).
    plan_related: tuple[str, ...] = ()

    @classmethod
    def of(
        cls,
        plan_model: type[PlanT],
        *,
        events: type[StrEnum],
        outcome_label: str,
        outcome_missing: str,
        progress_at_meetings: bool = False,
        plan_related: tuple[str, ...] = (),
    ) -> SmartPlanKind[PlanT, Any, Any]:
        """The SMART plan of ``plan_model``: its outcomes are the model its ``outcomes``
        relation leads to, their actions the model their ``actions`` relation leads to, and
        their writes record the app's ``events`` named in :data:`SMART_PLAN_EVENTS`."""
        outcome_model = _related(plan_model, "outcomes", SmartOutcome)
        action_model = _related(outcome_model, "actions", SmartAction)
        outcome_added, action_added, progress_updated = (events[n] for n in SMART_PLAN_EVENTS)
        return cls(
            plan_model=plan_model,
            outcome_model=outcome_model,
            action_model=action_model,
            outcome_added=outcome_added,
            action_added=action_added,
            progress_updated=progress_updated,
            outcome_label=outcome_label,
            outcome_missing=outcome_missing,
            progress_at_meetings=progress_at_meetings,
            plan_related=plan_related,
        )

    def outcome_called(self, child_name: str) -> str:
        """What an outcome is for this child, in lower case: a heading's second half."""
        return self.outcome_label.format(name=child_name)


def _related(model: type[models.Model], name: str, base: type[models.Model]) -> Any:
    """The model that ``model``'s relation ``name`` leads to, which must inherit ``base``."""
    related = model._meta.get_field(name).related_model
    if not (isinstance(related, type) and issubclass(related, base)):
        raise ImproperlyConfigured(f"{model.__name__}.{name} must lead to a {base.__name__}")
    return related
