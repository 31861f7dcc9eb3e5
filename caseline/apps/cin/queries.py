"""Reading child in need plans, reviews and visits, and when the next of each is due.

Visibility of the child is checked by the caller (``ChildRecordMixin`` or
``people.queries.get_person_for_user``); every lookup here is scoped to that child.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from caseline.apps.cin.models import CINPlan, CINVisit, PlanAction, PlanOutcome, PlanReview, open_on
from caseline.apps.people.models import Person
from caseline.apps.timescales.queries import rule_in_force, rules_in_force
from caseline.apps.timescales.rules import (
    Timeliness,
    TimelinessStatus,
    TimescaleRule,
    assess_timeliness,
)

REVIEW_RULE = "cin-plan-review"
VISIT_RULE = "cin-visit"


def plans_of(person: Person) -> QuerySet[CINPlan]:
    return CINPlan.objects.filter(person=person).select_related("referral")


def current_plan(person: Person, as_at: datetime.date) -> CINPlan | None:
    """The plan open on ``as_at``, if any (at most one: ``start_plan`` refuses a second)."""
    return plans_of(person).filter(open_on(as_at)).order_by("-start_date", "-id").first()


def current_plan_with_detail(person: Person, as_at: datetime.date) -> CINPlan | None:
    """The current plan with its outcomes, their actions and its reviews, in four queries."""
    outcomes = Prefetch(
        "outcomes",
        queryset=PlanOutcome.objects.order_by("order", "id").prefetch_related(
            Prefetch("actions", queryset=PlanAction.objects.order_by("by_when", "id"))
        ),
    )
    reviews = Prefetch(
        "reviews",
        queryset=PlanReview.objects.select_related("recorded_by").order_by("-review_date", "-id"),
    )
    return (
        plans_of(person)
        .filter(open_on(as_at))
        .prefetch_related(outcomes, reviews)
        .order_by("-start_date", "-id")
        .first()
    )


def get_plan(person: Person, plan_id: int) -> CINPlan:
    """The child's plan with this id, or 404."""
    plan = plans_of(person).filter(pk=plan_id).first()
    if plan is None:
        raise Http404("No such plan for this child")
    return plan


def get_outcome(person: Person, outcome_id: int) -> PlanOutcome:
    outcome = (
        PlanOutcome.objects.select_related("plan", "plan__referral")
        .filter(pk=outcome_id, plan__person=person)
        .first()
    )
    if outcome is None:
        raise Http404("No such outcome for this child")
    return outcome


def get_action(person: Person, action_id: int) -> PlanAction:
    action = (
        PlanAction.objects.select_related("outcome", "outcome__plan", "outcome__plan__referral")
        .filter(pk=action_id, outcome__plan__person=person)
        .first()
    )
    if action is None:
        raise Http404("No such action for this child")
    return action


def visits_of(person: Person) -> QuerySet[CINVisit]:
    return CINVisit.objects.filter(person=person).select_related("recorded_by", "plan")


# --- Due dates ------------------------------------------------------------------------------


class PlanDates(Protocol):
    """What the due dates read of a plan: a ``CINPlan``, or a stand-in holding its dates."""

    @property
    def start_date(self) -> datetime.date: ...


class ReviewDates(Protocol):
    """What the due dates read of a review: a ``PlanReview``, or a stand-in."""

    @property
    def pk(self) -> Any: ...

    @property
    def review_date(self) -> datetime.date: ...

    @property
    def next_review_due(self) -> datetime.date | None: ...


def review_due_date(
    plan: PlanDates, reviews: Iterable[ReviewDates], rule: TimescaleRule | None = None
) -> datetime.date:
    """The next review: within the local standard of the plan start, then of each review.

    ``rule`` is the review rule in force (read with ``rule_in_force`` when not given).
    """
    latest = max(reviews, key=lambda r: (r.review_date, r.pk), default=None)
    if latest is not None and latest.next_review_due is not None:
        return latest.next_review_due
    trigger = latest.review_date if latest is not None else plan.start_date
    return (rule or rule_in_force(REVIEW_RULE)).due_date(trigger)


def visit_due_date(
    plan: PlanDates, last_seen: datetime.date | None, rule: TimescaleRule | None = None
) -> datetime.date:
    """The next visit: counted from the plan start or the last visit the child was seen at.

    ``rule`` is the visit rule in force (read with ``rule_in_force`` when not given).
    """
    trigger = plan.start_date if last_seen is None else max(plan.start_date, last_seen)
    return (rule or rule_in_force(VISIT_RULE)).due_date(trigger)


def last_seen_on(person: Person, as_at: datetime.date) -> datetime.date | None:
    """The last visit on or before ``as_at`` at which the child was seen."""
    return (
        CINVisit.objects.filter(person=person, child_seen=True, visit_date__lte=as_at)
        .order_by("-visit_date")
        .values_list("visit_date", flat=True)
        .first()
    )


@dataclass(frozen=True)
class PlanDue:
    review: Timeliness
    visit: Timeliness


def plan_due(
    plan: PlanDates,
    reviews: Iterable[ReviewDates],
    last_seen: datetime.date | None,
    as_at: datetime.date,
    rules: dict[str, TimescaleRule] | None = None,
) -> PlanDue:
    """The next review and visit of an open plan, each as pending timeliness on ``as_at``.

    ``rules`` are the review and visit rules in force, from ``rules_in_force`` (read here
    when not given, in one query).
    """
    rules = rules or rules_in_force([REVIEW_RULE, VISIT_RULE])
    past_reviews = [r for r in reviews if r.review_date <= as_at]
    return PlanDue(
        review=assess_timeliness(
            review_due_date(plan, past_reviews, rules[REVIEW_RULE]), None, as_at
        ),
        visit=assess_timeliness(visit_due_date(plan, last_seen, rules[VISIT_RULE]), None, as_at),
    )


TAG_COLOURS = {
    TimelinessStatus.NOT_DUE_YET: "blue",
    TimelinessStatus.DUE_TODAY: "orange",
    TimelinessStatus.OVERDUE: "red",
    TimelinessStatus.COMPLETED_ON_TIME: "green",
    TimelinessStatus.COMPLETED_LATE: "orange",
}


def tag_colour(timeliness: Timeliness) -> str:
    """The govuk-tag colour for a timeliness (shown with its label, never colour alone)."""
    return TAG_COLOURS[timeliness.status]
