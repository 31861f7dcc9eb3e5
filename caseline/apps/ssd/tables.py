"""Each SSD table Caseline holds, read from the record a chunk at a time.

One generator per table yields rows as ``{column: value}`` with Python values (dates, booleans,
numbers, dicts for the ``*_json`` columns); :mod:`caseline.apps.ssd.export` writes them in the
spec's column order and form. A table the record does not hold has no generator here and is
written empty, with the reason in :data:`EMPTY`.

Identifiers are Caseline's own record numbers: a person is named as the returns name a child
(``returns.identifiers.child_id``), so the SSD, the CIN census and the SSDA903 agree; every
other row by its own record number.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, Model, OuterRef, Q

from caseline.apps.accounts.models import Team, User
from caseline.apps.assessments.checks import factor_order
from caseline.apps.assessments.models import Assessment
from caseline.apps.cin.models import CINPlan, CINVisit, PreProceedings
from caseline.apps.education.models import (
    EhcpActivePlan,
    EhcpAssessment,
    EhcpNamedPlan,
    EhcpRequest,
    SendRecord,
    SenNeed,
)
from caseline.apps.frontdoor.models import Contact, ContactPerson, EarlyHelpEpisode, Referral
from caseline.apps.lookedafter import models as la
from caseline.apps.people.models import (
    Address,
    Allocation,
    Household,
    HouseholdMember,
    Person,
    Relationship,
)
from caseline.apps.protection.models import (
    Conference,
    ProtectionPlan,
    ProtectionVisit,
    Section47Enquiry,
)
from caseline.apps.recording.models import ChildVoice
from caseline.apps.returns.identifiers import child_id

Row = dict[str, Any]
CHUNK = 2000

EMPTY: dict[str, str] = {
    "ssd_cla_care_plan": "Caseline's care plan records one permanence plan, not the SSD's "
    "ten planning flags.",
}


class SourceIds:
    """The ids records had in the system they were imported from (``SourceRecord``).

    A record made by an SSD import is named by its source id, so that an extract imported
    and exported again comes out as it went in; any other by its Caseline record number. Each
    model's imported ids are read once per export, when a table first asks (none are read for
    a record that was never imported into).
    """

    def __init__(self) -> None:
        self.by_model: dict[tuple[type[Model], str], dict[int, str]] = {}

    def of(self, model: type[Model], pk: int | None, table: str = "") -> str | None:
        """``table`` names the SSD table when one record is the row of several (a 903
        episode is an episode, a placement and a legal status, each with its source id)."""
        if pk is None:
            return None
        ids = self.by_model.get((model, table))
        if ids is None:
            from caseline.apps.ssd.models import SourceRecord

            kind = ContentType.objects.get_for_model(model)
            imported = SourceRecord.objects.filter(content_type=kind)
            if table:
                imported = imported.filter(table=table)
            ids = dict(imported.values_list("object_id", "source_id").iterator(chunk_size=CHUNK))
            self.by_model[(model, table)] = ids
        return ids.get(pk) or (child_id(pk) if model is Person else str(pk))


_source = SourceIds()


def _id(pk: int | None) -> str | None:
    return None if pk is None else str(pk)


def _person(pk: int | None) -> str | None:
    return _source.of(Person, pk)


def person_id(pk: int | None) -> str | None:
    """A person's id in the extract (their source id if imported, else as the returns name
    them)."""
    return _person(pk)


def _of(model: type[Model], pk: int | None, table: str = "") -> str | None:
    return _source.of(model, pk, table)


def _episode(pk: int | None, table: str) -> str | None:
    """A 903 episode as the row of ``table`` (its episode, placement or legal status)."""
    return _source.of(la.Episode, pk, table)


def _values(queryset: Any, *fields: str) -> Iterator[tuple[Any, ...]]:
    """The fields of every row in record order, read a chunk at a time."""
    rows: Iterator[tuple[Any, ...]] = (
        queryset.order_by("pk").values_list(*fields).iterator(chunk_size=CHUNK)
    )
    return rows


def _flags(names: list[str], true: set[str], count_key: str, comments: str) -> dict[str, Any]:
    """An outcome ``*_json`` object: every key present, flags Y/N, the number of outcomes."""
    values: dict[str, Any] = {name: "Y" if name in true else "N" for name in names}
    values["OTHER_OUTCOMES_EXIST_FLAG"] = "N"
    values[count_key] = len(true)
    values["COMMENTS" if "COMMENTS" in comments else "OUTCOME_COMMENTS"] = None
    return values


# ---- people ---------------------------------------------------------------------------------


def people() -> Iterator[Row]:
    mothers = Relationship.objects.filter(
        person_id=OuterRef("pk"), kind=Relationship.Kind.PARENT
    ).filter(person__sex=Person.Sex.FEMALE)
    rows = (
        Person.objects.filter(merged_into__isnull=True)
        .annotate(is_mother=Exists(mothers))
        .order_by("pk")
        .values_list(
            "pk",
            "upn",
            "given_name",
            "family_name",
            "sex",
            "ethnicity",
            "date_of_birth",
            "nhs_number",
            "upn_unknown_reason",
            "expected_date_of_birth",
            "date_of_death",
            "is_mother",
            "nationality",
        )
        .iterator(chunk_size=CHUNK)
    )
    for (
        pk,
        upn,
        given,
        family,
        sex,
        ethnicity,
        dob,
        nhs,
        upn_unknown,
        edd,
        died,
        mother,
        nat,
    ) in rows:
        yield {
            "pers_person_id": _person(pk),
            "pers_upn": upn,
            "pers_forename": given,
            "pers_surname": family,
            "pers_sex": sex,
            "pers_gender": sex,
            "pers_ethnicity": ethnicity,
            "pers_dob": dob,
            "pers_single_unique_id": nhs,
            "pers_upn_unknown": upn_unknown,
            "pers_expected_dob": edd,
            "pers_death_date": died,
            "pers_is_mother": "Y" if mother else "N",
            "pers_nationality": nat,
        }


def family() -> Iterator[Row]:
    for pk, household, person in _values(
        HouseholdMember.objects, "pk", "household_id", "person_id"
    ):
        yield {
            "fami_table_id": _of(HouseholdMember, pk),
            "fami_family_id": _of(Household, household),
            "fami_person_id": _person(person),
        }


def addresses() -> Iterator[Row]:
    rows = _values(
        Address.objects,
        "pk",
        "person_id",
        "kind",
        "start_date",
        "end_date",
        "postcode",
        "line_1",
        "line_2",
        "town",
    )
    for pk, person, kind, start, end, postcode, line_1, line_2, town in rows:
        yield {
            "addr_table_id": _of(Address, pk),
            "addr_person_id": _person(person),
            "addr_address_type": kind,
            "addr_address_start_date": start,
            "addr_address_end_date": end,
            "addr_address_postcode": postcode,
            "addr_address_json": {
                "ROOM": None,
                "FLOOR": None,
                "FLAT": None,
                "BUILDING": line_1 or None,
                "HOUSE": None,
                "STREET": line_2 or None,
                "TOWN": town or None,
                "UPRN": None,
                "EASTING": None,
                "NORTHING": None,
            },
        }


def disability() -> Iterator[Row]:
    rows = _values(Person.objects.filter(merged_into__isnull=True), "pk", "disabilities")
    for pk, codes in rows:
        for code in codes or []:
            yield {
                "disa_table_id": f"{_person(pk)}-{code}",
                "disa_person_id": _person(pk),
                "disa_disability_code": code,
            }


def immigration_status() -> Iterator[Row]:
    people = Person.objects.filter(merged_into__isnull=True).exclude(immigration_status="")
    for pk, status in _values(people, "pk", "immigration_status"):
        yield {
            "immi_immigration_status_id": _person(pk),
            "immi_person_id": _person(pk),
            "immi_immigration_status_start_date": None,
            "immi_immigration_status_end_date": None,
            "immi_immigration_status": status,
        }


def mothers() -> Iterator[Row]:
    rows = _values(
        Relationship.objects.filter(kind=Relationship.Kind.PARENT, person__sex=Person.Sex.FEMALE),
        "pk",
        "person_id",
        "other_id",
        "other__date_of_birth",
    )
    for pk, mother, child, dob in rows:
        yield {
            "moth_table_id": _of(Relationship, pk),
            "moth_person_id": _person(mother),
            "moth_childs_person_id": _person(child),
            "moth_childs_dob": dob,
        }


def linked_identifiers() -> Iterator[Row]:
    people = Person.objects.filter(merged_into__isnull=True).exclude(former_upn="")
    for pk, former in _values(people, "pk", "former_upn"):
        yield {
            "link_table_id": f"{_person(pk)}-former-upn",
            "link_person_id": _person(pk),
            "link_identifier_type": "Former Unique Pupil Number",
            "link_identifier_value": former,
            "link_valid_from_date": None,
            "link_valid_to_date": None,
        }


# ---- front door, assessment, children in need ----------------------------------------------

CONTACT_OUTCOME_KEYS = [
    "NEW_REFERRAL_FLAG",
    "EXISTING_REFERRAL_FLAG",
    "CP_ENQUIRY_FLAG",
    "NFA_FLAG",
    "NON_AGENCY_ADOPTION_FLAG",
    "PRIVATE_FOSTERING_FLAG",
    "ADVICE_FLAG",
    "MISSING_FLAG",
    "OLA_CP_FLAG",
]
CONTACT_DECISION_FLAGS = {
    Contact.Decision.REFERRAL: "NEW_REFERRAL_FLAG",
    Contact.Decision.STRATEGY: "CP_ENQUIRY_FLAG",
    Contact.Decision.NO_FURTHER_ACTION: "NFA_FLAG",
    Contact.Decision.ADVICE: "ADVICE_FLAG",
}


@functools.cache
def contact_outcome(decision: str) -> dict[str, Any] | None:
    """``cont_contact_outcome_json`` for a contact's decision (None before it is decided)."""
    if not decision:
        return None
    flag = CONTACT_DECISION_FLAGS.get(Contact.Decision(decision))
    outcome = _flags(
        CONTACT_OUTCOME_KEYS, {flag} if flag else set(), "NUMBER_OF_OUTCOMES", "COMMENTS"
    )
    outcome["COMMENTS"] = Contact.Decision(decision).label
    return outcome


def contacts() -> Iterator[Row]:
    rows = _values(
        ContactPerson.objects.filter(role=ContactPerson.Role.SUBJECT),
        "pk",
        "person_id",
        "contact__received_at",
        "contact__source",
        "contact__decision",
    )
    for pk, person, received, source, decision in rows:
        yield {
            "cont_contact_id": _of(ContactPerson, pk),
            "cont_person_id": _person(person),
            "cont_contact_date": received,
            "cont_contact_source_code": source,
            "cont_contact_source_desc": None,
            "cont_contact_outcome_json": contact_outcome(decision),
        }


def early_help() -> Iterator[Row]:
    rows = _values(
        EarlyHelpEpisode.objects,
        "pk",
        "person_id",
        "start_date",
        "end_date",
        "reason",
        "end_reason",
        "organisation",
        "lead_practitioner",
    )
    for pk, person, start, end, reason, end_reason, organisation, _lead in rows:
        yield {
            "earl_episode_id": _of(EarlyHelpEpisode, pk),
            "earl_person_id": _person(person),
            "earl_episode_start_date": start,
            "earl_episode_end_date": end,
            "earl_episode_reason": reason,
            "earl_episode_end_reason": end_reason or None,
            "earl_episode_organisation": organisation or None,
        }


def cin_episodes() -> Iterator[Row]:
    rows = _values(
        Referral.objects,
        "pk",
        "person_id",
        "referral_date",
        "primary_need",
        "source",
        "nfa",
        "closure_reason",
        "closed_on",
        "opened_by_id",
    )
    for pk, person, referred, need, source, nfa, reason, closed, opened_by in rows:
        yield {
            "cine_referral_id": _of(Referral, pk),
            "cine_person_id": _person(person),
            "cine_referral_date": referred,
            "cine_cin_primary_need_code": need,
            "cine_referral_source_code": source,
            "cine_referral_nfa": nfa,
            "cine_close_reason": reason,
            "cine_close_date": closed,
            "cine_referral_worker_id": _of(User, opened_by),
        }


ASSESSMENT_OUTCOME_KEYS = [
    "NFA_FLAG",
    "NFA_S47_END_FLAG",
    "STRATEGY_DISCUSSION_FLAG",
    "CLA_REQUEST_FLAG",
    "PRIVATE_FOSTERING_FLAG",
    "LEGAL_ACTION_FLAG",
    "PROV_OF_SERVICES_FLAG",
    "PROV_OF_SB_CARE_FLAG",
    "SPECIALIST_ASSESSMENT_FLAG",
    "REFERRAL_TO_OTHER_AGENCY_FLAG",
    "OTHER_ACTIONS_FLAG",
]
ASSESSMENT_OUTCOME_FLAGS = {
    Assessment.Outcome.NO_FURTHER_ACTION: "NFA_FLAG",
    Assessment.Outcome.CIN_PLAN: "PROV_OF_SERVICES_FLAG",
    Assessment.Outcome.STRATEGY: "STRATEGY_DISCUSSION_FLAG",
    Assessment.Outcome.EARLY_HELP: "REFERRAL_TO_OTHER_AGENCY_FLAG",
    Assessment.Outcome.LOOKED_AFTER: "CLA_REQUEST_FLAG",
    Assessment.Outcome.OTHER: "OTHER_ACTIONS_FLAG",
}


@functools.cache
def assessment_outcome(outcome: str) -> dict[str, Any] | None:
    """``cina_assessment_outcome_json`` for an assessment's outcome (None before one)."""
    if not outcome:
        return None
    flag = ASSESSMENT_OUTCOME_FLAGS[Assessment.Outcome(outcome)]
    values = _flags(ASSESSMENT_OUTCOME_KEYS, {flag}, "TOTAL_NO_OF_OUTCOMES", "COMMENTS")
    values["COMMENTS"] = Assessment.Outcome(outcome).label
    return values


def cin_assessments() -> Iterator[Row]:
    rows = _values(
        Assessment.objects,
        "pk",
        "person_id",
        "referral_id",
        "start_date",
        "child_seen",
        "authorised_on",
        "outcome",
        "recorded_by_id",
        "recorded_by__team_id",
    )
    for pk, person, referral, start, seen, authorised, outcome, worker, team in rows:
        yield {
            "cina_assessment_id": _of(Assessment, pk),
            "cina_person_id": _person(person),
            "cina_referral_id": _of(Referral, referral),
            "cina_assessment_start_date": start,
            "cina_assessment_child_seen": seen,
            "cina_assessment_auth_date": authorised,
            "cina_assessment_outcome_json": assessment_outcome(outcome),
            "cina_assessment_outcome_nfa": (outcome == Assessment.Outcome.NO_FURTHER_ACTION)
            if outcome
            else None,
            "cina_assessment_team": _of(Team, team),
            "cina_assessment_worker_id": _of(User, worker),
        }


def assessment_factors() -> Iterator[Row]:
    for pk, factors in _values(Assessment.objects.exclude(factors=[]), "pk", "factors"):
        if factors:
            yield {
                "cinf_table_id": _of(Assessment, pk),
                "cinf_assessment_id": _of(Assessment, pk),
                "cinf_assessment_factors_json": sorted(factors, key=factor_order),
            }


def cin_plans() -> Iterator[Row]:
    rows = _values(
        CINPlan.objects,
        "pk",
        "referral_id",
        "person_id",
        "start_date",
        "end_date",
        "recorded_by_id",
        "recorded_by__team_id",
    )
    for pk, referral, person, start, end, worker, team in rows:
        yield {
            "cinp_cin_plan_id": _of(CINPlan, pk),
            "cinp_referral_id": _of(Referral, referral),
            "cinp_person_id": _person(person),
            "cinp_cin_plan_start_date": start,
            "cinp_cin_plan_end_date": end,
            "cinp_cin_plan_team": _of(Team, team),
            "cinp_cin_plan_worker_id": _of(User, worker),
        }


def cin_visits() -> Iterator[Row]:
    rows = _values(
        CINVisit.objects,
        "pk",
        "person_id",
        "visit_date",
        "child_seen",
        "child_seen_alone",
        "seen_bedroom",
    )
    for pk, person, visited, seen, alone, bedroom in rows:
        yield {
            "cinv_cin_visit_id": _of(CINVisit, pk),
            "cinv_person_id": _person(person),
            "cinv_cin_visit_date": visited,
            "cinv_cin_visit_seen": seen,
            "cinv_cin_visit_seen_alone": alone,
            "cinv_cin_visit_bedroom": bedroom,
        }


def pre_proceedings() -> Iterator[Row]:
    rows = _values(
        PreProceedings.objects,
        "pk",
        "person_id",
        "start_date",
        "outcome",
        "letter_sent_on",
        "proceedings_letter_sent_on",
    )
    for pk, person, start, outcome, letter, proceedings_letter in rows:
        yield {
            "prep_table_id": _id(pk),
            "prep_person_id": _person(person),
            "prep_pre_pro_decision_date": start,
            "prep_pre_pro_outcome": outcome or None,
            "prep_pre_pro_letter_date": letter,
            "prep_care_pro_letter_date": proceedings_letter,
        }


# ---- child protection ------------------------------------------------------------------------

S47_OUTCOME_KEYS = [
    "NFA_FLAG",
    "LEGAL_ACTION_FLAG",
    "PROV_OF_SERVICES_FLAG",
    "PROV_OF_SB_CARE_FLAG",
    "CP_CONFERENCE_FLAG",
    "NFA_CONTINUE_SINGLE_FLAG",
    "MONITOR_FLAG",
]
S47_OUTCOME_FLAGS = {
    Section47Enquiry.Outcome.CONFERENCE: "CP_CONFERENCE_FLAG",
    Section47Enquiry.Outcome.NFA: "NFA_FLAG",
    Section47Enquiry.Outcome.CHILD_IN_NEED: "NFA_CONTINUE_SINGLE_FLAG",
}


def s47_enquiries() -> Iterator[Row]:
    rows = _values(
        Section47Enquiry.objects,
        "pk",
        "referral_id",
        "person_id",
        "start_date",
        "completed_on",
        "outcome",
        "recorded_by_id",
        "recorded_by__team_id",
    )
    for pk, referral, person, start, end, outcome, worker, team in rows:
        flags = {S47_OUTCOME_FLAGS[Section47Enquiry.Outcome(outcome)]} if outcome else set()
        yield {
            "s47e_s47_enquiry_id": _of(Section47Enquiry, pk),
            "s47e_referral_id": _of(Referral, referral),
            "s47e_person_id": _person(person),
            "s47e_s47_start_date": start,
            "s47e_s47_end_date": end,
            "s47e_s47_nfa": (outcome == Section47Enquiry.Outcome.NFA) if outcome else None,
            "s47e_s47_outcome_json": _flags(
                S47_OUTCOME_KEYS, flags, "TOTAL_NO_OF_OUTCOMES", "OUTCOME_COMMENTS"
            )
            if outcome
            else None,
            "s47e_s47_completed_by_team": _of(Team, team),
            "s47e_s47_completed_by_worker_id": _of(User, worker),
        }


ICPC_OUTCOME_KEYS = [
    "NFA_FLAG",
    "REFERRAL_TO_OTHER_AGENCY_FLAG",
    "SINGLE_ASSESSMENT_FLAG",
    "PROV_OF_SERVICES_FLAG",
    "CP_FLAG",
]


def initial_conferences() -> Iterator[Row]:
    queryset = Conference.objects.filter(
        kind__in=[Conference.Kind.INITIAL, Conference.Kind.TRANSFER_IN]
    )
    rows = _values(
        queryset,
        "pk",
        "enquiry_id",
        "person_id",
        "started_plan",
        "referral_id",
        "kind",
        "conference_date",
        "decision",
        "lead_social_worker_id",
        "chair__team_id",
        "team_elsewhere_id",
    )
    for pk, enquiry, person, plan, referral, kind, held, decision, worker, team, elsewhere in rows:
        to_plan = decision == Conference.Decision.PLAN
        yield {
            "icpc_icpc_id": _of(Conference, pk),
            "icpc_icpc_meeting_id": _of(Conference, pk),
            "icpc_s47_enquiry_id": _of(Section47Enquiry, enquiry),
            "icpc_person_id": _person(person),
            "icpc_cp_plan_id": _of(ProtectionPlan, plan),
            "icpc_referral_id": _of(Referral, referral),
            "icpc_icpc_transfer_in": kind == Conference.Kind.TRANSFER_IN,
            "icpc_icpc_date": held,
            "icpc_icpc_outcome_cp_flag": to_plan,
            "icpc_icpc_outcome_json": _flags(
                ICPC_OUTCOME_KEYS,
                {"CP_FLAG" if to_plan else "NFA_FLAG"},
                "TOTAL_NO_OF_OUTCOMES",
                "COMMENTS",
            ),
            "icpc_icpc_team": _of(Team, team if team is not None else elsewhere),
            "icpc_icpc_worker_id": _of(User, worker),
        }


def cp_plans() -> Iterator[Row]:
    rows = _values(
        ProtectionPlan.objects,
        "pk",
        "referral_id",
        "conference_id",
        "person_id",
        "start_date",
        "end_date",
        "initial_category",
        "latest_category",
    )
    for pk, referral, conference, person, start, end, initial, latest in rows:
        yield {
            "cppl_cp_plan_id": _of(ProtectionPlan, pk),
            "cppl_referral_id": _of(Referral, referral),
            "cppl_icpc_id": _of(Conference, conference),
            "cppl_person_id": _person(person),
            "cppl_cp_plan_start_date": start,
            "cppl_cp_plan_end_date": end,
            "cppl_cp_plan_ola": False,
            "cppl_cp_plan_initial_category": initial,
            "cppl_cp_plan_latest_category": latest,
        }


def cp_visits() -> Iterator[Row]:
    rows = _values(
        ProtectionVisit.objects,
        "pk",
        "plan__person_id",
        "plan_id",
        "visit_date",
        "child_seen",
        "child_seen_alone",
    )
    for pk, person, plan, visited, seen, alone in rows:
        yield {
            "cppv_cp_visit_id": _of(ProtectionVisit, pk),
            "cppv_person_id": _person(person),
            "cppv_cp_plan_id": _of(ProtectionPlan, plan),
            "cppv_cp_visit_date": visited,
            "cppv_cp_visit_seen": seen,
            "cppv_cp_visit_seen_alone": alone,
        }


def cp_reviews() -> Iterator[Row]:
    rows = _values(
        Conference.objects.filter(kind=Conference.Kind.REVIEW),
        "pk",
        "person_id",
        "plan_id",
        "conference_date",
        "decision",
    )
    for pk, person, plan, held, decision in rows:
        yield {
            "cppr_cp_review_id": _of(Conference, pk),
            "cppr_person_id": _person(person),
            "cppr_cp_plan_id": _of(ProtectionPlan, plan),
            "cppr_cp_review_date": held,
            "cppr_cp_review_meeting_id": _of(Conference, pk),
            "cppr_cp_review_outcome_continue_cp": decision == Conference.Decision.CONTINUE,
        }


# ---- looked after ----------------------------------------------------------------------------


# The period of care an imported episode row named (``clae_cla_id``), kept on its first episode.
PERIOD = "ssd_cla_episodes.clae_cla_id"


class Periods:
    """Each child's periods of care (consecutive 903 episodes), named by their first episode.

    Read once per export (three values an episode), for the tables that name the period a
    review or visit falls in.
    """

    def __init__(self) -> None:
        self.by_person: dict[int, list[tuple[date, int]]] = {}
        current: dict[int, tuple[date | None, int]] = {}
        episodes = (
            la.Episode.objects.order_by("person_id", "start_date", "pk")
            .values_list("pk", "person_id", "start_date", "end_date")
            .iterator(chunk_size=CHUNK)
        )
        for pk, person, start, end in episodes:
            previous = current.get(person)
            if previous is None or previous[0] != start:
                self.by_person.setdefault(person, []).append((start, pk))
                current[person] = (end, pk)
            else:
                current[person] = (end, previous[1])

    def period_of(self, person: int, day: date | None) -> str | None:
        """The period of care ``person`` was in (or last began) on ``day``."""
        starts = self.by_person.get(person)
        if not starts or day is None:
            return None
        index = bisect.bisect_right(starts, (day, float("inf"))) - 1
        return _episode(starts[max(index, 0)][1], PERIOD)

    def start_of(self, person: int, period: str | None) -> date | None:
        for start, pk in self.by_person.get(person, []):
            if _episode(pk, PERIOD) == period:
                return start
        return None


def _cla_episodes(periods: Periods) -> Iterator[Row]:
    rows = _values(
        la.Episode.objects,
        "pk",
        "person_id",
        "start_date",
        "reason_new_episode",
        "end_date",
        "reason_episode_ceased",
    )
    for pk, person, start, reason, end, ceased in rows:
        period = periods.period_of(person, start)
        yield {
            "clae_cla_episode_id": _episode(pk, "ssd_cla_episodes"),
            "clae_person_id": _person(person),
            "clae_cla_placement_id": _episode(pk, "ssd_cla_placement"),
            "clae_cla_episode_start_date": start,
            "clae_cla_episode_start_reason": reason,
            "clae_cla_episode_ceased_date": end,
            "clae_cla_episode_ceased_reason": ceased or None,
            "clae_cla_id": period,
            "clae_entered_care_date": periods.start_of(person, period),
        }


def _cla_placements(periods: Periods) -> Iterator[Row]:
    rows = _values(
        la.Episode.objects,
        "pk",
        "person_id",
        "start_date",
        "placement_type",
        "ofsted_urn",
        "distance_from_home",
        "placement_provider",
        "placement_postcode",
        "end_date",
        "reason_place_change",
    )
    for pk, person, start, place, urn, distance, provider, postcode, end, change in rows:
        yield {
            "clap_cla_placement_id": _episode(pk, "ssd_cla_placement"),
            "clap_cla_id": periods.period_of(person, start),
            "clap_person_id": _person(person),
            "clap_cla_placement_start_date": start,
            "clap_cla_placement_type": place,
            "clap_cla_placement_urn": urn or None,
            "clap_cla_placement_distance": distance,
            "clap_cla_placement_provider": provider or None,
            "clap_cla_placement_postcode": postcode or None,
            "clap_cla_placement_end_date": end,
            "clap_cla_placement_change_reason": change or None,
        }


def legal_status() -> Iterator[Row]:
    rows = _values(la.Episode.objects, "pk", "person_id", "legal_status", "start_date", "end_date")
    for pk, person, status, start, end in rows:
        yield {
            "lega_legal_status_id": _episode(pk, "ssd_legal_status"),
            "lega_person_id": _person(person),
            "lega_legal_status": status,
            "lega_legal_status_start_date": start,
            "lega_legal_status_end_date": end,
        }


def _cla_reviews(periods: Periods) -> Iterator[Row]:
    rows = _values(la.LACReview.objects, "pk", "person_id", "review_date", "participation")
    for pk, person, held, participation in rows:
        yield {
            "clar_cla_review_id": _of(la.LACReview, pk),
            "clar_cla_id": periods.period_of(person, held),
            "clar_cla_person_id": _person(person),
            "clar_cla_review_date": held,
            "clar_cla_review_cancelled": False,
            "clar_cla_review_participation": participation,
        }


def _cla_visits(periods: Periods) -> Iterator[Row]:
    rows = _values(la.LACVisit.objects, "pk", "person_id", "visit_date", "child_seen", "seen_alone")
    for pk, person, visited, seen, alone in rows:
        yield {
            "clav_cla_visit_id": _of(la.LACVisit, pk),
            "clav_cla_id": periods.period_of(person, visited),
            "clav_person_id": _person(person),
            "clav_cla_visit_date": visited,
            "clav_cla_visit_seen": seen,
            "clav_cla_visit_seen_alone": alone,
        }


HEALTH_CHECKS = [
    la.HealthRecord.Kind.INITIAL_ASSESSMENT,
    la.HealthRecord.Kind.REVIEW_ASSESSMENT,
    la.HealthRecord.Kind.DENTAL,
    la.HealthRecord.Kind.DEVELOPMENT,
]


def cla_health() -> Iterator[Row]:
    records = la.HealthRecord.objects.filter(kind__in=HEALTH_CHECKS)
    for pk, person, kind, day in _values(records, "pk", "person_id", "kind", "event_date"):
        yield {
            "clah_health_check_id": _of(la.HealthRecord, pk),
            "clah_person_id": _person(person),
            "clah_health_check_type": kind,
            "clah_health_check_date": day,
            "clah_health_check_status": "Completed",
        }


def cla_immunisations() -> Iterator[Row]:
    """The latest immunisations check of each child (the table is keyed by the person)."""
    records = (
        la.HealthRecord.objects.filter(kind=la.HealthRecord.Kind.IMMUNISATIONS)
        .order_by("person_id", "-event_date", "-pk")
        .values_list("person_id", "immunisations_up_to_date", "event_date")
        .iterator(chunk_size=CHUNK)
    )
    last = None
    for person, up_to_date, day in records:
        if person == last:
            continue
        last = person
        yield {
            "clai_person_id": _person(person),
            "clai_immunisations_status": up_to_date,
            "clai_immunisations_status_date": day,
        }


def cla_substance_misuse() -> Iterator[Row]:
    records = la.HealthRecord.objects.filter(substance_misuse=True)
    rows = _values(records, "pk", "person_id", "event_date", "intervention_received")
    for pk, person, day, received in rows:
        yield {
            "clas_substance_misuse_id": _id(pk),
            "clas_person_id": _person(person),
            "clas_substance_misuse_date": day,
            "clas_substance_misused": None,
            "clas_intervention_received": received,
        }


def cla_convictions() -> Iterator[Row]:
    records = la.HealthRecord.objects.filter(kind=la.HealthRecord.Kind.CONVICTION)
    for pk, person, day in _values(records, "pk", "person_id", "event_date"):
        yield {
            "clac_cla_conviction_id": _of(la.HealthRecord, pk),
            "clac_person_id": _person(person),
            "clac_cla_conviction_date": day,
            "clac_cla_conviction_offence": None,
        }


def sdq_scores() -> Iterator[Row]:
    records = la.HealthRecord.objects.filter(kind=la.HealthRecord.Kind.SDQ)
    for pk, person, day, score, reason in _values(
        records, "pk", "person_id", "event_date", "sdq_score", "sdq_reason"
    ):
        yield {
            "csdq_table_id": _of(la.HealthRecord, pk),
            "csdq_person_id": _person(person),
            "csdq_sdq_completed_date": day,
            "csdq_sdq_score": score,
            "csdq_sdq_reason": reason or None,
        }


def previous_permanence() -> Iterator[Row]:
    rows = _values(
        la.PreviousPermanence.objects,
        "pk",
        "person_id",
        "option",
        "arranged_by",
        "order_year",
        "order_month",
        "order_day",
    )
    for pk, person, option, arranged_by, year, month, day in rows:
        parts = [
            f"{day:02d}" if day else "ZZ",
            f"{month:02d}" if month else "ZZ",
            str(year) if year else "ZZZZ",
        ]
        yield {
            "lapp_table_id": _of(la.PreviousPermanence, pk),
            "lapp_person_id": _person(person),
            "lapp_previous_permanence_option": option,
            "lapp_previous_permanence_la": arranged_by or None,
            "lapp_previous_permanence_order_date": None
            if parts == ["ZZ", "ZZ", "ZZZZ"]
            else "/".join(parts),
        }


def missing() -> Iterator[Row]:
    rows = _values(
        la.MissingEpisode.objects,
        "pk",
        "person_id",
        "start_date",
        "missing_type",
        "end_date",
        "return_interview_offered",
        "return_interview_accepted",
    )
    for pk, person, start, kind, end, offered, accepted in rows:
        yield {
            "miss_table_id": _of(la.MissingEpisode, pk),
            "miss_person_id": _person(person),
            "miss_missing_episode_start_date": start,
            "miss_missing_episode_type": kind,
            "miss_missing_episode_end_date": end,
            "miss_missing_rhi_offered": None if offered is None else ("Y" if offered else "N"),
            "miss_missing_rhi_accepted": None if accepted is None else ("Y" if accepted else "N"),
        }


def care_leavers() -> Iterator[Row]:
    """The latest keeping-in-touch contact of each care leaver."""
    rows = (
        la.CareLeaverContact.objects.order_by("person_id", "-contact_date", "-pk")
        .values_list(
            "pk",
            "person_id",
            "in_touch",
            "contact_date",
            "accommodation",
            "accommodation_suitable",
            "activity",
        )
        .iterator(chunk_size=CHUNK)
    )
    last = None
    for pk, person, in_touch, day, accommodation, suitable, activity in rows:
        if person == last:
            continue
        last = person
        yield {
            "clea_table_id": _of(la.CareLeaverContact, pk),
            "clea_person_id": _person(person),
            "clea_care_leaver_in_touch": in_touch,
            "clea_care_leaver_latest_contact": day,
            "clea_care_leaver_accommodation": accommodation or None,
            "clea_care_leaver_accom_suitable": None
            if suitable is None
            else ("1" if suitable else "2"),
            "clea_care_leaver_activity": activity or None,
        }


def permanence() -> Iterator[Row]:
    rows = _values(
        la.AdoptionDecision.objects,
        "pk",
        "person_id",
        "decided_on",
        "matched_on",
        "adopters_sex",
        "adopters_legal_status",
        "adopted_by_foster_carers",
        "ceased_on",
        "reason_ceased",
    )
    for pk, person, decided, matched, sex, status, by_carers, ceased, reason in rows:
        yield {
            "perm_table_id": _of(la.AdoptionDecision, pk),
            "perm_person_id": _person(person),
            "perm_adm_decision_date": decided,
            "perm_matched_date": matched,
            "perm_adopter_sex": sex or None,
            "perm_adopter_legal_status": status or None,
            "perm_number_of_adopters": None if not sex else (1 if sex in la.SINGLE_ADOPTER else 2),
            "perm_adopted_by_carer_flag": by_carers,
            "perm_decision_reversed_date": ceased,
            "perm_decision_reversed_reason": reason or None,
        }


# ---- workers ----------------------------------------------------------------------------------


def professionals() -> Iterator[Row]:
    caseloads = Allocation.objects.filter(worker_id=OuterRef("pk"), end_date__isnull=True)
    from django.db.models import Count, IntegerField, Subquery

    counted = Subquery(
        caseloads.order_by().values("worker_id").annotate(n=Count("pk")).values("n")[:1],
        output_field=IntegerField(),
    )
    rows = _values(
        User.objects.annotate(caseload=counted),
        "pk",
        "username",
        "first_name",
        "last_name",
        "swe_registration_number",
        "job_title",
        "caseload",
        "team__name",
    )
    for pk, username, first, last, swe, title, caseload, team in rows:
        yield {
            "prof_professional_id": _of(User, pk),
            "prof_staff_id": username,
            "prof_professional_name": f"{first} {last}".strip() or None,
            "prof_social_worker_registration_no": swe or None,
            "prof_professional_job_title": title or None,
            "prof_professional_caseload": caseload or 0,
            "prof_professional_department": team,
        }


def departments() -> Iterator[Row]:
    for pk, name in _values(Team.objects, "pk", "name"):
        yield {"dept_team_id": _of(Team, pk), "dept_team_name": name}


def involvements() -> Iterator[Row]:
    rows = _values(
        Allocation.objects.filter(Q(worker__isnull=False)),
        "pk",
        "worker_id",
        "team_id",
        "person_id",
        "start_date",
        "end_date",
        "change_reason",
    )
    for pk, worker, team, person, start, end, reason in rows:
        yield {
            "invo_involvements_id": _of(Allocation, pk),
            "invo_professional_id": _of(User, worker),
            "invo_professional_role_id": "Allocated social worker",
            "invo_professional_team": _of(Team, team),
            "invo_person_id": _person(person),
            "invo_involvement_start_date": start,
            "invo_involvement_end_date": end,
            "invo_worker_change_reason": reason or None,
        }


# ---- what the SSD holds beside the case record: the child's voice, costs, education ---------


def voice_of_child() -> Iterator[Row]:
    rows = _values(
        ChildVoice.objects,
        "pk",
        "person_id",
        "explained_worries",
        "story_helped_understand",
        "agrees_with_worker",
        "plan_keeps_safe",
        "tablet_helped_explain",
    )
    for pk, person, worries, story, agree, safe, tablet in rows:
        yield {
            "voch_table_id": _of(ChildVoice, pk),
            "voch_person_id": _person(person),
            "voch_explained_worries": worries,
            "voch_story_help_understand": story,
            "voch_agree_worker": agree,
            "voch_plan_safe": safe,
            "voch_tablet_help_explain": tablet,
        }


def s251_finance() -> Iterator[Row]:
    """The spec leaves the four columns as placeholders: Caseline writes the weekly cost and
    the dates it ran from and to."""
    rows = _values(
        la.PlacementCost.objects, "pk", "episode_id", "weekly_cost", "start_date", "end_date"
    )
    for pk, episode, cost, start, end in rows:
        yield {
            "s251_table_id": _of(la.PlacementCost, pk),
            "s251_cla_placement_id": _episode(episode, "ssd_cla_placement"),
            "s251_placeholder_1": cost,
            "s251_placeholder_2": start,
            "s251_placeholder_3": end,
            "s251_placeholder_4": None,
        }


def send() -> Iterator[Row]:
    for pk, person, upn, uln, unknown in _values(
        SendRecord.objects, "pk", "person_id", "upn", "uln", "upn_unknown"
    ):
        yield {
            "send_table_id": _of(SendRecord, pk),
            "send_person_id": _person(person),
            "send_upn": upn or None,
            "send_uln": uln or None,
            "send_upn_unknown": unknown or None,
        }


def ehcp_requests() -> Iterator[Row]:
    rows = _values(
        EhcpRequest.objects, "pk", "send_record_id", "requested_on", "outcome_on", "outcome"
    )
    for pk, record, requested, decided, outcome in rows:
        yield {
            "ehcr_ehcp_request_id": _of(EhcpRequest, pk),
            "ehcr_send_table_id": _of(SendRecord, record),
            "ehcr_ehcp_req_date": requested,
            "ehcr_ehcp_req_outcome_date": decided,
            "ehcr_ehcp_req_outcome": outcome or None,
        }


def ehcp_assessments() -> Iterator[Row]:
    rows = _values(
        EhcpAssessment.objects, "pk", "request_id", "outcome_on", "outcome", "exceptions"
    )
    for pk, request, decided, outcome, exceptions in rows:
        yield {
            "ehca_ehcp_assessment_id": _of(EhcpAssessment, pk),
            "ehca_ehcp_request_id": _of(EhcpRequest, request),
            "ehca_ehcp_assessment_outcome_date": decided,
            "ehca_ehcp_assessment_outcome": outcome or None,
            "ehca_ehcp_assessment_exceptions": exceptions or None,
        }


def ehcp_named_plans() -> Iterator[Row]:
    rows = _values(
        EhcpNamedPlan.objects, "pk", "assessment_id", "start_date", "ceased_on", "ceased_reason"
    )
    for pk, assessment, start, ceased, reason in rows:
        yield {
            "ehcn_named_plan_id": _of(EhcpNamedPlan, pk),
            "ehcn_ehcp_asmt_id": _of(EhcpAssessment, assessment),
            "ehcn_named_plan_start_date": start,
            "ehcn_named_plan_ceased_date": ceased,
            "ehcn_named_plan_ceased_reason": reason or None,
        }


def ehcp_active_plans() -> Iterator[Row]:
    for pk, request, reviewed in _values(
        EhcpActivePlan.objects, "pk", "request_id", "last_reviewed_on"
    ):
        yield {
            "ehcp_active_ehcp_id": _of(EhcpActivePlan, pk),
            "ehcp_ehcp_request_id": _of(EhcpRequest, request),
            "ehcp_active_ehcp_last_review_date": reviewed,
        }


def sen_needs() -> Iterator[Row]:
    for pk, plan, need, primary in _values(
        SenNeed.objects, "pk", "active_plan_id", "need_type", "is_primary"
    ):
        yield {
            "senn_table_id": _of(SenNeed, pk),
            "senn_active_ehcp_id": _of(EhcpActivePlan, plan),
            "senn_active_ehcp_need_type": need or None,
            "senn_active_ehcp_need_rank": primary,
        }


Reader = Callable[[], Iterator[Row]]


def readers() -> dict[str, Reader]:
    """Every table Caseline holds, by SSD name, in the spec's order of dependence."""
    periods: Periods | None = None
    _source.by_model.clear()  # read the imported ids afresh for each export

    def with_periods(read: Callable[[Periods], Iterator[Row]]) -> Reader:
        def run() -> Iterator[Row]:
            nonlocal periods
            if periods is None:
                periods = Periods()
            return read(periods)

        return run

    return {
        "ssd_person": people,
        "ssd_family": family,
        "ssd_address": addresses,
        "ssd_disability": disability,
        "ssd_immigration_status": immigration_status,
        "ssd_mother": mothers,
        "ssd_linked_identifiers": linked_identifiers,
        "ssd_legal_status": legal_status,
        "ssd_contacts": contacts,
        "ssd_early_help_episodes": early_help,
        "ssd_cin_episodes": cin_episodes,
        "ssd_cin_assessments": cin_assessments,
        "ssd_assessment_factors": assessment_factors,
        "ssd_cin_plans": cin_plans,
        "ssd_cin_visits": cin_visits,
        "ssd_s47_enquiry": s47_enquiries,
        "ssd_initial_cp_conference": initial_conferences,
        "ssd_cp_plans": cp_plans,
        "ssd_cp_visits": cp_visits,
        "ssd_cp_reviews": cp_reviews,
        "ssd_cla_episodes": with_periods(_cla_episodes),
        "ssd_cla_placement": with_periods(_cla_placements),
        "ssd_cla_reviews": with_periods(_cla_reviews),
        "ssd_cla_visits": with_periods(_cla_visits),
        "ssd_cla_health": cla_health,
        "ssd_cla_immunisations": cla_immunisations,
        "ssd_cla_substance_misuse": cla_substance_misuse,
        "ssd_cla_convictions": cla_convictions,
        "ssd_sdq_scores": sdq_scores,
        "ssd_cla_previous_permanence": previous_permanence,
        "ssd_missing": missing,
        "ssd_care_leavers": care_leavers,
        "ssd_permanence": permanence,
        "ssd_pre_proceedings": pre_proceedings,
        "ssd_professionals": professionals,
        "ssd_department": departments,
        "ssd_involvements": involvements,
        "ssd_voice_of_child": voice_of_child,
        "ssd_s251_finance": s251_finance,
        "ssd_send": send,
        "ssd_ehcp_requests": ehcp_requests,
        "ssd_ehcp_assessment": ehcp_assessments,
        "ssd_ehcp_named_plan": ehcp_named_plans,
        "ssd_ehcp_active_plans": ehcp_active_plans,
        "ssd_sen_need": sen_needs,
    }
