"""Ofsted's Annex A lists 1 to 11, read from the record for an as-at date.

Each ``list_N`` method returns the list's rows in the template's column order (``template``),
one row per child or event as the template defines. Lists 1 to 9 cover the six months to the
as-at date; lists 10 and 11 and the "in the last 12 months" counts cover twelve
(:class:`~caseline.apps.returns.years.AsAtDate`). Nothing after the as-at date is shown: a
closure, decision or visit recorded for a later day is left out, as the lists describe the
service as it stood on that day. Each list reads its records in a fixed number of queries,
whatever the number of children. Columns the record does not hold are blank (docs/annex-a.md
lists them and why).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from caseline.apps.assessments.models import Assessment
from caseline.apps.cin.models import CINPlan, CINVisit
from caseline.apps.codes.lists import CodeListName
from caseline.apps.frontdoor.models import ContactPerson, EarlyHelpEpisode, Referral
from caseline.apps.lookedafter import derive
from caseline.apps.lookedafter.models import (
    ATTENDING,
    AdoptionDecision,
    CareLeaverContact,
    CarePlan,
    Episode,
    HealthRecord,
    LACReview,
    LACVisit,
    MissingEpisode,
    UASCDetails,
)
from caseline.apps.people.models import Allocation, Person
from caseline.apps.protection.models import (
    Conference,
    ProtectionHistory,
    ProtectionPlan,
    ProtectionVisit,
    Section47Enquiry,
)
from caseline.apps.returns.annex_a import codes
from caseline.apps.returns.cin_census import sources
from caseline.apps.returns.identifiers import child_id
from caseline.apps.returns.ssda903.records import ChildRecords
from caseline.apps.returns.ssda903.rows import category_of_need
from caseline.apps.returns.years import AsAtDate
from caseline.apps.timescales.calendar import add_calendar_months

Cell = str | int | datetime.date | None
# Whom to read: ids, or a query of ``person_id`` values the database runs as a subquery.
Who = QuerySet[Any] | Iterable[int]
Row = list[Cell]

# Assessment outcomes that mean the child needs children's social care support.
NEEDS_SUPPORT = frozenset(
    {
        Assessment.Outcome.CIN_PLAN,
        Assessment.Outcome.STRATEGY,
        Assessment.Outcome.LOOKED_AFTER,
    }
)
NO_SUPPORT = frozenset({Assessment.Outcome.NO_FURTHER_ACTION, Assessment.Outcome.EARLY_HELP})
# Legal statuses that are police protection or an emergency protection order (903 codes).
EMERGENCY_STATUSES = frozenset({"L1", "L2"})
# Placement types of a child placed for adoption, and fostering for adoption (903 codes).
PLACED_FOR_ADOPTION = frozenset({"A3", "A4", "A5", "A6"})
FOSTERING_FOR_ADOPTION = frozenset({"U2", "U5"})
PLACEMENT_ORDER = "E1"
ADOPTED = frozenset({"E11", "E12"})
MISSING, ABSENT = "M", "A"
# People are read this many at a time when named by a list of ids.
CHUNK = 5000
# Care leavers are 16 to 25 (CA1989 s23C, s23CZB).
CARE_LEAVER_AGES = (16, 25)


@dataclass(frozen=True)
class PersonFacts:
    """What every list says about a child."""

    sex: str
    ethnicity: str
    date_of_birth: datetime.date | None
    disabilities: tuple[str, ...]
    is_uasc: bool


def _overlapping(start_field: str, end_field: str, start: datetime.date, end: datetime.date) -> Q:
    """Records from ``start_field`` to ``end_field`` (blank: still open) open in the window."""
    return Q(**{f"{start_field}__lte": end}) & (
        Q(**{f"{end_field}__isnull": True}) | Q(**{f"{end_field}__gte": start})
    )


def _shown(day: datetime.date | None, as_at: datetime.date) -> datetime.date | None:
    """A date as it stood on the as-at date: a later one had not happened yet."""
    return day if day is not None and day <= as_at else None


def _latest_by_person(
    records: QuerySet[Any], day: str, person: str = "person_id"
) -> dict[int, datetime.date]:
    """The latest ``day`` of each person's ``records``, worked out by the database."""
    return dict(
        records.order_by().values(person).annotate(latest=Max(day)).values_list(person, "latest")
    )


class AnnexAReader:
    """Reads the lists for one as-at date; people and allocations are read once, in bulk."""

    def __init__(self, period: AsAtDate) -> None:
        self.period = period
        self.as_at = period.end
        self.people: dict[int, PersonFacts] = {}
        self.allocations: dict[int, tuple[str, str]] = {}
        self.person_ids: set[int] = set()

    # -- people ----------------------------------------------------------------------------

    def _load(self, who: Who) -> None:
        """Read the people ``who`` names (ids, or a query of ``person_id``), and their
        allocations; a query is run by the database, never sent as a list of ids."""
        if isinstance(who, QuerySet):
            self._load_chunk(who)
            return
        missing = sorted(set(who) - self.people.keys())
        for start in range(0, len(missing), CHUNK):
            self._load_chunk(missing[start : start + CHUNK])

    def _load_chunk(self, who: Who) -> None:
        for pk, sex, ethnicity, born, disabilities, uasc in Person.objects.filter(
            pk__in=who, merged_into__isnull=True
        ).values_list("pk", "sex", "ethnicity", "date_of_birth", "disabilities", "is_uasc"):
            self.people[pk] = PersonFacts(
                sex, ethnicity, born, tuple(disabilities or ()), bool(uasc)
            )
        allocations = (
            Allocation.objects.filter(person_id__in=who, start_date__lte=self.as_at)
            .order_by("person_id", "start_date", "id")
            .values_list("person_id", "team__name", "worker__first_name", "worker__last_name")
        )
        for person_id, team, first, last in allocations:
            self.allocations[person_id] = (team or "", f"{first or ''} {last or ''}".strip())

    def _child(self, person_id: int) -> Row:
        """Child ID, gender, ethnicity, date of birth and age at the as-at date."""
        facts = self.people[person_id]
        self.person_ids.add(person_id)
        return [
            child_id(person_id),
            codes.GENDER.get(facts.sex, ""),
            codes.ethnicity(facts.ethnicity),
            facts.date_of_birth,
            self._age(facts.date_of_birth),
        ]

    def _age(self, born: datetime.date | None) -> int | None:
        if born is None or born > self.as_at:
            return None
        return (
            self.as_at.year
            - born.year
            - ((self.as_at.month, self.as_at.day) < (born.month, born.day))
        )

    def _disability(self, person_id: int) -> str:
        return codes.disability(self.people[person_id].disabilities)

    def _allocated(self, person_id: int) -> Row:
        """Allocated team and worker: the latest allocation made by the as-at date."""
        team, worker = self.allocations.get(person_id, ("", ""))
        return [team, worker]

    def _rows_for(self, who: Who) -> dict[int, PersonFacts]:
        """Load the people ``who`` names; the live records (not merged away) are those read."""
        self._load(who)
        return self.people

    # -- list 1: contacts ------------------------------------------------------------------

    def list_1(self) -> list[Row]:
        """Every contact received in the six months: one row per child it was about."""
        tz = timezone.get_current_timezone()
        since = datetime.datetime.combine(self.period.start, datetime.time.min, tz)
        until = datetime.datetime.combine(
            self.as_at + datetime.timedelta(days=1), datetime.time.min, tz
        )
        query = ContactPerson.objects.filter(
            role=ContactPerson.Role.SUBJECT,
            contact__received_at__gte=since,
            contact__received_at__lt=until,
        )
        subjects = list(
            query.order_by("contact__received_at", "contact_id", "person_id").values_list(
                "person_id", "contact__received_at", "contact__source"
            )
        )
        live = self._rows_for(query.values("person_id"))
        return [
            [*self._child(pk), timezone.localtime(received, tz).date(), codes.SOURCE.get(src, src)]
            for pk, received, src in subjects
            if pk in live
        ]

    # -- list 2: early help ----------------------------------------------------------------

    def list_2(self) -> list[Row]:
        """Early help episodes open at any time in the six months."""
        query = EarlyHelpEpisode.objects.filter(
            _overlapping("start_date", "end_date", self.period.start, self.as_at)
        )
        episodes = list(
            query.order_by("start_date", "id").values_list(
                "person_id", "start_date", "organisation"
            )
        )
        live = self._rows_for(query.values("person_id"))
        return [
            [*self._child(pk), start, None, organisation]
            for pk, start, organisation in episodes
            if pk in live
        ]

    # -- list 3: referrals -----------------------------------------------------------------

    def list_3(self) -> list[Row]:
        """Every referral in the six months, repeats included."""
        window = (self.period.twelve_months_start, self.as_at)
        referrals = list(
            Referral.objects.filter(referral_date__range=window)
            .order_by("referral_date", "id")
            .values_list("person_id", "referral_date", "source", "nfa")
        )
        in_year = Counter(pk for pk, _, _, _ in referrals)
        recent = [row for row in referrals if row[1] >= self.period.start]
        live = self._rows_for(
            Referral.objects.filter(referral_date__range=(self.period.start, self.as_at)).values(
                "person_id"
            )
        )
        return [
            [
                *self._child(pk),
                day,
                codes.SOURCE.get(source, source),
                codes.yes_no(nfa),
                in_year[pk] - 1,  # the child's other referrals in the twelve months
                *self._allocated(pk),
            ]
            for pk, day, source, nfa in recent
            if pk in live
        ]

    # -- list 4: assessments ---------------------------------------------------------------

    def list_4(self) -> list[Row]:
        """Assessments open at any time in the six months (started, authorised or running)."""
        query = Assessment.objects.filter(
            _overlapping("start_date", "authorised_on", self.period.start, self.as_at)
        )
        assessments = list(
            query.order_by("start_date", "id").values_list(
                "person_id", "start_date", "child_seen", "authorised_on", "outcome"
            )
        )
        live = self._rows_for(query.values("person_id"))
        rows = []
        for pk, start, seen, authorised_on, outcome in assessments:
            if pk not in live:
                continue
            authorised = _shown(authorised_on, self.as_at)
            if authorised is None:
                support = ""
            elif outcome in NEEDS_SUPPORT:
                support = codes.YES
            elif outcome in NO_SUPPORT:
                support = codes.NO
            else:
                support = codes.UNKNOWN
            rows.append(
                [
                    *self._child(pk),
                    self._disability(pk),
                    start,
                    codes.yes_no(seen),
                    authorised,
                    support,
                    *self._allocated(pk),
                ]
            )
        return rows

    # -- list 5: section 47 enquiries and initial conferences ------------------------------

    def list_5(self) -> list[Row]:
        """Section 47 enquiries open at any time in the six months, open ones included."""
        query = Section47Enquiry.objects.filter(
            _overlapping("start_date", "completed_on", self.period.start, self.as_at)
        )
        enquiries = list(query.order_by("start_date", "id"))
        conferences = {
            enquiry_id: (day, decision)
            for enquiry_id, day, decision in Conference.objects.filter(
                enquiry_id__in=query.values("pk"),
                kind=Conference.Kind.INITIAL,
                conference_date__lte=self.as_at,
            ).values_list("enquiry_id", "conference_date", "decision")
        }
        twelve = (self.period.twelve_months_start, self.as_at)
        ids = query.values("person_id")
        s47s = Counter(
            Section47Enquiry.objects.filter(
                person_id__in=ids, start_date__range=twelve
            ).values_list("person_id", flat=True)
        )
        icpcs = Counter(
            Conference.objects.filter(
                person_id__in=ids, kind=Conference.Kind.INITIAL, conference_date__range=twelve
            ).values_list("person_id", flat=True)
        )
        live = self._rows_for(ids)
        rows = []
        for enquiry in enquiries:
            pk = enquiry.person_id
            if pk not in live:
                continue
            held, decision = conferences.get(enquiry.pk, (None, ""))
            not_required = sources.conference_not_required(enquiry, held, self.as_at)
            rows.append(
                [
                    *self._child(pk),
                    self._disability(pk),
                    enquiry.start_date,
                    codes.yes_no(not_required),
                    held,
                    codes.yes_no(decision == Conference.Decision.PLAN) if held else "",
                    s47s[pk],
                    icpcs[pk],
                    *self._allocated(pk),
                ]
            )
        return rows

    # -- list 6: children in need ----------------------------------------------------------

    def list_6(self) -> list[Row]:
        """Child in need episodes open at any time in the six months, leaving out referrals
        that led to no further action (referral only)."""
        query = Referral.objects.filter(
            _overlapping("referral_date", "closed_on", self.period.start, self.as_at),
            nfa=False,
        )
        referrals = list(
            query.order_by("referral_date", "id").values_list(
                "pk", "person_id", "referral_date", "primary_need", "closed_on", "closure_reason"
            )
        )
        ids = query.values("person_id")
        seen = self._last_seen(ids)
        looked_after = self._looked_after_on(ids)
        on_plan = set(
            ProtectionPlan.objects.filter(
                _overlapping("start_date", "end_date", self.as_at, self.as_at), person_id__in=ids
            ).values_list("person_id", flat=True)
        )
        cin_plans = set(
            CINPlan.objects.filter(
                _overlapping("start_date", "end_date", self.as_at, self.as_at), person_id__in=ids
            ).values_list("referral_id", flat=True)
        )
        assessing = set(
            Assessment.objects.filter(
                _overlapping("start_date", "authorised_on", self.as_at, self.as_at),
                person_id__in=ids,
            ).values_list("referral_id", flat=True)
        )
        live = self._rows_for(ids)
        rows = []
        for referral_id, pk, start, need, closed_on, reason in referrals:
            if pk not in live:
                continue
            closed = _shown(closed_on, self.as_at)
            if closed is not None:
                status = codes.CLOSED
            elif pk in looked_after:
                status = codes.LOOKED_AFTER
            elif pk in on_plan:
                status = codes.ON_PROTECTION_PLAN
            elif referral_id in cin_plans:
                status = codes.ON_CIN_PLAN
            elif referral_id in assessing:
                status = codes.OPEN_ASSESSMENT
            else:
                status = ""
            rows.append(
                [
                    *self._child(pk),
                    self._disability(pk),
                    start,
                    codes.coded(codes.PRIMARY_NEED, need),
                    seen.get(pk),
                    closed,
                    codes.coded(codes.CLOSURE_REASON, reason) if closed else "",
                    status,
                    *self._allocated(pk),
                ]
            )
        return rows

    def _last_seen(self, ids: Who) -> dict[int, datetime.date]:
        """The last visit by the as-at date at which the child was seen (a child in need,
        child protection or looked-after visit)."""
        seen = {"child_seen": True, "visit_date__lte": self.as_at}
        latest: dict[int, datetime.date] = {}
        for found in (
            _latest_by_person(CINVisit.objects.filter(person_id__in=ids, **seen), "visit_date"),
            _latest_by_person(
                ProtectionVisit.objects.filter(plan__person_id__in=ids, **seen),
                "visit_date",
                person="plan__person_id",
            ),
            _latest_by_person(LACVisit.objects.filter(person_id__in=ids, **seen), "visit_date"),
        ):
            for person_id, day in found.items():
                if person_id not in latest or day > latest[person_id]:
                    latest[person_id] = day
        return latest

    def _looked_after_on(self, ids: Who) -> set[int]:
        return set(
            Episode.objects.filter(
                _overlapping("start_date", "end_date", self.as_at, self.as_at),
                person_id__in=ids,
            )
            .exclude(legal_status__in=("V3", "V4"))
            .values_list("person_id", flat=True)
        )

    # -- list 7: child protection ----------------------------------------------------------

    def list_7(self) -> list[Row]:
        """Child protection plans open at any time in the six months."""
        query = ProtectionPlan.objects.filter(
            _overlapping("start_date", "end_date", self.period.start, self.as_at)
        )
        plans = list(query.order_by("start_date", "id"))
        ids = query.values("person_id")
        plan_ids = query.values("pk")
        reviews: dict[int, list[Conference]] = defaultdict(list)
        for review in Conference.objects.filter(
            plan_id__in=plan_ids, kind=Conference.Kind.REVIEW
        ).order_by("conference_date", "id"):
            assert review.plan_id is not None
            reviews[review.plan_id].append(review)
        visits: dict[int, tuple[datetime.date, bool]] = {}
        for plan_id, day, alone in (
            ProtectionVisit.objects.filter(plan_id__in=plan_ids, visit_date__lte=self.as_at)
            .order_by("visit_date", "id")
            .values_list("plan_id", "visit_date", "child_seen_alone")
        ):
            visits[plan_id] = (day, alone)
        emergency = set(
            Episode.objects.filter(
                _overlapping("start_date", "end_date", self.period.start, self.as_at),
                person_id__in=ids,
                legal_status__in=EMERGENCY_STATUSES,
            ).values_list("person_id", flat=True)
        )
        before_caseline = dict(
            ProtectionHistory.objects.filter(person_id__in=ids).values_list(
                "person_id", "plans_before_caseline"
            )
        )
        latest_start = max((plan.start_date for plan in plans), default=self.as_at)
        previous = sources.previous_plan_counts(
            ProtectionPlan.objects.filter(person_id__in=ids, start_date__lte=latest_start)
            .only("id", "person_id", "start_date")
            .order_by("start_date", "id"),
            before_caseline,
        )
        live = self._rows_for(ids)
        rows = []
        for plan in plans:
            pk = plan.person_id
            if pk not in live:
                continue
            visit = visits.get(plan.pk)
            held = [r.conference_date for r in reviews[plan.pk] if r.conference_date <= self.as_at]
            rows.append(
                [
                    *self._child(pk),
                    self._disability(pk),
                    plan.start_date,
                    codes.coded(codes.CATEGORY_OF_ABUSE, plan.initial_category),
                    codes.coded(
                        codes.CATEGORY_OF_ABUSE,
                        sources.latest_category(plan, reviews[plan.pk], self.as_at),
                    ),
                    visit[0] if visit else None,
                    codes.yes_no(visit[1]) if visit else "",
                    held[-1] if held else None,
                    _shown(plan.end_date, self.as_at),
                    codes.yes_no(pk in emergency),
                    previous.get(plan.pk, 0),
                    *self._allocated(pk),
                ]
            )
        return rows

    # -- list 8: children looked after -----------------------------------------------------

    def _episodes(self, ids: Who) -> dict[int, list[Episode]]:
        """Each child's episodes as they stood on the as-at date: later ones left out, and
        one ending after it shown still open."""
        by_person: dict[int, list[Episode]] = defaultdict(list)
        for episode in Episode.objects.filter(
            person_id__in=ids if isinstance(ids, QuerySet) else list(ids),
            start_date__lte=self.as_at,
        ).order_by("person_id", "start_date", "id"):
            if episode.end_date is not None and episode.end_date > self.as_at:
                episode.end_date = None
                episode.reason_episode_ceased = ""
            by_person[episode.person_id].append(episode)
        return by_person

    def list_8(self) -> list[Row]:
        """Children looked after on the as-at date, or whose care ended in the six months
        (agreed short breaks only are not looked after for this list): one row per child,
        about their latest period of care."""
        ids = Episode.objects.filter(
            _overlapping("start_date", "end_date", self.period.twelve_months_start, self.as_at)
        ).values("person_id")
        episodes = self._episodes(ids)
        chosen: dict[int, tuple[derive.PeriodOfCare, list[derive.PeriodOfCare]]] = {}
        for pk, child_episodes in episodes.items():
            periods = [p for p in derive.periods_of_care(child_episodes) if not p.is_short_breaks]
            current = [p for p in periods if p.end_date is None or p.end_date >= self.period.start]
            if current:
                chosen[pk] = (current[-1], periods)
        live = self._rows_for(ids)
        latest = self._latest_dates(ids)
        uasc_ended = dict(
            UASCDetails.objects.filter(person_id__in=ids).values_list("person_id", "ceased_on")
        )
        permanence: dict[int, str] = {}
        for pk, plan in (
            CarePlan.objects.filter(person_id__in=ids, plan_date__lte=self.as_at)
            .order_by("plan_date", "id")
            .values_list("person_id", "permanence_plan")
        ):
            permanence[pk] = plan
        missing: dict[int, list[tuple[str, bool | None, bool | None]]] = defaultdict(list)
        for pk, kind, offered, accepted in (
            MissingEpisode.objects.filter(
                person_id__in=ids,
                start_date__range=(self.period.twelve_months_start, self.as_at),
            )
            .order_by("start_date", "id")
            .values_list(
                "person_id", "missing_type", "return_interview_offered", "return_interview_accepted"
            )
        ):
            missing[pk].append((kind, offered, accepted))
        referrals: dict[int, list[Referral]] = defaultdict(list)
        for referral in (
            Referral.objects.filter(person_id__in=ids, referral_date__lte=self.as_at)
            .exclude(primary_need="")
            .only("id", "person_id", "referral_date", "primary_need")
            .order_by("referral_date", "id")
        ):
            referrals[referral.person_id].append(referral)
        rows = []
        for pk in sorted(chosen.keys() & live.keys()):
            period, periods = chosen[pk]
            facts = self.people[pk]
            ended = uasc_ended.get(pk, datetime.date.max)
            uasc = facts.is_uasc or (
                pk in uasc_ended and (ended is None or ended >= self.period.twelve_months_start)
            )
            earlier = [
                p
                for p in periods
                if p.start_date < period.start_date
                and p.end_date is not None
                and p.end_date >= self.period.twelve_months_start
            ]
            placements = [
                placement
                for p in periods
                for placement in p.placements
                if placement.end_date is None
                or placement.end_date >= self.period.twelve_months_start
            ]
            placement = period.placements[-1]
            episode = placement.latest
            child_missing = missing.get(pk, [])
            last_missing = [m for m in child_missing if m[0] == MISSING]
            need = category_of_need(
                ChildRecords(person=Person(pk=pk), referrals=referrals.get(pk, [])),
                period.start_date,
            )
            rows.append(
                [
                    *self._child(pk),
                    codes.yes_no(uasc, unknown=False),
                    self._disability(pk),
                    period.start_date,
                    codes.coded(codes.PRIMARY_NEED, need),
                    codes.yes_no(bool(earlier), unknown=False),
                    period.legal_status_since,
                    codes.coded(
                        codes.LEGAL_STATUS, episode.legal_status, fallback=CodeListName.LEGAL_STATUS
                    ),
                    latest["review"].get(pk),
                    latest["visit"].get(pk),
                    codes.coded(codes.PERMANENCE_PLAN, permanence.get(pk, "")),
                    latest["iro"].get(pk),
                    latest["health"].get(pk),
                    latest["dental"].get(pk),
                    len(placements),
                    period.end_date,
                    codes.coded(codes.REASON_CEASED, period.reason_ceased)
                    if period.end_date
                    else "",
                    placement.start_date,
                    codes.coded(
                        codes.PLACEMENT_TYPE,
                        episode.placement_type,
                        fallback=CodeListName.PLACEMENT_TYPE,
                    ),
                    codes.coded(codes.PLACEMENT_PROVIDER, episode.placement_provider),
                    episode.placement_postcode,
                    episode.ofsted_urn,
                    codes.coded(codes.PLACEMENT_LOCATION, episode.area),
                    "",  # LA of placement: not recorded
                    sum(1 for m in child_missing if m[0] == MISSING),
                    sum(1 for m in child_missing if m[0] == ABSENT),
                    codes.yes_no(last_missing[-1][1]) if last_missing else "",
                    codes.yes_no(last_missing[-1][2]) if last_missing else "",
                    *self._allocated(pk),
                ]
            )
        return rows

    def _latest_dates(self, ids: Who) -> dict[str, dict[int, datetime.date]]:
        """The latest review, social work visit, review the child attended (the IRO's last
        contact), health assessment and dental check of each child by the as-at date."""
        reviews = LACReview.objects.filter(person_id__in=ids, review_date__lte=self.as_at)
        health = HealthRecord.objects.filter(person_id__in=ids, event_date__lte=self.as_at)
        return {
            "review": _latest_by_person(reviews, "review_date"),
            "iro": _latest_by_person(
                reviews.filter(Q(participation__in=ATTENDING) | Q(child_attended=True)),
                "review_date",
            ),
            "visit": _latest_by_person(
                LACVisit.objects.filter(person_id__in=ids, visit_date__lte=self.as_at),
                "visit_date",
            ),
            "health": _latest_by_person(
                health.filter(kind__in=derive.HEALTH_ASSESSMENTS), "event_date"
            ),
            "dental": _latest_by_person(health.filter(kind=HealthRecord.Kind.DENTAL), "event_date"),
        }

    # -- list 9: care leavers --------------------------------------------------------------

    def list_9(self) -> list[Row]:
        """Care leavers on the as-at date: eligible, relevant, former relevant and qualifying
        young people (``lookedafter.derive.care_leaver_status``)."""
        youngest, oldest = CARE_LEAVER_AGES
        candidates = Person.objects.filter(
            merged_into__isnull=True,
            date_of_birth__gt=add_calendar_months(self.as_at, -12 * (oldest + 1)),
            date_of_birth__lte=add_calendar_months(self.as_at, -12 * youngest),
            care_episodes__start_date__lte=self.as_at,
        ).distinct()
        people = {person.pk: person for person in candidates}
        episodes = self._episodes(people)
        status: dict[int, str] = {}
        for pk, person in people.items():
            eligibility = derive.care_leaver_status(person, episodes.get(pk, []), self.as_at)
            if eligibility is not None and (
                person.date_of_death is None or person.date_of_death > self.as_at
            ):
                status[pk] = eligibility.value
        contacts: dict[int, CareLeaverContact] = {}
        for contact in CareLeaverContact.objects.filter(
            person_id__in=list(status), contact_date__lte=self.as_at
        ).order_by("contact_date", "id"):
            contacts[contact.person_id] = contact
        live = self._rows_for(status)
        rows = []
        for pk in sorted(status.keys() & live.keys()):
            latest = contacts.get(pk)
            rows.append(
                [
                    *self._child(pk),
                    self._disability(pk),
                    *self._allocated(pk),
                    codes.ELIGIBILITY[status[pk]],
                    codes.coded(codes.IN_TOUCH, latest.in_touch) if latest else "",
                    codes.coded(codes.ACCOMMODATION, latest.accommodation) if latest else "",
                    codes.SUITABLE[latest.accommodation_suitable]
                    if latest and latest.accommodation_suitable is not None
                    else "",
                    codes.coded(codes.ACTIVITY, latest.activity) if latest else "",
                ]
            )
        return rows

    # -- lists 10 and 11: adoption ---------------------------------------------------------

    def _adoptions(self) -> list[Adoption]:
        """Decisions that a child should be placed for adoption which were made, reversed or
        led to an adoption order in the twelve months, with the dates that followed them."""
        since = self.period.twelve_months_start
        decisions = list(
            AdoptionDecision.objects.filter(decided_on__lte=self.as_at).order_by("decided_on", "id")
        )
        episodes = self._episodes({d.person_id for d in decisions})
        adoptions = []
        for decision in decisions:
            adoption = Adoption.of(decision, episodes.get(decision.person_id, []), self.as_at)
            touched = [
                decision.decided_on,
                adoption.reversed_on,
                adoption.order_on,
                adoption.matched_on,
                adoption.placed_on,
            ]
            if any(day is not None and since <= day <= self.as_at for day in touched) or (
                adoption.reversed_on is None and adoption.order_on is None
            ):
                adoptions.append(adoption)
        return adoptions

    def list_10(self) -> list[Row]:
        """Children with a decision to place for adoption in the twelve months, or adopted,
        or whose decision was reversed in them, or still waiting: one row per decision."""
        adoptions = self._adoptions()
        self._adoptions_cache = adoptions
        live = self._rows_for(a.decision.person_id for a in adoptions)
        rows = []
        for adoption in adoptions:
            pk = adoption.decision.person_id
            if pk not in live:
                continue
            child = self._child(pk)
            rows.append(
                [
                    child[0],
                    adoption.family_id if adoption.matched_on else "",
                    *child[1:],
                    self._disability(pk),
                    adoption.entered_care,
                    adoption.decision.decided_on,
                    adoption.placement_order_on,
                    adoption.matched_on,
                    adoption.placed_on,
                    adoption.order_on,
                    adoption.reversed_on,
                    codes.coded(codes.REASON_NO_LONGER_ADOPTION, adoption.reason_reversed),
                    adoption.fostering_for_adoption_on,
                ]
            )
        return rows

    def list_11(self) -> list[Row]:
        """Adopters matched with a child in the twelve months or since: one row per adopter,
        as far as the child's record names them (the adopters' sex; 903 AD1)."""
        adoptions = getattr(self, "_adoptions_cache", None) or self._adoptions()
        rows: list[Row] = []
        for adoption in adoptions:
            decision = adoption.decision
            if adoption.matched_on is None or adoption.reversed_on is not None:
                continue
            genders = codes.ADOPTERS_GENDER.get(decision.adopters_sex, ("",))
            for number, gender in enumerate(genders, start=1):
                rows.append(
                    [
                        f"{adoption.family_id}-{number}",
                        adoption.family_id,
                        gender,
                        "",  # ethnicity: not recorded
                        "",  # disability: not recorded
                        "Yes" if adoption.fostering_for_adoption_on else "No",
                        None,  # enquiry and stages: the adoption agency's record
                        None,
                        None,
                        None,
                        None,
                        None,
                        None,
                        adoption.matched_on,
                        adoption.placed_on,
                        1 if adoption.placed_on else None,
                        adoption.order_on,
                        None,
                        "",
                    ]
                )
        return rows


@dataclass(frozen=True)
class Adoption:
    """A decision that a child should be placed for adoption, and what followed, as it stood
    on the as-at date."""

    decision: AdoptionDecision
    entered_care: datetime.date | None
    placement_order_on: datetime.date | None
    matched_on: datetime.date | None
    placed_on: datetime.date | None
    order_on: datetime.date | None
    reversed_on: datetime.date | None
    reason_reversed: str
    fostering_for_adoption_on: datetime.date | None

    @property
    def family_id(self) -> str:
        """The adopters' family, as lists 10 and 11 name it: the decision that matched them."""
        return f"A{self.decision.pk}"

    @classmethod
    def of(
        cls, decision: AdoptionDecision, episodes: Sequence[Episode], as_at: datetime.date
    ) -> Adoption:
        periods = derive.periods_of_care(episodes)
        period = next((p for p in reversed(periods) if p.start_date <= decision.decided_on), None)
        in_period: Sequence[Episode] = period.episodes if period else ()

        def first(condition: Any) -> datetime.date | None:
            return next((e.start_date for e in in_period if condition(e)), None)

        reversed_on = _shown(decision.ceased_on, as_at)
        last = in_period[-1] if in_period else None
        order_on = (
            last.end_date
            if last is not None and last.end_date and last.reason_episode_ceased in ADOPTED
            else None
        )
        return cls(
            decision=decision,
            entered_care=period.start_date if period else None,
            placement_order_on=first(lambda e: e.legal_status == PLACEMENT_ORDER),
            matched_on=_shown(decision.matched_on, as_at),
            placed_on=first(
                lambda e: (
                    e.placement_type in PLACED_FOR_ADOPTION and e.start_date >= decision.decided_on
                )
            ),
            order_on=order_on,
            reversed_on=reversed_on,
            reason_reversed=decision.reason_ceased if reversed_on else "",
            fostering_for_adoption_on=first(lambda e: e.placement_type in FOSTERING_FOR_ADOPTION),
        )
