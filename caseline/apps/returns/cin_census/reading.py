"""Reading the census for a collection year from the record, a thousand children at a time.

**Which children.** Every child with a child in need episode (a referral) open at any point in
the year: referred on or before 31 March and not closed before 1 April. The DfE's census covers
"any child referred to children's social care services within the year and also any cases open
at 1 April" (CIN census guide, section 1.2 "Scope"; EES "Characteristics of children in need"
methodology ✔). A record merged into another is left out: its casework moved with the merge.

**What is in each episode.** What was open at some point in the year, with the dates that fall
after the reference date left off, as the DfE's validation rules require:

- an assessment authorised before 1 April is left out (rule 8696), one authorised after 31 March
  is shown as not yet authorised, and only an authorised one has its factors (rule 8614);
- a CIN plan or child protection plan that ended before 1 April is left out, and an end after
  31 March is not shown (rules 4013, 8930); a CIN plan ends at the episode's closure if that
  comes first (``cin.models.CINPlan.effective_end_date``);
- a section 47 enquiry is left out once it ended before 1 April: at its initial conference, or
  when it was decided none was needed (rules 8715, 8740); that decision is the record's own
  (``Section47Enquiry.icpc_not_required``), shown only if made by the reference date
  (``sources.conference_not_required`` says why);
- a child protection plan's reviews are the review conferences held in the year, its latest
  category is the one the last review before the reference date set, and its previous plans
  are those before Caseline and the child's earlier plans in Caseline
  (``protection.queries.previous_plan_count``, here for the whole batch at once);
- a closure after 31 March is not shown, nor its reason (rules 8620, 8805/8810);
- an initial or transfer-in conference held in the year and not the end of one of the
  episode's section 47 enquiries is the episode's own DateOfInitialCPC (rule 2884: one or the
  other);
- from the census 2027 (1 April 2026 to 31 March 2027), each period of pre-proceedings that
  started in the year is a PreProceedingsandFGDM block of its episode
  (``cin.queries.pre_proceedings_census``), with what happened after the reference date left
  off (see :func:`pre_proceedings`).

A section 47 enquiry, conference or plan recorded without its episode belongs to the episode
open on its date. Each batch is a fixed number of queries (one per table), joined here by
person and episode, whatever the children hold.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Protocol, TypeVar

from django.db.models import Prefetch

from caseline.apps.assessments.models import Assessment
from caseline.apps.cin.models import CINPlan, PreProceedings, PreProceedingsMeeting
from caseline.apps.cin.queries import pre_proceedings_census
from caseline.apps.frontdoor.models import Referral
from caseline.apps.people.models import Person
from caseline.apps.protection.models import (
    Conference,
    ProtectionHistory,
    ProtectionPlan,
    Section47Enquiry,
)
from caseline.apps.protection.timescales import ICPC
from caseline.apps.returns.cin_census import items, sources
from caseline.apps.returns.cohorts import by_reference_date, cin_episodes_in, overlaps
from caseline.apps.returns.identifiers import child_id
from caseline.apps.returns.years import CollectionYear

# Children read together: each batch is one query per table.
BATCH = 1000

# Conferences that can stand as the episode's own initial conference (DateOfInitialCPC).
OPENING_CONFERENCES = (Conference.Kind.INITIAL, Conference.Kind.TRANSFER_IN)

# The first census with the PreProceedingsandFGDM block ("module 5"): 2027, the collection year
# 1 April 2026 to 31 March 2027, as the Data to Insight validator's 2026-27 rules (9005 to
# 9015Q) and its sample file have it. ○ The DfE's own guide and schema for 2026-27 are not held.
PRE_PROCEEDINGS_FROM = 2027


def census_person_ids(year: CollectionYear) -> list[int]:
    """The people in the census for ``year``, in record-number order."""
    return list(
        cin_episodes_in(year).order_by("person_id").values_list("person_id", flat=True).distinct()
    )


def read_children(year: CollectionYear, person_ids: Sequence[int]) -> Iterator[items.Child]:
    """The census's children, in the order of ``person_ids``, read ``BATCH`` at a time."""
    for first in range(0, len(person_ids), BATCH):
        yield from _Batch(year, person_ids[first : first + BATCH]).children()


class _InEpisode(Protocol):
    """A row of a child's casework, which names its episode (or should)."""

    @property
    def person_id(self) -> int: ...

    @property
    def referral_id(self) -> int | None: ...


D = TypeVar("D", bound=_InEpisode)


class _Batch:
    """One batch of children: their rows from every table, grouped by person and episode."""

    def __init__(self, year: CollectionYear, person_ids: Iterable[int]) -> None:
        self.year = year
        ids = list(person_ids)
        end = year.end
        self.people = Person.objects.filter(pk__in=ids).order_by("pk").only(*PERSON_FIELDS)
        self.episodes: dict[int, list[Referral]] = defaultdict(list)
        for referral in (
            cin_episodes_in(year)
            .filter(person_id__in=ids)
            .order_by("person_id", "referral_date", "id")
            .only(*REFERRAL_FIELDS)
        ):
            self.episodes[referral.person_id].append(referral)
        self.episode_ids = {
            referral.pk for episodes in self.episodes.values() for referral in episodes
        }
        episode_ids = sorted(self.episode_ids)
        self.assessments = _by_episode(
            Assessment.objects.filter(referral_id__in=episode_ids, start_date__lte=end)
            .exclude(authorised_on__lt=year.start)
            .order_by("start_date", "id")
            .only("referral_id", "start_date", "authorised_on", "factors")
        )
        self.cin_plans = _by_episode(
            CINPlan.objects.filter(referral_id__in=episode_ids, start_date__lte=end)
            .order_by("start_date", "id")
            .only("referral_id", "start_date", "end_date")
        )
        self.enquiries = self._by_person_episode(
            Section47Enquiry.objects.filter(person_id__in=ids, start_date__lte=end)
            .order_by("start_date", "id")
            .only(
                "person_id",
                "referral_id",
                "start_date",
                "completed_on",
                "icpc_not_required",
                "icpc_not_required_on",
            ),
            lambda enquiry: enquiry.start_date,
        )
        conferences = list(
            Conference.objects.filter(person_id__in=ids)
            .order_by("conference_date", "id")
            .only(
                "person_id",
                "referral_id",
                "kind",
                "enquiry_id",
                "plan_id",
                "conference_date",
                "category",
            )
        )
        self.initial_conferences = {
            conference.enquiry_id: conference.conference_date
            for conference in conferences
            if conference.enquiry_id is not None
        }
        self.reviews: dict[int, list[Conference]] = defaultdict(list)
        for conference in conferences:
            if conference.kind == Conference.Kind.REVIEW and conference.plan_id is not None:
                self.reviews[conference.plan_id].append(conference)
        self.opening_conferences = self._by_person_episode(
            (
                conference
                for conference in conferences
                if conference.kind in OPENING_CONFERENCES
                and conference.enquiry_id is None
                and conference.conference_date in year
            ),
            lambda conference: conference.conference_date,
        )
        plans = list(
            ProtectionPlan.objects.filter(person_id__in=ids, start_date__lte=end)
            .order_by("start_date", "id")
            .only(
                "person_id",
                "referral_id",
                "start_date",
                "end_date",
                "initial_category",
                "latest_category",
            )
        )
        self.previous_plans = sources.previous_plan_counts(
            plans,
            dict(
                ProtectionHistory.objects.filter(person_id__in=ids).values_list(
                    "person_id", "plans_before_caseline"
                )
            ),
        )
        self.protection_plans = self._by_person_episode(plans, lambda plan: plan.start_date)
        self.pre_proceedings: dict[int, list[PreProceedings]] = defaultdict(list)
        if year.year >= PRE_PROCEEDINGS_FROM:
            self.pre_proceedings = _by_episode(
                PreProceedings.objects.filter(
                    referral_id__in=episode_ids, start_date__gte=year.start, start_date__lte=end
                )
                .order_by("start_date", "id")
                .prefetch_related(
                    Prefetch(
                        "meetings",
                        PreProceedingsMeeting.objects.filter(held_on__lte=end).order_by(
                            "held_on", "id"
                        ),
                    )
                )
            )

    def _by_person_episode(
        self, rows: Iterable[D], day: Callable[[D], datetime.date]
    ) -> dict[int, list[D]]:
        """Rows grouped by the episode they belong to: the one they name, or, naming none, the
        person's episode open on their date. Rows in no episode of the year are dropped."""
        grouped: dict[int, list[D]] = defaultdict(list)
        for row in rows:
            episode = row.referral_id
            if episode is None:
                episode = self._episode_open_on(row.person_id, day(row))
            if episode in self.episode_ids:
                grouped[episode].append(row)
        return grouped

    def _episode_open_on(self, person_id: int, on: datetime.date) -> int | None:
        for referral in reversed(self.episodes.get(person_id, [])):
            if referral.referral_date <= on and (
                referral.closed_on is None or on <= referral.closed_on
            ):
                return referral.pk
        return None

    def children(self) -> Iterator[items.Child]:
        for person in self.people:
            yield items.Child(
                person_id=person.pk,
                child_id=child_id(person.pk),
                upn=person.upn,
                former_upn=sources.former_upn(person),
                upn_unknown=sources.upn_unknown_reason(person),
                birth_date=person.date_of_birth,
                expected_birth_date=person.expected_date_of_birth,
                sex=person.sex,
                death_date=person.date_of_death,
                ethnicity=sources.ethnicity(person),
                disabilities=tuple(person.disabilities),
                episodes=tuple(self._episode(referral) for referral in self.episodes[person.pk]),
            )

    def _episode(self, referral: Referral) -> items.Episode:
        year = self.year
        closed = by_reference_date(year, referral.closed_on)
        enquiries = [self._section47(enquiry) for enquiry in self.enquiries[referral.pk]]
        opening = self.opening_conferences[referral.pk]
        return items.Episode(
            referral_date=referral.referral_date,
            source=referral.source,
            primary_need=referral.primary_need,
            closed=closed,
            closure_reason=referral.closure_reason if closed else "",
            initial_conference=opening[-1].conference_date if opening else None,
            assessments=tuple(
                items.Assessment(
                    start=assessment.start_date,
                    authorised=by_reference_date(year, assessment.authorised_on),
                    factors=tuple(assessment.factors)
                    if by_reference_date(year, assessment.authorised_on)
                    else (),
                )
                for assessment in self.assessments[referral.pk]
            ),
            plans=tuple(
                items.CINPlanDates(start=plan.start_date, end=by_reference_date(year, end))
                for plan in self.cin_plans[referral.pk]
                if overlaps(plan.start_date, end := _plan_end(plan, referral), year)
            ),
            section47s=tuple(enquiry for enquiry in enquiries if enquiry is not None),
            no_further_action=referral.nfa,
            protection_plans=tuple(
                self._protection_plan(plan)
                for plan in self.protection_plans[referral.pk]
                if overlaps(plan.start_date, plan.end_date, year)
            ),
            pre_proceedings=tuple(
                pre_proceedings(year, proceedings)
                for proceedings in self.pre_proceedings[referral.pk]
            ),
        )

    def _section47(self, enquiry: Section47Enquiry) -> items.Section47 | None:
        year = self.year
        conference = self.initial_conferences.get(enquiry.pk)
        # It ends at its conference or when a conference was decided against; else it is open.
        ended = conference or sources.conference_not_required_on(enquiry)
        if not overlaps(enquiry.start_date, ended, year):
            return None
        held = by_reference_date(year, conference)
        return items.Section47(
            start=enquiry.start_date,
            conference_target=ICPC.due_date(enquiry.start_date),
            conference=held,
            conference_not_required=sources.conference_not_required(enquiry, held, year.end),
        )

    def _protection_plan(self, plan: ProtectionPlan) -> items.ProtectionPlan:
        year = self.year
        reviews = self.reviews[plan.pk]
        return items.ProtectionPlan(
            start=plan.start_date,
            end=by_reference_date(year, plan.end_date),
            initial_category=plan.initial_category,
            latest_category=_latest_category(plan, reviews, year),
            previous_plans=self.previous_plans[plan.pk],
            reviews=tuple(
                review.conference_date for review in reviews if review.conference_date in year
            ),
        )


REFERRAL_FIELDS = (
    "person_id",
    "referral_date",
    "source",
    "primary_need",
    "nfa",
    "closed_on",
    "closure_reason",
)
PERSON_FIELDS = (
    "upn",
    "former_upn",
    "upn_unknown_reason",
    "date_of_birth",
    "expected_date_of_birth",
    "date_of_death",
    "sex",
    "ethnicity",
    "disabilities",
)


def _by_episode(rows: Iterable[D]) -> dict[int, list[D]]:
    grouped: dict[int, list[D]] = defaultdict(list)
    for row in rows:
        if row.referral_id is not None:
            grouped[row.referral_id].append(row)
    return grouped


def _plan_end(plan: CINPlan, referral: Referral) -> datetime.date | None:
    """When a CIN plan ended: its own end, or its episode's closure if that came first."""
    ends = [day for day in (plan.end_date, referral.closed_on) if day is not None]
    return min(ends) if ends else None


def pre_proceedings(year: CollectionYear, proceedings: PreProceedings) -> items.PreProceedings:
    """The PreProceedingsandFGDM block for ``proceedings`` as it stood on the reference date.

    The elements are ``cin.queries.pre_proceedings_census``'s, reading meetings held by the
    reference date only (prefetched so). A date after the reference date is left off, as the
    2026-27 rules require every date in the block to fall in the year (9006, 9008, 9009,
    9012, 9013), and with it what it carries: the FGDM offer goes with the letter before
    proceedings that made it (rule 9007 pairs the two), the outcome with the decision to step
    up or down, and the review count with the first meeting (rule 9015Q). A family group
    decision-making meeting held after the reference date is not yet facilitated:
    FGDMMeetingFac is left off, not given as 0, since the pre-proceedings had not ended (○ what
    the DfE wants here is not checked)."""
    census = pre_proceedings_census(proceedings)

    def dated(element: str) -> datetime.date | None:
        return by_reference_date(year, census[element])

    def flag(element: str) -> bool | None:
        value = census[element]
        return None if value is None else bool(value)

    letter_sent = dated("LBPSentDate")
    first_meeting = dated("InitialPPMeetingDate")
    decided = dated("StepDecisionDate")
    held_later = proceedings.fgdm_held_on is not None and proceedings.fgdm_held_on > year.end
    return items.PreProceedings(
        start=census["PPStartDate"],
        letter_sent=letter_sent,
        fgdm_offered=flag("FGDMMeetingOffer") if letter_sent else None,
        fgdm_facilitated=None if held_later else flag("FGDMMeetingFac"),
        first_meeting=first_meeting,
        review_meetings=census["ReviewMeetingsCount"] if first_meeting else None,
        decided=decided,
        outcome=(census["PPOutcome"] or "") if decided else "",
        court_application=dated("CourtAppDate"),
        proceedings_letter_sent=dated("LetterInitCPDate"),
    )


def _latest_category(
    plan: ProtectionPlan, reviews: Sequence[Conference], year: CollectionYear
) -> str:
    """The plan's category of abuse as at the reference date (``sources.latest_category``)."""
    return sources.latest_category(plan, reviews, year.end)
