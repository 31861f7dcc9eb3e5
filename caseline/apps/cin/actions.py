"""Every write to a child in need plan, its outcomes and actions, reviews and visits.

Each action needs its permission, checks what it is given, and is audited. The outcomes and
actions are the shared SMART plan's (``plans.actions``), bound here to this kind of plan.
"""

from __future__ import annotations

import datetime
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.audit.record import record_event, snapshot
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
from caseline.apps.cin.queries import first_dates, open_referral
from caseline.apps.core.access import require_permission
from caseline.apps.core.checks import Checks
from caseline.apps.people.models import Person
from caseline.apps.plans import actions as smart
from caseline.apps.plans.identity import check_identity
from caseline.apps.plans.kinds import SmartPlanKind
from caseline.apps.timescales.queries import rule_in_force
from caseline.apps.timescales.rules import format_date

PLAN_FIELDS = ["start_date", "child_views", "family_views", "identity_needs"]
REVIEW_FIELDS = [
    "plan",
    "review_date",
    "progress",
    "child_views",
    "identity_needs",
    "decision",
    "next_review_due",
]
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

SMART_PLAN: SmartPlanKind[CINPlan, PlanOutcome, PlanAction] = SmartPlanKind.of(
    CINPlan,
    events=CinEvent,
    outcome_label="what we want to be different for {name}",
    outcome_missing="Enter what we want to be different for the child",
    plan_related=("referral",),
)

add_outcome = partial(smart.add_outcome, SMART_PLAN)
add_action = partial(smart.add_action, SMART_PLAN)
update_action_status = partial(smart.update_action_status, SMART_PLAN)


@transaction.atomic(durable=True)
def start_plan(
    *,
    acting_user: User,
    child: Person,
    start_date: datetime.date,
    child_views: str,
    identity_needs: str,
    family_views: str = "",
) -> CINPlan:
    """Start a child in need plan in the child's open episode. It is agreed only with the
    child's views and how it meets the child's identity needs."""
    require_permission(acting_user, Permission.PLAN_RECORD)
    Person.objects.select_for_update().filter(pk=child.pk).first()
    checks = Checks()
    started = checks.happened("start_date", start_date, "The plan start date", child=child)
    checks.required("child_views", child_views, "Enter the child's views on the plan")
    check_identity(checks, identity_needs)
    referral = open_referral(child)
    if referral is None:
        raise ValidationError(
            f"{child.full_name} has no open child in need episode. Record a referral "
            "before starting a plan"
        )
    if started:
        checks.check(
            start_date >= referral.referral_date,
            "start_date",
            "The plan start date must be on or after the referral date, "
            f"{format_date(referral.referral_date)}",
        )
    checks.raise_if_any()
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
        identity_needs=identity_needs.strip(),
        recorded_by=acting_user,
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
    acting_user: User,
    plan: CINPlan,
    read_version: int,
    start_date: datetime.date,
    child_views: str,
    identity_needs: str,
    family_views: str = "",
) -> CINPlan:
    """Change the plan's start date, the views on it and how it meets the child's identity
    needs. Raises EditConflict if stale."""
    require_permission(acting_user, Permission.PLAN_RECORD)
    current = smart.locked_open_plan(SMART_PLAN, plan.pk)
    checks = Checks()
    if checks.happened("start_date", start_date, "The plan start date", child=current.person):
        referral_date = current.referral.referral_date
        first_review, first_action = first_dates(current)
        if start_date < referral_date:
            checks.add(
                "start_date",
                "The plan start date must be on or after the referral date, "
                f"{format_date(referral_date)}",
            )
        elif first_review is not None and start_date > first_review:
            checks.add(
                "start_date",
                "The plan start date must be on or before its first review, "
                f"{format_date(first_review)}",
            )
        elif first_action is not None and start_date > first_action:
            checks.add(
                "start_date",
                "The plan start date must be on or before the earliest action's date, "
                f"{format_date(first_action)}",
            )
    checks.required("child_views", child_views, "Enter the child's views on the plan")
    check_identity(checks, identity_needs)
    checks.raise_if_any()
    smart.change_plan(
        current,
        acting_user=acting_user,
        changes={
            "start_date": start_date,
            "child_views": child_views.strip(),
            "family_views": family_views.strip(),
            "identity_needs": identity_needs.strip(),
        },
        event_type=CinEvent.PLAN_UPDATED,
        read_version=read_version,
    )
    plan.version = current.version
    return current


def _end_plan(
    plan: CINPlan, *, acting_user: User, day: datetime.date, reason: str, note: str
) -> None:
    """End a locked, open plan and audit it. Shared by end_plan and record_review."""
    changes = {"end_date": day, "end_reason": reason, "end_note": note.strip()}
    smart.change_plan(
        plan, acting_user=acting_user, changes=changes, event_type=CinEvent.PLAN_ENDED
    )


@transaction.atomic(durable=True)
def record_review(
    *,
    acting_user: User,
    plan: CINPlan,
    review_date: datetime.date,
    progress: str,
    child_views: str,
    identity_needs: str,
    decision: str,
) -> PlanReview:
    """Record a review. It says how the plan meets the child's identity needs, which the
    plan then says too. The next review is due by the local standard unless the plan ends: a
    decision to step down, end or escalate ends the plan on the review date."""
    require_permission(acting_user, Permission.PLAN_RECORD)
    current = smart.locked_open_plan(SMART_PLAN, plan.pk)
    checks = Checks()
    smart.happened_in_plan(checks, "review_date", review_date, "The review date", current)
    checks.required("progress", progress, "Enter the progress made on the plan")
    checks.required("child_views", child_views, "Enter the child's views")
    check_identity(checks, identity_needs)
    checks.check(decision in PlanReview.Decision.values, "decision", "Select the review's decision")
    checks.raise_if_any()
    ends = decision in ENDING_DECISIONS
    review = PlanReview.objects.create(
        plan=current,
        review_date=review_date,
        progress=progress.strip(),
        child_views=child_views.strip(),
        identity_needs=identity_needs.strip(),
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
    if review.identity_needs != current.identity_needs:
        smart.change_plan(
            current,
            acting_user=acting_user,
            changes={"identity_needs": review.identity_needs},
            event_type=CinEvent.PLAN_UPDATED,
        )
    if ends:
        _end_plan(
            current,
            acting_user=acting_user,
            day=review_date,
            reason=ENDING_DECISIONS[decision],
            note=f"Decided at the review on {format_date(review_date)}.",
        )
    return review


@transaction.atomic(durable=True)
def end_plan(
    *,
    acting_user: User,
    plan: CINPlan,
    end_date: datetime.date,
    end_reason: str,
    end_note: str = "",
) -> CINPlan:
    """End the plan. Closing the whole episode is the front door's ``close_referral``."""
    require_permission(acting_user, Permission.PLAN_RECORD)
    current = smart.locked_open_plan(SMART_PLAN, plan.pk)
    checks = Checks()
    smart.happened_in_plan(checks, "end_date", end_date, "The plan end date", current)
    if (
        checks.check(
            end_reason in CINPlan.EndReason.values, "end_reason", "Select why the plan is ending"
        )
        and end_reason == CINPlan.EndReason.OTHER
    ):
        checks.required("end_note", end_note, "Enter why the plan is ending")
    checks.raise_if_any()
    _end_plan(current, acting_user=acting_user, day=end_date, reason=end_reason, note=end_note)
    return current


@transaction.atomic(durable=True)
def record_visit(
    *,
    acting_user: User,
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
    require_permission(acting_user, Permission.VISIT_RECORD)
    checks = Checks()
    checks.happened("visit_date", visit_date, "The visit date", child=child)
    checks.check(
        child_seen or not child_seen_alone,
        "child_seen_alone",
        "The child cannot have been seen alone if they were not seen. Change one of the answers",
    )
    if not child_seen:
        checks.required("not_seen_reason", not_seen_reason, "Enter why the child was not seen")
    checks.required("purpose", purpose, "Enter the purpose of the visit")
    checks.required("observations", observations, "Enter what you observed")
    checks.raise_if_any()
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
