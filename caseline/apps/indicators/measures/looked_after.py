"""Children looked after: starting and ceasing by legal status and age, placement stability,
the OC2 health measures and the care leavers' measures.

What the SSDA903 holds is read as the return reads it: the children and records from
``returns.ssda903.records`` (``children_in_return``, ``load_batch``) for the 12 months ending
on the period's last day, the OC2 and OC3 cohorts from ``returns.cohorts``, and each OC2 and
OC3 item from ``returns.ssda903.rows``. One definition: an indicator for a collection year is
what the DfE would compute from that year's SSDA903 as Caseline exports it.
"""

from __future__ import annotations

import bisect
import datetime
import functools
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from caseline.apps.indicators.engine import Area, Context, Counted, Detail, Indicator, Kind
from caseline.apps.indicators.periods import Period
from caseline.apps.lookedafter import derive
from caseline.apps.lookedafter.models import (
    SHORT_BREAK_STATUSES,
    EarlierReviewRequest,
    Episode,
    LACReview,
    LACVisit,
    MissingEpisode,
    PathwayPlan,
)
from caseline.apps.people.models import Person
from caseline.apps.returns import cohorts
from caseline.apps.returns.ssda903 import rows
from caseline.apps.returns.ssda903.records import (
    ChildRecords,
    batches,
    children_in_return,
    load_batch,
)
from caseline.apps.timescales.calendar import add_calendar_months
from caseline.apps.timescales.rules import TimelinessStatus

CLA_STATS_URL = (
    "https://explore-education-statistics.service.gov.uk/find-statistics/"
    "children-looked-after-in-england-including-adoptions"
)
LAIT_URL = "https://www.gov.uk/government/publications/local-authority-interactive-tool-lait"
# The DfE's age groups for children starting and ceasing to be looked after.
AGE_GROUPS = ((0, 0, "Under 1"), (1, 4, "1 to 4"), (5, 9, "5 to 9"), (10, 15, "10 to 15"))
OLDEST_GROUP = "16 and over"
# Placed for adoption with the child's current foster carers (903 PLACE A3, A5): not a new
# placement for the stability measure (LAIT 372).
ADOPTION_WITH_CURRENT_CARERS = frozenset({"A3", "A5"})
PLACED_FOR_ADOPTION = frozenset({"A3", "A4", "A5", "A6"})
STABLE_PLACEMENTS = 3
LONG_TERM_CARE_MONTHS = 30
LONG_TERM_PLACEMENT_MONTHS = 24
LONG_TERM_UNDER_AGE = 16
# Care leavers: activities that are education, employment or training (903 ACTIV), and
# accommodation letters that leave the accommodation denominator (gone abroad, deported,
# residence not known), DOMAIN.md §2 "Care leavers".
EET = frozenset({"F1", "P1", "F2", "P2", "F3", "P3", "F4", "P4", "F5", "P5"})
ACCOMMODATION_NOT_JUDGED = frozenset({"G", "H", "R"})
AGE_BANDS = {"17 to 18": (17, 18), "19 to 21": (19, 20, 21)}
FAR_MILES = 20
# Ages at which a young person may need a pathway plan (``derive.care_leaver_status``).
PATHWAY_FROM_AGE = 16
PATHWAY_TO_AGE = 25
MISSING_FIELDS = (
    "id",
    "person_id",
    "missing_type",
    "start_date",
    "end_date",
    "return_interview_offered",
)
# SDQ: published for children in the OC2 cohort aged 5 to 16 at 31 March, in bands of the
# total difficulties score (DOMAIN.md §2 "SDQ").
SDQ_AGES = (5, 16)
SDQ_BANDS = (
    (0, 13, "0 to 13 (normal)"),
    (14, 16, "14 to 16 (borderline)"),
    (17, 40, "17 to 40 (cause for concern)"),
)


def age_group(age: int | None) -> str:
    if age is None:
        return "Age not known"
    for low, high, name in AGE_GROUPS:
        if low <= age <= high:
            return name
    return OLDEST_GROUP


# --- Every child's care, read once ------------------------------------------------------------


@dataclass(frozen=True)
class CareHistory:
    """Every episode that began by the as-at date, by child (oldest first), and those
    children's dates of birth and death: read once for every indicator that looks at a
    child's care as a whole (starting and ceasing, stages, participation, pathway plans)."""

    episodes: dict[int, list[Episode]]
    people: dict[int, Person]


def care_history(context: Context) -> CareHistory:
    """The :class:`CareHistory` as at the context's date (two queries)."""

    def load() -> CareHistory:
        episodes: dict[int, list[Episode]] = defaultdict(list)
        for episode in Episode.objects.filter(
            start_date__lte=context.as_at, person__merged_into__isnull=True
        ).order_by("person_id", "start_date", "id"):
            episodes[episode.person_id].append(episode)
        people = Person.objects.only("id", "date_of_birth", "date_of_death").in_bulk(list(episodes))
        return CareHistory(dict(episodes), people)

    value = context.shared("care-history", load)
    assert isinstance(value, CareHistory)
    return value


def begun_by(episodes: list[Episode], day: datetime.date) -> list[Episode]:
    """Those of a child's episodes (oldest first) that began on or before ``day``."""
    return [e for e in episodes if e.start_date <= day]


# --- Starting and ceasing -------------------------------------------------------------------


def _periods_touching(context: Context) -> list[tuple[Person, list[derive.PeriodOfCare]]]:
    """Children with an episode starting or ending in the period, with their periods of care
    up to its end (read once for starting and ceasing)."""

    def load() -> list[tuple[Person, list[derive.PeriodOfCare]]]:
        period, history = context.period, care_history(context)
        found: list[tuple[Person, list[derive.PeriodOfCare]]] = []
        for pk, episodes in history.episodes.items():
            before_end = begun_by(episodes, period.end)
            if any(
                e.start_date in period or (e.end_date is not None and e.end_date in period)
                for e in before_end
            ):
                found.append((history.people[pk], derive.periods_of_care(before_end)))
        return found

    value = context.shared("periods-touching", load)
    assert isinstance(value, list)
    return value


def started(context: Context) -> Iterator[Counted]:
    for person, periods in _periods_touching(context):
        for care in periods:
            if care.start_date in context.period and not care.is_short_breaks:
                first = care.episodes[0]
                yield Counted(
                    person.pk,
                    True,
                    (
                        ("Started to be looked after", care.start_date),
                        ("Legal status", first.legal_status),
                    ),
                    group=f"{first.legal_status}, {age_group(person.age_on(care.start_date))}",
                )


def ceased(context: Context) -> Iterator[Counted]:
    for person, periods in _periods_touching(context):
        for care in periods:
            end = care.end_date
            if end is not None and end in context.period and not care.is_short_breaks:
                last = care.current
                yield Counted(
                    person.pk,
                    True,
                    (("Ceased to be looked after", end), ("Reason", last.reason_episode_ceased)),
                    group=f"{last.legal_status}, {age_group(person.age_on(end))}",
                )


# --- What the SSDA903 reads, for the 12 months to the period's end ----------------------------

# The kinds of the return's records the indicators read (``rows``' health, care leavers',
# UASC, social worker and adoption items): the rest (reviews, addresses, referrals and so on)
# are not read for them, and the episodes are taken from the care history already read.
READ_FROM_THE_RETURN = frozenset(
    {"health", "contacts", "uasc", "allocations", "adoption_decisions"}
)


class YearChild:
    """One of the SSDA903's children for the 12 months, with the cohorts the indicators ask
    about decided by ``returns.cohorts`` (as the return decides them) once for every
    indicator, not once for each."""

    def __init__(self, records: ChildRecords, year: Period) -> None:
        self.records = records
        self.person = records.person
        self.episodes = records.episodes
        self.year = year

    @functools.cached_property
    def periods(self) -> list[derive.PeriodOfCare]:
        return derive.periods_of_care(self.episodes)

    @functools.cached_property
    def looked_after_at_end(self) -> derive.PeriodOfCare | None:
        """The period of care the child was in at the end of the year's last day (the
        returns' "looked after at 31 March")."""
        return cohorts.looked_after_at_end_of(self.episodes, self.year.end)

    @functools.cached_property
    def continuously_looked_after(self) -> bool:
        """In the OC2 cohort."""
        return cohorts.continuously_looked_after(self.episodes, self.year)

    @functools.cached_property
    def in_year(self) -> bool:
        """With an episode open at some time in the year."""
        return bool(cohorts.episodes_in_year(self.episodes, self.year))

    @functools.cached_property
    def care_leaver(self) -> cohorts.CareLeaverBirthday | None:
        """The OC3 birthday in the year, if in the OC3 cohort."""
        return cohorts.care_leaver_birthday(self.person, self.episodes, self.year)


def year_records(context: Context) -> tuple[Period, list[YearChild]]:
    """The SSDA903's children and records for the 12 months ending on the period's last day,
    read once for every indicator that needs them."""

    def load() -> tuple[Period, list[YearChild]]:
        year, history = context.period.twelve_months_to_end, care_history(context)
        ids = children_in_return(year)
        found: list[YearChild] = []
        for batch in batches(ids):
            for child in load_batch(batch, year, READ_FROM_THE_RETURN):
                episodes = begun_by(history.episodes.get(child.person.pk, []), year.end)
                found.append(YearChild(replace(child, episodes=episodes), year))
        return year, found

    value = context.shared("ssda903-year", load)
    assert isinstance(value, tuple)
    return value


def _placements_in(care: derive.PeriodOfCare, year: Period) -> list[derive.Placement]:
    """The placements of a period of care that count for stability in ``year``: open on some
    day of it, lasting a day or more (24 hours), not a short break, and not the move to
    adoption with the current foster carers."""
    counted: list[derive.Placement] = []
    for placement in care.placements:
        first = placement.episodes[0]
        if not cohorts.overlaps(placement.start_date, placement.end_date, year):
            continue
        if placement.end_date is not None and placement.end_date <= placement.start_date:
            continue
        if first.legal_status in SHORT_BREAK_STATUSES:
            continue
        if counted and first.placement_type in ADOPTION_WITH_CURRENT_CARERS:
            continue
        counted.append(placement)
    return counted


def three_or_more_placements(context: Context) -> Iterator[Counted]:
    year, children = year_records(context)
    for child in children:
        if child.looked_after_at_end is None:
            continue
        placements = [
            p
            for care in child.periods
            if not care.is_short_breaks
            for p in _placements_in(care, year)
        ]
        starts = [p.start_date for p in placements]
        yield Counted(
            child.person.pk,
            len(placements) >= STABLE_PLACEMENTS,
            (
                ("Looked after on", year.end),
                ("Placements in the year", len(placements)),
                *((f"Placement {n} began", day) for n, day in enumerate(starts, start=1)),
            ),
        )


def long_term_stability(context: Context) -> Iterator[Counted]:
    year, children = year_records(context)
    care_since = add_calendar_months(year.end, -LONG_TERM_CARE_MONTHS)
    placed_since = add_calendar_months(year.end, -LONG_TERM_PLACEMENT_MONTHS)
    for child in children:
        care = child.looked_after_at_end
        age = child.person.age_on(year.end)
        if care is None or age is None or age >= LONG_TERM_UNDER_AGE:
            continue
        if care.start_date > care_since:
            continue
        placements = care.placements
        current = placements[-1]
        stable_from = current.start_date
        if current.episodes[0].placement_type in PLACED_FOR_ADOPTION and len(placements) > 1:
            stable_from = placements[-2].start_date  # adoptive plus the placement before
        yield Counted(
            child.person.pk,
            stable_from <= placed_since,
            (
                ("Looked after since", care.start_date),
                ("In this placement since", stable_from),
                ("Two years before the year end", placed_since),
            ),
        )


def distance_and_area(measure: str) -> Callable[[Context], Iterator[Counted]]:
    """Children looked after on the last day placed more than 20 miles from home ("miles"),
    or outside the authority's area ("area"), by their current placement."""

    def compute(context: Context) -> Iterator[Counted]:
        year, children = year_records(context)
        for child in children:
            care = child.looked_after_at_end
            if care is None:
                continue
            current = care.current
            shown: tuple[str, Detail]
            if measure == "miles":
                if current.distance_from_home is None:
                    continue  # not recorded: left out, as the DfE leaves out unknown distances
                met = current.distance_from_home > FAR_MILES
                shown = ("Miles from home", str(current.distance_from_home))
            else:
                if not current.area:
                    continue
                met = current.area == Episode.Area.OUT
                shown = ("Placed", current.area)
            yield Counted(
                child.person.pk,
                met,
                (
                    ("Looked after on", year.end),
                    ("In this placement since", current.start_date),
                    shown,
                ),
            )

    return compute


def missing_return_interviews(context: Context) -> Iterator[Counted]:
    """Missing episodes that ended in the period, by whether a return interview was offered."""
    period = context.period
    for episode in (
        MissingEpisode.objects.filter(
            end_date__range=(period.start, period.end), person__merged_into__isnull=True
        )
        .only(*MISSING_FIELDS)
        .order_by("end_date", "id")
    ):
        yield Counted(
            episode.person_id,
            bool(episode.return_interview_offered),
            (
                ("Missing from", episode.start_date),
                ("Returned", episode.end_date),
                ("Interview offered", "Yes" if episode.return_interview_offered else "No"),
            ),
            group="Missing" if episode.missing_type == "M" else "Away without authorisation",
            what=f"Missing from {episode.start_date:%-d %B %Y}",
        )


def _sdq_band(score: int) -> str:
    for low, high, name in SDQ_BANDS:
        if low <= score <= high:
            return name
    return SDQ_BANDS[-1][2]


def sdq_scores(context: Context) -> Iterator[Counted]:
    year, children = year_records(context)
    for child in children:
        age = child.person.age_on(year.end)
        if age is None or not SDQ_AGES[0] <= age <= SDQ_AGES[1]:
            continue
        if not child.continuously_looked_after:
            continue
        score, reason = rows.sdq(child.records, year)
        yield Counted(
            child.person.pk,
            score != "",
            (("Age on the last day", age), ("SDQ score", score or None), ("Why none", reason)),
            group=_sdq_band(int(score)) if score else "No score",
        )


def _oc2(
    check: Callable[[ChildRecords, Period], bool | None], what: str
) -> Callable[[Context], Iterator[Counted]]:
    """An OC2 measure: ``check`` says whether a child in the OC2 cohort meets it (None: not
    asked of this child)."""

    def compute(context: Context) -> Iterator[Counted]:
        year, children = year_records(context)
        for child in children:
            if not child.continuously_looked_after:
                continue
            met = check(child.records, year)
            if met is None:
                continue
            dates = [h.event_date for h in child.records.health if h.kind in _KINDS[what]]
            yield Counted(
                child.person.pk,
                met,
                (
                    ("Looked after continuously for 12 months to", year.end),
                    *((what, day) for day in dates),
                ),
            )

    return compute


_KINDS = {
    "Health assessment": rows.HEALTH_ASSESSMENTS,
    "Immunisations checked": frozenset({"immunisations"}),
    "Dental check": frozenset({"dental"}),
    "Development check": frozenset({"development"}),
}


def _under_five(child: ChildRecords, year: Period) -> bool:
    age = child.person.age_on(year.end)
    return age is not None and age < rows.HEALTH_CHECK_BELOW_AGE


OC2_CHECKS: dict[str, Callable[[ChildRecords, Period], bool | None]] = {
    "Health assessment": lambda c, y: rows.health_assessment(c, y) == "1",
    "Immunisations checked": lambda c, y: rows.immunisations(c) == "1",
    "Dental check": lambda c, y: rows.teeth_check(c) == "1",
    "Development check": lambda c, y: rows.health_check(c, y) == "1" if _under_five(c, y) else None,
}


def _care_leavers(measure: str, band: str) -> Callable[[Context], Iterator[Counted]]:
    """A care leavers' measure for one age group (the OC3 cohort, ``cohorts``)."""
    ages = AGE_BANDS[band]

    def compute(context: Context) -> Iterator[Counted]:
        _, children = year_records(context)
        for child in children:
            leaver = child.care_leaver
            if leaver is None or leaver.age not in ages:
                continue
            contact = rows.birthday_contact(child.records.contacts, leaver.birthday)
            in_touch = contact is not None and contact.in_touch == "YES"
            if measure == "touch":
                met = in_touch
            elif measure == "eet":
                met = in_touch and contact is not None and contact.activity in EET
            else:
                if (
                    in_touch
                    and contact is not None
                    and contact.accommodation in ACCOMMODATION_NOT_JUDGED
                ):
                    continue
                met = in_touch and contact is not None and bool(contact.accommodation_suitable)
            yield Counted(
                child.person.pk,
                met,
                (
                    (f"{leaver.age}th birthday", leaver.birthday),
                    ("Contact around the birthday", contact.contact_date if contact else None),
                    ("In touch", contact.in_touch if contact else ""),
                    ("Activity", contact.activity if contact else ""),
                    ("Accommodation", contact.accom_code if contact else ""),
                ),
                group=f"Aged {leaver.age}",
            )

    return compute


STARTED = Indicator(
    code="LA1",
    name="Children starting to be looked after, by legal status and age",
    area=Area.LOOKED_AFTER,
    reads_care=True,
    kind=Kind.COUNT,
    definition=(
        "Periods of care that began in the period (not a series of short breaks), by the "
        "legal status they began with and the child's age that day."
    ),
    numerator="Periods of care started in the period",
    denominator="-",
    unit="periods of care",
    source="DfE Children looked after in England, table A (starting); SSDA903 episodes",
    source_url=CLA_STATS_URL,
    compute=started,
    groups="Legal status (903 LS) and age group",
    unverified="The DfE counts children; a child starting twice in the period counts twice here.",
)

CEASED = Indicator(
    code="LA2",
    name="Children ceasing to be looked after, by legal status and age",
    area=Area.LOOKED_AFTER,
    reads_care=True,
    kind=Kind.COUNT,
    definition=(
        "Periods of care that ended in the period (not a series of short breaks), by the "
        "legal status at the end and the child's age that day."
    ),
    numerator="Periods of care ended in the period",
    denominator="-",
    unit="periods of care",
    source="DfE Children looked after in England, table A (ceasing); SSDA903 episodes",
    source_url=CLA_STATS_URL,
    compute=ceased,
    groups="Legal status (903 LS) and age group",
    unverified="The DfE counts children; a child ceasing twice in the period counts twice here.",
)

THREE_PLACEMENTS = Indicator(
    code="LA3",
    name="Placement stability: three or more placements in the year",
    area=Area.LOOKED_AFTER,
    reads_care=True,
    kind=Kind.PERCENTAGE,
    definition=(
        "Of the children looked after on the period's last day (31 March for a collection "
        "year), the share with three or more placements during the 12 months to it, "
        "counting the placements open at its start and its end. A placement of less than a "
        "day, a short break, and a move to adoption with the current foster carers are not "
        "placements; children under a series of short breaks are left out."
    ),
    numerator="Children with 3 or more placements in the 12 months",
    denominator="Children looked after on the last day",
    unit="children",
    source="DfE LAIT measure 372; Children looked after in England, placement stability",
    source_url=LAIT_URL,
    compute=three_or_more_placements,
    higher_is_better=False,
    at_period_end=True,
    unverified="Temporary placements (903 T0 to T4) and missing spells count as placements here.",
)

LONG_TERM = Indicator(
    code="LA4",
    name="Placement stability: long term",
    area=Area.LOOKED_AFTER,
    reads_care=True,
    kind=Kind.PERCENTAGE,
    definition=(
        "Of the children under 16 looked after on the period's last day who had been looked "
        "after continuously for two and a half years or more, the share in the same "
        "placement for two years or more (or placed for adoption, the adoptive and the "
        "previous placement together two years or more)."
    ),
    numerator="Children in the same placement for 24 calendar months or more",
    denominator="Children under 16 looked after continuously for 30 calendar months or more",
    unit="children",
    source="DfE LAIT, long-term placement stability (DOMAIN.md §2)",
    source_url=LAIT_URL,
    compute=long_term_stability,
    higher_is_better=True,
    at_period_end=True,
    day_counting="Calendar months back from the last day, clamped to the end of a short month.",
    unverified=(
        "Same carer is taken as same placement (a change of legal status alone is not a move)."
    ),
)


FAR_FROM_HOME = Indicator(
    code="LA5",
    name="Children placed more than 20 miles from home",
    area=Area.LOOKED_AFTER,
    reads_care=True,
    kind=Kind.PERCENTAGE,
    definition=(
        "Of the children looked after on the period's last day whose placement's distance "
        "from home is recorded, the share placed more than 20 miles away."
    ),
    numerator="Children whose current placement is more than 20 miles from home",
    denominator="Children looked after on the last day with the distance recorded",
    unit="children",
    source="DfE Children looked after in England, placements by distance (SSDA903 PL_DISTANCE)",
    source_url=CLA_STATS_URL,
    compute=distance_and_area("miles"),
    higher_is_better=False,
    at_period_end=True,
    unverified=(
        "The distance is the worker's figure in miles; the DfE derives it from the home and "
        "placement postcodes."
    ),
)

OUT_OF_AREA = Indicator(
    code="LA6",
    name="Children placed outside the authority's area",
    area=Area.LOOKED_AFTER,
    reads_care=True,
    kind=Kind.PERCENTAGE,
    definition=(
        "Of the children looked after on the period's last day whose placement location is "
        "recorded, the share placed outside the authority's area."
    ),
    numerator="Children whose current placement is outside the area (PL_LOCATION OUT)",
    denominator="Children looked after on the last day with the location recorded",
    unit="children",
    source="DfE Children looked after in England, placements inside and outside the LA",
    source_url=CLA_STATS_URL,
    compute=distance_and_area("area"),
    higher_is_better=False,
    at_period_end=True,
)

RETURN_INTERVIEWS = Indicator(
    code="LA7",
    name="Missing episodes with a return interview offered",
    area=Area.LOOKED_AFTER,
    reads_care=True,
    kind=Kind.PERCENTAGE,
    definition=(
        "Of the missing and away-without-authorisation episodes that ended in the period, the "
        "share after which the child was offered a return interview (a local measure)."
    ),
    numerator="Episodes ended in the period with a return interview offered",
    denominator="Missing or away episodes ended in the period",
    unit="missing episodes",
    source=(
        "Statutory guidance on children who run away or go missing from home or care (2014); "
        "Ofsted Annex A list 8"
    ),
    source_url="https://www.gov.uk/government/publications/children-who-run-away-or-go-missing-from-home-or-care",
    compute=missing_return_interviews,
    higher_is_better=True,
    groups="Missing or away",
    unverified="Not a DfE measure; the 72-hour timing of the interview is not checked.",
)

SDQ = Indicator(
    code="HE5",
    name="SDQ scores, and their bands",
    area=Area.HEALTH,
    reads_care=True,
    kind=Kind.PERCENTAGE,
    definition=(
        "Of the children in the OC2 cohort aged 5 to 16 on the period's last day, the share "
        "with a strengths and difficulties questionnaire score (the latest in the 12 months), "
        "grouped by the DfE's bands of the score."
    ),
    numerator="Children with an SDQ score in the 12 months",
    denominator="Children in the OC2 cohort aged 5 to 16 on the last day",
    unit="children",
    source="DfE SSDA903 OC2 SDQ_SCORE; LAIT; LG Inform metric 2135 (DOMAIN.md §2)",
    source_url=CLA_STATS_URL,
    compute=sdq_scores,
    higher_is_better=True,
    at_period_end=True,
    groups="SDQ band (0-13 normal, 14-16 borderline, 17-40 cause for concern)",
)


def _oc2_indicator(code: str, what: str, name: str, definition: str) -> Indicator:
    return Indicator(
        code=code,
        name=name,
        area=Area.HEALTH,
        reads_care=True,
        kind=Kind.PERCENTAGE,
        definition=definition
        + " The cohort is the OC2's: looked after continuously for 12 months at the period's "
        "last day, short-break series left out.",
        numerator=f"Children in the OC2 cohort with: {what.lower()}",
        denominator="Children looked after continuously for 12 months at the last day",
        unit="children",
        source="DfE SSDA903 OC2; LAIT; 903 validation rules 545, 546 (DOMAIN.md §2)",
        source_url=CLA_STATS_URL,
        compute=_oc2(OC2_CHECKS[what], what),
        higher_is_better=True,
        at_period_end=True,
    )


OC2_INDICATORS = (
    _oc2_indicator(
        "HE1",
        "Health assessment",
        "Health assessments up to date",
        "Children whose health assessments in the 12 months were done: one for a child of 5 "
        "or over, two for a younger child (refusals count as not done).",
    ),
    _oc2_indicator(
        "HE2",
        "Immunisations checked",
        "Immunisations up to date",
        "Children whose latest immunisations check in the 12 months found them up to date.",
    ),
    _oc2_indicator(
        "HE3",
        "Dental check",
        "Teeth checked by a dentist",
        "Children with a dental check in the 12 months (refusals count as not done).",
    ),
    _oc2_indicator(
        "HE4",
        "Development check",
        "Development checks for children under 5",
        "Children under 5 at the last day with a development check in the 12 months.",
    ),
)

_CL_WORDS = {
    "touch": ("in touch", "In touch with the authority around their birthday"),
    "eet": (
        "in education, employment or training",
        "In touch and in education, employment or training (ACTIV F1-F5, P1-P5)",
    ),
    "accom": (
        "in suitable accommodation",
        "In touch and in accommodation judged suitable (ACCOM suffix 1)",
    ),
}


def _care_leaver_indicator(code: str, measure: str, band: str) -> Indicator:
    short, numerator = _CL_WORDS[measure]
    left_care = " who left care before the birthday" if band == "17 to 18" else ""
    denominator = f"Care leavers aged {band} at a birthday in the 12 months{left_care}"
    if measure == "accom":
        denominator += ", less those gone abroad, deported or whose residence is not known"
    return Indicator(
        code=code,
        name=f"Care leavers aged {band} {short}",
        area=Area.CARE_LEAVERS,
        reads_care=True,
        kind=Kind.PERCENTAGE,
        definition=(
            f"Of the care leavers in the OC3 cohort aged {band} (their birthday in the 12 "
            "months to the period's last day), the share "
            f"{short}, from the keeping-in-touch contact around the birthday. Those not in "
            "touch, who refused contact or no longer need services stay in the denominator."
        ),
        numerator=numerator,
        denominator=denominator,
        unit="care leavers",
        source="DfE SSDA903 OC3; LAIT care leaver measures (DOMAIN.md §2)",
        source_url=CLA_STATS_URL,
        compute=_care_leavers(measure, band),
        higher_is_better=True,
        at_period_end=True,
        groups="Age at the birthday",
        unverified=(
            "Suitability is as recorded (ACCOM suffix 1 or 2); the 903 guide's meaning of "
            "each accommodation letter is not checked here."
        ),
    )


CARE_LEAVER_INDICATORS = tuple(
    _care_leaver_indicator(f"CL{n}", measure, band)
    for n, (band, measure) in enumerate(
        ((b, m) for b in ("19 to 21", "17 to 18") for m in ("touch", "eet", "accom")), start=1
    )
)

INDICATORS: tuple[Indicator, ...] = (
    STARTED,
    CEASED,
    THREE_PLACEMENTS,
    LONG_TERM,
    FAR_FROM_HOME,
    OUT_OF_AREA,
    RETURN_INTERVIEWS,
    *OC2_INDICATORS,
    SDQ,
    *CARE_LEAVER_INDICATORS,
)


# --- Reviews and visits in timescale, UASC, pathway plans -----------------------------------


@dataclass(frozen=True)
class CareWork:
    """A child looked after on the period's last day, with their reviews, the days of the
    visits at which they were seen, and the IRO's requests for an earlier review, up to it."""

    child: YearChild
    care: derive.PeriodOfCare
    reviews: list[LACReview]
    seen: list[datetime.date]
    requests: list[derive.ReviewRequest]


def care_work(context: Context) -> list[CareWork]:
    """The children looked after on the period's last day (the returns' "looked after at 31
    March") with what the review and visit timescales read: three queries, read once."""

    def load() -> list[CareWork]:
        year, children = year_records(context)
        looked_after = {
            child.person.pk: (child, care)
            for child in children
            if (care := child.looked_after_at_end) is not None
        }
        ids = sorted(looked_after)
        reviews: dict[int, list[LACReview]] = defaultdict(list)
        for review in (
            LACReview.objects.filter(person_id__any_of=ids, review_date__lte=year.end)
            .only("id", "person_id", "review_date")
            .order_by("review_date", "id")
        ):
            reviews[review.person_id].append(review)
        seen: dict[int, list[datetime.date]] = defaultdict(list)
        for person_id, day in (
            LACVisit.objects.filter(
                person_id__any_of=ids, visit_date__lte=year.end, child_seen=True
            )
            .order_by("visit_date")
            .values_list("person_id", "visit_date")
        ):
            seen[person_id].append(day)
        requests: dict[int, list[derive.ReviewRequest]] = defaultdict(list)
        for person_id, asked, by in EarlierReviewRequest.objects.filter(
            person_id__any_of=ids, requested_on__lte=year.end
        ).values_list("person_id", "requested_on", "review_by"):
            requests[person_id].append(derive.ReviewRequest(asked, by))
        return [
            CareWork(child, care, reviews[pk], seen[pk], requests[pk])
            for pk, (child, care) in looked_after.items()
        ]

    value = context.shared("care-work", load)
    assert isinstance(value, list)
    return value


def reviews_in_timescale(context: Context) -> Iterator[Counted]:
    """Children looked after on the last day with a review held in the period or due by its
    last day: were all the period's reviews in time (regulation 33, or the IRO's earlier
    date), with none overdue on the last day?"""
    period, end = context.period, context.period.end
    for work in care_work(context):
        judged = derive.review_timeliness(work.care, work.reviews, end, work.requests)
        held = [(r, t) for r, t in judged if r.review_date >= period.start]
        late = [t for _, t in held if t.status is TimelinessStatus.COMPLETED_LATE]
        upcoming = derive.next_review(work.care, work.reviews, end, work.requests)
        overdue = upcoming.timeliness.status is TimelinessStatus.OVERDUE
        if not held and upcoming.timeliness.due_date > end:
            continue  # nothing held or due in the period yet
        yield Counted(
            work.child.person.pk,
            not late and not overdue,
            (
                ("Looked after since", work.care.start_date),
                ("Reviews in the period", len(held)),
                ("Late reviews", len(late)),
                ("First late review due", late[0].due_date if late else None),
                ("Next review due", upcoming.timeliness.due_date),
                ("Overdue on the last day", "Yes" if overdue else "No"),
            ),
        )


# The period of care a child was in on a day, as the record stood then.
CareOn = Callable[[datetime.date], "derive.PeriodOfCare | None"]


def _visit_due(work: CareWork, day: datetime.date, care_by_day: CareOn) -> datetime.date | None:
    """When the regulation 28 visit that ``day``'s visit met was due: the due date as the
    record stood the day before (``derive.next_visit``, the rules of ``timescales``)."""
    care = care_by_day(day)
    if care is None:
        return None
    # The visit before it is all ``next_visit`` reads of the earlier ones (the last seen).
    before = bisect.bisect_left(work.seen, day)
    earlier = work.seen[max(0, before - 1) : before]
    due = derive.next_visit(care, earlier, work.reviews, day - datetime.timedelta(days=1))
    return due.timeliness.due_date


def _care_as_it_stood(work: CareWork) -> CareOn:
    """The period of care a child was in on a day, from the episodes begun by then: worked
    out once for each set of episodes (which changes only when an episode begins), not once
    for every visit."""
    episodes = sorted(work.child.episodes, key=lambda e: e.start_date)
    starts = [e.start_date for e in episodes]
    periods: dict[int, list[derive.PeriodOfCare]] = {}

    def on(day: datetime.date) -> derive.PeriodOfCare | None:
        begun = bisect.bisect_right(starts, day)
        if begun not in periods:
            periods[begun] = derive.periods_of_care(episodes[:begun])
        return derive.period_on(periods[begun], day)

    return on


def visits_in_timescale(context: Context) -> Iterator[Counted]:
    """Children looked after on the last day with a visit in the period or due by its last
    day: was every visit at which they were seen in the period in time (regulation 28), with
    none overdue on the last day?"""
    period, end = context.period, context.period.end
    for work in care_work(context):
        in_period = [d for d in work.seen if period.start <= d <= end and work.care.contains(d)]
        care_on = _care_as_it_stood(work)
        late = [
            (d, due)
            for d in in_period
            if (due := _visit_due(work, d, care_on)) is not None and d > due
        ]
        upcoming = derive.next_visit(work.care, work.seen, work.reviews, end)
        overdue = upcoming.timeliness.status is TimelinessStatus.OVERDUE
        if not in_period and upcoming.timeliness.due_date > end:
            continue
        yield Counted(
            work.child.person.pk,
            not late and not overdue,
            (
                ("In this placement since", work.care.placements[-1].start_date),
                ("Visits in the period (child seen)", len(in_period)),
                ("First late visit", late[0][0] if late else None),
                ("It was due", late[0][1] if late else None),
                ("Next visit due", upcoming.timeliness.due_date),
                ("Overdue on the last day", "Yes" if overdue else "No"),
            ),
        )


def uasc(context: Context) -> Iterator[Counted]:
    """The children the SSDA903's UASC table holds for the 12 months (``rows.uasc_rows``):
    looked after in them, unaccompanied asylum-seeking at some time in them, not in the OC3."""
    year, children = year_records(context)
    for child in children:
        if not child.in_year or child.care_leaver is not None:
            continue
        found = rows.uasc_rows(child.records, year)
        if not found:
            continue
        looked_after = child.looked_after_at_end is not None
        details = child.records.uasc
        yield Counted(
            child.person.pk,
            True,
            (
                (
                    "Arrived in the UK",
                    details.arrived_on if (details := child.records.uasc) else None,
                ),
                ("Ceased to be UASC (DUC)", found[0][3]),
                ("Looked after on the last day", "Yes" if looked_after else "No"),
            ),
            group="Looked after on the last day" if looked_after else "Left care in the year",
        )


def pathway_plans(context: Context) -> Iterator[Counted]:
    """Young people who need a pathway plan on the period's last day (eligible, relevant or
    former relevant: ``derive.next_pathway_plan``) whose plan was due by then or made: is the
    plan, or its review, not overdue?"""
    end, history = context.period.end, care_history(context)
    oldest = add_calendar_months(end, -12 * (PATHWAY_TO_AGE + 1))
    youngest = add_calendar_months(end, -12 * PATHWAY_FROM_AGE)
    young = sorted(
        (
            person
            for person in history.people.values()
            if person.date_of_birth is not None and oldest < person.date_of_birth <= youngest
        ),
        key=lambda person: person.pk,
    )
    ids = [p.pk for p in young]
    episodes = {pk: begun_by(history.episodes[pk], end) for pk in ids}
    plans: dict[int, list[datetime.date]] = defaultdict(list)
    for person_id, day in PathwayPlan.objects.filter(
        person_id__any_of=ids, kind__in=derive.PATHWAY_PLANS, plan_date__lte=end
    ).values_list("person_id", "plan_date"):
        plans[person_id].append(day)
    for person in young:
        leaving = derive.leaving_care(person, episodes[person.pk], end)
        due = derive.next_pathway_plan(person, episodes[person.pk], plans[person.pk], end, leaving)
        if due is None:
            continue
        latest = max(plans[person.pk], default=None)
        if latest is None and due.timeliness.due_date > end:
            continue  # the first plan is not due yet
        status = leaving.status
        yield Counted(
            person.pk,
            due.timeliness.status is not TimelinessStatus.OVERDUE,
            (
                ("Age on the last day", person.age_on(end)),
                ("Latest pathway plan or review", latest),
                ("Next due", due.timeliness.due_date),
            ),
            group=str(status.label if status is not None else ""),
        )


REVIEWS = Indicator(
    code="LA8",
    name="Children whose looked-after reviews were all in timescale",
    area=Area.LOOKED_AFTER,
    reads_care=True,
    kind=Kind.PERCENTAGE,
    definition=(
        "Of the children looked after on the period's last day with a review held in the "
        "period or due by its last day, the share whose reviews in the period were all in "
        "time and whose next review was not overdue on the last day. In time: the first within "
        "20 working days of the start of care, the second within 3 months of the first, then "
        "every 6 months, or by the earlier date the IRO asked for (regulation 33; before April "
        "2011 the 1991 regulations). Series of short breaks are left out."
    ),
    numerator="Children with every review in the period in time and none overdue",
    denominator="Children looked after on the last day with a review held or due in the period",
    unit="children",
    source=(
        "Care Planning, Placement and Case Review (England) Regulations 2010, regulation 33 "
        "(a local measure: the DfE publishes none, DOMAIN.md §2)"
    ),
    source_url="https://www.legislation.gov.uk/uksi/2010/959/regulation/33",
    compute=reviews_in_timescale,
    higher_is_better=True,
    at_period_end=True,
    day_counting=(
        "The timescale rules of lookedafter.timescales (lac-review-first, -second, "
        "-subsequent), as the child's record shows them: 20 working days with the start of "
        "care as day 0; months by calendar, clamped at a short month's end; held on the due "
        "date is in time."
    ),
    unverified="Not a DfE measure: no published method to check against.",
)

VISITS = Indicator(
    code="LA9",
    name="Children whose statutory visits were all in timescale",
    area=Area.LOOKED_AFTER,
    reads_care=True,
    kind=Kind.PERCENTAGE,
    definition=(
        "Of the children looked after on the period's last day with a visit in the period or "
        "one due by its last day, the share every one of whose visits in the period (at which "
        "they were seen) was in time, with none overdue on the last day. In time: by the "
        "regulation 28 frequency that applied (within a week of a placement, then 6-weekly, "
        "3-monthly in a long-term placement after its first year, weekly or 4-weekly in the "
        "cases the regulation names). Series of short breaks are left out."
    ),
    numerator="Children with every visit in the period in time and none overdue",
    denominator="Children looked after on the last day with a visit made or due in the period",
    unit="children",
    source=(
        "Care Planning, Placement and Case Review (England) Regulations 2010, regulation 28 "
        "(a local measure: the DfE publishes none)"
    ),
    source_url="https://www.legislation.gov.uk/uksi/2010/959/regulation/28",
    compute=visits_in_timescale,
    higher_is_better=True,
    at_period_end=True,
    day_counting=(
        "The timescale rules of lookedafter.timescales (lac-visit-*), through "
        "lookedafter.derive.next_visit: each visit is judged against the due date as the "
        "record stood the day before it; weeks and months by calendar; on the due date is in "
        "time."
    ),
    unverified=(
        "Not a DfE measure. A visit at which the child was not seen does not count as a "
        "visit; whether an authority should count it is a local choice."
    ),
)

UASC = Indicator(
    code="LA10",
    name="Unaccompanied asylum-seeking children",
    area=Area.LOOKED_AFTER,
    reads_care=True,
    kind=Kind.COUNT,
    definition=(
        "Children looked after in the 12 months to the period's last day who were "
        "unaccompanied asylum-seeking children at some time in them: the children of the "
        "SSDA903's UASC table (a care leaver in the OC3 is not in it), by whether they were "
        "still looked after on the last day."
    ),
    numerator="Children in the SSDA903's UASC table for the 12 months",
    denominator="-",
    unit="children",
    source="DfE SSDA903 UASC table; Children looked after in England, UASC (DOMAIN.md §2)",
    source_url=CLA_STATS_URL,
    compute=uasc,
    at_period_end=True,
    groups="Whether looked after on the last day",
    unverified=(
        "The DfE's published count is of UASC looked after at 31 March; the 'Looked after "
        "on the last day' group is that figure, which is not cross-checked against a "
        "published one."
    ),
)

PATHWAY_PLANS = Indicator(
    code="CL7",
    name="Pathway plans up to date",
    area=Area.CARE_LEAVERS,
    reads_care=True,
    kind=Kind.PERCENTAGE,
    definition=(
        "Of the young people who needed a pathway plan on the period's last day (eligible, "
        "relevant or former relevant) and whose first plan was due by then or made, the share "
        "whose plan, or its 6-monthly review, was not overdue that day."
    ),
    numerator="Young people whose pathway plan or its review is not overdue",
    denominator="Eligible, relevant and former relevant young people with a plan made or due",
    unit="young people",
    source=(
        "Care Planning, Placement and Case Review (England) Regulations 2010, regulations 42 "
        "and 43; Care Leavers (England) Regulations 2010 (a local measure)"
    ),
    source_url="https://www.legislation.gov.uk/uksi/2010/2571/contents/made",
    compute=pathway_plans,
    higher_is_better=True,
    at_period_end=True,
    groups="Care leaver status on the last day",
    day_counting=(
        "The timescale rules care-leaver-pathway-plan (3 months after the 16th birthday or "
        "becoming eligible) and care-leaver-pathway-review (6 months), as the young person's "
        "record shows them."
    ),
    unverified=(
        "The 6-monthly review is from memory (DOMAIN.md §6 item 5), as the rule says. Former "
        "relevant young people are counted to 25, as their due work is: whether an authority "
        "reports only those under 21 is not checked."
    ),
)

INDICATORS = (*INDICATORS, REVIEWS, VISITS, UASC, PATHWAY_PLANS)
