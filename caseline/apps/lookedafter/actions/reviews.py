"""Looked-after reviews, chaired by the child's IRO: the review and what it records (who was
there, the child's and parents' views, the IRO's view, how the plan meets the child's identity
needs, progress on earlier recommendations, the minutes), its SMART recommendations, its
completion, and the IRO's request for an earlier review.

What a review agrees about the child's identity needs the care plan then says too, as a child
in need plan's review does (``cin.actions.record_review``): the care plan the review looked at
(the latest, if made on or before the review) takes the review's wording when it differs.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Required, TypedDict, Unpack

from django.db import transaction

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.audit.record import snapshot
from caseline.apps.codes.lists import CodeListName
from caseline.apps.core.access import require_permission
from caseline.apps.core.checks import Checks
from caseline.apps.core.concurrency import save_versioned
from caseline.apps.lookedafter import queries
from caseline.apps.lookedafter.actions.common import (
    ShortBreakDays,
    audit,
    change,
    lock,
    looked_after_on,
    record_new,
)
from caseline.apps.lookedafter.events import LookedAfterEvent
from caseline.apps.lookedafter.models import (
    CarePlan,
    EarlierReviewRequest,
    LACReview,
    RecommendationProgress,
    ReviewAttendee,
    ReviewRecommendation,
)
from caseline.apps.people.models import Person
from caseline.apps.plans.identity import check_identity
from caseline.apps.privatefostering.actions import add_participation
from caseline.apps.privatefostering.models import ParticipationKind
from caseline.apps.returns.rules.ssda903 import SSDA903Rule440, SSDA903Rule441
from caseline.apps.timescales.rules import format_date

# A child under 4 takes part in their review as PN0 (903 Annex A): only they, and always.
UNDER_FOUR = "PN0"
NAME_LIMIT = ReviewAttendee._meta.get_field("name").max_length or 200
# What the IRO writes about the review, beside who was there and the earlier recommendations.
WRITTEN = (
    "child_views",
    "child_views_not_obtained",
    "parents_views",
    "iro_view_of_plan",
    "iro_view_of_progress",
    "identity_needs",
    "minutes",
)
# The review's own fields among what it records (who was there and progress are rows).
OWN = frozenset({*WRITTEN, "participation", "child_attended"})


@dataclass(frozen=True)
class Attendee:
    """Someone other than the child invited to the review, and whether they came."""

    role: str
    name: str
    attended: bool


@dataclass(frozen=True)
class Progress:
    """How far an earlier recommendation has got, as the review found it."""

    recommendation_id: int
    status: str
    note: str = ""


def progress_field(recommendation_id: int) -> str:
    """The form field (and the key of its problems) for an earlier recommendation's progress."""
    return f"progress_{recommendation_id}"


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
    born = child.date_of_birth
    if not valid or born is None:  # an age unknown fits any way of taking part
        return
    age = child.age_on(review_date)
    SSDA903Rule440.check(
        checks,
        "participation",
        broken=SSDA903Rule440.breaks(
            participation=participation, born=born, review_date=review_date
        ),
        on=review_date,
        explain=f"PN0 is only for a child under 4: {child.given_name} was {age}",
    )
    SSDA903Rule441.check(
        checks,
        "participation",
        broken=SSDA903Rule441.breaks(
            participation=participation, born=born, review_date=review_date
        ),
        on=review_date,
        explain=f"{child.given_name} was under 4 at the review: choose PN0",
    )


def _check_attendees(checks: Checks, attendees: Sequence[Attendee]) -> None:
    for number, person in enumerate(attendees, start=1):
        checks.check(
            person.role in ReviewAttendee.Role.values,
            "attendees",
            f"Select the role of person {number}",
        )
        if checks.required("attendees", person.name, f"Enter the name of person {number}"):
            checks.check(
                len(person.name.strip()) <= NAME_LIMIT,
                "attendees",
                f"The name of person {number} must be {NAME_LIMIT} characters or fewer",
            )


def _check_progress(
    checks: Checks,
    progress: Sequence[Progress],
    earlier: Iterable[ReviewRecommendation],
) -> None:
    """Progress is given only on the earlier recommendations the review reports on, once each,
    with one of the statuses."""
    allowed = {r.pk: r for r in earlier}
    seen: set[int] = set()
    for report in progress:
        recommendation = allowed.get(report.recommendation_id)
        if recommendation is None or report.recommendation_id in seen:
            checks.add(
                "progress",
                "Progress can be given once on each recommendation of an earlier review",
            )
            continue
        seen.add(report.recommendation_id)
        checks.check(
            report.status in RecommendationProgress.Status.values,
            progress_field(report.recommendation_id),
            f"Select how far “{recommendation.what[:60]}” has got",
        )


def _check_complete(checks: Checks, child: Person, written: dict[str, str]) -> None:
    """What a review needs before it is complete (and keeps once it is)."""
    checks.check(
        bool(written["child_views"].strip() or written["child_views_not_obtained"].strip()),
        "child_views",
        f"A completed review needs {child.given_name}'s views, or why they were not obtained",
    )
    checks.required(
        "iro_view_of_plan",
        written["iro_view_of_plan"],
        "A completed review needs the IRO's view of the care plan",
    )
    check_identity(checks, written["identity_needs"])
    checks.required("minutes", written["minutes"], "A completed review needs its minutes")


def _plan_says_what_the_review_agreed(review: LACReview, *, acting_user: User) -> None:
    """The care plan the review looked at (the child's latest, made on or before the review)
    takes the review's wording of how it meets the child's identity needs, where the review
    gives one and it differs. A plan made after the review already says what was agreed
    since, so it is left alone."""
    if not review.identity_needs:
        return
    plan = CarePlan.objects.filter(person_id=review.person_id).first()
    if plan is None or plan.plan_date > review.review_date:
        return
    if plan.identity_needs != review.identity_needs:
        change(
            plan,
            LookedAfterEvent.CARE_PLAN_UPDATED,
            acting_user=acting_user,
            extra={"from_review": review.pk},
            identity_needs=review.identity_needs,
        )


def _people(review: LACReview) -> dict[str, Any]:
    """Who was there and the progress found, as the audit records them."""
    return {
        "attendees": [
            {"role": a.role, "name": a.name, "attended": a.attended}
            for a in review.attendees.order_by("id")
        ],
        "progress": [
            {"recommendation": p.recommendation_id, "status": p.status, "note": p.note}
            for p in review.progress.order_by("recommendation_id")
        ],
    }


class ReviewContent(TypedDict, total=False):
    """What a review records beside its date and chair: how the child took part, who else
    was there, the views, the IRO's view, progress on earlier recommendations, the minutes."""

    participation: Required[str]
    child_attended: bool | None  # asked only for a child under 4 (PN0)
    child_views: str
    child_views_not_obtained: str
    parents_views: str
    iro_view_of_plan: str
    iro_view_of_progress: str
    identity_needs: str
    minutes: str
    attendees: Sequence[Attendee]
    progress: Sequence[Progress]


def _check_content(
    checks: Checks, child: Person, review_date: datetime.date, content: ReviewContent
) -> None:
    _check_participation(checks, child, content["participation"], review_date)
    _check_attendees(checks, content.get("attendees", ()))


def _write(
    review: LACReview,
    event: LookedAfterEvent,
    content: ReviewContent,
    *,
    acting_user: User,
    read_version: int = 0,
) -> None:
    """Save the review with its content (checked), replacing who was there and the progress
    found where given, and audit it: all of a new review, what changed of one saved before
    (if no one has saved it since ``read_version``)."""
    values: dict[str, Any] = {name: value for name, value in content.items() if name in OWN}
    if "identity_needs" in values:
        values["identity_needs"] = values["identity_needs"].strip()
    values["child_attended"] = (
        content.get("child_attended") if content["participation"] == UNDER_FOUR else None
    )
    fresh = review.pk is None
    before = None if fresh else {**snapshot(review, values), **_people(review)}
    for name, value in values.items():
        setattr(review, name, value)
    if fresh:
        review.save()
    else:
        save_versioned(review, read_version=read_version, update_fields=list(values))
    if "attendees" in content:
        review.attendees.all().delete()
        ReviewAttendee.objects.bulk_create(
            ReviewAttendee(review=review, role=a.role, name=a.name.strip(), attended=a.attended)
            for a in content["attendees"]
        )
    if "progress" in content:
        review.progress.all().delete()
        RecommendationProgress.objects.bulk_create(
            RecommendationProgress(
                review=review,
                recommendation_id=p.recommendation_id,
                status=p.status,
                note=p.note.strip(),
            )
            for p in content["progress"]
        )
    audit(
        review,
        event,
        acting_user=acting_user,
        child_id=review.person_id,
        fields=["review_date", "chair", *values] if fresh else values,
        before=before,
        also=_people(review),
    )


@transaction.atomic(durable=True)
def record_review(
    *,
    acting_user: User,
    child: Person,
    review_date: datetime.date,
    told_about: Sequence[str] = (),
    **content: Unpack[ReviewContent],
) -> LACReview:
    """A looked-after review, chaired by the IRO allocated on the review date: in a period of
    care, or in a series of short breaks (on a break or between breaks). What it records can
    be written up later (:func:`update_review`) until it is complete. ``told_about``: what
    the child was told about having a say at the review (``privatefostering.models.Told``)."""
    require_permission(acting_user, Permission.REVIEW_CHAIR)
    child = lock(child)
    checks = Checks()
    checks.happened("review_date", review_date, "The review date", child=child)
    _check_content(checks, child, review_date, content)
    looked_after_on(
        checks,
        child,
        review_date,
        "review_date",
        "The review date",
        short_breaks=ShortBreakDays.IN_THE_SERIES,
    )
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
        _check_progress(
            checks, content.get("progress", ()), queries.open_recommendations(child, review_date)
        )
    checks.raise_if_any()
    assert allocation is not None
    review = LACReview(
        person=child, recorded_by=acting_user, review_date=review_date, chair=allocation.iro
    )
    _write(review, LookedAfterEvent.REVIEW_RECORDED, content, acting_user=acting_user)
    _plan_says_what_the_review_agreed(review, acting_user=acting_user)
    if told_about:
        add_participation(
            acting_user=acting_user,
            child=child,
            kind=ParticipationKind.TOLD,
            on=review_date,
            subjects=list(told_about),
            note="At a looked-after review",
        )
    return review


@transaction.atomic(durable=True)
def record_review_elsewhere(
    *,
    acting_user: User,
    child: Person,
    review_date: datetime.date | None,
    participation: str,
    not_carried: str,
) -> LACReview:
    """A looked-after review held in another system (ADR 0036): its date and how the child
    took part, with no chair (the other system's IRO is not a user here) and the minutes said
    to be held there (``not_carried``, for an SSD import "Not in the SSD extract imported from
    <system>."). The 903 rules at entry on the date and the participation code apply."""
    require_permission(acting_user, Permission.CARE_RECORD)
    child = lock(child)
    checks = Checks()
    if review_date is None:
        checks.check(False, "review_date", "Enter the review date")
        checks.raise_if_any()
    assert review_date is not None
    checks.happened("review_date", review_date, "The review date", child=child)
    _check_participation(checks, child, participation, review_date)
    looked_after_on(
        checks,
        child,
        review_date,
        "review_date",
        "The review date",
        short_breaks=ShortBreakDays.IN_THE_SERIES,
    )
    if not checks.has("review_date"):
        checks.check(
            not LACReview.objects.filter(person=child, review_date=review_date).exists(),
            "review_date",
            "A review on that date is already recorded",
        )
    checks.raise_if_any()
    review = LACReview.objects.create(
        person=child,
        recorded_by=acting_user,
        review_date=review_date,
        chair=None,
        recorded_elsewhere=True,
        participation=participation,
        minutes=not_carried,
    )
    audit(
        review,
        LookedAfterEvent.REVIEW_RECORDED_ELSEWHERE,
        acting_user=acting_user,
        child_id=child.pk,
        fields=["review_date", "participation", "recorded_elsewhere", "minutes"],
    )
    return review


def _not_held_elsewhere(checks: Checks, review: LACReview) -> None:
    """A review held in another system (ADR 0036) keeps its minutes and recommendations there:
    Caseline does not write them up, add to them or complete them."""
    checks.check(
        not review.recorded_elsewhere,
        None,
        "This review was held and recorded in another system: its minutes and "
        "recommendations are kept there, and Caseline does not change them",
    )


@transaction.atomic(durable=True)
def update_review(
    *,
    acting_user: User,
    review: LACReview,
    read_version: int | None,
    **content: Unpack[ReviewContent],
) -> LACReview:
    """Write up (or correct) what the review records: what is given replaces what was there.
    Refuses if someone saved the review since ``read_version`` (``EditConflict``), and keeps
    what a completed review needs."""
    require_permission(acting_user, Permission.REVIEW_CHAIR)
    child = lock(review.person)
    review.refresh_from_db()  # completed meanwhile, it keeps what completing needs
    checks = Checks()
    _not_held_elsewhere(checks, review)
    checks.raise_if_any()
    _check_content(checks, child, review.review_date, content)
    _check_progress(checks, content.get("progress", ()), queries.reported_recommendations(review))
    if review.is_complete:
        written = {name: str(content.get(name, getattr(review, name))) for name in WRITTEN}
        _check_complete(checks, child, written)
    checks.raise_if_any()
    _write(
        review,
        LookedAfterEvent.REVIEW_UPDATED,
        content,
        acting_user=acting_user,
        read_version=read_version or 0,
    )
    _plan_says_what_the_review_agreed(review, acting_user=acting_user)
    return review


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
    _not_held_elsewhere(checks, review)
    checks.raise_if_any()
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
    """The review's minutes were completed on ``completed_on``, which completes the review. It
    needs the child's views (or why they were not obtained), the IRO's view of the care plan,
    how the plan meets the child's identity needs and the minutes themselves."""
    require_permission(acting_user, Permission.REVIEW_CHAIR)
    child = lock(review.person)
    review.refresh_from_db()
    checks = Checks()
    _not_held_elsewhere(checks, review)
    checks.raise_if_any()
    if checks.check(
        completed_on >= review.review_date,
        "completed_on",
        f"The date must be on or after the review, {format_date(review.review_date)}",
    ):
        checks.happened("completed_on", completed_on, "The date", child=child)
    _check_complete(checks, child, {name: getattr(review, name) for name in WRITTEN})
    checks.raise_if_any()
    change(
        review,
        LookedAfterEvent.MINUTES_COMPLETED,
        acting_user=acting_user,
        minutes_completed_on=completed_on,
    )
    return review


@transaction.atomic(durable=True)
def request_earlier_review(
    *,
    acting_user: User,
    child: Person,
    requested_on: datetime.date,
    review_by: datetime.date,
    reason: str,
) -> EarlierReviewRequest:
    """The IRO asks, on ``requested_on``, for the next review to be held by ``review_by``
    (CPPCR reg 33 lets the IRO bring a review forward), and says why."""
    require_permission(acting_user, Permission.REVIEW_CHAIR)
    child = lock(child)
    checks = Checks()
    checks.happened("requested_on", requested_on, "The date you asked", child=child)
    looked_after_on(checks, child, requested_on, "requested_on", "The date you asked")
    if checks.planned(
        "review_by", review_by, "The date the review should be held by", child=child
    ) and not checks.has("requested_on"):
        checks.check(
            review_by >= requested_on,
            "review_by",
            "The date the review should be held by must be on or after the date you asked, "
            f"{format_date(requested_on)}",
        )
    checks.required("reason", reason, "Enter why the review should be held earlier")
    checks.raise_if_any()
    return record_new(
        EarlierReviewRequest,
        LookedAfterEvent.EARLIER_REVIEW_REQUESTED,
        acting_user=acting_user,
        child=child,
        requested_on=requested_on,
        review_by=review_by,
        reason=reason,
    )
