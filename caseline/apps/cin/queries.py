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
from django.shortcuts import get_object_or_404

from caseline.apps.cin.models import (
    CINPlan,
    CINVisit,
    PlanAction,
    PlanOutcome,
    PlanReview,
    PreProceedings,
    PreProceedingsMeeting,
    open_on,
)
from caseline.apps.frontdoor.models import Referral
from caseline.apps.people.models import Person
from caseline.apps.timescales.queries import rule_in_force, rules_in_force
from caseline.apps.timescales.rules import Timeliness, TimescaleRule, assess_timeliness

REVIEW_RULE = "cin-plan-review"
VISIT_RULE = "cin-visit"


def open_referral(child: Person) -> Referral | None:
    """The child's open child in need episode, the latest if (wrongly) there are two."""
    return (
        Referral.objects.filter(person=child, closed_on__isnull=True)
        .order_by("-referral_date", "-id")
        .first()
    )


def plans_of(child: Person) -> QuerySet[CINPlan]:
    return CINPlan.objects.filter(person=child).select_related("referral")


def current_plan(child: Person, as_at: datetime.date) -> CINPlan | None:
    """The plan open on ``as_at``, if any (at most one: ``start_plan`` refuses a second)."""
    return plans_of(child).filter(open_on(as_at)).order_by("-start_date", "-id").first()


def current_plan_with_detail(child: Person, as_at: datetime.date) -> CINPlan | None:
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
        plans_of(child)
        .filter(open_on(as_at))
        .prefetch_related(outcomes, reviews)
        .order_by("-start_date", "-id")
        .first()
    )


def visits_of(child: Person) -> QuerySet[CINVisit]:
    return CINVisit.objects.filter(person=child).select_related("recorded_by", "plan")


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


def last_seen_on(child: Person, as_at: datetime.date) -> datetime.date | None:
    """The last visit on or before ``as_at`` at which the child was seen."""
    return (
        CINVisit.objects.filter(person=child, child_seen=True, visit_date__lte=as_at)
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


def first_dates(plan: CINPlan) -> tuple[datetime.date | None, datetime.date | None]:
    """The plan's first review date and its earliest action's date, if any (a start date
    may not move past either)."""
    first_review = plan.reviews.order_by("review_date").values_list("review_date", flat=True)
    first_action = (
        PlanAction.objects.filter(outcome__plan=plan)
        .order_by("by_when")
        .values_list("by_when", flat=True)
    )
    return first_review.first(), first_action.first()


# --- Pre-proceedings and family group decision-making ----------------------------------------


def pre_proceedings_of(child: Person) -> QuerySet[PreProceedings]:
    """The child's periods of pre-proceedings, latest first, with their meetings."""
    return PreProceedings.objects.filter(person=child).prefetch_related(
        Prefetch("meetings", queryset=PreProceedingsMeeting.objects.order_by("held_on", "id"))
    )


def get_pre_proceedings(child: Person, proceedings_id: int) -> PreProceedings:
    """The child's period of pre-proceedings ``proceedings_id``; 404 for another child's."""
    return get_object_or_404(pre_proceedings_of(child), pk=proceedings_id)


def pre_proceedings_census(proceedings: PreProceedings) -> dict[str, Any]:
    """The CIN census's ``PreProceedingsandFGDM`` block for ``proceedings``, by element name,
    in the order the 2026-27 sample file gives them; ``None`` where nothing is recorded (the
    exporter leaves those out). Booleans as the census's 0 and 1. Reads the prefetched
    ``meetings`` (``pre_proceedings_of``), else one query."""
    meetings = list(proceedings.meetings.all())
    initial = next((m for m in meetings if m.kind == PreProceedingsMeeting.Kind.INITIAL), None)

    def flag(value: bool | None) -> int | None:
        return None if value is None else int(value)

    return {
        "PPStartDate": proceedings.start_date,
        "LBPSentDate": proceedings.letter_sent_on,
        "FGDMMeetingOffer": flag(proceedings.fgdm_offered),
        "FGDMMeetingFac": flag(proceedings.fgdm_facilitated),
        "InitialPPMeetingDate": initial.held_on if initial else None,
        # Rule 9015Q asks for the count once there is a first meeting (0 if no reviews).
        "ReviewMeetingsCount": sum(
            1 for m in meetings if m.kind == PreProceedingsMeeting.Kind.REVIEW
        )
        if initial
        else None,
        "StepDecisionDate": proceedings.decided_on,
        "PPOutcome": proceedings.outcome or None,
        "CourtAppDate": proceedings.court_application_on,
        "LetterInitCPDate": proceedings.proceedings_letter_sent_on,
    }
