"""Child protection indicators: section 47 enquiries, initial conferences within 15 working
days, plans by category, plans lasting two years or more, second or later plans."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from caseline.apps.indicators.engine import Area, Context, Counted, Indicator, Kind, working_days
from caseline.apps.protection.models import (
    Conference,
    ProtectionHistory,
    ProtectionPlan,
    Section47Enquiry,
)
from caseline.apps.protection.timescales import ICPC
from caseline.apps.returns.cin_census import sources
from caseline.apps.returns.cohorts import by_reference_date
from caseline.apps.timescales.calendar import add_calendar_months

CONFERENCE_LIMIT = 15
# The DfE's bands of days from the section 47's start to the initial conference (EES C4).
BANDS = ((0, 10, "0 to 10"), (11, 15, "11 to 15"), (16, 20, "16 to 20"))
LAST_BAND = "21 or more"
# A plan that lasted "two years or more": more than 729 days from its start to its end,
# counting the day it ended (LAIT 98).
TWO_YEARS_IN_DAYS = 730
REPEAT_WITHIN_MONTHS = 24
# Review conferences: the first within 3 months of the plan's start, then at most 6 months
# apart (Working Together; DfE table D6).
FIRST_REVIEW_MONTHS = 3
LATER_REVIEW_MONTHS = 6
CIN_STATS_URL = (
    "https://explore-education-statistics.service.gov.uk/find-statistics/"
    "characteristics-of-children-in-need"
)
LAIT_URL = "https://www.gov.uk/government/publications/local-authority-interactive-tool-lait"


def band(days: int) -> str:
    for low, high, name in BANDS:
        if low <= days <= high:
            return name
    return LAST_BAND


def enquiries_by_outcome(context: Context) -> Iterator[Counted]:
    period, as_at = context.period, context.as_at
    labels = dict(Section47Enquiry.Outcome.choices)
    for enquiry in (
        Section47Enquiry.objects.filter(
            start_date__range=(period.start, period.end), person__merged_into__isnull=True
        )
        .only("id", "person_id", "start_date", "outcome", "completed_on")
        .order_by("start_date", "id")
    ):
        completed = by_reference_date(period, enquiry.completed_on)
        done = completed is not None and completed <= as_at and enquiry.outcome
        outcome = labels.get(enquiry.outcome, enquiry.outcome) if done else "Not yet completed"
        yield Counted(
            enquiry.person_id,
            True,
            (("Section 47 started", enquiry.start_date), ("Completed", completed)),
            group=str(outcome),
            what=f"Section 47 enquiry started {enquiry.start_date:%-d %B %Y}",
        )


def conferences_in_time(context: Context) -> Iterator[Counted]:
    period = context.period
    for person_id, held, started in (
        Conference.objects.filter(
            kind=Conference.Kind.INITIAL,
            enquiry__isnull=False,
            conference_date__range=(period.start, period.end),
            person__merged_into__isnull=True,
            **context.among(),
        )
        .order_by("conference_date", "id")
        .values_list("person_id", "conference_date", "enquiry__start_date")
    ):
        if held < started:
            continue  # an ICPC before its enquiry started has no duration (DfE)
        days = working_days(started, held)
        yield Counted(
            person_id,
            days <= CONFERENCE_LIMIT,
            (
                ("Section 47 started", started),
                ("Conference due", ICPC.due_date(started, context.calendar)),
                ("Conference held", held),
                ("Working days", days),
                ("Working days late", max(0, days - CONFERENCE_LIMIT)),
            ),
            group=band(days),
            what=f"Initial conference on {held:%-d %B %Y}",
        )


def _plans(context: Context, **filters: object) -> list[ProtectionPlan]:
    return list(
        ProtectionPlan.objects.filter(person__merged_into__isnull=True, **filters)
        .only("id", "person_id", "start_date", "end_date", "initial_category", "latest_category")
        .order_by("start_date", "id")
    )


def reviews_in_timescale(context: Context) -> Iterator[Counted]:
    """Children on a plan on the period's last day for 3 months or more: were all its reviews
    in time (the first within 3 months of the start, each next within 6 months of the last),
    with none overdue on that day?"""
    end = context.period.end
    plans = [
        plan
        for plan in _plans(context, start_date__lte=add_calendar_months(end, -FIRST_REVIEW_MONTHS))
        if plan.end_date is None or plan.end_date > end
    ]
    reviews: dict[int, list[datetime.date]] = {}
    for plan_id, review_date in (
        Conference.objects.filter(
            kind=Conference.Kind.REVIEW,
            plan_id__any_of=[plan.pk for plan in plans],
            conference_date__lte=end,
        )
        .order_by("conference_date", "id")
        .values_list("plan_id", "conference_date")
    ):
        if plan_id is not None:
            reviews.setdefault(plan_id, []).append(review_date)
    for plan in plans:
        held = reviews.get(plan.pk, [])
        previous, months, late = plan.start_date, FIRST_REVIEW_MONTHS, None
        for day in [*held, None]:
            due = add_calendar_months(previous, months)
            if (day is None and due < end) or (day is not None and day > due):
                late = due
                break
            if day is not None:
                previous, months = day, LATER_REVIEW_MONTHS
        yield Counted(
            plan.person_id,
            late is None,
            (
                ("Plan started", plan.start_date),
                ("Reviews held", len(held)),
                ("Latest review", held[-1] if held else None),
                ("First review late (due)", late),
            ),
            what=f"Plan started {plan.start_date:%-d %B %Y}",
        )


def plans_by_category(context: Context) -> Iterator[Counted]:
    period = context.period
    for plan in _plans(context, start_date__range=(period.start, period.end)):
        yield Counted(
            plan.person_id,
            True,
            (("Plan started", plan.start_date),),
            group=plan.initial_category or "Not recorded",
            what=f"Plan started {plan.start_date:%-d %B %Y}",
        )


def plans_two_years_at_end(context: Context) -> Iterator[Counted]:
    period = context.period
    for plan in _plans(context, end_date__range=(period.start, period.end)):
        assert plan.end_date is not None
        days = (plan.end_date - plan.start_date).days
        yield Counted(
            plan.person_id,
            days >= TWO_YEARS_IN_DAYS,
            (("Plan started", plan.start_date), ("Plan ended", plan.end_date), ("Days", days)),
            what=f"Plan started {plan.start_date:%-d %B %Y}",
        )


def _starts_with_history(
    context: Context,
) -> Iterator[tuple[ProtectionPlan, int, list[ProtectionPlan]]]:
    """Each plan started in the period, with NumberOfPreviousCPP as the CIN census gives it
    (``sources.previous_plan_counts``, one definition) and the child's earlier plans in
    Caseline."""
    period = context.period
    started = _plans(context, start_date__range=(period.start, period.end))
    children = sorted({plan.person_id for plan in started})
    history = _plans(context, person_id__any_of=children, start_date__lte=period.end)
    before = dict(
        ProtectionHistory.objects.filter(person_id__any_of=children).values_list(
            "person_id", "plans_before_caseline"
        )
    )
    counts = sources.previous_plan_counts(history, before)
    by_child: dict[int, list[ProtectionPlan]] = {}
    for plan in history:
        by_child.setdefault(plan.person_id, []).append(plan)
    for plan in started:
        earlier = [
            p for p in by_child[plan.person_id] if (p.start_date, p.pk) < (plan.start_date, plan.pk)
        ]
        yield plan, counts[plan.pk], earlier


def second_or_later_plans(context: Context) -> Iterator[Counted]:
    for plan, previous, earlier in _starts_with_history(context):
        yield Counted(
            plan.person_id,
            previous > 0,
            (
                ("Plan started", plan.start_date),
                ("Previous plans", previous),
                ("Previous plan in Caseline started", earlier[-1].start_date if earlier else None),
            ),
            what=f"Plan started {plan.start_date:%-d %B %Y}",
        )


def second_plans_within_two_years(context: Context) -> Iterator[Counted]:
    for plan, _previous, earlier in _starts_with_history(context):
        since = add_calendar_months(plan.start_date, -REPEAT_WITHIN_MONTHS)
        ended = [p.end_date for p in earlier if p.end_date is not None and p.end_date >= since]
        latest = max(ended) if ended else None
        yield Counted(
            plan.person_id,
            latest is not None,
            (
                ("Plan started", plan.start_date),
                ("Two years before", since),
                ("Previous plan ended", latest),
            ),
            what=f"Plan started {plan.start_date:%-d %B %Y}",
        )


ENQUIRIES = Indicator(
    code="CP1",
    name="Section 47 enquiries by outcome",
    area=Area.PROTECTION,
    kind=Kind.COUNT,
    definition=(
        "Section 47 enquiries started in the period (the strategy discussion at which each "
        "was started), by how they ended as at the as-at date."
    ),
    numerator="Section 47 enquiries started in the period",
    denominator="-",
    unit="enquiries",
    source="DfE CIN census (S47ActualStartDate); Characteristics of children in need, table D",
    source_url=CIN_STATS_URL,
    compute=enquiries_by_outcome,
    groups="The enquiry's outcome",
)

CONFERENCES_IN_TIME = Indicator(
    code="CP2",
    name="Initial child protection conferences within 15 working days",
    area=Area.PROTECTION,
    kind=Kind.PERCENTAGE,
    definition=(
        "Of the initial child protection conferences held in the period after a section 47 "
        "enquiry, the share held within 15 working days of the strategy discussion at which "
        "the enquiry started. Each enquiry counts separately; a conference dated before its "
        "enquiry's start, and a transfer-in conference, has no duration and is left out."
    ),
    numerator="Initial conferences held 0 to 15 working days after the section 47 started",
    denominator="Initial conferences held in the period with a duration",
    unit="initial conferences",
    source="DfE Characteristics of children in need, table C4; LG Inform metric 3217",
    source_url=CIN_STATS_URL,
    compute=conferences_in_time,
    higher_is_better=True,
    day_counting=(
        "The day the section 47 started is day 0; the conference is due on the 15th working "
        "day after it (the timescale rule icpc, the census's InitialCPCtarget), and held "
        "that day is in time. An enquiry started on a Friday has the following Monday as "
        "day 1. Weekends and England and Wales bank holidays are not working days. The Data "
        "to Insight validator's rule 8675Q (CustomBusinessDay(n=num_days-1)) is a day "
        "earlier and is not used as the reference."
    ),
    unverified=(
        "Whether the DfE's percentage includes transfer-ins is not checked (left out here, "
        "as they have no section 47 start)."
    ),
    groups="Working days from the section 47's start (the DfE's bands)",
)

PLANS_BY_CATEGORY = Indicator(
    code="CP3",
    name="Child protection plans started, by category of abuse",
    area=Area.PROTECTION,
    kind=Kind.COUNT,
    definition="Child protection plans started in the period, by their initial category.",
    numerator="Plans started in the period",
    denominator="-",
    unit="plans",
    source="DfE CIN census (CPPstartDate, InitialCategoryOfAbuse)",
    source_url=CIN_STATS_URL,
    compute=plans_by_category,
    groups="Initial category of abuse (CIN census code)",
)

PLANS_TWO_YEARS = Indicator(
    code="CP4",
    name="Plans that lasted two years or more, at their end",
    area=Area.PROTECTION,
    kind=Kind.PERCENTAGE,
    definition=(
        "Of the child protection plans that ended in the period, the share that had lasted "
        "two years or more (a child can count twice)."
    ),
    numerator="Plans ended in the period that had lasted 730 days or more",
    denominator="Plans ended in the period",
    unit="plans",
    source="DfE LAIT measure 98, KI 'CPP 2 years or more' (DOMAIN.md §2)",
    source_url=LAIT_URL,
    compute=plans_two_years_at_end,
    higher_is_better=False,
    day_counting=(
        "Calendar days from the start to the end, counting the day it ended and not the day "
        "it started; more than 729 counts. A plan from 1 April 2024 to 1 April 2026 (exactly "
        "two years, 730 days) counts; one ending a day earlier does not."
    ),
    unverified="Whether the DfE's 729 days counts the start day is not seen in its own words.",
)

SECOND_PLANS = Indicator(
    code="CP5",
    name="Second or later child protection plans",
    area=Area.PROTECTION,
    kind=Kind.PERCENTAGE,
    definition=(
        "Of the child protection plans started in the period, the share for a child who had "
        "had a plan before, however long ago (plans before Caseline included)."
    ),
    numerator="Plans started in the period with NumberOfPreviousCPP of 1 or more",
    denominator="Plans started in the period",
    unit="plans",
    source="DfE Characteristics of children in need; LG Inform metric 100 (DOMAIN.md §2)",
    source_url=CIN_STATS_URL,
    compute=second_or_later_plans,
    higher_is_better=False,
)

SECOND_PLANS_TWO_YEARS = Indicator(
    code="CP6",
    name="Second or later plans within two years of the last",
    area=Area.PROTECTION,
    kind=Kind.PERCENTAGE,
    definition=(
        "Of the child protection plans started in the period, the share for a child whose "
        "earlier plan in Caseline ended within the two years before (a local measure)."
    ),
    numerator="Plans started within 24 calendar months of the end of an earlier plan",
    denominator="Plans started in the period",
    unit="plans",
    source="Local measure (the DfE's tables no longer publish a two-year variant)",
    source_url=CIN_STATS_URL,
    compute=second_plans_within_two_years,
    higher_is_better=False,
    unverified="Plans before Caseline have no dates, so cannot count here.",
)

REVIEWS_IN_TIMESCALE = Indicator(
    code="CP7",
    name="Children on a plan whose reviews were all in timescale",
    area=Area.PROTECTION,
    kind=Kind.PERCENTAGE,
    definition=(
        "Of the children on a child protection plan on the period's last day who had been on "
        "it for 3 months or more, the share all of whose review conferences were in time: the "
        "first within 3 months of the start, each later one within 6 months of the one before, "
        "and none overdue on that day."
    ),
    numerator="Plans with every review in time and none overdue",
    denominator="Plans open on the last day that started 3 months or more before it",
    unit="plans",
    source="DfE Characteristics of children in need, table D6; LAIT measure 19",
    source_url=CIN_STATS_URL,
    compute=reviews_in_timescale,
    higher_is_better=True,
    at_period_end=True,
    day_counting=(
        "Calendar months, clamped to the end of a short month (31 August + 6 months is 28 or "
        "29 February); a review on its due date is in time."
    ),
    unverified="The DfE's month arithmetic, and whether it counts a review overdue on 31 March.",
)

INDICATORS = (
    ENQUIRIES,
    CONFERENCES_IN_TIME,
    PLANS_BY_CATEGORY,
    PLANS_TWO_YEARS,
    SECOND_PLANS,
    SECOND_PLANS_TWO_YEARS,
    REVIEWS_IN_TIMESCALE,
)
