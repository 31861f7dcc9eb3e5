"""What the child in need plan adds to the child's record: summary, identity bar, due work
and chronology."""

from __future__ import annotations

import datetime
from typing import NamedTuple

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.urls import reverse

from caseline.apps.accounts.permissions import Permission
from caseline.apps.assessments.models import Assessment
from caseline.apps.cin import timescales
from caseline.apps.cin.chronology import cin_chronology
from caseline.apps.cin.models import CINPlan, CINVisit, PlanAction, PlanReview, open_on
from caseline.apps.cin.queries import (
    REVIEW_RULE,
    VISIT_RULE,
    plan_due,
    plans_of,
)
from caseline.apps.core.links import url_builder
from caseline.apps.people.contribution import (
    Badge,
    DueItem,
    PersonIds,
    RecordContribution,
    SummaryBlock,
)
from caseline.apps.people.models import Person
from caseline.apps.timescales.queries import rules_in_force
from caseline.apps.timescales.rules import TimescaleRule, assess_timeliness, format_date

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


def _plan_start_items(
    person_ids: PersonIds,
    with_plan: set[int],
    as_at: datetime.date,
    rule: TimescaleRule,
) -> list[DueItem]:
    """A plan to start: an authorised assessment recommended one and none has started since.

    For each child not in ``with_plan`` (those with a plan open on ``as_at``), the latest
    such assessment. One query, asked only about those children (none when all have a plan).
    """
    without_plan = [person_id for person_id in person_ids if person_id not in with_plan]
    if not without_plan:
        return []
    started = CINPlan.objects.filter(
        referral=OuterRef("referral"),
        start_date__gte=OuterRef("authorised_on"),
        start_date__lte=as_at,
    )
    assessments = (
        Assessment.objects.filter(
            person_id__any_of=without_plan,
            status=Assessment.Status.AUTHORISED,
            outcome=Assessment.Outcome.CIN_PLAN,
            authorised_on__lte=as_at,
        )
        .filter(Q(referral__closed_on__isnull=True) | Q(referral__closed_on__gt=as_at))
        .exclude(Exists(started))
        .order_by("person_id", "-authorised_on", "-id")
        .values_list("person_id", "authorised_on")
    )
    plan_new = url_builder("cin:plan-new", "person_id")
    items: list[DueItem] = []
    done: set[int] = set()
    for person_id, authorised_on in assessments:
        if person_id in done or authorised_on is None:
            continue
        done.add(person_id)
        items.append(
            DueItem(
                person_id=person_id,
                title="Child in need plan",
                rule_code=PLAN_START_RULE,
                timeliness=assess_timeliness(rule.due_date(authorised_on), None, as_at),
                href=plan_new(person_id=person_id),
                permission=Permission.PLAN_RECORD,
            )
        )
    return items


class _Plan(NamedTuple):
    """The parts of an open plan its due dates are worked out from."""

    pk: int
    start_date: datetime.date


class _Review(NamedTuple):
    """The parts of a review the next review's due date is worked out from."""

    pk: int
    review_date: datetime.date
    next_review_due: datetime.date | None


def plan_work_items(person_ids: PersonIds, as_at: datetime.date) -> list[DueItem]:
    """For each child: the open plan's next review and visit, or a plan due to start.

    Three queries whatever the number of children: the rules in force, the open plans with
    each one's latest review and the last visit the child was seen at, and assessments
    awaiting a plan. Items come by child.
    """
    rules = rules_in_force([PLAN_START_RULE, REVIEW_RULE, VISIT_RULE])
    # Only the dates the due dates are worked out from, as stand-ins rather than model
    # objects (a team's plans and reviews carry long text), and the latest review and seen
    # visit in the same query: each query a team's page makes costs about a millisecond
    # on PostgreSQL before it reads anything.
    past_reviews = PlanReview.objects.filter(plan=OuterRef("pk"), review_date__lte=as_at).order_by(
        "-review_date", "-pk"
    )
    seen_visits = CINVisit.objects.filter(
        person=OuterRef("person_id"), child_seen=True, visit_date__lte=as_at
    ).order_by("-visit_date")
    plans = (
        CINPlan.objects.filter(person_id__any_of=person_ids)
        .filter(open_on(as_at))
        .annotate(
            last_review_pk=Subquery(past_reviews.values("pk")[:1]),
            last_review_on=Subquery(past_reviews.values("review_date")[:1]),
            last_review_next_due=Subquery(past_reviews.values("next_review_due")[:1]),
            last_seen_on=Subquery(seen_visits.values("visit_date")[:1]),
        )
        .order_by("person_id", "-start_date", "-id")
        .values_list(
            "pk",
            "person_id",
            "start_date",
            "last_review_pk",
            "last_review_on",
            "last_review_next_due",
            "last_seen_on",
        )
    )
    current: dict[int, tuple[_Plan, list[_Review], datetime.date | None]] = {}
    for pk, person_id, start_date, review_pk, review_on, next_due, seen_on in plans:
        if person_id not in current:
            reviews = [] if review_pk is None else [_Review(review_pk, review_on, next_due)]
            current[person_id] = (_Plan(pk, start_date), reviews, seen_on)
    review_new = url_builder("cin:review-new", "person_id", "plan_id")
    visit_new = url_builder("cin:visit-new", "person_id")
    items: list[DueItem] = []
    for person_id, (plan, reviews, last_seen) in current.items():
        due = plan_due(plan, reviews, last_seen, as_at, rules)
        items += [
            DueItem(
                person_id=person_id,
                title="Child in need plan review",
                rule_code=REVIEW_RULE,
                timeliness=due.review,
                href=review_new(person_id=person_id, plan_id=plan.pk),
                permission=Permission.PLAN_RECORD,
            ),
            DueItem(
                person_id=person_id,
                title="Child in need visit",
                rule_code=VISIT_RULE,
                timeliness=due.visit,
                href=visit_new(person_id=person_id),
                permission=Permission.VISIT_RECORD,
            ),
        ]
    items += _plan_start_items(person_ids, set(current), as_at, rules[PLAN_START_RULE])
    return items


# The current plan on the summary and in the identity bar, its reviews and visits due
# (or a plan due to start), and plans, reviews and visits in the chronology.
CONTRIBUTION = RecordContribution(
    app_label="cin",
    summary_blocks=plan_summary,
    badges=plan_badge,
    due_for=plan_work_items,
    chronology=cin_chronology,
    chronology_from_own_records=True,
    timescale_rules=timescales.RULES,
)
