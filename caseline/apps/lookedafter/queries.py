"""Reading a child's care record. Visibility is checked by the caller (``ChildRecordMixin``,
``get_person_for_user``); these helpers only read rows of a person already allowed."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from functools import cached_property
from typing import TypeVar

from django.db.models import Q, QuerySet
from django.http import Http404

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.lookedafter import derive
from caseline.apps.lookedafter.models import (
    CareLeaverContact,
    CarePlan,
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
    UASCDetails,
)
from caseline.apps.people.models import Person

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
    return list(Episode.objects.filter(person=child).order_by("start_date", "id"))


def open_episode(child: Person) -> Episode | None:
    """The child's episode that has not ended, if they are looked after."""
    return (
        Episode.objects.filter(person=child, end_date__isnull=True).order_by("-start_date").first()
    )


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
        )
        return derive.care_due(dates, as_at)

    def birthday_contact(self, as_at: datetime.date) -> derive.BirthdayContact | None:
        return derive.birthday_contact(self.person, self.episodes, self.contacts, as_at)


def care_record(person: Person) -> CareRecord:
    """The child's care record; each part is read on first use."""
    return CareRecord(person)
