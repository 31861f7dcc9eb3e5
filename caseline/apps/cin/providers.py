"""What the child in need plan adds to the child's summary, identity bar and due work."""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.urls import reverse

from caseline.apps.assessments.models import Assessment
from caseline.apps.cin.models import CINPlan, CINVisit, PlanAction, PlanReview, open_on
from caseline.apps.cin.queries import (
    REVIEW_RULE,
    VISIT_RULE,
    current_plan,
    last_seen_on,
    plan_due,
    plans_of,
)
from caseline.apps.people.models import Person
from caseline.apps.people.summary import Badge, DueItem, SummaryBlock
from caseline.apps.timescales.rules import CATALOGUE, assess_timeliness, format_date

PLAN_START_RULE = "cin-plan-start"

FINISHED = [PlanAction.Status.DONE, PlanAction.Status.NOT_DONE]


def _visit_text(visit: CINVisit | None) -> str:
    if visit is None:
        return "No visits recorded"
    if not visit.child_seen:
        seen = "child not seen"
    elif visit.child_seen_alone:
        seen = "child seen alone"
    else:
        seen = "child seen, not alone"
    return f"{format_date(visit.visit_date)}, {seen}"


def _current(person: Person, as_at: datetime.date) -> CINPlan | None:
    """The plan open on ``as_at`` with its counts and reviews, in two queries."""
    overdue = Q(outcomes__actions__by_when__lt=as_at) & ~Q(outcomes__actions__status__in=FINISHED)
    return (
        plans_of(person)
        .filter(open_on(as_at))
        .annotate(
            outcome_count=Count("outcomes", distinct=True),
            overdue_actions=Count("outcomes__actions", filter=overdue, distinct=True),
        )
        .prefetch_related(
            Prefetch("reviews", queryset=PlanReview.objects.order_by("-review_date", "-id"))
        )
        .order_by("-start_date", "-id")
        .first()
    )


def plan_summary(person: Person, as_at: datetime.date) -> list[SummaryBlock]:
    plan = _current(person, as_at)
    if plan is None:
        return []
    reviewed = [r for r in plan.reviews.all() if r.review_date <= as_at]
    last_visit = (
        CINVisit.objects.filter(person=person, visit_date__lte=as_at)
        .order_by("-visit_date", "-id")
        .first()
    )
    return [
        SummaryBlock(
            order=30,
            title="Current plan",
            rows=[
                ("Child in need plan started", format_date(plan.start_date)),
                ("Outcomes", str(plan.outcome_count)),  # type: ignore[attr-defined]
                ("Actions overdue", str(plan.overdue_actions)),  # type: ignore[attr-defined]
                (
                    "Last review",
                    format_date(reviewed[0].review_date) if reviewed else "Not reviewed yet",
                ),
                ("Last visit", _visit_text(last_visit)),
            ],
            link_text="View the child in need plan",
            link_href=reverse("cin:record-plans", kwargs={"person_id": person.pk}),
        )
    ]


def plan_badge(person: Person, as_at: datetime.date) -> list[Badge]:
    if not plans_of(person).filter(open_on(as_at)).exists():
        return []
    return [Badge("Child in need plan", "blue")]


def _plan_start_due(person: Person, as_at: datetime.date) -> list[DueItem]:
    """A plan to start: an authorised assessment recommended one and none has started since."""
    started = CINPlan.objects.filter(
        referral=OuterRef("referral"),
        start_date__gte=OuterRef("authorised_on"),
        start_date__lte=as_at,
    )
    assessment = (
        Assessment.objects.filter(
            person=person,
            status=Assessment.Status.AUTHORISED,
            outcome=Assessment.Outcome.CIN_PLAN,
            authorised_on__lte=as_at,
        )
        .filter(Q(referral__closed_on__isnull=True) | Q(referral__closed_on__gt=as_at))
        .exclude(Exists(started))
        .order_by("-authorised_on")
        .first()
    )
    if assessment is None or assessment.authorised_on is None:
        return []
    due = CATALOGUE.get(PLAN_START_RULE).due_date(assessment.authorised_on)
    return [
        DueItem(
            person_id=person.pk,
            title="Child in need plan",
            rule_code=PLAN_START_RULE,
            timeliness=assess_timeliness(due, None, as_at),
            href=reverse("cin:plan-new", kwargs={"person_id": person.pk}),
        )
    ]


def plan_due_items(person: Person, as_at: datetime.date) -> list[DueItem]:
    plan = current_plan(person, as_at)
    if plan is None:
        return _plan_start_due(person, as_at)
    due = plan_due(plan, plan.reviews.all(), last_seen_on(person, as_at), as_at)
    kwargs = {"person_id": person.pk}
    return [
        DueItem(
            person_id=person.pk,
            title="Child in need plan review",
            rule_code=REVIEW_RULE,
            timeliness=due.review,
            href=reverse("cin:review-new", kwargs={**kwargs, "plan_id": plan.pk}),
        ),
        DueItem(
            person_id=person.pk,
            title="Child in need visit",
            rule_code=VISIT_RULE,
            timeliness=due.visit,
            href=reverse("cin:visit-new", kwargs=kwargs),
        ),
    ]
