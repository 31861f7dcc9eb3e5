"""Looked-after reviews, chaired by the child's IRO: the review, its SMART recommendations
and the minutes."""

from __future__ import annotations

import datetime

from django.db import transaction

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.codes.lists import CodeListName
from caseline.apps.core.access import require_permission
from caseline.apps.core.checks import Checks
from caseline.apps.lookedafter import queries
from caseline.apps.lookedafter.actions.common import (
    audit,
    change,
    lock,
    looked_after_on,
    record_new,
)
from caseline.apps.lookedafter.events import LookedAfterEvent
from caseline.apps.lookedafter.models import LACReview, ReviewRecommendation
from caseline.apps.people.models import Person
from caseline.apps.timescales.rules import format_date

# A child under 4 takes part in their review as PN0 (903 Annex A): only they, and always.
UNDER_FOUR = "PN0"


def _check_participation(
    checks: Checks, child: Person, participation: str, review_date: datetime.date
) -> None:
    valid = checks.code(
        "participation",
        CodeListName.REVIEW_PARTICIPATION,
        participation,
        on=review_date,
        what="way the child took part",
    )
    age = child.age_on(review_date)
    if not valid or age is None:  # an age unknown fits any way of taking part
        return
    if participation == UNDER_FOUR:
        checks.check(
            age < 4,
            "participation",
            f"PN0 is only for a child under 4: {child.given_name} was {age}",
        )
    else:
        checks.check(
            age >= 4, "participation", f"{child.given_name} was under 4 at the review: choose PN0"
        )


@transaction.atomic(durable=True)
def record_review(
    *,
    acting_user: User,
    child: Person,
    review_date: datetime.date,
    participation: str,
    child_views: str,
) -> LACReview:
    """A looked-after review, chaired by the IRO allocated on the review date."""
    require_permission(acting_user, Permission.REVIEW_CHAIR)
    child = lock(child)
    checks = Checks()
    checks.happened("review_date", review_date, "The review date", child=child)
    _check_participation(checks, child, participation, review_date)
    checks.required(
        "child_views", child_views, f"Enter {child.given_name}'s views, and how they were given"
    )
    looked_after_on(checks, child, review_date, "review_date", "The review date")
    allocation = queries.iro_on(child, review_date)
    if not checks.has("review_date"):
        checks.check(
            allocation is not None,
            "review_date",
            "No IRO was allocated on that date: allocate the child's IRO first",
        )
    if not checks.has("review_date"):
        checks.check(
            not LACReview.objects.filter(person=child, review_date=review_date).exists(),
            "review_date",
            "A review on that date is already recorded",
        )
    checks.raise_if_any()
    assert allocation is not None
    return record_new(
        LACReview,
        LookedAfterEvent.REVIEW_RECORDED,
        acting_user=acting_user,
        child=child,
        review_date=review_date,
        chair=allocation.iro,
        participation=participation,
        child_views=child_views,
    )


@transaction.atomic(durable=True)
def add_recommendation(
    *,
    acting_user: User,
    review: LACReview,
    what: str,
    who: str,
    by_when: datetime.date,
    how_we_will_know: str,
) -> ReviewRecommendation:
    """A SMART recommendation: what, who, by when, how we will know."""
    require_permission(acting_user, Permission.REVIEW_CHAIR)
    checks = Checks()
    checks.required("what", what, "Enter what needs to happen")
    checks.required("who", who, "Enter who will do it")
    checks.required("how_we_will_know", how_we_will_know, "Enter how we will know it has happened")
    if checks.planned("by_when", by_when, "The date it must be done by", child=review.person):
        checks.check(
            by_when >= review.review_date,
            "by_when",
            "The date it must be done by must be on or after the review, "
            f"{format_date(review.review_date)}",
        )
    checks.raise_if_any()
    recommendation = ReviewRecommendation.objects.create(
        review=review, what=what, who=who, by_when=by_when, how_we_will_know=how_we_will_know
    )
    audit(
        recommendation,
        LookedAfterEvent.RECOMMENDATION_ADDED,
        acting_user=acting_user,
        child_id=review.person_id,
        fields=["review", "what", "who", "by_when", "how_we_will_know"],
    )
    return recommendation


@transaction.atomic(durable=True)
def complete_minutes(
    *, acting_user: User, review: LACReview, completed_on: datetime.date
) -> LACReview:
    """The review's minutes were completed on ``completed_on``."""
    require_permission(acting_user, Permission.REVIEW_CHAIR)
    checks = Checks()
    if checks.check(
        completed_on >= review.review_date,
        "completed_on",
        f"The date must be on or after the review, {format_date(review.review_date)}",
    ):
        checks.happened("completed_on", completed_on, "The date", child=review.person)
    checks.raise_if_any()
    change(
        review,
        LookedAfterEvent.MINUTES_COMPLETED,
        acting_user=acting_user,
        minutes_completed_on=completed_on,
    )
    return review
