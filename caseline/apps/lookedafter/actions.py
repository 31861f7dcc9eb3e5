"""Every write to a looked-after child's or care leaver's record. Each action is audited.

Writes for one child are serialised by locking the child's ``Person`` row, so two workers
cannot both start a period of care or both change the placement at once.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from caseline.apps.accounts.permissions import Permission
from caseline.apps.audit.record import changed_values, record_event, snapshot
from caseline.apps.codes.lists import CodeListName, code_list, collection_year
from caseline.apps.core.concurrency import save_versioned
from caseline.apps.lookedafter import derive
from caseline.apps.lookedafter.events import LookedAfterEvent
from caseline.apps.lookedafter.models import (
    NEW_EPISODE_FOLLOWS,
    PLACED_WITH_PARENTS,
    STARTED,
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
    ReviewRecommendation,
    UASCDetails,
)
from caseline.apps.people.models import Person
from caseline.apps.timescales.calendar import add_calendar_months
from caseline.apps.timescales.rules import format_date

EPISODE_FIELDS = [
    "start_date",
    "reason_new_episode",
    "legal_status",
    "placement_type",
    "placement_provider",
    "placement_postcode",
    "carer_name",
    "ofsted_urn",
    "distance_from_home",
    "area",
    "arrangement",
    "intended_until_18",
    "parent_placement_approver",
    "parent_placement_approved_on",
    "parent_placement_rationale",
]
END_FIELDS = ["end_date", "reason_episode_ceased", "reason_place_change"]
SHORT_BREAK_MAX_DAYS = 17  # CPPCR reg 48: no single stay over 17 days
SHORT_BREAKS_MAX_DAYS_A_YEAR = 75  # and no more than 75 days in 12 months
_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
_URN = re.compile(r"^(SC)?[0-9]{6,7}$")
_NO_PROVIDER_NEEDED = re.compile(r"^(T[0-4]|Z[0-9]*)$")


@dataclass(frozen=True)
class PlacementDetails:
    """Where the child lives in an episode: the 903 placement fields and Caseline's extras."""

    placement_type: str
    placement_provider: str = ""
    placement_postcode: str = ""
    carer_name: str = ""
    ofsted_urn: str = ""
    distance_from_home: Decimal | None = None
    area: str = ""
    arrangement: str = Episode.Arrangement.STANDARD
    intended_until_18: bool = False
    parent_placement_approver: str = ""
    parent_placement_approved_on: datetime.date | None = None
    parent_placement_rationale: str = ""

    @classmethod
    def of(cls, episode: Episode) -> PlacementDetails:
        return cls(**{f.name: getattr(episode, f.name) for f in fields(cls)})

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


# --- Checks ---------------------------------------------------------------------------------


def _raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def _today() -> datetime.date:
    return timezone.localdate()


def _check_date(
    errors: dict[str, str], name: str, value: datetime.date, what: str, child: Person
) -> None:
    if value > _today():
        errors[name] = f"{what} must be today or in the past"
    elif child.date_of_birth is not None and value < child.date_of_birth:
        errors[name] = f"{what} must be on or after {child.given_name}'s date of birth"


def _required(errors: dict[str, str], name: str, value: str, message: str) -> None:
    if not value.strip():
        errors[name] = message


def _code(
    errors: dict[str, str],
    name: str,
    value: str,
    listname: CodeListName,
    what: str,
    year: int | None = None,
) -> None:
    codes = code_list(listname)
    if not value:
        errors[name] = f"Select the {what}"
    elif value not in codes:
        errors[name] = f"Select a {what} from the list"  # noqa: S608 - a message, not SQL
    elif year is not None and not codes.is_valid(value, year):
        errors[name] = (
            f"{what.capitalize()} {value} is not in use in {year}-{str(year + 1)[2:]}: "
            "choose one from that year's list"
        )


def _check_placement(errors: dict[str, str], details: PlacementDetails, day: datetime.date) -> None:
    year = collection_year(day)
    _code(
        errors,
        "placement_type",
        details.placement_type,
        CodeListName.PLACEMENT_TYPE,
        "placement type",
        year,
    )
    if details.placement_provider:
        _code(
            errors,
            "placement_provider",
            details.placement_provider,
            CodeListName.PLACEMENT_PROVIDER,
            "placement provider",
            year,
        )
    elif not _NO_PROVIDER_NEEDED.match(details.placement_type):
        errors["placement_provider"] = "Select the placement provider"
    if (
        details.placement_type == PLACED_WITH_PARENTS
        and details.placement_provider
        and details.placement_provider != "PR0"
    ):
        errors["placement_provider"] = (
            "A child placed with parents has provider PR0 (parents or others with parental "
            "responsibility)"
        )
    postcode = details.placement_postcode.strip().upper()
    if postcode and not _POSTCODE.match(postcode):
        errors["placement_postcode"] = "Enter a real postcode, like SW1A 1AA"
    if details.ofsted_urn and not _URN.match(details.ofsted_urn.strip().upper()):
        errors["ofsted_urn"] = "Enter the Ofsted URN, like SC123456 or 1234567"
    if details.distance_from_home is not None and not (
        Decimal(0) <= details.distance_from_home <= Decimal("999.9")
    ):
        errors["distance_from_home"] = "Distance from home must be between 0 and 999.9 miles"
    if details.arrangement not in Episode.Arrangement.values:
        errors["arrangement"] = "Select how the child is placed"
    if details.placement_type == PLACED_WITH_PARENTS:
        _required(
            errors,
            "parent_placement_approver",
            details.parent_placement_approver,
            "Enter the senior manager who approved placement with parents",
        )
        _required(
            errors,
            "parent_placement_rationale",
            details.parent_placement_rationale,
            "Enter why placement with parents was approved",
        )
        approved = details.parent_placement_approved_on
        if approved is None:
            errors["parent_placement_approved_on"] = (
                "Enter the date placement with parents was approved"
            )
        elif approved > _today():
            errors["parent_placement_approved_on"] = (
                "The approval date must be today or in the past"
            )


def _lock(child: Person) -> Person:
    return Person.objects.select_for_update().get(pk=child.pk)


def _episodes(child: Person) -> list[Episode]:
    return list(Episode.objects.filter(person=child).order_by("start_date", "id"))


def _open_episode(child: Person) -> Episode | None:
    return (
        Episode.objects.filter(person=child, end_date__isnull=True).order_by("-start_date").first()
    )


def _normalised(details: PlacementDetails) -> PlacementDetails:
    values = details.as_dict()
    values["placement_postcode"] = details.placement_postcode.strip().upper()
    values["ofsted_urn"] = details.ofsted_urn.strip().upper()
    if details.placement_type != PLACED_WITH_PARENTS:
        values.update(
            parent_placement_approver="",
            parent_placement_approved_on=None,
            parent_placement_rationale="",
        )
    return PlacementDetails(**values)


def _create_episode(
    *,
    acting_user: Any,
    child: Person,
    start_date: datetime.date,
    rne: str,
    legal_status: str,
    details: PlacementDetails,
) -> Episode:
    return Episode.objects.create(
        person=child,
        start_date=start_date,
        reason_new_episode=rne,
        legal_status=legal_status,
        recorded_by=acting_user,
        **_normalised(details).as_dict(),
    )


# --- Episodes -------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def start_period_of_care(
    *,
    acting_user: Any,
    child: Person,
    start_date: datetime.date,
    legal_status: str,
    placement: PlacementDetails,
) -> Episode:
    """The child starts to be looked after: the first episode of a new period (RNE ``S``)."""
    child = _lock(child)
    errors: dict[str, str] = {}
    _check_date(errors, "start_date", start_date, "The date the child became looked after", child)
    _code(errors, "legal_status", legal_status, CodeListName.LEGAL_STATUS, "legal status")
    _check_placement(errors, placement, start_date)
    for episode in _episodes(child):
        if episode.end_date is None:
            errors["start_date"] = (
                f"{child.given_name} is already looked after, since "
                f"{format_date(episode.start_date)}: end that period of care first"
            )
            break
        if episode.end_date > start_date:
            when = (
                "was already looked after on that date"
                if episode.start_date <= start_date
                else "has a later period of care recorded"
            )
            errors["start_date"] = (
                f"{child.given_name} {when} (an episode from "
                f"{format_date(episode.start_date)} to {format_date(episode.end_date)}): "
                "periods of care cannot overlap"
            )
            break
    _raise_if(errors)
    episode = _create_episode(
        acting_user=acting_user,
        child=child,
        start_date=start_date,
        rne=STARTED,
        legal_status=legal_status,
        details=placement,
    )
    record_event(
        acting_user=acting_user,
        event_type=LookedAfterEvent.PERIOD_STARTED,
        target=episode,
        subject_person_id=child.pk,
        new_values=snapshot(episode, EPISODE_FIELDS),
    )
    return episode


def _current_for_change(
    child: Person, change_date: datetime.date, errors: dict[str, str]
) -> Episode | None:
    current = _open_episode(child)
    if current is None:
        errors["change_date"] = (
            f"{child.given_name} is not looked after: start a period of care before recording "
            "a placement or legal status"
        )
        return None
    if change_date <= current.start_date:
        errors["change_date"] = (
            f"The date of the change must be after the current episode began, on "
            f"{format_date(current.start_date)}"
        )
    elif change_date > _today():
        errors["change_date"] = "The date of the change must be today or in the past"
    return current


def _close_and_follow(
    *,
    acting_user: Any,
    child: Person,
    current: Episode,
    change_date: datetime.date,
    rne: str,
    legal_status: str,
    details: PlacementDetails,
    reason_place_change: str,
    event: LookedAfterEvent,
) -> Episode:
    before = snapshot(current, END_FIELDS)
    current.end_date = change_date
    current.reason_episode_ceased = NEW_EPISODE_FOLLOWS
    current.reason_place_change = reason_place_change
    current.save(update_fields=END_FIELDS)
    old, new = changed_values(before, snapshot(current, END_FIELDS))
    record_event(
        acting_user=acting_user,
        event_type=event,
        target=current,
        subject_person_id=child.pk,
        old_values=old,
        new_values=new,
    )
    episode = _create_episode(
        acting_user=acting_user,
        child=child,
        start_date=change_date,
        rne=rne,
        legal_status=legal_status,
        details=details,
    )
    record_event(
        acting_user=acting_user,
        event_type=event,
        target=episode,
        subject_person_id=child.pk,
        new_values=snapshot(episode, EPISODE_FIELDS),
    )
    return episode


@transaction.atomic(durable=True)
def change_legal_status(
    *, acting_user: Any, child: Person, change_date: datetime.date, legal_status: str
) -> Episode:
    """The legal status changes; the placement stays the same (RNE ``L``)."""
    child = _lock(child)
    errors: dict[str, str] = {}
    current = _current_for_change(child, change_date, errors)
    _code(errors, "legal_status", legal_status, CodeListName.LEGAL_STATUS, "legal status")
    if current is not None and legal_status == current.legal_status:
        errors["legal_status"] = f"The legal status is already {legal_status}: choose the new one"
    _raise_if(errors)
    assert current is not None
    return _close_and_follow(
        acting_user=acting_user,
        child=child,
        current=current,
        change_date=change_date,
        rne=derive.reason_new_episode(
            legal_status_changed=True, placement_changed=False, same_carer=True
        ),
        legal_status=legal_status,
        details=PlacementDetails.of(current),
        reason_place_change="",
        event=LookedAfterEvent.LEGAL_STATUS_CHANGED,
    )


@transaction.atomic(durable=True)
def change_placement(
    *,
    acting_user: Any,
    child: Person,
    change_date: datetime.date,
    placement: PlacementDetails,
    same_carer: bool,
    reason_place_change: str,
    legal_status: str = "",
) -> Episode:
    """The child moves placement (RNE ``P`` or ``T``), or moves and changes legal status at
    the same time (``B`` or ``U``) when ``legal_status`` is given and differs."""
    child = _lock(child)
    errors: dict[str, str] = {}
    current = _current_for_change(child, change_date, errors)
    _check_placement(errors, placement, change_date)
    if legal_status:
        _code(errors, "legal_status", legal_status, CodeListName.LEGAL_STATUS, "legal status")
    temporary = placement.placement_type.startswith("T")
    if reason_place_change:
        _code(
            errors,
            "reason_place_change",
            reason_place_change,
            CodeListName.REASON_PLACEMENT_CHANGE,
            "reason for the placement change",
            collection_year(change_date),
        )
    elif not temporary:
        errors["reason_place_change"] = "Select the reason for the placement change"
    _raise_if(errors)
    assert current is not None
    status_changed = bool(legal_status) and legal_status != current.legal_status
    rne = derive.reason_new_episode(
        legal_status_changed=status_changed, placement_changed=True, same_carer=same_carer
    )
    return _close_and_follow(
        acting_user=acting_user,
        child=child,
        current=current,
        change_date=change_date,
        rne=rne,
        legal_status=legal_status or current.legal_status,
        details=placement,
        reason_place_change=reason_place_change,
        event=LookedAfterEvent.PLACEMENT_CHANGED,
    )


@transaction.atomic(durable=True)
def end_period_of_care(
    *, acting_user: Any, child: Person, end_date: datetime.date, reason_episode_ceased: str
) -> Episode:
    """The child stops being looked after; the reason is an E code (not X1)."""
    child = _lock(child)
    errors: dict[str, str] = {}
    current = _open_episode(child)
    if current is None:
        errors["end_date"] = f"{child.given_name} is not looked after"
    elif end_date < current.start_date:
        errors["end_date"] = (
            f"The date care ended must be on or after the current episode began, on "
            f"{format_date(current.start_date)}"
        )
    elif end_date > _today():
        errors["end_date"] = "The date care ended must be today or in the past"
    if reason_episode_ceased == NEW_EPISODE_FOLLOWS:
        errors["reason_episode_ceased"] = (
            "X1 is for a change of placement or legal status: choose why care ended"
        )
    else:
        _code(
            errors,
            "reason_episode_ceased",
            reason_episode_ceased,
            CodeListName.REASON_EPISODE_CEASED,
            "reason care ended",
            collection_year(end_date),
        )
    if current is not None and "end_date" not in errors:
        _check_short_breaks(child, end_date, errors)
    _raise_if(errors)
    assert current is not None
    before = snapshot(current, END_FIELDS)
    current.end_date = end_date
    current.reason_episode_ceased = reason_episode_ceased
    current.save(update_fields=END_FIELDS)
    old, new = changed_values(before, snapshot(current, END_FIELDS))
    record_event(
        acting_user=acting_user,
        event_type=LookedAfterEvent.PERIOD_ENDED,
        target=current,
        subject_person_id=child.pk,
        old_values=old,
        new_values=new,
    )
    _end_iro_allocation(acting_user, child, end_date)
    return current


def _end_iro_allocation(acting_user: Any, child: Person, end_date: datetime.date) -> None:
    """The IRO's role (CA1989 s25A) ends with care: close the open allocation, so the child
    leaves the IRO's caseload. A new period of care gets a new allocation."""
    for allocation in IROAllocation.objects.filter(person=child, end_date__isnull=True):
        allocation.end_date = max(end_date, allocation.start_date)
        allocation.save(update_fields=["end_date"])
        record_event(
            acting_user=acting_user,
            event_type=LookedAfterEvent.IRO_ALLOCATION_ENDED,
            target=allocation,
            subject_person_id=child.pk,
            old_values={"end_date": None},
            new_values={"end_date": allocation.end_date.isoformat()},
        )


def _check_short_breaks(child: Person, end_date: datetime.date, errors: dict[str, str]) -> None:
    """CPPCR reg 48: no single short break over 17 days, no more than 75 days in 12 months."""
    periods = derive.periods_of_care(_episodes(child))
    period = periods[-1]
    if not period.is_short_breaks:
        return
    days = (end_date - period.start_date).days
    if days > SHORT_BREAK_MAX_DAYS:
        errors["end_date"] = (
            f"A short break cannot last more than {SHORT_BREAK_MAX_DAYS} days (regulation "
            "48): record the change of legal status to V2 from the 18th day first"
        )
        return
    year_before = add_calendar_months(end_date, -12)
    earlier = sum(
        ((p.end_date or end_date) - p.start_date).days
        for p in periods[:-1]
        if p.is_short_breaks and p.start_date > year_before
    )
    if earlier + days > SHORT_BREAKS_MAX_DAYS_A_YEAR:
        errors["end_date"] = (
            f"Short breaks cannot add up to more than {SHORT_BREAKS_MAX_DAYS_A_YEAR} days in 12 "
            f"months (regulation 48): this makes {earlier + days}. From then on "
            f"{child.given_name} is looked after in the usual way (V2)"
        )


def _period_on(
    child: Person, day: datetime.date, name: str, what: str, errors: dict[str, str]
) -> derive.PeriodOfCare | None:
    """The period of care on ``day``, or an error saying why the date does not fit."""
    periods = derive.periods_of_care(_episodes(child))
    period = derive.period_on(periods, day)
    if period is None and name not in errors:
        if not periods:
            errors[name] = (
                f"{child.given_name} has never been looked after: start a period of care first"
            )
        elif day < periods[0].start_date:
            errors[name] = (
                f"{what} must be on or after the date {child.given_name} became looked after, "
                f"{format_date(periods[0].start_date)}"
            )
        elif any(p.contains(day) and p.is_short_breaks for p in periods):
            errors[name] = (
                f"{child.given_name} was on a short break on that date: Caseline does not yet "
                "record reviews, visits or plans for short breaks"
            )
        else:
            errors[name] = f"{child.given_name} was not looked after on that date"
    return period


# --- IRO, care plan and reviews -------------------------------------------------------------


@transaction.atomic(durable=True)
def allocate_iro(
    *, acting_user: Any, child: Person, iro: Any, start_date: datetime.date
) -> IROAllocation:
    child = _lock(child)
    errors: dict[str, str] = {}
    _check_date(errors, "start_date", start_date, "The date the IRO was allocated", child)
    if not iro.can(Permission.REVIEW_CHAIR):
        errors["iro"] = "Choose an independent reviewing officer"
    current = IROAllocation.objects.filter(person=child, end_date__isnull=True).first()
    if current is not None and start_date < current.start_date:
        errors["start_date"] = (
            f"The date must be on or after the current IRO's allocation, "
            f"{format_date(current.start_date)}"
        )
    _raise_if(errors)
    if current is not None:
        current.end_date = start_date
        current.save(update_fields=["end_date"])
    allocation = IROAllocation.objects.create(
        person=child, iro=iro, start_date=start_date, recorded_by=acting_user
    )
    record_event(
        acting_user=acting_user,
        event_type=LookedAfterEvent.IRO_ALLOCATED,
        target=allocation,
        subject_person_id=child.pk,
        new_values=snapshot(allocation, ["iro", "start_date"]),
        old_values={"iro": current.iro_id} if current else None,
    )
    return allocation


def iro_on(child: Person, day: datetime.date) -> IROAllocation | None:
    """The IRO allocated on ``day`` (a later allocation takes over on its start date)."""
    for allocation in IROAllocation.objects.filter(
        person=child, start_date__lte=day
    ).select_related("iro"):
        if allocation.end_date is None or allocation.end_date > day:
            return allocation
    return None


@transaction.atomic(durable=True)
def record_care_plan(
    *,
    acting_user: Any,
    child: Person,
    plan_date: datetime.date,
    permanence_plan: str,
    plan_summary: str,
    placement_plan: str,
    child_views: str,
) -> CarePlan:
    child = _lock(child)
    errors: dict[str, str] = {}
    _check_date(errors, "plan_date", plan_date, "The date of the care plan", child)
    if permanence_plan not in CarePlan.Permanence.values:
        errors["permanence_plan"] = "Select the permanence plan"
    _required(errors, "plan_summary", plan_summary, "Enter what the plan is and why")
    _required(errors, "placement_plan", placement_plan, "Enter the placement plan")
    _required(errors, "child_views", child_views, f"Enter {child.given_name}'s views on the plan")
    _period_on(child, plan_date, "plan_date", "The date of the care plan", errors)
    _raise_if(errors)
    plan = CarePlan.objects.create(
        person=child,
        plan_date=plan_date,
        permanence_plan=permanence_plan,
        plan_summary=plan_summary,
        placement_plan=placement_plan,
        child_views=child_views,
        recorded_by=acting_user,
    )
    record_event(
        acting_user=acting_user,
        event_type=LookedAfterEvent.CARE_PLAN_RECORDED,
        target=plan,
        subject_person_id=child.pk,
        new_values=snapshot(
            plan, ["plan_date", "permanence_plan", "plan_summary", "placement_plan", "child_views"]
        ),
    )
    return plan


@transaction.atomic(durable=True)
def record_review(
    *,
    acting_user: Any,
    child: Person,
    review_date: datetime.date,
    participation: str,
    child_views: str,
) -> LACReview:
    """A looked-after review, chaired by the IRO allocated on the review date."""
    child = _lock(child)
    errors: dict[str, str] = {}
    _check_date(errors, "review_date", review_date, "The review date", child)
    _code(
        errors,
        "participation",
        participation,
        CodeListName.REVIEW_PARTICIPATION,
        "how the child took part",
        collection_year(review_date),
    )
    age = child.age_on(review_date)
    if participation == "PN0" and age is not None and age >= 4:
        errors["participation"] = f"PN0 is only for a child under 4: {child.given_name} was {age}"
    elif participation and participation != "PN0" and age is not None and age < 4:
        errors["participation"] = f"{child.given_name} was under 4 at the review: choose PN0"
    _required(
        errors,
        "child_views",
        child_views,
        f"Enter {child.given_name}'s views, and how they were given",
    )
    _period_on(child, review_date, "review_date", "The review date", errors)
    allocation = iro_on(child, review_date)
    if allocation is None and "review_date" not in errors:
        errors["review_date"] = "No IRO was allocated on that date: allocate the child's IRO first"
    if LACReview.objects.filter(person=child, review_date=review_date).exists():
        errors["review_date"] = "A review on that date is already recorded"
    _raise_if(errors)
    assert allocation is not None
    review = LACReview.objects.create(
        person=child,
        review_date=review_date,
        chair=allocation.iro,
        participation=participation,
        child_views=child_views,
        recorded_by=acting_user,
    )
    record_event(
        acting_user=acting_user,
        event_type=LookedAfterEvent.REVIEW_RECORDED,
        target=review,
        subject_person_id=child.pk,
        new_values=snapshot(review, ["review_date", "chair", "participation", "child_views"]),
    )
    return review


@transaction.atomic(durable=True)
def add_recommendation(
    *,
    acting_user: Any,
    review: LACReview,
    what: str,
    who: str,
    by_when: datetime.date,
    how_we_will_know: str,
) -> ReviewRecommendation:
    """A SMART recommendation: what, who, by when, how we will know."""
    errors: dict[str, str] = {}
    _required(errors, "what", what, "Enter what needs to happen")
    _required(errors, "who", who, "Enter who will do it")
    _required(
        errors, "how_we_will_know", how_we_will_know, "Enter how we will know it has happened"
    )
    if by_when < review.review_date:
        errors["by_when"] = (
            f"The date it must be done by must be on or after the review, "
            f"{format_date(review.review_date)}"
        )
    _raise_if(errors)
    recommendation = ReviewRecommendation.objects.create(
        review=review, what=what, who=who, by_when=by_when, how_we_will_know=how_we_will_know
    )
    record_event(
        acting_user=acting_user,
        event_type=LookedAfterEvent.RECOMMENDATION_ADDED,
        target=recommendation,
        subject_person_id=review.person_id,
        new_values=snapshot(
            recommendation, ["review", "what", "who", "by_when", "how_we_will_know"]
        ),
    )
    return recommendation


@transaction.atomic(durable=True)
def complete_minutes(
    *, acting_user: Any, review: LACReview, completed_on: datetime.date
) -> LACReview:
    errors: dict[str, str] = {}
    if completed_on < review.review_date:
        errors["completed_on"] = (
            f"The date must be on or after the review, {format_date(review.review_date)}"
        )
    elif completed_on > _today():
        errors["completed_on"] = "The date must be today or in the past"
    _raise_if(errors)
    before = snapshot(review, ["minutes_completed_on"])
    review.minutes_completed_on = completed_on
    review.save(update_fields=["minutes_completed_on"])
    old, new = changed_values(before, snapshot(review, ["minutes_completed_on"]))
    record_event(
        acting_user=acting_user,
        event_type=LookedAfterEvent.MINUTES_COMPLETED,
        target=review,
        subject_person_id=review.person_id,
        old_values=old,
        new_values=new,
    )
    return review


# --- Visits, health, education, missing ------------------------------------------------------


@transaction.atomic(durable=True)
def record_visit(
    *,
    acting_user: Any,
    child: Person,
    visit_date: datetime.date,
    child_seen: bool,
    seen_alone: bool,
    note: str,
) -> LACVisit:
    child = _lock(child)
    errors: dict[str, str] = {}
    _check_date(errors, "visit_date", visit_date, "The visit date", child)
    if seen_alone and not child_seen:
        errors["seen_alone"] = f"{child.given_name} cannot be seen alone without being seen"
    _required(errors, "note", note, "Enter what happened on the visit")
    _period_on(child, visit_date, "visit_date", "The visit date", errors)
    _raise_if(errors)
    visit = LACVisit.objects.create(
        person=child,
        visit_date=visit_date,
        child_seen=child_seen,
        seen_alone=seen_alone,
        note=note,
        recorded_by=acting_user,
    )
    record_event(
        acting_user=acting_user,
        event_type=LookedAfterEvent.VISIT_RECORDED,
        target=visit,
        subject_person_id=child.pk,
        new_values=snapshot(visit, ["visit_date", "child_seen", "seen_alone", "note"]),
    )
    return visit


@transaction.atomic(durable=True)
def record_health(
    *,
    acting_user: Any,
    child: Person,
    kind: str,
    event_date: datetime.date,
    immunisations_up_to_date: bool | None = None,
    sdq_score: int | None = None,
    substance_misuse: bool | None = None,
    health_plan: str = "",
    notes: str = "",
) -> HealthRecord:
    child = _lock(child)
    errors: dict[str, str] = {}
    _check_date(errors, "event_date", event_date, "The date", child)
    if kind not in HealthRecord.Kind.values:
        errors["kind"] = "Select what is being recorded"
    if kind == HealthRecord.Kind.SDQ:
        if sdq_score is None:
            errors["sdq_score"] = "Enter the SDQ score"
        elif not 0 <= sdq_score <= 40:
            errors["sdq_score"] = "The SDQ score must be between 0 and 40"
    elif sdq_score is not None:
        errors["sdq_score"] = "Only a strengths and difficulties questionnaire has a score"
    if kind == HealthRecord.Kind.IMMUNISATIONS and immunisations_up_to_date is None:
        errors["immunisations_up_to_date"] = "Select whether immunisations are up to date"
    if kind in derive.HEALTH_ASSESSMENTS:
        _required(errors, "health_plan", health_plan, "Enter the health plan from the assessment")
    _period_on(child, event_date, "event_date", "The date", errors)
    _raise_if(errors)
    record = HealthRecord.objects.create(
        person=child,
        kind=kind,
        event_date=event_date,
        immunisations_up_to_date=immunisations_up_to_date,
        sdq_score=sdq_score,
        substance_misuse=substance_misuse,
        health_plan=health_plan,
        notes=notes,
        recorded_by=acting_user,
    )
    record_event(
        acting_user=acting_user,
        event_type=LookedAfterEvent.HEALTH_RECORDED,
        target=record,
        subject_person_id=child.pk,
        new_values=snapshot(
            record,
            [
                "kind",
                "event_date",
                "immunisations_up_to_date",
                "sdq_score",
                "substance_misuse",
                "health_plan",
                "notes",
            ],
        ),
    )
    return record


@transaction.atomic(durable=True)
def record_pep(
    *,
    acting_user: Any,
    child: Person,
    pep_date: datetime.date,
    school: str,
    virtual_school_contact: str,
    quality: str,
    attainment: str,
    child_views: str,
) -> PersonalEducationPlan:
    child = _lock(child)
    errors: dict[str, str] = {}
    _check_date(errors, "pep_date", pep_date, "The PEP date", child)
    _required(errors, "school", school, "Enter the school or setting")
    _required(
        errors, "virtual_school_contact", virtual_school_contact, "Enter the virtual school contact"
    )
    if quality not in PersonalEducationPlan.Quality.values:
        errors["quality"] = "Select the quality rating of the PEP"
    _required(errors, "attainment", attainment, "Enter attainment and progress")
    _required(
        errors, "child_views", child_views, f"Enter {child.given_name}'s views on their education"
    )
    _period_on(child, pep_date, "pep_date", "The PEP date", errors)
    _raise_if(errors)
    pep = PersonalEducationPlan.objects.create(
        person=child,
        pep_date=pep_date,
        school=school,
        virtual_school_contact=virtual_school_contact,
        quality=quality,
        attainment=attainment,
        child_views=child_views,
        recorded_by=acting_user,
    )
    record_event(
        acting_user=acting_user,
        event_type=LookedAfterEvent.PEP_RECORDED,
        target=pep,
        subject_person_id=child.pk,
        new_values=snapshot(
            pep,
            [
                "pep_date",
                "school",
                "virtual_school_contact",
                "quality",
                "attainment",
                "child_views",
            ],
        ),
    )
    return pep


@transaction.atomic(durable=True)
def record_missing(
    *,
    acting_user: Any,
    child: Person,
    missing_type: str,
    start_date: datetime.date,
    end_date: datetime.date | None,
    return_interview_offered: bool | None,
    return_interview_accepted: bool | None,
    notes: str = "",
) -> MissingEpisode:
    child = _lock(child)
    errors: dict[str, str] = {}
    _code(errors, "missing_type", missing_type, CodeListName.MISSING_TYPE, "type of episode")
    _check_date(errors, "start_date", start_date, "The date the episode began", child)
    if end_date is not None:
        if end_date < start_date:
            errors["end_date"] = (
                "The date the child returned must be on or after the date the episode began"
            )
        elif end_date > _today():
            errors["end_date"] = "The date the child returned must be today or in the past"
    if return_interview_accepted is not None and not return_interview_offered:
        errors["return_interview_accepted"] = (
            "A return interview can only be accepted if it was offered"
        )
    _period_on(child, start_date, "start_date", "The date the episode began", errors)
    _raise_if(errors)
    missing = MissingEpisode.objects.create(
        person=child,
        missing_type=missing_type,
        start_date=start_date,
        end_date=end_date,
        return_interview_offered=return_interview_offered,
        return_interview_accepted=return_interview_accepted,
        notes=notes,
        recorded_by=acting_user,
    )
    record_event(
        acting_user=acting_user,
        event_type=LookedAfterEvent.MISSING_RECORDED,
        target=missing,
        subject_person_id=child.pk,
        new_values=snapshot(
            missing,
            [
                "missing_type",
                "start_date",
                "end_date",
                "return_interview_offered",
                "return_interview_accepted",
                "notes",
            ],
        ),
    )
    return missing


@transaction.atomic(durable=True)
def record_missing_return(
    *,
    acting_user: Any,
    missing: MissingEpisode,
    end_date: datetime.date | None,
    return_interview_offered: bool | None,
    return_interview_accepted: bool | None,
) -> MissingEpisode:
    """The child's return and the return interview, recorded after the episode began."""
    missing = MissingEpisode.objects.select_for_update().get(pk=missing.pk)
    errors: dict[str, str] = {}
    if end_date is not None:
        if end_date < missing.start_date:
            errors["end_date"] = (
                "The date the child returned must be on or after the date the episode began, "
                f"{format_date(missing.start_date)}"
            )
        elif end_date > _today():
            errors["end_date"] = "The date the child returned must be today or in the past"
    if return_interview_accepted is not None and not return_interview_offered:
        errors["return_interview_accepted"] = (
            "A return interview can only be accepted if it was offered"
        )
    _raise_if(errors)
    names = ["end_date", "return_interview_offered", "return_interview_accepted"]
    before = snapshot(missing, names)
    missing.end_date = end_date
    missing.return_interview_offered = return_interview_offered
    missing.return_interview_accepted = return_interview_accepted
    missing.save(update_fields=names)
    old, new = changed_values(before, snapshot(missing, names))
    record_event(
        acting_user=acting_user,
        event_type=LookedAfterEvent.MISSING_RETURN_RECORDED,
        target=missing,
        subject_person_id=missing.person_id,
        old_values=old,
        new_values=new,
    )
    return missing


# --- Care leavers ---------------------------------------------------------------------------


@transaction.atomic(durable=True)
def allocate_personal_adviser(
    *, acting_user: Any, child: Person, name: str, start_date: datetime.date
) -> PersonalAdviser:
    child = _lock(child)
    errors: dict[str, str] = {}
    _required(errors, "name", name, "Enter the personal adviser's name")
    _check_date(errors, "start_date", start_date, "The date the adviser was allocated", child)
    current = PersonalAdviser.objects.filter(person=child, end_date__isnull=True).first()
    if current is not None and start_date < current.start_date:
        errors["start_date"] = (
            f"The date must be on or after the current adviser's allocation, "
            f"{format_date(current.start_date)}"
        )
    _raise_if(errors)
    if current is not None:
        current.end_date = start_date
        current.save(update_fields=["end_date"])
    adviser = PersonalAdviser.objects.create(
        person=child, name=name, start_date=start_date, recorded_by=acting_user
    )
    record_event(
        acting_user=acting_user,
        event_type=LookedAfterEvent.ADVISER_ALLOCATED,
        target=adviser,
        subject_person_id=child.pk,
        new_values=snapshot(adviser, ["name", "start_date"]),
        old_values={"name": current.name} if current else None,
    )
    return adviser


PATHWAY_MIN_AGE = 15


@transaction.atomic(durable=True)
def record_pathway_plan(
    *,
    acting_user: Any,
    child: Person,
    kind: str,
    plan_date: datetime.date,
    summary: str,
    young_person_views: str,
) -> PathwayPlan:
    child = _lock(child)
    errors: dict[str, str] = {}
    _check_date(errors, "plan_date", plan_date, "The date", child)
    if kind not in PathwayPlan.Kind.values:
        errors["kind"] = "Select what is being recorded"
    age = child.age_on(plan_date)
    if "plan_date" not in errors and (age is None or age < PATHWAY_MIN_AGE):
        errors["plan_date"] = (
            f"A needs assessment or pathway plan is for a young person aged {PATHWAY_MIN_AGE} "
            "or over on that date"
        )
    _required(errors, "summary", summary, "Enter the plan or assessment")
    _required(errors, "young_person_views", young_person_views, f"Enter {child.given_name}'s views")
    _raise_if(errors)
    plan = PathwayPlan.objects.create(
        person=child,
        kind=kind,
        plan_date=plan_date,
        summary=summary,
        young_person_views=young_person_views,
        recorded_by=acting_user,
    )
    record_event(
        acting_user=acting_user,
        event_type=LookedAfterEvent.PATHWAY_PLAN_RECORDED,
        target=plan,
        subject_person_id=child.pk,
        new_values=snapshot(plan, ["kind", "plan_date", "summary", "young_person_views"]),
    )
    return plan


@transaction.atomic(durable=True)
def record_care_leaver_contact(
    *,
    acting_user: Any,
    child: Person,
    contact_date: datetime.date,
    in_touch: str,
    accommodation: str = "",
    accommodation_suitable: bool | None = None,
    activity: str = "",
    staying_put: bool = False,
    notes: str = "",
) -> CareLeaverContact:
    """Keeping in touch (903 OC3): in touch, accommodation and its suitability, activity."""
    child = _lock(child)
    errors: dict[str, str] = {}
    _check_date(errors, "contact_date", contact_date, "The contact date", child)
    year = collection_year(contact_date)
    _code(errors, "in_touch", in_touch, CodeListName.CARE_LEAVER_IN_TOUCH, "whether in touch", year)
    age = child.age_on(contact_date)
    if "contact_date" not in errors and (age is None or age < 16):
        errors["contact_date"] = "Keeping-in-touch contact is for care leavers aged 16 or over"
    if in_touch == "YES":
        _code(
            errors,
            "accommodation",
            accommodation,
            CodeListName.CARE_LEAVER_ACCOMMODATION,
            "accommodation",
            year,
        )
        _code(
            errors, "activity", activity, CodeListName.CARE_LEAVER_ACTIVITY, "main activity", year
        )
        if accommodation_suitable is None:
            errors["accommodation_suitable"] = "Select whether the accommodation is suitable"
    if staying_put and (age is None or age < 18):
        errors["staying_put"] = "Staying put is for young people aged 18 or over"
    _raise_if(errors)
    contact = CareLeaverContact.objects.create(
        person=child,
        contact_date=contact_date,
        in_touch=in_touch,
        accommodation=accommodation if in_touch == "YES" else "",
        accommodation_suitable=accommodation_suitable if in_touch == "YES" else None,
        activity=activity if in_touch == "YES" else "",
        staying_put=staying_put,
        notes=notes,
        recorded_by=acting_user,
    )
    record_event(
        acting_user=acting_user,
        event_type=LookedAfterEvent.CARE_LEAVER_CONTACT_RECORDED,
        target=contact,
        subject_person_id=child.pk,
        new_values=snapshot(
            contact,
            [
                "contact_date",
                "in_touch",
                "accommodation",
                "accommodation_suitable",
                "activity",
                "staying_put",
                "notes",
            ],
        ),
    )
    return contact


# --- Pen picture ----------------------------------------------------------------------------

PEN_FIELDS = ["who_they_are", "what_matters", "story_so_far", "big_decisions"]


@transaction.atomic(durable=True)
def save_pen_picture(
    *,
    acting_user: Any,
    child: Person,
    read_version: int | None,
    who_they_are: str,
    what_matters: str,
    story_so_far: str,
    big_decisions: str,
) -> PenPicture:
    """Write or rewrite the child's pen picture; refuses if someone saved it meanwhile."""
    child = _lock(child)
    values = {
        "who_they_are": who_they_are,
        "what_matters": what_matters,
        "story_so_far": story_so_far,
        "big_decisions": big_decisions,
    }
    errors: dict[str, str] = {}
    _required(errors, "who_they_are", who_they_are, f"Enter who {child.given_name} is")
    _required(errors, "what_matters", what_matters, f"Enter what matters to {child.given_name}")
    _required(errors, "story_so_far", story_so_far, f"Enter {child.given_name}'s story so far")
    _required(errors, "big_decisions", big_decisions, "Enter why the big decisions were made")
    _raise_if(errors)
    picture = PenPicture.objects.filter(person=child).first()
    if picture is None:
        picture = PenPicture.objects.create(person=child, updated_by=acting_user, **values)
        record_event(
            acting_user=acting_user,
            event_type=LookedAfterEvent.PEN_PICTURE_SAVED,
            target=picture,
            subject_person_id=child.pk,
            new_values=values,
        )
        return picture
    before = snapshot(picture, PEN_FIELDS)
    for name, value in values.items():
        setattr(picture, name, value)
    picture.updated_by = acting_user
    picture.updated_at = timezone.now()
    save_versioned(
        picture,
        read_version=read_version or 0,
        update_fields=[*PEN_FIELDS, "updated_by_id", "updated_at"],
    )
    old, new = changed_values(before, snapshot(picture, PEN_FIELDS))
    record_event(
        acting_user=acting_user,
        event_type=LookedAfterEvent.PEN_PICTURE_SAVED,
        target=picture,
        subject_person_id=child.pk,
        old_values=old,
        new_values=new,
    )
    return picture


# --- Unaccompanied asylum-seeking children ----------------------------------------------------

UASC_FIELDS = [
    "arrived_on",
    "national_transfer_scheme",
    "age_assessment_on",
    "age_assessment_outcome",
    "ceased_on",
]


@transaction.atomic(durable=True)
def save_uasc_details(
    *,
    acting_user: Any,
    child: Person,
    read_version: int | None,
    arrived_on: datetime.date | None,
    national_transfer_scheme: bool,
    age_assessment_on: datetime.date | None,
    age_assessment_outcome: str,
    ceased_on: datetime.date | None,
) -> UASCDetails:
    """Record or change an unaccompanied asylum-seeking child's details (903 UASC)."""
    child = _lock(child)
    errors: dict[str, str] = {}
    if not child.is_uasc:
        errors["arrived_on"] = (
            f"{child.given_name} is not recorded as an unaccompanied asylum-seeking child: "
            "change their identity details first"
        )
    for name, value, what in [
        ("arrived_on", arrived_on, "The date the child arrived"),
        ("age_assessment_on", age_assessment_on, "The date of the age assessment"),
        ("ceased_on", ceased_on, "The date the child stopped being UASC"),
    ]:
        if value is not None and value > _today() and name not in errors:
            errors[name] = f"{what} must be today or in the past"
    if arrived_on and age_assessment_on and age_assessment_on < arrived_on:
        errors["age_assessment_on"] = "The age assessment must be on or after the date of arrival"
    if arrived_on and ceased_on and ceased_on < arrived_on:
        errors["ceased_on"] = (
            "The date the child stopped being UASC must be on or after the date of arrival"
        )
    if age_assessment_on and not age_assessment_outcome.strip():
        errors["age_assessment_outcome"] = "Enter the outcome of the age assessment"
    _raise_if(errors)
    values: dict[str, Any] = {
        "arrived_on": arrived_on,
        "national_transfer_scheme": national_transfer_scheme,
        "age_assessment_on": age_assessment_on,
        "age_assessment_outcome": age_assessment_outcome,
        "ceased_on": ceased_on,
    }
    details = UASCDetails.objects.filter(person=child).first()
    if details is None:
        details = UASCDetails.objects.create(person=child, updated_by=acting_user, **values)
        record_event(
            acting_user=acting_user,
            event_type=LookedAfterEvent.UASC_DETAILS_SAVED,
            target=details,
            subject_person_id=child.pk,
            new_values=snapshot(details, UASC_FIELDS),
        )
        return details
    before = snapshot(details, UASC_FIELDS)
    for name, value in values.items():
        setattr(details, name, value)
    details.updated_by = acting_user
    details.updated_at = timezone.now()
    save_versioned(
        details,
        read_version=read_version or 0,
        update_fields=[*UASC_FIELDS, "updated_by_id", "updated_at"],
    )
    old, new = changed_values(before, snapshot(details, UASC_FIELDS))
    record_event(
        acting_user=acting_user,
        event_type=LookedAfterEvent.UASC_DETAILS_SAVED,
        target=details,
        subject_person_id=child.pk,
        old_values=old,
        new_values=new,
    )
    return details
