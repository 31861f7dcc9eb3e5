"""Every read in child protection: lookups scoped to the child, and the derived facts (due
dates, lateness, previous plans, strategy discussions missing police or health)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.core.links import url_builder
from caseline.apps.frontdoor.models import Referral
from caseline.apps.people.contribution import DueItem, PersonIds
from caseline.apps.people.models import Person
from caseline.apps.people.queries import visible_people
from caseline.apps.protection.models import (
    TOOK_PART,
    Agency,
    Conference,
    CoreGroup,
    Participation,
    ProtectionHistory,
    ProtectionOutcome,
    ProtectionPlan,
    ProtectionVisit,
    Section47Enquiry,
    StrategyDiscussion,
    TransferIn,
)
from caseline.apps.protection.timescales import (
    CORE_GROUP,
    CP_VISIT,
    FIRST_CORE_GROUP,
    FIRST_REVIEW_CONFERENCE,
    ICPC,
    REVIEW_CONFERENCE,
    TRANSFER_IN_CONFERENCE,
)
from caseline.apps.timescales.calendar import england_and_wales
from caseline.apps.timescales.rules import Interval, Timeliness, TimescaleRule, assess_timeliness

# The agencies Working Together expects at every strategy discussion besides social care.
CORE_AGENCIES = (Agency.POLICE, Agency.HEALTH)

# --- Lookups, scoped to a child already checked for visibility --------------------------------


def referral_open_on(child: Person, on: datetime.date) -> Referral | None:
    """The child in need episode open on ``on``, if there is one."""
    return (
        Referral.objects.filter(person=child, referral_date__lte=on)
        .exclude(closed_on__lt=on)
        .order_by("-referral_date", "-id")
        .first()
    )


def enquiries_recorded_elsewhere(child: Person) -> QuerySet[Section47Enquiry]:
    """The child's section 47 enquiries recorded in another system (no strategy discussion
    on Caseline), latest first."""
    return (
        Section47Enquiry.objects.filter(person=child, strategy_discussion__isnull=True)
        .select_related("conference")
        .prefetch_related("police_decisions")
    )


def discussions_of(child: Person) -> QuerySet[StrategyDiscussion]:
    return (
        StrategyDiscussion.objects.filter(person=child)
        .select_related("enquiry", "enquiry__conference")
        .prefetch_related("participants", "enquiry__police_decisions")
    )


def get_enquiry(child: Person, enquiry_id: int) -> Section47Enquiry:
    return get_object_or_404(
        Section47Enquiry.objects.select_related("strategy_discussion"),
        pk=enquiry_id,
        person=child,
    )


def get_conference(child: Person, conference_id: int) -> Conference:
    return get_object_or_404(
        Conference.objects.select_related(
            "chair", "lead_social_worker", "enquiry", "plan", "transfer_in"
        ).prefetch_related("attendees"),
        pk=conference_id,
        person=child,
    )


def get_transfer_in(child: Person, transfer_id: int) -> TransferIn:
    return get_object_or_404(TransferIn, pk=transfer_id, person=child)


def transfers_in_awaiting(child: Person) -> QuerySet[TransferIn]:
    """The child's transfers in with no conference yet (at most one: ``record_transfer_in``
    refuses a second)."""
    return TransferIn.objects.filter(person=child, conference__isnull=True)


def plan_with_detail(plan: ProtectionPlan) -> ProtectionPlan:
    return (
        ProtectionPlan.objects.select_related("conference", "lead_social_worker", "person")
        .prefetch_related(
            Prefetch(
                "outcomes",
                ProtectionOutcome.objects.prefetch_related("actions").order_by("order"),
            ),
            Prefetch("core_groups", CoreGroup.objects.order_by("meeting_date", "id")),
            Prefetch("review_conferences", Conference.objects.order_by("conference_date", "id")),
            Prefetch("visits", ProtectionVisit.objects.order_by("visit_date", "id")),
        )
        .get(pk=plan.pk)
    )


def plans_of(child: Person) -> QuerySet[ProtectionPlan]:
    return ProtectionPlan.objects.filter(person=child).select_related("lead_social_worker")


def current_plan(child: Person, as_at: datetime.date) -> ProtectionPlan | None:
    """The plan open on ``as_at``: started by then and not ended."""
    for plan in plans_of(child).filter(start_date__lte=as_at).order_by("-start_date", "-id"):
        if plan.is_open_on(as_at):
            return plan
    return None


def plans_before_caseline(child: Person) -> int:
    """How many child protection plans the child had before Caseline, as a team manager
    recorded it (``ProtectionHistory``); 0 where nothing is recorded."""
    counts = ProtectionHistory.objects.filter(person=child).values_list(
        "plans_before_caseline", flat=True
    )
    return next(iter(counts), 0)


def previous_plans(child: Person, before: datetime.date, *, exclude: int | None = None) -> int:
    """How many child protection plans the child had before ``before``: those before Caseline
    (:func:`plans_before_caseline`) and those in Caseline that started earlier. Two queries."""
    plans = ProtectionPlan.objects.filter(person=child, start_date__lt=before)
    if exclude is not None:
        plans = plans.exclude(pk=exclude)
    return plans_before_caseline(child) + plans.count()


def previous_plan_count(person: Person, plan: ProtectionPlan) -> int:
    """The CIN census's NumberOfPreviousCPP for ``plan``: the plans ``person`` had before
    Caseline plus their plans in Caseline that started before this one (on an earlier day,
    or, on the same day, recorded earlier). Derived, never stored; two queries."""
    earlier = ProtectionPlan.objects.filter(person=person).filter(
        Q(start_date__lt=plan.start_date) | Q(start_date=plan.start_date, pk__lt=plan.pk)
    )
    return plans_before_caseline(person) + earlier.count()


def history_of(child: Person) -> ProtectionHistory | None:
    """What a team manager recorded of the child's plans before Caseline, if anything."""
    return ProtectionHistory.objects.filter(person=child).select_related("recorded_by").first()


# --- Strategy discussions --------------------------------------------------------------------


def agencies_not_taking_part(discussion: StrategyDiscussion) -> list[str]:
    """Police and health, where they took no part (uses prefetched participants)."""
    took_part = {p.agency for p in discussion.participants.all() if p.took_part}
    return [agency.label for agency in CORE_AGENCIES if agency.value not in took_part]


def conference_gaps(conference: Conference) -> list[str]:
    """What inspectors look for at a conference and did not happen (prefetched attendees):
    police or health taking no part, a health attendee who does not know the child, and
    reports not shared with the parents beforehand."""
    if conference.recorded_elsewhere:
        return []  # held in another system: who took part is not known, so no gap is shown
    attendees = {a.agency: a for a in conference.attendees.all()}
    gaps = []
    for agency, words in ((Agency.POLICE, "The police"), (Agency.HEALTH, "Health")):
        attendee = attendees.get(agency.value)
        if attendee is None or attendee.participation not in TOOK_PART:
            gaps.append(f"{words} took no part in the conference")
    health = attendees.get(Agency.HEALTH.value)
    if (
        health is not None
        and health.participation == Participation.ATTENDED
        and health.knows_child is False
    ):
        gaps.append("The health attendee did not know the child")
    if conference.reports_shared != Conference.ReportsShared.YES:
        gaps.append("Reports were not shared with the parents before the conference")
    return gaps


# --- Timeliness ------------------------------------------------------------------------------


def icpc_timeliness(enquiry: Section47Enquiry, as_at: datetime.date) -> Timeliness:
    """15 working days from the strategy discussion at which the enquiry started."""
    conference: Conference | None = getattr(enquiry, "conference", None)
    return assess_timeliness(
        ICPC.due_date(enquiry.start_date),
        conference.conference_date if conference else None,
        as_at,
    )


def transfer_in_due(transfer_in: TransferIn, as_at: datetime.date) -> Timeliness:
    """A transfer in awaiting its conference: due 15 working days from the day we were told."""
    return assess_timeliness(TRANSFER_IN_CONFERENCE.due_date(transfer_in.notified_on), None, as_at)


def transfer_in_conferences_awaited(person_ids: PersonIds, as_at: datetime.date) -> list[DueItem]:
    """Due work: each transfer in with no conference yet, its transfer-in conference due 15
    working days from the day we were told. One query; items by child, then oldest first.
    (For child protection's ``due_for``, beside the initial conferences awaited.)"""
    awaited = (
        TransferIn.objects.filter(person_id__any_of=person_ids, conference__isnull=True)
        .order_by("person_id", "notified_on", "id")
        .values_list("person_id", "pk", "notified_on")
    )
    conference_page = url_builder("protection:transfer-in-new", "person_id", "transfer_id")
    return [
        DueItem(
            person_id=person_id,
            title="Transfer-in child protection conference",
            rule_code=TRANSFER_IN_CONFERENCE.code,
            timeliness=assess_timeliness(TRANSFER_IN_CONFERENCE.due_date(told), None, as_at),
            href=conference_page(person_id=person_id, transfer_id=pk),
            permission=Permission.CONFERENCE_CHAIR,
        )
        for person_id, pk, told in awaited
    ]


def awaiting_transfer_in_conference() -> set[int]:
    """Children with a transfer in and no conference yet (not checked for visibility). One
    query. (For the chairs' queue of conferences to arrange, beside the initial ones.)"""
    awaited = TransferIn.objects.filter(conference__isnull=True)
    return set(awaited.values_list("person_id", flat=True))


def transfer_in_timeliness(conference: Conference, as_at: datetime.date) -> Timeliness | None:
    if conference.transfer_notified_on is None:
        return None
    return assess_timeliness(
        TRANSFER_IN_CONFERENCE.due_date(conference.transfer_notified_on),
        conference.conference_date,
        as_at,
    )


def core_group_rule(plan: ProtectionPlan, regular: TimescaleRule = CORE_GROUP) -> TimescaleRule:
    """How often the plan's core group meets after the first: the plan's own frequency, set
    at conference, or else ``regular`` (the catalogue's, or the local standard in force)."""
    weeks = plan.core_group_every_weeks
    return regular.with_override(Interval.weeks(weeks)) if weeks else regular


def visit_rule(plan: ProtectionPlan, regular: TimescaleRule = CP_VISIT) -> TimescaleRule:
    """How often the child is visited: the plan's own frequency, set at conference, or else
    ``regular`` (the catalogue's, or the local standard in force)."""
    days = plan.visit_every_working_days
    return regular.with_override(Interval.working_days(days)) if days else regular


def core_group_due(
    plan: ProtectionPlan, last: datetime.date | None, regular: TimescaleRule
) -> tuple[TimescaleRule, datetime.date]:
    """The rule the core group after ``last`` falls under, and when it is due: the first
    within 10 working days of the conference that started the plan, then every ``regular``
    (``core_group_rule``) after the one before."""
    if last is None:
        return FIRST_CORE_GROUP, FIRST_CORE_GROUP.due_date(plan.start_date)
    return regular, regular.due_date(last)


def review_due(
    plan: ProtectionPlan, last: datetime.date | None
) -> tuple[TimescaleRule, datetime.date]:
    """The rule the review conference after ``last`` falls under, and when it is due: the
    first within 3 months of the plan starting, then within 6 months of the one before."""
    if last is None:
        return FIRST_REVIEW_CONFERENCE, FIRST_REVIEW_CONFERENCE.due_date(plan.start_date)
    return REVIEW_CONFERENCE, REVIEW_CONFERENCE.due_date(last)


def visit_due(
    plan: ProtectionPlan, last_seen: datetime.date | None, rule: TimescaleRule
) -> datetime.date:
    """When the visit after the last at which the child was seen (``last_seen``) is due, at
    ``rule`` (``visit_rule``) from it, or from the plan's start: a visit where the child was
    not seen does not restart the clock."""
    return rule.due_date(last_seen if last_seen is not None else plan.start_date)


@dataclass
class Step:
    """A completed step with the timeliness it met (or missed)."""

    item: Any
    timeliness: Timeliness | None


@dataclass
class PlanTimeliness:
    """For a plan: each core group, review and visit against its timescale, and what is next
    (None once the plan has ended)."""

    core_groups: list[Step] = field(default_factory=list)
    reviews: list[Step] = field(default_factory=list)
    visits: list[Step] = field(default_factory=list)
    next_core_group: Timeliness | None = None
    next_review: Timeliness | None = None
    next_visit: Timeliness | None = None


def plan_timeliness(plan: ProtectionPlan, as_at: datetime.date) -> PlanTimeliness:
    """Every core group, review and visit of the plan against its timescale.

    Core groups: the first within 10 working days of the conference, then at the plan's (or
    the local) frequency. Reviews: the first within 3 months, then every 6 months. Visits: at
    the plan's (or local) frequency; only a visit where the child was seen restarts the clock.
    Uses the plan's prefetched rows when ``plan_with_detail`` loaded them.
    """
    result = PlanTimeliness()
    open_plan = plan.end_date is None
    regular = core_group_rule(plan)
    last: datetime.date | None = None
    for meeting in sorted(plan.core_groups.all(), key=lambda m: (m.meeting_date, m.pk)):
        _, due = core_group_due(plan, last, regular)
        result.core_groups.append(
            Step(meeting, assess_timeliness(due, meeting.meeting_date, as_at))
        )
        last = meeting.meeting_date
    if open_plan:
        _, due = core_group_due(plan, last, regular)
        result.next_core_group = assess_timeliness(due, None, as_at)

    last = None
    for review in sorted(plan.review_conferences.all(), key=lambda c: (c.conference_date, c.pk)):
        _, due = review_due(plan, last)
        result.reviews.append(Step(review, assess_timeliness(due, review.conference_date, as_at)))
        last = review.conference_date
    if open_plan:
        _, due = review_due(plan, last)
        result.next_review = assess_timeliness(due, None, as_at)

    visits = visit_rule(plan)
    last = None
    for visit in sorted(plan.visits.all(), key=lambda v: (v.visit_date, v.pk)):
        if visit.child_seen:
            due = visit_due(plan, last, visits)
            result.visits.append(Step(visit, assess_timeliness(due, visit.visit_date, as_at)))
            last = visit.visit_date
        else:
            result.visits.append(Step(visit, None))
    if open_plan:
        result.next_visit = assess_timeliness(visit_due(plan, last, visits), None, as_at)
    return result


# --- The team report -------------------------------------------------------------------------


@dataclass
class ComplianceRow:
    discussion: StrategyDiscussion
    missing: list[str]


@dataclass
class ComplianceReport:
    start: datetime.date
    end: datetime.date
    total: int
    rows: list[ComplianceRow]
    missing_police: int
    missing_health: int

    @property
    def flagged(self) -> int:
        return len(self.rows)


def strategy_compliance(user: User, start: datetime.date, end: datetime.date) -> ComplianceReport:
    """Strategy discussions held from ``start`` to ``end`` (inclusive) about children the
    user may see, and those in which the police or health took no part."""
    discussions = list(
        StrategyDiscussion.objects.filter(
            person__in=visible_people(user),
            held_at__date__gte=start,
            held_at__date__lte=end,
        )
        .select_related("person", "recorded_by")
        .prefetch_related("participants")
        .order_by("held_at", "id")
    )
    rows = []
    for discussion in discussions:
        missing = agencies_not_taking_part(discussion)
        if missing:
            rows.append(ComplianceRow(discussion, missing))
    return ComplianceReport(
        start=start,
        end=end,
        total=len(discussions),
        rows=rows,
        missing_police=sum(Agency.POLICE.label in r.missing for r in rows),
        missing_health=sum(Agency.HEALTH.label in r.missing for r in rows),
    )


# DfE's bands for the ICPC timeliness indicator (working days from the s47 start).
ICPC_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0 to 10 working days", 0, 10),
    ("11 to 15 working days", 11, 15),
    ("16 to 20 working days", 16, 20),
    ("21 working days or more", 21, None),
)


@dataclass
class IcpcRow:
    conference: Conference
    working_days: int


@dataclass
class IcpcReport:
    """Initial conferences held in a period, and how long after the s47 started."""

    rows: list[IcpcRow]
    bands: list[tuple[str, int]]

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def within(self) -> int:
        return sum(row.working_days <= ICPC_WORKING_DAYS for row in self.rows)

    @property
    def percent_within(self) -> float | None:
        return round(100 * self.within / self.total, 1) if self.rows else None

    @property
    def late(self) -> list[IcpcRow]:
        return [row for row in self.rows if row.working_days > ICPC_WORKING_DAYS]


ICPC_WORKING_DAYS = 15


def icpc_report(user: User, start: datetime.date, end: datetime.date) -> IcpcReport:
    """Initial conferences held from ``start`` to ``end`` about children the user may see,
    with working days from the strategy discussion that started the s47 (DfE's measure)."""
    calendar = england_and_wales()
    conferences = (
        Conference.objects.filter(
            person__in=visible_people(user),
            kind=Conference.Kind.INITIAL,
            enquiry__isnull=False,
            conference_date__gte=start,
            conference_date__lte=end,
        )
        .select_related("enquiry", "person")
        .order_by("conference_date", "id")
    )
    rows = [
        IcpcRow(c, calendar.working_days_between(c.enquiry.start_date, c.conference_date))
        for c in conferences
        if c.enquiry is not None
    ]
    bands = [
        (
            label,
            sum(low <= r.working_days and (high is None or r.working_days <= high) for r in rows),
        )
        for label, low, high in ICPC_BANDS
    ]
    return IcpcReport(rows, bands)
