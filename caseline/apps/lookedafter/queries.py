"""Reading a child's care record. Visibility is checked by the caller (``ChildRecordMixin``,
``get_person_for_user``); these helpers only read rows of a person already allowed."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import TypeVar

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.lookedafter import derive
from caseline.apps.lookedafter.models import (
    CareLeaverContact,
    CarePlan,
    EarlierReviewRequest,
    Episode,
    HealthRecord,
    IROAllocation,
    LACReview,
    LACVisit,
    MissingEpisode,
    PathwayPlan,
    PenPicture,
    PersonalAdviser,
    PersonalEducationPlan,
    PlacementNotice,
    PlacementPlan,
    PlacementProvider,
    RecommendationProgress,
    ReviewAttendee,
    ReviewRecommendation,
    UASCDetails,
)
from caseline.apps.people.models import Person, Relationship
from caseline.apps.people.queries import current_allocation

Allocated = TypeVar("Allocated", IROAllocation, PersonalAdviser)


def iros() -> QuerySet[User]:
    """Active users who may chair looked-after reviews."""
    codename = Permission.REVIEW_CHAIR.codename
    return (
        User.objects.filter(is_active=True)
        .filter(Q(groups__permissions__codename=codename) | Q(user_permissions__codename=codename))
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def providers_to_choose(keep: int | None = None) -> QuerySet[PlacementProvider]:
    """The providers a placement may name: those in use, and ``keep`` (the provider an
    episode already names, though it is no longer in use), by name."""
    return PlacementProvider.objects.filter(Q(active=True) | Q(pk=keep)).order_by("name", "id")


def provider_register() -> QuerySet[PlacementProvider]:
    """Every provider in the register, those in use first, then by name."""
    return PlacementProvider.objects.order_by("-active", "name", "id")


def get_provider(provider_id: int) -> PlacementProvider:
    """A provider in the register (404 if there is none)."""
    try:
        return PlacementProvider.objects.get(pk=provider_id)
    except PlacementProvider.DoesNotExist:
        raise Http404("No provider in the register with that id") from None


def get_review(child: Person, review_id: int) -> LACReview:
    """One of the child's looked-after reviews (404 if it is not theirs)."""
    try:
        return LACReview.objects.get(pk=review_id, person=child)
    except LACReview.DoesNotExist:
        raise Http404("No such review for this child") from None


def get_missing(child: Person, missing_id: int) -> MissingEpisode:
    """One of the child's missing or away episodes (404 if it is not theirs)."""
    try:
        return MissingEpisode.objects.get(pk=missing_id, person=child)
    except MissingEpisode.DoesNotExist:
        raise Http404("No such missing episode for this child") from None


def episodes_of(child: Person) -> list[Episode]:
    """The child's episodes of care, oldest first."""
    return list(
        Episode.objects.filter(person=child).select_related("provider").order_by("start_date", "id")
    )


def period_began(child: Person, episode: Episode) -> datetime.date:
    """The day the period of care that holds ``episode`` began."""
    for period in derive.periods_of_care(episodes_of(child)):
        if any(e.pk == episode.pk for e in period.episodes):
            return period.start_date
    return episode.start_date


@dataclass(frozen=True)
class EpisodeInCare:
    """An episode with the episodes it is joined to, which a correction of it must keep in
    order: the one it follows on from and the one that follows on from it (in the same
    period of care), the end of the period before (for the first of a period), and every
    episode of its placement (a change of legal status copies the placement)."""

    episode: Episode
    before: Episode | None
    after: Episode | None
    previous_period_end: datetime.date | None
    placement: tuple[Episode, ...]

    @property
    def ended_by_move(self) -> bool:
        """Whether the child moved placement when it ended (it has a placement change
        reason)."""
        return self.after is not None and self.after.reason_new_episode in derive.PLACEMENT_CHANGES

    @property
    def ended_care(self) -> bool:
        """Whether care ended with it (a reason from the E codes)."""
        return self.episode.end_date is not None and self.after is None


def episode_in_care(child: Person, episode_id: int) -> EpisodeInCare:
    """One of the child's episodes in its place among the others (404 if not theirs)."""
    periods = derive.periods_of_care(episodes_of(child))
    for number, period in enumerate(periods):
        for index, episode in enumerate(period.episodes):
            if episode.pk != episode_id:
                continue
            earlier = periods[number - 1].end_date if number else None
            [placement] = [p for p in period.placements if episode in p.episodes]
            return EpisodeInCare(
                episode=episode,
                before=period.episodes[index - 1] if index else None,
                after=period.episodes[index + 1] if index + 1 < len(period.episodes) else None,
                previous_period_end=earlier,
                placement=placement.episodes,
            )
    raise Http404("No such episode for this child")


def open_episode(child: Person) -> Episode | None:
    """The child's episode that has not ended, if they are looked after."""
    return (
        Episode.objects.filter(person=child, end_date__isnull=True).order_by("-start_date").first()
    )


def open_recommendations(child: Person, day: datetime.date) -> list[ReviewRecommendation]:
    """The recommendations a review on ``day`` reports progress on: those of the child's
    earlier reviews in the same period of care that no review before ``day`` found done,
    oldest first, each with its review."""
    period = derive.period_on(derive.periods_of_care(episodes_of(child)), day)
    if period is None:
        return []
    done_before = RecommendationProgress.objects.filter(
        recommendation=OuterRef("pk"),
        status=RecommendationProgress.Status.DONE,
        review__review_date__lt=day,
    )
    return list(
        ReviewRecommendation.objects.filter(
            review__person=child,
            review__review_date__gte=period.start_date,
            review__review_date__lt=day,
        )
        .exclude(Exists(done_before))
        .select_related("review")
        .order_by("review__review_date", "by_when", "id")
    )


def reported_recommendations(review: LACReview) -> list[ReviewRecommendation]:
    """The earlier recommendations the review reports on: the open ones, and any it already
    has progress on (an earlier review may since have been found done)."""
    recommendations = open_recommendations(review.person, review.review_date)
    known = {r.pk for r in recommendations}
    reported = (
        ReviewRecommendation.objects.filter(progress_reports__review=review)
        .exclude(pk__in=known)
        .select_related("review")
    )
    return sorted(
        [*recommendations, *reported], key=lambda r: (r.review.review_date, r.by_when, r.pk)
    )


@dataclass(frozen=True)
class Invitee:
    """Someone asked to a review, and whether they came if known (the form's rows)."""

    role: str
    name: str
    attended: bool | None = None


def usual_invitees(child: Person) -> list[Invitee]:
    """Who a review of the child usually invites, from the record: the parents and others with
    parental responsibility, the carer of the current placement and the allocated social
    worker."""
    parents = (
        Relationship.objects.filter(other=child, end_date__isnull=True)
        .filter(Q(kind=Relationship.Kind.PARENT) | Q(has_parental_responsibility=True))
        .select_related("person")
        .order_by("id")
    )
    invitees = [Invitee(ReviewAttendee.Role.PARENT, r.person.full_name) for r in parents]
    current = open_episode(child)
    if current is not None and current.carer_name:
        invitees.append(Invitee(ReviewAttendee.Role.CARER, current.carer_name))
    allocation = current_allocation(child)
    if allocation is not None and allocation.worker is not None:
        invitees.append(Invitee(ReviewAttendee.Role.SOCIAL_WORKER, str(allocation.worker)))
    return invitees


def pen_picture_of(child: Person) -> PenPicture | None:
    return PenPicture.objects.filter(person=child).first()


def allocation_on(allocations: Iterable[Allocated], day: datetime.date) -> Allocated | None:
    """The allocation (of an IRO, of a personal adviser) that holds on ``day``: a later one
    takes over on its start date."""
    for allocation in allocations:
        if allocation.start_date <= day and (
            allocation.end_date is None or allocation.end_date > day
        ):
            return allocation
    return None


def iro_on(child: Person, day: datetime.date) -> IROAllocation | None:
    """The child's IRO allocation on ``day``, with the IRO."""
    return allocation_on(
        IROAllocation.objects.filter(person=child, start_date__lte=day).select_related("iro"), day
    )


class CareRecord:
    """Everything about one child's care and leaving care, each table read once, when first
    needed (the identity-bar badge reads only the episodes)."""

    def __init__(self, person: Person) -> None:
        self.person = person

    @cached_property
    def episodes(self) -> list[Episode]:
        return episodes_of(self.person)

    @cached_property
    def reviews(self) -> list[LACReview]:
        return list(
            LACReview.objects.filter(person=self.person)
            .select_related("chair")
            .prefetch_related("recommendations")
        )

    @cached_property
    def earlier_review_requests(self) -> list[EarlierReviewRequest]:
        return list(EarlierReviewRequest.objects.filter(person=self.person))

    @cached_property
    def visits(self) -> list[LACVisit]:
        return list(LACVisit.objects.filter(person=self.person))

    @cached_property
    def health(self) -> list[HealthRecord]:
        return list(HealthRecord.objects.filter(person=self.person))

    @cached_property
    def peps(self) -> list[PersonalEducationPlan]:
        return list(PersonalEducationPlan.objects.filter(person=self.person))

    @cached_property
    def missing(self) -> list[MissingEpisode]:
        return list(MissingEpisode.objects.filter(person=self.person))

    @cached_property
    def care_plans(self) -> list[CarePlan]:
        return list(CarePlan.objects.filter(person=self.person))

    @cached_property
    def iro_allocations(self) -> list[IROAllocation]:
        return list(IROAllocation.objects.filter(person=self.person).select_related("iro"))

    @cached_property
    def advisers(self) -> list[PersonalAdviser]:
        return list(PersonalAdviser.objects.filter(person=self.person))

    @cached_property
    def pathway_plans(self) -> list[PathwayPlan]:
        return list(PathwayPlan.objects.filter(person=self.person))

    @cached_property
    def contacts(self) -> list[CareLeaverContact]:
        return list(CareLeaverContact.objects.filter(person=self.person))

    @cached_property
    def placement_plans(self) -> list[PlacementPlan]:
        return list(PlacementPlan.objects.filter(person=self.person))

    @cached_property
    def placement_notices(self) -> list[PlacementNotice]:
        return list(PlacementNotice.objects.filter(person=self.person))

    def placement_paperwork(self, as_at: datetime.date) -> derive.PlacementPaperwork | None:
        """The current placement's placement plan and notice, with their timeliness."""
        period = self.current_period(as_at)
        if period is None:
            return None
        return derive.placement_paperwork(
            period, self.placement_plans, self.placement_notices, as_at
        )

    @cached_property
    def pen_picture(self) -> PenPicture | None:
        return pen_picture_of(self.person)

    @cached_property
    def uasc(self) -> UASCDetails | None:
        return UASCDetails.objects.filter(person=self.person).first()

    @cached_property
    def periods(self) -> list[derive.PeriodOfCare]:
        return derive.periods_of_care(self.episodes)

    def current_period(self, as_at: datetime.date) -> derive.PeriodOfCare | None:
        return derive.period_on(self.periods, as_at)

    def current_iro(self, as_at: datetime.date) -> IROAllocation | None:
        return allocation_on(self.iro_allocations, as_at)

    def current_adviser(self, as_at: datetime.date) -> PersonalAdviser | None:
        return allocation_on(self.advisers, as_at)

    def earlier_reviews_asked(self) -> list[tuple[EarlierReviewRequest, LACReview | None]]:
        """Each earlier review the IRO asked for, newest first, with the review that met it:
        the first held on or after the day it was asked for (``None`` while still to come)."""
        held = sorted(self.reviews, key=lambda r: (r.review_date, r.pk))
        return [
            (asked, next((r for r in held if r.review_date >= asked.requested_on), None))
            for asked in self.earlier_review_requests
        ]

    @property
    def care_plan(self) -> CarePlan | None:
        return self.care_plans[0] if self.care_plans else None

    def eligibility(self, as_at: datetime.date) -> derive.Eligibility | None:
        return derive.care_leaver_status(self.person, self.episodes, as_at)

    def due(self, as_at: datetime.date) -> list[derive.Due]:
        """Everything statutory due now for the child, from the timescale rules."""
        dates = derive.CareDates(
            person=self.person,
            episodes=self.episodes,
            reviews=self.reviews,
            contacts=self.contacts,
            seen_visits=[v.visit_date for v in self.visits if v.child_seen],
            health_assessments=[
                h.event_date for h in self.health if h.kind in derive.HEALTH_ASSESSMENTS
            ],
            peps=[p.pep_date for p in self.peps],
            care_plans=[p.plan_date for p in self.care_plans],
            pathway_plans=[
                p.plan_date for p in self.pathway_plans if p.kind in derive.PATHWAY_PLANS
            ],
            placement_plans=[p.episode_id for p in self.placement_plans if p.agreed_on <= as_at],
            placement_notices=[n.episode_id for n in self.placement_notices if n.given_on <= as_at],
            review_requests=self.review_requests(as_at),
        )
        return derive.care_due(dates, as_at)

    def review_requests(self, as_at: datetime.date) -> list[derive.ReviewRequest]:
        """The IRO's requests for an earlier review made by ``as_at``, as the rules read them."""
        return [
            derive.ReviewRequest(asked.requested_on, asked.review_by)
            for asked in self.earlier_review_requests
            if asked.requested_on <= as_at
        ]

    def birthday_contact(self, as_at: datetime.date) -> derive.BirthdayContact | None:
        return derive.birthday_contact(self.person, self.episodes, self.contacts, as_at)


def care_record(person: Person) -> CareRecord:
    """The child's care record; each part is read on first use."""
    return CareRecord(person)
