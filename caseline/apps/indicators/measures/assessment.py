"""Assessment indicators: authorised within 45 working days (the DfE's duration and bands),
assessments open past 45 working days on the as-at date, and assessments that led to a plan."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Q

from caseline.apps.assessments.models import Assessment
from caseline.apps.cin.models import CINPlan
from caseline.apps.indicators.engine import Area, Context, Counted, Indicator, Kind, working_days
from caseline.apps.lookedafter.models import STARTED, Episode
from caseline.apps.protection.models import ProtectionPlan

ASSESSMENT_LIMIT = 45
# The DfE's bands of assessment duration in working days (EES table C2, LAIT 304).
BANDS = (
    (0, 0, "0 (same day)"),
    (1, 10, "1 to 10"),
    (11, 20, "11 to 20"),
    (21, 30, "21 to 30"),
    (31, 40, "31 to 40"),
    (41, 45, "41 to 45"),
    (46, 50, "46 to 50"),
    (51, 60, "51 to 60"),
)
LAST_BAND = "61 or more"
CIN_STATS_URL = (
    "https://explore-education-statistics.service.gov.uk/find-statistics/"
    "characteristics-of-children-in-need"
)
DAY_COUNTING = (
    "Working days from the assessment's start (AssessmentActualStartDate) to its "
    "authorisation (AssessmentAuthorisationDate), the start day being day 0: authorised the "
    "same day is 0 working days, and 'within 45' is 0 to 45. Weekends and England and Wales "
    "bank holidays are not working days. The DfE's published bands (same day, 1-10, ..., "
    "41-45, 46-50, ...) put 45 inside the timescale, which agrees with day 0; the Data to "
    "Insight CIN validator's CustomBusinessDay(n=num_days-1) would treat day 45 as late, "
    "so it is not used as the reference."
)


def band(days: int) -> str:
    """The DfE's duration band for ``days`` working days."""
    for low, high, name in BANDS:
        if low <= days <= high:
            return name
    return LAST_BAND


def authorised_in_time(context: Context) -> Iterator[Counted]:
    period = context.period
    for person_id, started, authorised in (
        Assessment.objects.filter(
            authorised_on__range=(period.start, period.end),
            person__merged_into__isnull=True,
            **context.among(),
        )
        .order_by("authorised_on", "id")
        .values_list("person_id", "start_date", "authorised_on")
    ):
        days = working_days(started, authorised)
        yield Counted(
            person_id,
            days <= ASSESSMENT_LIMIT,
            (
                ("Assessment started", started),
                ("Authorised", authorised),
                ("Working days", days),
            ),
            group=band(days),
            what=f"Assessment started {started:%-d %B %Y}",
        )


def open_past_limit(context: Context) -> Iterator[Counted]:
    as_at = context.as_at
    for assessment in (
        Assessment.objects.filter(start_date__lte=as_at, person__merged_into__isnull=True)
        .filter(Q(authorised_on__isnull=True) | Q(authorised_on__gt=as_at))
        .exclude(referral__closed_on__lte=as_at)
        .only("id", "person_id", "start_date")
        .order_by("start_date", "id")
    ):
        days = working_days(assessment.start_date, as_at)
        yield Counted(
            assessment.person_id,
            days > ASSESSMENT_LIMIT,
            (
                ("Assessment started", assessment.start_date),
                ("45th working day", context.calendar.add_working_days(assessment.start_date, 45)),
                ("Working days open", days),
            ),
            group=band(days),
            what=f"Assessment started {assessment.start_date:%-d %B %Y}",
        )


AUTHORISED_IN_TIME = Indicator(
    code="AS1",
    name="Assessments authorised within 45 working days",
    area=Area.ASSESSMENT,
    kind=Kind.PERCENTAGE,
    definition=(
        "Of the assessments authorised in the period, the share authorised within 45 working "
        "days of their start, with the DfE's bands of duration. Measured from the "
        "assessment's start to its authorisation, not from the referral."
    ),
    numerator="Assessments authorised 0 to 45 working days after they started",
    denominator="Assessments authorised in the period",
    unit="assessments",
    source="DfE Characteristics of children in need, table C2; LAIT measure 304 (DOMAIN.md §2)",
    source_url=CIN_STATS_URL,
    compute=authorised_in_time,
    higher_is_better=True,
    day_counting=DAY_COUNTING,
    unverified=(
        "That the DfE excludes bank holidays (taken as England and Wales) is not seen in its "
        "own words. Caseline's due date on a child's record runs 45 working days from the "
        "referral (Working Together); this measure, like the DfE's, runs from the start."
    ),
    groups="Working days from start to authorisation (the DfE's bands)",
)

OPEN_PAST_LIMIT = Indicator(
    code="AS2",
    name="Assessments open past 45 working days",
    area=Area.ASSESSMENT,
    kind=Kind.PERCENTAGE,
    definition=(
        "Of the assessments open on the as-at date (started, not authorised, their referral "
        "not closed), the share that have been open more than 45 working days since they "
        "started."
    ),
    numerator="Open assessments more than 45 working days after their start",
    denominator="Assessments open on the as-at date",
    unit="assessments",
    source="DfE assessment duration (table C2), applied to open assessments (a local measure)",
    source_url=CIN_STATS_URL,
    compute=open_past_limit,
    higher_is_better=False,
    day_counting=DAY_COUNTING,
    unverified="Not a DfE measure: the DfE counts only authorised assessments.",
    groups="Working days open so far",
)

PlanStarts = dict[int, list[tuple[datetime.date, str]]]


def _plan_starts(ids: list[int], as_at: datetime.date) -> PlanStarts:
    """Each child's plan starts up to ``as_at``: child in need plans, child protection plans
    and periods of care (an episode with reason S), with what they were."""
    starts: PlanStarts = {}
    found = (
        (
            CINPlan.objects.filter(person_id__any_of=ids, start_date__lte=as_at),
            "Child in need plan",
        ),
        (
            ProtectionPlan.objects.filter(person_id__any_of=ids, start_date__lte=as_at),
            "Child protection plan",
        ),
        (
            Episode.objects.filter(
                person_id__any_of=ids, start_date__lte=as_at, reason_new_episode=STARTED
            ),
            "Looked after",
        ),
    )
    for query, name in found:
        for person_id, day in query.values_list("person_id", "start_date"):
            starts.setdefault(person_id, []).append((day, name))
    return starts


def assessment_to_plan(context: Context) -> Iterator[Counted]:
    """Assessments authorised in the period: did a plan start from the assessment's start to
    the as-at date, before the child in need episode closed?"""
    period, as_at = context.period, context.as_at
    assessments = list(
        Assessment.objects.filter(
            authorised_on__range=(period.start, period.end),
            person__merged_into__isnull=True,
            **context.among(),
        )
        .order_by("authorised_on", "id")
        .values_list("person_id", "start_date", "authorised_on", "referral__closed_on")
    )
    starts = _plan_starts(sorted({row[0] for row in assessments}), as_at)
    for person_id, started, authorised, closed in assessments:
        plans = sorted(
            (day, name)
            for day, name in starts.get(person_id, [])
            if started <= day and (closed is None or day <= closed)
        )
        first = plans[0] if plans else None
        yield Counted(
            person_id,
            first is not None,
            (
                ("Assessment started", started),
                ("Authorised", authorised),
                ("Plan started", first[0] if first else None),
                ("Plan", first[1] if first else None),
            ),
            group=first[1] if first else "No plan",
            what=f"Assessment authorised {authorised:%-d %B %Y}",
        )


ASSESSMENT_TO_PLAN = Indicator(
    code="AS3",
    name="Assessments that led to a plan",
    area=Area.ASSESSMENT,
    kind=Kind.PERCENTAGE,
    definition=(
        "Of the assessments authorised in the period, the share after which a plan started by "
        "the as-at date: a child in need plan, a child protection plan or a period of care, "
        "starting on or after the assessment's start and before the child in need episode "
        "closed (a local conversion rate)."
    ),
    numerator="Assessments followed by a child in need plan, a child protection plan or care",
    denominator="Assessments authorised in the period",
    unit="assessments",
    source=(
        "DfE CIN census (AssessmentAuthorisationDate, CINPlanStartDate, CPPstartDate) and "
        "SSDA903 (DECOM, RNE S); a local measure of the front door's conversion"
    ),
    source_url=CIN_STATS_URL,
    compute=assessment_to_plan,
    groups="The first plan that followed",
    unverified=(
        "Not a DfE measure: no published method to check against. A plan that started after "
        "the assessment began but before it was authorised counts as following it."
    ),
)

INDICATORS = (AUTHORISED_IN_TIME, OPEN_PAST_LIMIT, ASSESSMENT_TO_PLAN)
