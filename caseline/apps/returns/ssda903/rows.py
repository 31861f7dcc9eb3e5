"""Each table's rows for one child, from the records already loaded (``records``).

One small function per table, and per item where the record has (or will have) a source, so
a field added to the record plugs into one place. Items Caseline does not yet record are
written blank and named in :data:`NOT_YET_RECORDED`.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from caseline.apps.lookedafter import derive, timescales
from caseline.apps.lookedafter.models import (
    SHORT_BREAK_STATUSES,
    CareLeaverContact,
    HealthRecord,
)
from caseline.apps.people.models import Person
from caseline.apps.returns.identifiers import child_id
from caseline.apps.returns.ssda903 import cohort
from caseline.apps.returns.ssda903.records import ChildRecords
from caseline.apps.returns.ssda903.tables import Row, day, flag
from caseline.apps.returns.years import CollectionYear
from caseline.apps.timescales.calendar import add_calendar_months

# Items of the return with no source in the record yet (table, column): written blank.
NOT_YET_RECORDED = (
    ("Header", "UPN"),  # the reason a UPN is unknown (UN1-UN5), for a child without one
    ("OC2", "SDQ_REASON"),
    ("OC2", "CONVICTED"),
    ("OC2", "HEALTH_CHECK"),
    ("OC2", "INTERVENTION_RECEIVED"),
    ("OC2", "INTERVENTION_OFFERED"),
    ("SWEpisodes", "SW_ID"),  # the social worker's Social Work England registration number
    ("SWEpisodes", "SW_REASON"),  # the reason for a change of social worker
    ("AD1", "*"),
    ("PlacedAdoption", "*"),
    ("PrevPerm", "*"),
    ("DoLo", "*"),
)
MALE, FEMALE = Person.Sex.MALE, Person.Sex.FEMALE
# The SDQ is for children aged 4 to 16 (903 rules 186, 188, 189; DOMAIN.md §2 "SDQ").
SDQ_AGES = range(4, 17)
HEALTH_ASSESSMENTS = frozenset(derive.HEALTH_ASSESSMENTS)
# The 903's categories of need (validator rule 145).
CATEGORIES_OF_NEED = frozenset(f"N{n}" for n in range(1, 9))
# The answers "not in touch" leave activity and accommodation "0" (903 rules 344, 345).
NOT_KNOWN = "0"


def _dob(person: Person) -> str:
    return day(person.date_of_birth)


# --- Header ----------------------------------------------------------------------------------


def mother(child: ChildRecords, looked_after_in_year: bool) -> tuple[str, str]:
    """MOTHER and MC_DOB: for a girl looked after in the year, whether she is a mother (1/0)
    and her first child's date of birth (903 rules 165, 628: not for boys, nor for care
    leavers not looked after in the year)."""
    if child.person.sex != FEMALE or not looked_after_in_year:
        return "", ""
    if not child.children_born:
        return "0", ""
    return "1", day(child.children_born[0])


def upn(person: Person) -> str:
    """UPN: the unique pupil number. A child without one needs the reason it is unknown
    (UN1-UN5, 903 rule 442), which the record does not hold yet: blank."""
    return person.upn.strip().upper()


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
    """HOME_POST: the postcode of the home the child lived in when the period of care began
    (the latest address started on or before that day and not ended before it)."""
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
    for episode in cohort.episodes_in_year(child.episodes, year):
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


def review_rows(child: ChildRecords) -> list[Row]:
    """Each looked-after review held in the year."""
    return [
        (child_id(child.person.pk), _dob(child.person), day(r.review_date), r.participation)
        for r in child.reviews
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


def uasc_rows(child: ChildRecords, year: CollectionYear) -> list[Row]:
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


def social_worker_id(child: ChildRecords, worker_id: int) -> str:
    """SW_ID: the social worker's Social Work England registration number. Not yet recorded
    (see :data:`NOT_YET_RECORDED`): blank."""
    return ""


def social_worker_change_reason(child: ChildRecords) -> str:
    """SW_REASON: why the social worker changed. Not yet recorded: blank."""
    return ""


def social_worker_rows(child: ChildRecords, year: CollectionYear) -> list[Row]:
    """Each allocation of a social worker open in the year (903 rule SW12STG2 asks for the
    whole year, also while the child was not looked after). One still open at 31 March has no
    end (rule SW07STG2)."""
    return [
        (
            child_id(child.person.pk),
            _dob(child.person),
            social_worker_id(child, a.worker_id) if a.worker_id is not None else "",
            day(a.start_date),
            day(a.end_date) if a.end_date is not None and a.end_date <= year.end else "",
            social_worker_change_reason(child),
        )
        for a in child.allocations
    ]


# --- OC2 -------------------------------------------------------------------------------------


def _of_kind(health: Sequence[HealthRecord], *kinds: str) -> list[HealthRecord]:
    return [h for h in health if h.kind in kinds]


def sdq_score(child: ChildRecords, year: CollectionYear) -> str:
    """SDQ_SCORE: the latest SDQ score in the year, for a child aged 4 to 16."""
    age = child.person.age_on(year.end)
    if age is None or age not in SDQ_AGES:
        return ""
    scored = [h for h in _of_kind(child.health, HealthRecord.Kind.SDQ) if h.sdq_score is not None]
    return str(scored[-1].sdq_score) if scored else ""


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


def health_assessment(child: ChildRecords, year: CollectionYear) -> str:
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


def oc2_rows(child: ChildRecords, year: CollectionYear) -> list[Row]:
    """The child's OC2 row if they were looked after continuously for 12 months at 31 March."""
    if not cohort.continuously_looked_after(child.episodes, year):
        return []
    return [
        (
            child_id(child.person.pk),
            _dob(child.person),
            sdq_score(child, year),
            "",  # SDQ_REASON
            "",  # CONVICTED
            "",  # HEALTH_CHECK
            immunisations(child),
            teeth_check(child),
            health_assessment(child, year),
            substance_misuse(child),
            "",  # INTERVENTION_RECEIVED
            "",  # INTERVENTION_OFFERED
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


def oc3_row(child: ChildRecords, leaver: cohort.CareLeaverBirthday) -> Row:
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


# --- Tables with no source yet ---------------------------------------------------------------


def ad1_rows(child: ChildRecords, year: CollectionYear) -> list[Row]:
    """AD1 (adoptions in the year): no source yet."""
    return []


def placed_adoption_rows(child: ChildRecords, year: CollectionYear) -> list[Row]:
    """PlacedAdoption (decisions that the child should be placed for adoption): no source
    yet."""
    return []


def previous_permanence_rows(child: ChildRecords, year: CollectionYear) -> list[Row]:
    """PrevPerm (permanence before a period of care that began in the year): no source yet."""
    return []


def dolo_rows(child: ChildRecords, year: CollectionYear) -> list[Row]:
    """DoLo (deprivation of liberty orders, from 2026-27): no source yet."""
    return []
