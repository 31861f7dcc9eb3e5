"""The writes every SMART plan shares: add an outcome, add an action, record progress.

Each takes the kind of plan first (``SmartPlanKind``: its models, audit events and words);
each app binds its own kind once, so its callers write ``add_action(acting_user=..., ...)``::

    add_action = partial(plans.actions.add_action, SMART_PLAN)

Every action needs the permission to record plans, refuses a plan that has ended, and is
audited with the app's own event types. :func:`locked_open_plan`, :func:`change_plan` and
:func:`happened_in_plan` serve the apps' own plan actions too (edits, reviews, visits, ends).
"""

from __future__ import annotations

import datetime
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.audit.record import changed_values, record_event, snapshot
from caseline.apps.core.access import require_permission
from caseline.apps.core.checks import Checks
from caseline.apps.core.concurrency import save_versioned
from caseline.apps.plans.kinds import ActionT, OutcomeT, PlanT, SmartPlanKind
from caseline.apps.plans.models import SmartPlan
from caseline.apps.timescales.rules import format_date

OUTCOME_FIELDS = ["plan", "order", "outcome"]
ACTION_FIELDS = ["outcome", "what", "who", "by_when", "how_we_will_know", "status"]
PROGRESS_FIELDS = ["status", "status_note", "status_updated_on"]


def locked_open_plan(kind: SmartPlanKind[PlanT, OutcomeT, ActionT], plan_id: int) -> PlanT:
    """The plan re-read under a row lock, so two writers queue rather than race; refused if
    it has ended. For use inside an action's transaction."""
    plan = (
        kind.plan_model._default_manager.select_for_update(of=("self",))
        .select_related("person", *kind.plan_related)
        .get(pk=plan_id)
    )
    ended = plan.effective_end_date
    if ended is not None:
        raise ValidationError(
            f"This plan ended on {format_date(ended)}: it can no longer be changed"
        )
    return plan


def happened_in_plan(
    checks: Checks,
    field: str,
    day: datetime.date,
    what: str,
    plan: SmartPlan,
    *,
    after: str = "the plan start date",
) -> None:
    """A date of something done under ``plan``: it has happened (not before the child was
    born) and not before the plan started."""
    if checks.happened(field, day, what, child=plan.person):
        checks.check(
            day >= plan.start_date,
            field,
            f"{what} must be on or after {after}, {format_date(plan.start_date)}",
        )


def change_plan(
    current: SmartPlan,
    *,
    acting_user: User,
    changes: dict[str, Any],
    event_type: StrEnum,
    read_version: int | None = None,
) -> None:
    """Write ``changes`` to ``current`` (the plan locked by :func:`locked_open_plan`) and audit what
    changed. With ``read_version`` (a form's edit), refuse with ``EditConflict`` if someone has
    saved the plan since it was read."""
    fields = list(changes)
    before = snapshot(current, fields)
    for name, value in changes.items():
        setattr(current, name, value)
    if read_version is None:
        current.save(update_fields=fields)
    else:
        save_versioned(current, read_version=read_version, update_fields=fields)
    old, new = changed_values(before, snapshot(current, fields))
    record_event(
        acting_user=acting_user,
        event_type=event_type,
        target=current,
        subject_person_id=current.person_id,
        old_values=old,
        new_values=new,
    )


@transaction.atomic(durable=True)
def add_outcome(
    kind: SmartPlanKind[PlanT, OutcomeT, ActionT], *, acting_user: User, plan: PlanT, outcome: str
) -> OutcomeT:
    """Add what needs to be different for the child, at the end of the plan's list."""
    require_permission(acting_user, Permission.PLAN_RECORD)
    current = locked_open_plan(kind, plan.pk)
    checks = Checks()
    checks.required("outcome", outcome, kind.outcome_missing)
    checks.raise_if_any()
    outcomes = kind.outcome_model._default_manager.filter(plan=current)
    last: int = outcomes.aggregate(last=Max("order", default=0))["last"]
    added = kind.outcome_model._default_manager.create(
        plan=current, order=last + 1, outcome=outcome.strip()
    )
    record_event(
        acting_user=acting_user,
        event_type=kind.outcome_added,
        target=added,
        subject_person_id=current.person_id,
        new_values=snapshot(added, OUTCOME_FIELDS),
    )
    return added


@transaction.atomic(durable=True)
def add_action(
    kind: SmartPlanKind[PlanT, OutcomeT, ActionT],
    *,
    acting_user: User,
    outcome: OutcomeT,
    what: str,
    who: str,
    by_when: datetime.date | None,
    how_we_will_know: str,
) -> ActionT:
    """Add a SMART action: what will happen, who does it, by when, and how we will know."""
    require_permission(acting_user, Permission.PLAN_RECORD)
    plan = locked_open_plan(kind, outcome.plan_id)
    checks = Checks()
    checks.required("what", what, "Enter what will happen")
    checks.required(
        "who",
        who,
        "Enter who will do it, with their name or role, for example Mum (Sarah) or Health visitor",
    )
    if checks.required("by_when", by_when, "Enter the date by when it will be done"):
        assert by_when is not None  # narrowed by the check
        by_when_is = "The date by when it will be done"
        if checks.planned("by_when", by_when, by_when_is, child=plan.person):
            checks.check(
                by_when >= plan.start_date,
                "by_when",
                f"{by_when_is} must be on or after the plan start date, "
                f"{format_date(plan.start_date)}",
            )
    checks.required("how_we_will_know", how_we_will_know, "Enter how we will know it has worked")
    checks.raise_if_any()
    action = kind.action_model._default_manager.create(
        outcome=outcome,
        what=what.strip(),
        who=who.strip(),
        by_when=by_when,
        how_we_will_know=how_we_will_know.strip(),
    )
    record_event(
        acting_user=acting_user,
        event_type=kind.action_added,
        target=action,
        subject_person_id=plan.person_id,
        new_values=snapshot(action, ACTION_FIELDS),
    )
    return action


@transaction.atomic(durable=True)
def update_action_status(
    kind: SmartPlanKind[PlanT, OutcomeT, ActionT],
    *,
    acting_user: User,
    action: ActionT,
    status: str,
    status_note: str = "",
    updated_on: datetime.date | None = None,
    read_version: int | None = None,
) -> ActionT:
    """Record how an action is going, on ``updated_on`` (by default today). With
    ``read_version`` (the progress page's), refuse with ``EditConflict`` if someone has saved
    the action's progress since.

    Where progress is heard at meetings (``kind.progress_at_meetings``) it is dated and always
    says what was heard; otherwise a note is needed only when the action was not done.
    """
    require_permission(acting_user, Permission.PLAN_RECORD)
    outcomes = kind.outcome_model._default_manager
    plan = locked_open_plan(
        kind, outcomes.values_list("plan_id", flat=True).get(pk=action.outcome_id)
    )
    row = kind.action_model._default_manager.select_for_update().get(pk=action.pk)
    day = updated_on or timezone.localdate()
    statuses = kind.action_model.Status
    checks = Checks()
    known = checks.check(status in statuses.values, "status", "Select the progress on this action")
    if kind.progress_at_meetings:
        checks.required("status_note", status_note, "Enter the progress made")
    elif known and status == statuses.NOT_DONE:
        checks.required("status_note", status_note, "Enter why the action was not done")
    happened_in_plan(checks, "updated_on", day, "The date of this update", plan)
    checks.raise_if_any()
    before = snapshot(row, PROGRESS_FIELDS)
    row.status = status
    row.status_note = status_note.strip()
    row.status_updated_on = day
    if read_version is None:
        row.save(update_fields=PROGRESS_FIELDS)
    else:
        save_versioned(row, read_version=read_version, update_fields=PROGRESS_FIELDS)
    old, new = changed_values(before, snapshot(row, PROGRESS_FIELDS))
    record_event(
        acting_user=acting_user,
        event_type=kind.progress_updated,
        target=row,
        subject_person_id=plan.person_id,
        old_values=old,
        new_values=new,
    )
    return row
