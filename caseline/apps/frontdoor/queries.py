"""Reading the front door: contacts awaiting decision, referrals, re-referrals, step-downs."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.http import Http404
from django.utils import timezone

from caseline.apps.accounts.models import User
from caseline.apps.frontdoor.models import (
    Contact,
    ContactPerson,
    EarlyHelpEpisode,
    Referral,
    StepChange,
)
from caseline.apps.people.models import Person, Relationship
from caseline.apps.people.queries import get_person_for_user, visible_people
from caseline.apps.timescales.calendar import add_calendar_months
from caseline.apps.timescales.rules import (
    CONTACT_DECISION,
    Timeliness,
    assess_timeliness,
    format_date,
)


def _date_key(field: str) -> Any:
    """A date as the integer yyyymmdd, which sorts like the date, in portable SQL."""
    return ExtractYear(field) * Value(10000) + ExtractMonth(field) * Value(100) + ExtractDay(field)


def _window_start_key(field: str) -> Any:
    """yyyymmdd of the date 12 calendar months before ``field`` (29 February → 28 February).

    The same as ``add_calendar_months(d, -12)``: only 29 February needs clamping.
    """
    clamp = Case(
        When(**{f"{field}__month": 2, f"{field}__day": 29}, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return (
        (ExtractYear(field) - Value(1)) * Value(10000)
        + ExtractMonth(field) * Value(100)
        + ExtractDay(field)
        - clamp
    )


def with_re_referral(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    """Annotate ``re_referral``: an earlier referral of the same child within 12 months before.

    "Within 12 months" (DfE re-referral measure): the earlier referral date is on or after the
    date 12 calendar months before this referral's date. One query, no N+1.
    """
    earlier = (
        Referral.objects.annotate(_key=_date_key("referral_date"))
        .filter(person=OuterRef("person"))
        .filter(
            Q(referral_date__lt=OuterRef("referral_date"))
            | Q(referral_date=OuterRef("referral_date"), pk__lt=OuterRef("pk"))
        )
        .filter(_key__gte=OuterRef("_window_start"))
    )
    return referrals.annotate(_window_start=_window_start_key("referral_date")).annotate(
        re_referral=Exists(earlier)
    )


def months_before(day: datetime.date, months: int) -> datetime.date:
    """``day`` less ``months`` calendar months; the first day there is for a day too early
    to go back from (a date typed as 01/01/0001 before the forms refused it)."""
    try:
        return add_calendar_months(day, -months)
    except ValueError:
        return datetime.date.min


def earlier_referrals_within_year(referral: Referral) -> QuerySet[Referral]:
    """The earlier referrals of the same child that make ``referral`` a re-referral."""
    window_start = months_before(referral.referral_date, 12)
    return (
        Referral.objects.filter(person_id=referral.person_id)
        .filter(
            Q(referral_date__lt=referral.referral_date)
            | Q(referral_date=referral.referral_date, pk__lt=referral.pk)
        )
        .filter(referral_date__gte=window_start)
    )


# --- Contacts -------------------------------------------------------------------------------


def decision_due_date(received_at: datetime.datetime, zone: tzinfo | None = None) -> datetime.date:
    """The last day a decision on a contact received then meets the 1 working day timescale
    (receipt is day 0)."""
    return CONTACT_DECISION.due_date(timezone.localdate(received_at, zone))


def contact_due_date(contact: Contact, zone: tzinfo | None = None) -> datetime.date:
    """The last day the contact's decision meets the 1 working day timescale."""
    return decision_due_date(contact.received_at, zone)


def contact_timeliness(contact: Contact, as_at: datetime.date | None = None) -> Timeliness:
    """Whether the contact's decision is due, overdue, on time or late."""
    zone = timezone.get_current_timezone()  # once: finding it costs more than converting
    due = contact_due_date(contact, zone)
    decided = timezone.localdate(contact.decided_at, zone) if contact.decided_at else None
    return assess_timeliness(due, decided, as_at or timezone.localdate(timezone=zone))


def _visible_contacts(user: User) -> QuerySet[Contact]:
    about_visible = ContactPerson.objects.filter(
        contact=OuterRef("pk"), person__in=visible_people(user)
    )
    return Contact.objects.filter(Exists(about_visible))


def contacts_awaiting_decision(user: User) -> list[Contact]:
    """Undecided contacts about children the user may see, oldest first, with their people.

    Read from the undecided contacts (few, by a partial index), each person carrying whether
    the user may see them (``visible_people`` asked of that person, by key): asking it as a
    subquery of every contact person made the database test every person on the register.
    """
    may_see = Exists(visible_people(user).filter(pk=OuterRef("person_id")))
    people = ContactPerson.objects.select_related("person").annotate(visible=may_see)
    contacts = (
        Contact.objects.filter(decision="")
        .order_by("received_at", "id")
        .prefetch_related(Prefetch("people", queryset=people.order_by("id")))
    )
    # ``visible`` is the annotation above.
    return [c for c in contacts if any(cp.visible for cp in c.people.all())]  # type: ignore[attr-defined]


def people_of(contact: Contact) -> list[ContactPerson]:
    """Everyone a contact is about, with their role, in the order they were recorded."""
    return list(contact.people.select_related("person").order_by("id"))


def subject_children(contact: Contact) -> list[Person]:
    """The children a contact is about, in the order they were recorded."""
    return [
        cp.person
        for cp in contact.people.select_related("person").order_by("id")
        if cp.role == ContactPerson.Role.SUBJECT
    ]


def get_contact_for_user(user: User, contact_id: int) -> Contact:
    """The contact if the user may see a child it is about: 404 if none, 403 if hidden."""
    try:
        contact = Contact.objects.select_related("recorded_by", "decided_by").get(pk=contact_id)
    except Contact.DoesNotExist:
        raise Http404("No contact with that ID") from None
    if not _visible_contacts(user).filter(pk=contact.pk).exists():
        raise PermissionDenied
    return contact


def get_referral_for_user(user: User, referral_id: int) -> Referral:
    try:
        referral = Referral.objects.select_related("person").get(pk=referral_id)
    except Referral.DoesNotExist:
        raise Http404("No referral with that ID") from None
    get_person_for_user(user, referral.person_id)
    return referral


def get_early_help_for_user(user: User, episode_id: int) -> EarlyHelpEpisode:
    try:
        episode = EarlyHelpEpisode.objects.select_related("person").get(pk=episode_id)
    except EarlyHelpEpisode.DoesNotExist:
        raise Http404("No early help episode with that ID") from None
    get_person_for_user(user, episode.person_id)
    return episode


# --- Step changes ---------------------------------------------------------------------------

# How far back a step down to early help is flagged when a child comes back (local practice).
STEP_DOWN_LOOKBACK_MONTHS = 3


def recent_step_down(person: Person, before_date: datetime.date) -> StepChange | None:
    """The latest step down to early help in the 3 months up to ``before_date``, if any."""
    window_start = months_before(before_date, STEP_DOWN_LOOKBACK_MONTHS)
    return (
        StepChange.objects.filter(
            person=person,
            direction=StepChange.Direction.STEP_DOWN,
            date__lte=before_date,
            date__gte=window_start,
        )
        .order_by("-date", "-id")
        .first()
    )


def step_down_within(steps: list[StepChange], before_date: datetime.date) -> StepChange | None:
    """``recent_step_down`` over steps already read (newest first), for pages listing many."""
    window_start = months_before(before_date, STEP_DOWN_LOOKBACK_MONTHS)
    return next(
        (
            step
            for step in steps
            if step.direction == StepChange.Direction.STEP_DOWN
            and window_start <= step.date <= before_date
        ),
        None,
    )


def time_ago(day: datetime.date, as_at: datetime.date) -> str:
    """Plain English for how long before ``as_at`` a day was: "today", "6 weeks ago"."""
    days = (as_at - day).days
    if days <= 0:
        return "today"
    if days < 14:
        return "1 day ago" if days == 1 else f"{days} days ago"
    if days < 63:
        return f"{days // 7} weeks ago"
    months = (as_at.year - day.year) * 12 + as_at.month - day.month
    if as_at.day < day.day:
        months -= 1
    return "1 month ago" if months == 1 else f"{months} months ago"


def step_down_description(step: StepChange, as_at: datetime.date) -> str:
    """ "Stepped down to early help on 3 March 2025, 6 weeks ago"."""
    return f"Stepped down to early help on {format_date(step.date)}, {time_ago(step.date, as_at)}"


# --- A child's episodes ---------------------------------------------------------------------


def open_referral_for(child: Person) -> Referral | None:
    """The child's open referral (there is at most one)."""
    return Referral.objects.filter(person=child, closed_on__isnull=True).first()


def open_early_help_for(child: Person) -> EarlyHelpEpisode | None:
    """The child's open early help episode, if any."""
    return EarlyHelpEpisode.objects.filter(person=child, end_date__isnull=True).first()


def referrals_for(person: Person) -> QuerySet[Referral]:
    return with_re_referral(Referral.objects.filter(person=person)).order_by(
        "-referral_date", "-id"
    )


def contacts_about(person: Person) -> QuerySet[Contact]:
    return (
        Contact.objects.filter(people__person=person)
        .distinct()
        .order_by("-received_at", "-id")
        .prefetch_related(
            Prefetch(
                "people", queryset=ContactPerson.objects.select_related("person").order_by("id")
            )
        )
    )


_CHILD_KINDS = {Relationship.Kind.SIBLING, Relationship.Kind.HALF_SIBLING}
_CARER_KINDS = {
    Relationship.Kind.PARENT,
    Relationship.Kind.STEP_PARENT,
    Relationship.Kind.CARER,
    Relationship.Kind.GRANDPARENT,
}


def people_involved_with(child: Person) -> list[tuple[Person, str, str]]:
    """The child's recorded relatives as (person, contact role, relationship label).

    Brothers and sisters are subjects of a contact; parents and carers are parents or carers.
    """
    found: dict[int, tuple[Person, str, str]] = {}
    for rel in Relationship.objects.filter(Q(person=child) | Q(other=child)).select_related(
        "person", "other"
    ):
        other = rel.other if rel.person_id == child.pk else rel.person
        if other.pk in found or other.pk == child.pk:
            continue
        if rel.kind in _CHILD_KINDS:
            role = ContactPerson.Role.SUBJECT
        elif rel.kind in _CARER_KINDS and rel.person_id == other.pk:
            role = ContactPerson.Role.PARENT
        else:
            role = ContactPerson.Role.OTHER
        label = rel.get_kind_display().lower()
        if rel.person_id == child.pk and rel.kind not in _CHILD_KINDS:
            label = f"{child.given_name} is their {label}"
        found[other.pk] = (other, role, label)
    return sorted(found.values(), key=lambda item: (item[0].family_name, item[0].given_name))


# --- What happened in an episode, for closing it --------------------------------------------


@dataclass(frozen=True)
class EpisodeActivity:
    """What happened in a child in need episode that the CIN census's closure rules ask about
    (``actions.close_referral``): the work recorded against the referral, and whether the
    child was looked after at any time in it."""

    enquiries: int  # section 47 enquiries in the episode
    # Enquiries with neither an initial conference nor a decision that none is required
    # (DfE CIN census rule 8868).
    enquiries_unconcluded: int
    initial_conference: bool  # an initial or transfer-in conference (DateOfInitialCPC)
    protection_plan: bool
    cin_plan: bool
    looked_after: bool
    # The latest of the dates the CIN census's rule 8565 compares with the closure date: the
    # assessments' start and authorisation, the enquiries' start, the initial conference, the
    # child protection plans' end and the child in need plans' start and end.
    latest_activity: datetime.date | None = None

    @property
    def after_assessment(self) -> bool:
        """Whether the episode had more than an assessment: a section 47 enquiry, an initial
        conference, a child protection plan or a child in need plan, which closure reasons
        RC8 and RC9 ("closed after assessment") rule out (DfE CIN census rule 2990)."""
        return bool(
            self.enquiries or self.initial_conference or self.protection_plan or self.cin_plan
        )


def episode_activity(referral: Referral, closed_on: datetime.date) -> EpisodeActivity:
    """The work recorded in ``referral``'s episode, if it closed on ``closed_on``. Six
    queries."""
    # Imported here: these apps' models refer to the referral, not the other way round.
    from caseline.apps.assessments.models import Assessment
    from caseline.apps.cin.models import CINPlan
    from caseline.apps.lookedafter.models import Episode
    from caseline.apps.protection.models import Conference, ProtectionPlan, Section47Enquiry

    enquiries = list(
        Section47Enquiry.objects.filter(referral=referral).values_list(
            "icpc_not_required", "conference", "start_date"
        )
    )
    initial_conference = Conference.objects.filter(
        referral=referral, kind__in=[Conference.Kind.INITIAL, Conference.Kind.TRANSFER_IN]
    ).aggregate(held=Count("pk"), latest=Max("conference_date"))
    protection_plans = ProtectionPlan.objects.filter(referral=referral).aggregate(
        plans=Count("pk"), latest=Max("end_date")
    )
    cin_plans = CINPlan.objects.filter(referral=referral).aggregate(
        plans=Count("pk"), latest_start=Max("start_date"), latest_end=Max("end_date")
    )
    assessments = Assessment.objects.filter(referral=referral).aggregate(
        latest_start=Max("start_date"), latest_authorised=Max("authorised_on")
    )
    activity_dates = [
        *(start for _, _, start in enquiries),
        initial_conference["latest"],
        protection_plans["latest"],
        cin_plans["latest_start"],
        cin_plans["latest_end"],
        assessments["latest_start"],
        assessments["latest_authorised"],
    ]
    known_dates = [day for day in activity_dates if day is not None]
    return EpisodeActivity(
        enquiries=len(enquiries),
        enquiries_unconcluded=sum(
            1
            for not_required, conference, _ in enquiries
            if not not_required and conference is None
        ),
        initial_conference=bool(initial_conference["held"]),
        protection_plan=bool(protection_plans["plans"]),
        cin_plan=bool(cin_plans["plans"]),
        latest_activity=max(known_dates, default=None),
        looked_after=Episode.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=referral.referral_date),
            person_id=referral.person_id,
            start_date__lte=closed_on,
        ).exists(),
    )
