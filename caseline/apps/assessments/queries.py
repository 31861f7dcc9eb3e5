"""Reading assessments: visibility, due dates, duration and the manager's queue."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from caseline.apps.accounts.models import Team
from caseline.apps.accounts.permissions import Permission
from caseline.apps.assessments.models import Assessment
from caseline.apps.cin.models import CINPlan
from caseline.apps.lookedafter.models import Episode
from caseline.apps.people.models import Allocation, Person
from caseline.apps.people.queries import visible_among, visible_people
from caseline.apps.protection.models import StrategyDiscussion
from caseline.apps.timescales.calendar import england_and_wales
from caseline.apps.timescales.rules import (
    CATALOGUE,
    CORE_ASSESSMENT,
    SINGLE_ASSESSMENT,
    SINGLE_ASSESSMENT_FROM,
    Timeliness,
    TimescaleRule,
    assess_timeliness,
)


def assessment_rule(assessment: Assessment) -> tuple[TimescaleRule, datetime.date]:
    """The rule that judges the assessment, and the date its clock starts: the rule in force
    on the referral date. For a referral from 15 April 2013, the single assessment (45
    working days from the referral); before it, the initial assessment (10 working days from
    the referral) or, for a later assessment of the same referral, the core assessment (35
    working days from its start). Caseline records no kind of assessment, so that is an
    assumption (see the core assessment rule); only then is the database asked."""
    referral_date = assessment.referral.referral_date
    rule = CATALOGUE.in_force(SINGLE_ASSESSMENT.code, referral_date)
    assert rule is not None
    if referral_date < SINGLE_ASSESSMENT_FROM and _follows_another(assessment):
        core = CATALOGUE.in_force(CORE_ASSESSMENT.code, assessment.start_date)
        if core is not None:
            return core, assessment.start_date
    return rule, referral_date


@dataclass(frozen=True)
class Timescale:
    """The timescale an assessment is judged by, in words: ``interval`` ("45 working days")
    from ``counted_from`` ("the referral") on ``trigger``."""

    interval: str
    counted_from: str
    trigger: datetime.date


def timescale(assessment: Assessment) -> Timescale:
    """The timescale of the rule in force for the assessment (``assessment_rule``): 45 working
    days from the referral from 15 April 2013, 10 before it, or 35 from the start of a core
    assessment."""
    rule, trigger = assessment_rule(assessment)
    counted_from = "its start" if rule.code == CORE_ASSESSMENT.code else "the referral"
    return Timescale(rule.effective_interval.description, counted_from, trigger)


def _follows_another(assessment: Assessment) -> bool:
    """Whether an earlier assessment of the same referral was started before this one."""
    earlier = Q(start_date__lt=assessment.start_date) | Q(
        start_date=assessment.start_date, pk__lt=assessment.pk
    )
    return (
        Assessment.objects.filter(referral_id=assessment.referral_id)
        .exclude(pk=assessment.pk)
        .filter(earlier)
        .exists()
    )


def due_date(assessment: Assessment) -> datetime.date:
    """The last day to authorise it, by the rule in force on the referral date: 45 working
    days from the referral (day 0) for a referral from 15 April 2013."""
    rule, trigger = assessment_rule(assessment)
    return rule.due_date(trigger)


def timeliness(assessment: Assessment, as_at: datetime.date | None = None) -> Timeliness:
    """Whether it was (or is being) done within its timescale: 45 working days of the
    referral (or, for an earlier referral, the rule in force then; see ``assessment_rule``).

    The authorisation date is the completion date.
    """
    return assess_timeliness(
        due_date(assessment), assessment.authorised_on, as_at or timezone.localdate()
    )


def dfe_duration_working_days(start: datetime.date, authorised_on: datetime.date) -> int:
    """The DfE's measure of duration: working days from the start to authorisation.

    The start day is not counted, so an assessment authorised the day it starts took 0.
    """
    return england_and_wales().working_days_between(start, authorised_on)


def is_over_timescale(assessment: Assessment, on: datetime.date) -> bool:
    """Whether authorising it on ``on`` would be after its due date (45 working days)."""
    return on > due_date(assessment)


def assessments_for_person(person: Person) -> QuerySet[Assessment]:
    return Assessment.objects.filter(person=person).select_related(
        "referral", "submitted_by", "authorised_by", "recorded_by"
    )


def get_assessment_for_user(user: Any, assessment_id: int) -> Assessment:
    """The assessment if the user may see the child: 404 if none, 403 if hidden."""
    try:
        assessment = Assessment.objects.select_related(
            "person", "referral", "submitted_by", "authorised_by", "recorded_by"
        ).get(pk=assessment_id)
    except Assessment.DoesNotExist:
        raise Http404("No assessment with that ID") from None
    if not visible_people(user).filter(pk=assessment.person_id).exists():
        raise PermissionDenied
    return assessment


def managed_teams(user: Any) -> QuerySet[Team]:
    """The teams whose assessments this user authorises: those they manage, and their own."""
    condition = Q(manager=user)
    if user.team_id is not None:
        condition |= Q(pk=user.team_id)
    return Team.objects.filter(condition)


# What the lists of assessments awaiting sign-off show and work their timeliness out from:
# not the assessment's long text, which a team page has no use for.
AWAITING_FIELDS = (
    "id",
    "status",
    "person_id",
    "referral_id",
    "submitted_by_id",
    "submitted_at",
    "authorised_on",
    "person__given_name",
    "person__family_name",
    "referral__referral_date",
    "submitted_by__username",
    "submitted_by__first_name",
    "submitted_by__last_name",
)


def awaiting_authorisation(user: Any) -> list[Assessment]:
    """Submitted assessments for the user's team(s) about children they may see, oldest
    submission first (two queries).

    An assessment belongs to a team when the child is currently allocated to it, or when the
    worker who submitted it is a member.
    """
    teams = managed_teams(user)
    allocated = Allocation.objects.filter(
        person=OuterRef("person"), end_date__isnull=True, team__in=teams
    )
    return _awaiting(user, Exists(allocated) | Q(submitted_by__team__in=teams))


def awaiting_for_teams(
    user: Any, team_ids: Sequence[int], allocated: Sequence[int]
) -> list[Assessment]:
    """``awaiting_authorisation`` for a page that has read the user's teams (``team_ids``,
    from ``managed_teams``) and the children allocated to them now (``allocated``): the same
    assessments, without working those out again inside the query."""
    return _awaiting(
        user, Q(person_id__any_of=allocated) | Q(submitted_by__team_id__any_of=team_ids)
    )


def _awaiting(user: Any, ours: Q) -> list[Assessment]:
    submitted = list(
        Assessment.objects.filter(ours, status=Assessment.Status.SUBMITTED)
        .select_related("person", "referral", "submitted_by")
        .only(*AWAITING_FIELDS)
        .order_by("submitted_at", "id")
    )
    visible = visible_among(user, {assessment.person_id for assessment in submitted})
    return [assessment for assessment in submitted if assessment.person_id in visible]


@dataclass(frozen=True)
class NextStep:
    """What an authorised assessment's outcome asks for next, and the page that starts it."""

    text: str  # the link's words, e.g. "Start the child in need plan"
    href: str
    permission: Permission  # the permission that page declares


@dataclass(frozen=True)
class _Leads:
    """The step an outcome leads to: its link, and what the child's record holds once it is
    taken (``started(child_id, since)``)."""

    text: str
    url_name: str
    permission: Permission
    started: Callable[[int, datetime.date], QuerySet[Any]]


_LEADS_TO: dict[str, _Leads] = {
    Assessment.Outcome.CIN_PLAN: _Leads(
        "Start the child in need plan",
        "cin:plan-new",
        Permission.PLAN_RECORD,
        lambda child, since: CINPlan.objects.filter(person_id=child, start_date__gte=since),
    ),
    Assessment.Outcome.LOOKED_AFTER: _Leads(
        "Start the period of care",
        "lookedafter:start",
        Permission.CARE_RECORD,
        lambda child, since: Episode.objects.filter(person_id=child, start_date__gte=since),
    ),
    Assessment.Outcome.STRATEGY: _Leads(
        "Record the strategy discussion",
        "protection:strategy-new",
        Permission.ENQUIRY_RECORD,
        lambda child, since: StrategyDiscussion.objects.filter(
            person_id=child, held_at__date__gte=since
        ),
    ),
}


def next_step(assessment: Assessment) -> NextStep | None:
    """The plan (or enquiry, or care) an authorised assessment's outcome leads to, while the
    child's record shows none started since the assessment began; None for other outcomes.

    Reads the other apps' models only, one query at most.
    """
    leads = _LEADS_TO.get(assessment.outcome)
    if assessment.status != Assessment.Status.AUTHORISED or leads is None:
        return None
    if leads.started(assessment.person_id, assessment.start_date).exists():
        return None
    href = reverse(leads.url_name, kwargs={"person_id": assessment.person_id})
    return NextStep(leads.text, href, leads.permission)
