"""Each table's rows for one child, from the records already loaded (``records``).

One small function per table, and per item where the record has (or will have) a source, so
a field added to the record plugs into one place. Every item has its source in
the record; an item is blank where the record does not hold it (the validator then says so),
or where the DfE's rules leave it blank.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from caseline.apps.lookedafter import derive, timescales
from caseline.apps.lookedafter.models import (
    SHORT_BREAK_STATUSES,
    STARTED,
    AdoptionDecision,
    CareLeaverContact,
    Episode,
    HealthRecord,
    LACReview,
)
from caseline.apps.people.models import Allocation, Person
from caseline.apps.returns import cohorts
from caseline.apps.returns.identifiers import child_id
from caseline.apps.returns.rules.ssda903 import ADOPTED
from caseline.apps.returns.ssda903.records import ChildRecords
from caseline.apps.returns.ssda903.tables import Row, day, flag
from caseline.apps.returns.years import CollectionYear
from caseline.apps.timescales.calendar import add_calendar_months

MALE, FEMALE = Person.Sex.MALE, Person.Sex.FEMALE
# The SDQ is for children aged 4 to 16: a score or a reason for none from the year the child
# turns 4 to the year they turn 17 (903 rules 186, 188, 189, 197B; DOMAIN.md §2 "SDQ").
SDQ_FIRST_AGE, SDQ_AGE_OUT = 4, 17
# CONVICTED is for children of 10 or more at 31 March (903 rules 542, 543); HEALTH_CHECK for
# children under 5 then (rules 545, 546).
CONVICTED_FROM_AGE = 10
HEALTH_CHECK_BELOW_AGE = 5
HEALTH_ASSESSMENTS = frozenset(derive.HEALTH_ASSESSMENTS)
# The 903's categories of need (validator rule 145).
CATEGORIES_OF_NEED = frozenset(f"N{n}" for n in range(1, 9))
# The answers "not in touch" leave activity and accommodation "0" (903 rules 344, 345).
NOT_KNOWN = "0"
# The reasons a UPN is not known that the 903's UPN column takes in its place (903 rule 168:
# UN1-UN5; UN6 and UN7 are the CIN census's only, code list ``upn_unknown``).
UPN_UNKNOWN_IN_903 = frozenset({"UN1", "UN2", "UN3", "UN4", "UN5"})
# SW_ID of a worker with no Social Work England registration: "XX" and a local identifier
# (903 rule SW02STG1 accepts an ID beginning "SW" or "XX", of four characters or more; the
# meaning of "XX" is from ``accounts.registration``, not checked against the 903 guide).
UNREGISTERED_WORKER_PREFIX = "XX"


def _dob(person: Person) -> str:
    return day(person.date_of_birth)


# --- Header ----------------------------------------------------------------------------------


def mother(child: ChildRecords, looked_after_in_year: bool) -> tuple[str, str]:
    """MOTHER and MC_DOB: for a girl looked after in the year other than on short breaks,
    whether she is a mother (1/0) and her first child's date of birth (903 rules 165, 628:
    not for boys, nor for care leavers not looked after in the year; rule 399: not for a child
    looked after only under V3/V4)."""
    if child.person.sex != FEMALE or not looked_after_in_year:
        return "", ""
    if not child.children_born:
        return "0", ""
    return "1", day(child.children_born[0])


def upn(person: Person) -> str:
    """UPN: the unique pupil number or, for a child without one, why it is not known
    (UN1-UN5: 903 rule 168). UN6 and UN7 are the CIN census's only: blank, which rule 442
    reports as a UPN not given."""
    number = person.upn.strip().upper()
    if number:
        return number
    reason = person.upn_unknown_reason.strip().upper()
    return reason if reason in UPN_UNKNOWN_IN_903 else ""


def header_row(child: ChildRecords, looked_after_in_year: bool) -> Row:
    person = child.person
    is_mother, first_child_born = mother(child, looked_after_in_year)
    return (
        child_id(person.pk),
        person.sex,
        _dob(person),
        person.ethnicity,
        upn(person),
        is_mother,
        first_child_born,
    )


# --- Episodes --------------------------------------------------------------------------------


def home_postcode(child: ChildRecords, period_start: datetime.date) -> str:
    """HOME_POST: the postcode of the home the child lived in when the period of care began:
    of the home addresses (``Address.Kind.HOME``, the only ones loaded), the latest started on
    or before that day and not ended before it, as ``people.queries.home_postcode_on`` reads
    it for one child."""
    homes = [
        a
        for a in child.addresses
        if a.start_date <= period_start and (a.end_date is None or a.end_date >= period_start)
    ]
    return _postcode(homes[-1].postcode) if homes else ""


def _postcode(value: str) -> str:
    return " ".join(value.upper().split())


def category_of_need(child: ChildRecords, on: datetime.date) -> str:
    """CIN: the primary need of the child's latest referral on or before ``on`` (the start of
    the period of care: every episode of a period has its category, 903 rule 504), if it is one
    of the 903's categories N1-N8 (the CIN census's N0 and N9 are not: 903 rule 145)."""
    before = [r for r in child.referrals if r.referral_date <= on]
    need = before[-1].primary_need if before else ""
    return need if need in CATEGORIES_OF_NEED else ""


def episode_rows(child: ChildRecords, year: CollectionYear) -> list[Row]:
    """Each episode open in the year. An episode that ended after 31 March is open in the
    return; its category of need and home postcode are those at the start of its period of
    care. A short break (V3/V4) has no postcodes or URN (903 rules 214, 398)."""
    period_start = {
        episode.pk: period.start_date
        for period in derive.periods_of_care(child.episodes)
        for episode in period.episodes
    }
    rows: list[Row] = []
    for episode in cohorts.episodes_in_year(child.episodes, year):
        began = period_start.get(episode.pk, episode.start_date)
        ended = episode.end_date is not None and episode.end_date <= year.end
        short_break = episode.legal_status in SHORT_BREAK_STATUSES
        rows.append(
            (
                child_id(child.person.pk),
                day(episode.start_date),
                episode.reason_new_episode,
                episode.legal_status,
                category_of_need(child, began),
                episode.placement_type,
                episode.placement_provider,
                day(episode.end_date) if ended else "",
                episode.reason_episode_ceased if ended else "",
                episode.reason_place_change if ended else "",
                "" if short_break else home_postcode(child, began),
                "" if short_break else _postcode(episode.placement_postcode),
                "" if short_break else episode.ofsted_urn.strip().upper(),
            )
        )
    return rows


# --- Reviews, Missing, UASC, SWEpisodes ------------------------------------------------------


def episode_on(episodes: Sequence[Episode], on: datetime.date) -> Episode | None:
    """The episode in force on ``on``: the latest started on or before it and not ended
    before it (on a change of episode, the one that starts that day)."""
    current = [
        e for e in episodes if e.start_date <= on and (e.end_date is None or e.end_date >= on)
    ]
    return max(current, key=lambda e: (e.start_date, e.pk or 0)) if current else None


def short_break_review(child: ChildRecords, review: LACReview) -> bool:
    """Whether the review was held while the child was under a short-break legal status
    (V3/V4)."""
    episode = episode_on(child.episodes, review.review_date)
    return episode is not None and episode.legal_status in SHORT_BREAK_STATUSES


def review_rows(child: ChildRecords) -> list[Row]:
    """Each looked-after review held in the year, but those held while the child was under
    legal status V3 or V4: short-break reviews are not returned (903 rule 399)."""
    return [
        (child_id(child.person.pk), _dob(child.person), day(r.review_date), r.participation)
        for r in child.reviews
        if not short_break_review(child, r)
    ]


def missing_rows(child: ChildRecords, year: CollectionYear) -> list[Row]:
    """Each time missing (M) or away without authorisation (A) open in the year; one still
    open at 31 March has no end (903 rule 576 looks for it again next year)."""
    return [
        (
            child_id(child.person.pk),
            _dob(child.person),
            m.missing_type,
            day(m.start_date),
            day(m.end_date) if m.end_date is not None and m.end_date <= year.end else "",
        )
        for m in child.missing
    ]


def uasc_rows(child: ChildRecords, year: cohorts.Span) -> list[Row]:
    """The child's UASC row if they were an unaccompanied asylum-seeking child at any time in
    the year. DUC is the day that status ended if it did by 31 March, else the day it will end,
    the 18th birthday (903 rules 205B, 304: last year's DUC of a child still UASC is their
    18th birthday, and this year's the same)."""
    person, details = child.person, child.uasc
    ceased = details.ceased_on if details is not None else None
    if not person.is_uasc and (ceased is None or ceased < year.start):
        return []
    if ceased is None or ceased > year.end:
        ceased = derive.birthday(person, 18) if person.date_of_birth is not None else None
    return [(child_id(person.pk), person.sex, _dob(person), day(ceased))]


def social_worker_id(allocation: Allocation) -> str:
    """SW_ID: the social worker's Social Work England registration number; for a worker not
    registered, "XX" and their Caseline user number, four digits at least (rule SW02STG1), the
    same every year (rule SW16aSTG2 compares the worker with last year's)."""
    worker = allocation.worker
    if worker is None:
        return ""
    number = worker.swe_registration_number.strip().upper()
    return number or f"{UNREGISTERED_WORKER_PREFIX}{worker.pk:04d}"


def social_worker_rows(child: ChildRecords, year: cohorts.Span) -> list[Row]:
    """Each allocation of a named social worker open in the year, with the reason for the
    change of worker (SW_REASON, code list ``social_worker_change_reason``); one still open at
    31 March has no end (rule SW07STG2). They run from the start of the latest period of care
    (not on short breaks) open in the year, whether the child is still looked after at 31
    March or left care in the year: the first is dated from it, and one that ended by then is
    not returned. After care ends they run on while the case stays open with the worker.

    That is the validator's reading (csc-validator-be-903 0.1.17): SW12STG2's code fails an
    episode that began before a period of care (for a child who left care, one whose period
    had more than one episode), though its message asks for the whole year, before care too;
    SW17STG2 wants every child's latest episode open at 31 March. Not checked against the
    DfE's 903 guide (docs/returns.md, "Unchecked against DfE documents")."""
    in_year = [
        period
        for period in derive.periods_of_care(child.episodes)
        if not period.is_short_breaks
        and period.start_date <= year.end
        and (period.end_date is None or period.end_date >= year.start)
    ]
    since = in_year[-1].start_date if in_year else None
    return [
        (
            child_id(child.person.pk),
            _dob(child.person),
            social_worker_id(a),
            day(max(a.start_date, since) if since is not None else a.start_date),
            day(a.end_date) if a.end_date is not None and a.end_date <= year.end else "",
            a.change_reason.strip().upper(),
        )
        for a in child.allocations
        if a.start_date <= year.end and (since is None or a.end_date is None or a.end_date > since)
    ]


# --- OC2 -------------------------------------------------------------------------------------


def _of_kind(health: Sequence[HealthRecord], *kinds: str) -> list[HealthRecord]:
    return [h for h in health if h.kind in kinds]


def sdq_due(person: Person, year: cohorts.Span) -> bool:
    """Whether the OC2 asks for the child's SDQ score (or why there is none): from the year
    they turn 4 to the year they turn 17 (rules 186, 197B), not before (rule 188) nor after
    (rule 189)."""
    if person.date_of_birth is None:
        return False
    return (
        derive.birthday(person, SDQ_FIRST_AGE) <= year.end
        and derive.birthday(person, SDQ_AGE_OUT) >= year.start
    )


def sdq(child: ChildRecords, year: cohorts.Span) -> tuple[str, str]:
    """SDQ_SCORE and SDQ_REASON: the latest score in the year or, with no score in the year,
    the latest reason given for none (code list ``sdq_reason``); never both (rule 197a)."""
    if not sdq_due(child.person, year):
        return "", ""
    questionnaires = _of_kind(child.health, HealthRecord.Kind.SDQ)
    scored = [h for h in questionnaires if h.sdq_score is not None]
    if scored:
        return str(scored[-1].sdq_score), ""
    reasons = [h for h in questionnaires if h.sdq_reason]
    return "", reasons[-1].sdq_reason if reasons else ""


def convicted(child: ChildRecords, year: cohorts.Span) -> str:
    """CONVICTED: for a child of 10 or over at 31 March, 1 if convicted in the year (a
    conviction record dated in it), else 0; blank for a younger child."""
    age = child.person.age_on(year.end)
    if age is None or age < CONVICTED_FROM_AGE:
        return ""
    return flag(bool(_of_kind(child.health, HealthRecord.Kind.CONVICTION)))


def health_check(child: ChildRecords, year: cohorts.Span) -> str:
    """HEALTH_CHECK: for a child under 5 at 31 March, 1 if a development check was recorded in
    the year, else 0; blank for an older child."""
    age = child.person.age_on(year.end)
    if age is None or age >= HEALTH_CHECK_BELOW_AGE:
        return ""
    return flag(bool(_of_kind(child.health, HealthRecord.Kind.DEVELOPMENT)))


def immunisations(child: ChildRecords) -> str:
    """IMMUNISATIONS: 1 if the latest immunisations check in the year found them up to date,
    0 if it did not or none was recorded (DOMAIN.md §2: refusals count as no)."""
    checks = [
        h
        for h in _of_kind(child.health, HealthRecord.Kind.IMMUNISATIONS)
        if h.immunisations_up_to_date is not None
    ]
    return flag(bool(checks) and bool(checks[-1].immunisations_up_to_date))


def teeth_check(child: ChildRecords) -> str:
    """TEETH_CHECK: 1 if a dental check was recorded in the year, else 0."""
    return flag(bool(_of_kind(child.health, HealthRecord.Kind.DENTAL)))


def health_assessment(child: ChildRecords, year: cohorts.Span) -> str:
    """HEALTH_ASSESSMENT: 1 if the health assessments due in the year were done: one for a
    child of 5 or over at 31 March, two for a younger child (assessed every 6 months; DOMAIN.md
    §2 "Health (OC2)"), else 0."""
    done = len([h for h in child.health if h.kind in HEALTH_ASSESSMENTS])
    age = child.person.age_on(year.end)
    needed = 2 if age is not None and age < 5 else 1
    return flag(done >= needed)


def substance_misuse(child: ChildRecords) -> str:
    """SUBSTANCE_MISUSE: 1 if a health record in the year identified substance misuse,
    else 0."""
    return flag(any(h.substance_misuse for h in child.health))


def interventions(child: ChildRecords) -> tuple[str, str]:
    """INTERVENTION_RECEIVED and INTERVENTION_OFFERED, from the latest record in the year that
    identified substance misuse: whether an intervention was received and, if none was,
    whether one was offered (rules 158, 159, 192). Both blank without substance misuse
    (rule 193)."""
    misuse = [h for h in child.health if h.substance_misuse]
    if not misuse:
        return "", ""
    latest = misuse[-1]
    received = latest.intervention_received
    offered = latest.intervention_offered if received is False else None
    return flag(received), flag(offered)


def oc2_rows(child: ChildRecords, year: cohorts.Span) -> list[Row]:
    """The child's OC2 row if they were looked after continuously for 12 months at 31 March."""
    if not cohorts.continuously_looked_after(child.episodes, year):
        return []
    score, reason = sdq(child, year)
    received, offered = interventions(child)
    return [
        (
            child_id(child.person.pk),
            _dob(child.person),
            score,
            reason,
            convicted(child, year),
            health_check(child, year),
            immunisations(child),
            teeth_check(child),
            health_assessment(child, year),
            substance_misuse(child),
            received,
            offered,
        )
    ]


# --- OC3 -------------------------------------------------------------------------------------


def birthday_contact(
    contacts: Sequence[CareLeaverContact], birthday: datetime.date
) -> CareLeaverContact | None:
    """The keeping-in-touch contact around ``birthday``: the first from 3 months before it to
    the contact's due date (the window ``derive.birthday_contact`` uses)."""
    opens = add_calendar_months(birthday, -3)
    due = timescales.BIRTHDAY_CONTACT.due_date(birthday)
    in_window = [c for c in contacts if opens <= c.contact_date <= due]
    return in_window[0] if in_window else None


def oc3_row(child: ChildRecords, leaver: cohorts.CareLeaverBirthday) -> Row:
    """IN_TOUCH, ACTIV and ACCOM from the contact around the birthday; blank when none was
    recorded. A young person not in touch has activity and accommodation 0 (not known)."""
    person = child.person
    contact = birthday_contact(child.contacts, leaver.birthday)
    if contact is None:
        if person.date_of_death is not None and person.date_of_death <= leaver.birthday:
            return (child_id(person.pk), _dob(person), "DIED", NOT_KNOWN, NOT_KNOWN)
        return (child_id(person.pk), _dob(person), "", "", "")
    in_touch = contact.in_touch == "YES"
    return (
        child_id(person.pk),
        _dob(person),
        contact.in_touch,
        contact.activity if in_touch else NOT_KNOWN,
        contact.accom_code if in_touch else NOT_KNOWN,
    )


# --- AD1, PlacedAdoption, PrevPerm, DoLo ----------------------------------------------------


def adoption_day(child: ChildRecords, year: cohorts.Span) -> datetime.date | None:
    """The day the child was adopted, if an episode ended in the year with an adoption (REC
    E11 or E12; 903 rules 601, 602 read the same). The adoption indicators read it too."""
    adopted = [
        e.end_date
        for e in child.episodes
        if e.end_date is not None
        and cohorts.in_span(e.end_date, year)
        and e.reason_episode_ceased in ADOPTED
    ]
    return max(adopted) if adopted else None


def decision_adopted_under(
    decisions: Sequence[AdoptionDecision], adopted: datetime.date
) -> AdoptionDecision | None:
    """The decision that led to the adoption: the latest made by the day of the adoption that
    did not cease (903 rule 525: a decision reversed leads to no adoption)."""
    standing = [d for d in decisions if d.decided_on <= adopted and d.ceased_on is None]
    return standing[-1] if standing else None


def ad1_rows(child: ChildRecords, year: CollectionYear) -> list[Row]:
    """AD1: a child adopted in the year, with the decision that led to it (DATE_INT is its
    date, as the PlacedAdoption's DATE_PLACED: rule 523), the match and the adopters. A child
    adopted with no such decision recorded has the row with its items blank, so the validator
    reports them missing (rule 601) rather than the return leaving the adoption out."""
    adopted = adoption_day(child, year)
    if adopted is None:
        return []
    person = child.person
    decision = decision_adopted_under(child.adoption_decisions, adopted)
    if decision is None:
        return [(child_id(person.pk), _dob(person), "", "", "", "", "", "")]
    adopters = decision.number_of_adopters
    return [
        (
            child_id(person.pk),
            _dob(person),
            day(decision.decided_on),
            day(decision.matched_on),
            flag(decision.adopted_by_foster_carers),
            "" if adopters is None else str(adopters),
            decision.adopters_sex,
            decision.adopters_legal_status,
        )
    ]


def placed_adoption_rows(child: ChildRecords, year: CollectionYear) -> list[Row]:
    """PlacedAdoption: each decision that the child should be placed for adoption in force at
    any time in the year: made by 31 March and not ceased before 1 April (a decision that
    ceased before the year is not returned: rule 118; one made before the year is in last
    year's return too: rule 559). A decision that ceased after 31 March is open in the return
    (rule 117: no date after the year)."""
    rows: list[Row] = []
    for decision in child.adoption_decisions:
        ceased = decision.ceased_on
        if ceased is not None and ceased < year.start:
            continue
        ceased_in_year = ceased is not None and ceased <= year.end
        rows.append(
            (
                child_id(child.person.pk),
                _dob(child.person),
                day(decision.decided_on),
                day(ceased) if ceased_in_year else "",
                decision.reason_ceased if ceased_in_year else "",
            )
        )
    return rows


# Whether the child had a previous permanence option is not known (P4): the validator's rule 630
# still wants LA_PERM and DATE_PERM (blank only for Z1), so they are returned as not known:
# NUK (in the validator's list of LA_PERM values) and a date with every part ZZ (its reading
# of a date part not known). Caseline's reading of the validator; not checked against the 903
# guide.
PREVIOUS_PERMANENCE_NOT_KNOWN = "P4"
LA_NOT_KNOWN = "NUK"
DATE_NOT_KNOWN = "ZZ/ZZ/ZZZZ"


def previous_permanence_rows(child: ChildRecords, year: CollectionYear) -> list[Row]:
    """PrevPerm: for a child who started a period of care in the year (903 rule 630: every
    child with an episode starting a period, RNE S, in the year; rule 634: no other child),
    one row (rule INT35), from the previous permanence recorded for the latest such period.
    A child with none recorded has no row, which rule 630 reports."""
    recorded = {p.episode_id: p for p in child.previous_permanence}
    started = [
        period
        for period in derive.periods_of_care(child.episodes)
        if period.start_date in year and period.episodes[0].reason_new_episode == STARTED
    ]
    for period in reversed(started):
        found = next((recorded[e.pk] for e in period.episodes if e.pk in recorded), None)
        if found is not None:
            arranged_by, date_perm = found.arranged_by, found.date_perm
            if found.option == PREVIOUS_PERMANENCE_NOT_KNOWN:
                arranged_by, date_perm = LA_NOT_KNOWN, DATE_NOT_KNOWN
            return [
                (
                    child_id(child.person.pk),
                    _dob(child.person),
                    found.option,
                    arranged_by,
                    date_perm,
                )
            ]
    return []


def dolo_rows(child: ChildRecords, year: CollectionYear) -> list[Row]:
    """DoLo (from 2026-27): each deprivation of liberty order in force at any time in the
    year (903 rule 704: none that ended before it; rule 706: one open at last year's end is
    returned again); one still in force at 31 March has no end (rules 703, 704)."""
    return [
        (
            child_id(child.person.pk),
            _dob(child.person),
            day(order.start_date),
            day(order.end_date)
            if order.end_date is not None and order.end_date <= year.end
            else "",
        )
        for order in child.dolo_orders
    ]
