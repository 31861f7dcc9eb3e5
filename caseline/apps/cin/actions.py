"""Every write to a child in need plan, its reviews and visits. Each action is audited."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from caseline.apps.audit.record import changed_values, record_event, snapshot
from caseline.apps.cin.events import CinEvent
from caseline.apps.cin.models import (
    ENDING_DECISIONS,
    CINPlan,
    CINVisit,
    PlanAction,
    PlanOutcome,
    PlanReview,
    open_on,
)
from caseline.apps.core.concurrency import save_versioned
from caseline.apps.frontdoor.models import Referral
from caseline.apps.people.models import Person
from caseline.apps.timescales.queries import rule_in_force
from caseline.apps.timescales.rules import format_date

PLAN_FIELDS = ["start_date", "child_views", "family_views"]
END_FIELDS = ["end_date", "end_reason", "end_note"]
ACTION_FIELDS = ["outcome", "what", "who", "by_when", "how_we_will_know", "status"]
STATUS_FIELDS = ["status", "status_note", "status_updated_on"]
REVIEW_FIELDS = ["plan", "review_date", "progress", "child_views", "decision", "next_review_due"]
VISIT_FIELDS = [
    "plan",
    "visit_date",
    "child_seen",
    "child_seen_alone",
    "seen_bedroom",
    "not_seen_reason",
    "purpose",
    "observations",
    "child_views",
]

# A plan that has not ended: no end date of its own and its episode still open.
NOT_ENDED = Q(end_date__isnull=True) & Q(referral__closed_on__isnull=True)


def _raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def _required(errors: dict[str, str], name: str, value: str, message: str) -> None:
    if not value.strip():
        errors[name] = message


def _not_future(errors: dict[str, str], name: str, value: datetime.date, what: str) -> None:
    if value > timezone.localdate():
        errors[name] = f"{what} must be today or in the past"


def _refuse_if_ended(plan: CINPlan) -> None:
    if plan.effective_end_date is not None:
        raise ValidationError(
            f"This plan ended on {format_date(plan.effective_end_date)}: it can no longer be "
            "changed"
        )


def _locked_plan(plan: CINPlan) -> CINPlan:
    """The plan re-read under a row lock, so two writers queue rather than race."""
    return CINPlan.objects.select_for_update().select_related("referral").get(pk=plan.pk)


@transaction.atomic(durable=True)
def start_plan(
    *,
    acting_user: Any,
    child: Person,
    start_date: datetime.date,
    child_views: str,
    family_views: str = "",
) -> CINPlan:
    """Start a child in need plan in the child's open episode."""
    Person.objects.select_for_update().filter(pk=child.pk).first()
    errors: dict[str, str] = {}
    _not_future(errors, "start_date", start_date, "The plan start date")
    _required(errors, "child_views", child_views, "Enter the child's views on the plan")
    referral = (
        Referral.objects.filter(person=child, closed_on__isnull=True)
        .order_by("-referral_date", "-id")
        .first()
    )
    if referral is None:
        raise ValidationError(
            f"{child.full_name} has no open child in need episode. Record a referral "
            "before starting a plan"
        )
    if "start_date" not in errors and start_date < referral.referral_date:
        errors["start_date"] = (
            "The plan start date must be on or after the referral date, "
            f"{format_date(referral.referral_date)}"
        )
    _raise_if(errors)
    if CINPlan.objects.filter(NOT_ENDED, person=child).exists():
        raise ValidationError(
            f"{child.full_name} already has an open child in need plan. End it before "
            "starting another"
        )
    plan = CINPlan.objects.create(
        person=child,
        referral=referral,
        start_date=start_date,
        child_views=child_views.strip(),
        family_views=family_views.strip(),
        created_by=acting_user,
    )
    record_event(
        acting_user=acting_user,
        event_type=CinEvent.PLAN_STARTED,
        target=plan,
        subject_person_id=child.pk,
        new_values=snapshot(plan, ["referral", *PLAN_FIELDS]),
    )
    return plan


@transaction.atomic(durable=True)
def update_plan(
    *,
    acting_user: Any,
    plan: CINPlan,
    read_version: int,
    start_date: datetime.date,
    child_views: str,
    family_views: str = "",
) -> CINPlan:
    """Change the plan's start date and the views on it. Raises EditConflict if stale."""
    current = _locked_plan(plan)
    _refuse_if_ended(current)
    errors: dict[str, str] = {}
    _not_future(errors, "start_date", start_date, "The plan start date")
    _required(errors, "child_views", child_views, "Enter the child's views on the plan")
    if "start_date" not in errors:
        referral_date = current.referral.referral_date
        first_action = (
            PlanAction.objects.filter(outcome__plan=current)
            .order_by("by_when")
            .values_list("by_when", flat=True)
            .first()
        )
        first_review = (
            current.reviews.order_by("review_date").values_list("review_date", flat=True).first()
        )
        if start_date < referral_date:
            errors["start_date"] = (
                "The plan start date must be on or after the referral date, "
                f"{format_date(referral_date)}"
            )
        elif first_review is not None and start_date > first_review:
            errors["start_date"] = (
                "The plan start date must be on or before its first review, "
                f"{format_date(first_review)}"
            )
        elif first_action is not None and start_date > first_action:
            errors["start_date"] = (
                "The plan start date must be on or before the earliest action's date, "
                f"{format_date(first_action)}"
            )
    _raise_if(errors)
    before = snapshot(current, PLAN_FIELDS)
    current.start_date = start_date
    current.child_views = child_views.strip()
    current.family_views = family_views.strip()
    save_versioned(current, read_version=read_version, update_fields=PLAN_FIELDS)
    old, new = changed_values(before, snapshot(current, PLAN_FIELDS))
    record_event(
        acting_user=acting_user,
        event_type=CinEvent.PLAN_UPDATED,
        target=current,
        subject_person_id=current.person_id,
        old_values=old,
        new_values=new,
    )
    plan.version = current.version
    return current


@transaction.atomic(durable=True)
def add_outcome(*, acting_user: Any, plan: CINPlan, outcome: str) -> PlanOutcome:
    """Add what we want to be different for the child, at the end of the plan's list."""
    current = _locked_plan(plan)
    _refuse_if_ended(current)
    errors: dict[str, str] = {}
    _required(errors, "outcome", outcome, "Enter what we want to be different for the child")
    _raise_if(errors)
    last = current.outcomes.aggregate(last=Max("order", default=0))["last"]
    row = PlanOutcome.objects.create(plan=current, order=last + 1, outcome=outcome.strip())
    record_event(
        acting_user=acting_user,
        event_type=CinEvent.OUTCOME_ADDED,
        target=row,
        subject_person_id=current.person_id,
        new_values=snapshot(row, ["plan", "order", "outcome"]),
    )
    return row


@transaction.atomic(durable=True)
def add_action(
    *,
    acting_user: Any,
    outcome: PlanOutcome,
    what: str,
    who: str,
    by_when: datetime.date | None,
    how_we_will_know: str,
) -> PlanAction:
    """Add a SMART action: what will happen, who does it, by when, and how we will know."""
    plan = _locked_plan(outcome.plan)
    _refuse_if_ended(plan)
    errors: dict[str, str] = {}
    _required(errors, "what", what, "Enter what will happen")
    _required(
        errors,
        "who",
        who,
        "Enter who will do it, with their name or role, for example Mum (Sarah) or Health visitor",
    )
    if by_when is None:
        errors["by_when"] = "Enter the date by when it will be done"
    elif by_when < plan.start_date:
        errors["by_when"] = (
            "The date by when it will be done must be on or after the plan start date, "
            f"{format_date(plan.start_date)}"
        )
    _required(errors, "how_we_will_know", how_we_will_know, "Enter how we will know it has worked")
    _raise_if(errors)
    assert by_when is not None  # narrowed by the checks above
    action = PlanAction.objects.create(
        outcome=outcome,
        what=what.strip(),
        who=who.strip(),
        by_when=by_when,
        how_we_will_know=how_we_will_know.strip(),
    )
    record_event(
        acting_user=acting_user,
        event_type=CinEvent.ACTION_ADDED,
        target=action,
        subject_person_id=plan.person_id,
        new_values=snapshot(action, ACTION_FIELDS),
    )
    return action


@transaction.atomic(durable=True)
def update_action_status(
    *, acting_user: Any, action: PlanAction, status: str, status_note: str = ""
) -> PlanAction:
    """Record progress on an action. "Not done" needs a note saying why."""
    plan = _locked_plan(action.outcome.plan)
    _refuse_if_ended(plan)
    errors: dict[str, str] = {}
    if status not in PlanAction.Status.values:
        errors["status"] = "Select the progress on this action"
    elif status == PlanAction.Status.NOT_DONE and not status_note.strip():
        errors["status_note"] = "Enter why the action was not done"
    _raise_if(errors)
    row = PlanAction.objects.select_for_update().get(pk=action.pk)
    before = snapshot(row, STATUS_FIELDS)
    row.status = status
    row.status_note = status_note.strip()
    row.status_updated_on = timezone.localdate()
    row.save(update_fields=STATUS_FIELDS)
    old, new = changed_values(before, snapshot(row, STATUS_FIELDS))
    record_event(
        acting_user=acting_user,
        event_type=CinEvent.ACTION_STATUS_UPDATED,
        target=row,
        subject_person_id=plan.person_id,
        old_values=old,
        new_values=new,
    )
    return row


def _end_plan(
    *, acting_user: Any, plan: CINPlan, end_date: datetime.date, end_reason: str, end_note: str
) -> None:
    """End a locked, open plan and audit it. Shared by end_plan and record_review."""
    before = snapshot(plan, END_FIELDS)
    plan.end_date = end_date
    plan.end_reason = end_reason
    plan.end_note = end_note.strip()
    plan.save(update_fields=END_FIELDS)
    old, new = changed_values(before, snapshot(plan, END_FIELDS))
    record_event(
        acting_user=acting_user,
        event_type=CinEvent.PLAN_ENDED,
        target=plan,
        subject_person_id=plan.person_id,
        old_values=old,
        new_values=new,
    )


@transaction.atomic(durable=True)
def record_review(
    *,
    acting_user: Any,
    plan: CINPlan,
    review_date: datetime.date,
    progress: str,
    child_views: str,
    decision: str,
) -> PlanReview:
    """Record a review. The next review is due by the local standard unless the plan ends:
    a decision to step down, end or escalate ends the plan on the review date."""
    current = _locked_plan(plan)
    _refuse_if_ended(current)
    errors: dict[str, str] = {}
    _not_future(errors, "review_date", review_date, "The review date")
    if "review_date" not in errors and review_date < current.start_date:
        errors["review_date"] = (
            "The review date must be on or after the plan start date, "
            f"{format_date(current.start_date)}"
        )
    _required(errors, "progress", progress, "Enter the progress made on the plan")
    _required(errors, "child_views", child_views, "Enter the child's views")
    if decision not in PlanReview.Decision.values:
        errors["decision"] = "Select the review's decision"
    _raise_if(errors)
    ends = decision in ENDING_DECISIONS
    review = PlanReview.objects.create(
        plan=current,
        review_date=review_date,
        progress=progress.strip(),
        child_views=child_views.strip(),
        decision=decision,
        next_review_due=None if ends else rule_in_force("cin-plan-review").due_date(review_date),
        recorded_by=acting_user,
    )
    record_event(
        acting_user=acting_user,
        event_type=CinEvent.REVIEW_RECORDED,
        target=review,
        subject_person_id=current.person_id,
        new_values=snapshot(review, REVIEW_FIELDS),
    )
    if ends:
        _end_plan(
            acting_user=acting_user,
            plan=current,
            end_date=review_date,
            end_reason=ENDING_DECISIONS[decision],
            end_note=f"Decided at the review on {format_date(review_date)}.",
        )
    return review


@transaction.atomic(durable=True)
def end_plan(
    *,
    acting_user: Any,
    plan: CINPlan,
    end_date: datetime.date,
    end_reason: str,
    end_note: str = "",
) -> CINPlan:
    """End the plan. Closing the whole episode is the front door's ``close_referral``."""
    current = _locked_plan(plan)
    _refuse_if_ended(current)
    errors: dict[str, str] = {}
    _not_future(errors, "end_date", end_date, "The plan end date")
    if "end_date" not in errors and end_date < current.start_date:
        errors["end_date"] = (
            "The plan end date must be on or after the plan start date, "
            f"{format_date(current.start_date)}"
        )
    if end_reason not in CINPlan.EndReason.values:
        errors["end_reason"] = "Select why the plan is ending"
    elif end_reason == CINPlan.EndReason.OTHER and not end_note.strip():
        errors["end_note"] = "Enter why the plan is ending"
    _raise_if(errors)
    _end_plan(
        acting_user=acting_user,
        plan=current,
        end_date=end_date,
        end_reason=end_reason,
        end_note=end_note,
    )
    return current


@transaction.atomic(durable=True)
def record_visit(
    *,
    acting_user: Any,
    child: Person,
    visit_date: datetime.date,
    child_seen: bool,
    child_seen_alone: bool,
    seen_bedroom: bool | None,
    purpose: str,
    observations: str,
    child_views: str = "",
    not_seen_reason: str = "",
) -> CINVisit:
    """Record a visit to the child, linked to the plan open on the visit date if any."""
    errors: dict[str, str] = {}
    _not_future(errors, "visit_date", visit_date, "The visit date")
    if child_seen_alone and not child_seen:
        errors["child_seen_alone"] = (
            "The child cannot have been seen alone if they were not seen. Change one of the answers"
        )
    if not child_seen:
        _required(errors, "not_seen_reason", not_seen_reason, "Enter why the child was not seen")
    _required(errors, "purpose", purpose, "Enter the purpose of the visit")
    _required(errors, "observations", observations, "Enter what you observed")
    _raise_if(errors)
    plan = CINPlan.objects.filter(open_on(visit_date), person=child).order_by("-start_date").first()
    visit = CINVisit.objects.create(
        person=child,
        plan=plan,
        visit_date=visit_date,
        child_seen=child_seen,
        child_seen_alone=child_seen_alone,
        seen_bedroom=seen_bedroom,
        not_seen_reason="" if child_seen else not_seen_reason.strip(),
        purpose=purpose.strip(),
        observations=observations.strip(),
        child_views=child_views.strip(),
        recorded_by=acting_user,
    )
    record_event(
        acting_user=acting_user,
        event_type=CinEvent.VISIT_RECORDED,
        target=visit,
        subject_person_id=child.pk,
        new_values=snapshot(visit, VISIT_FIELDS),
    )
    return visit
