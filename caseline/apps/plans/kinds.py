"""A kind of SMART plan: one app's concrete plan, outcome and action models, the audit events
its writes make and the words it uses. The shared actions, lookups and pages take one."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from caseline.apps.plans.models import SmartAction, SmartOutcome, SmartPlan

PlanT = TypeVar("PlanT", bound=SmartPlan)
OutcomeT = TypeVar("OutcomeT", bound=SmartOutcome)
ActionT = TypeVar("ActionT", bound=SmartAction)


@dataclass(frozen=True)
class SmartPlanKind(Generic[PlanT, OutcomeT, ActionT]):
    """One app's SMART plan."""

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

    def outcome_called(self, child_name: str) -> str:
        """What an outcome is for this child, in lower case: a heading's second half."""
        return self.outcome_label.format(name=child_name)
