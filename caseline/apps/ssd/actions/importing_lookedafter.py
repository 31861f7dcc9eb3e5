"""Importing a child's looked-after record from an SSD extract, through the looked-after
actions the pages use: the SSDA903 episodes with their placements and legal status, then
visits, missing episodes, the care leaver's latest contact, health checks, SDQ, convictions,
the latest immunisations status and previous permanence.

Part of the SSD import (``importing``, ADR 0027): it runs inside the family's savepoint, once
the family's referrals are in, and calls the actions without their ``durable`` transaction
as the rest of the import does. Caseline's ``lookedafter.Episode`` is one SSDA903 episode, so
each ``ssd_cla_episodes`` row is one episode, recorded by the action for the reason it began
(``S`` starts a period of care, ``L`` changes the legal status, ``P``/``T``/``B``/``U`` change
the placement), with the placement its ``clae_cla_placement_id`` names and the legal status
whose ``ssd_legal_status`` row covers the day it began; an episode that ceased with an E code
ends the period of care. The other records check that the child was looked after on their
date, so they come after the episodes. The DfE's SSDA903 rules that those actions check at
entry apply. What an action needs that the SSD does not carry is said plainly on the record
(``NOT_CARRIED``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError

from caseline.apps.lookedafter import actions as lookedafter
from caseline.apps.lookedafter.actions.episodes import PlacementDetails
from caseline.apps.lookedafter.actions.permanence import PartialDate
from caseline.apps.lookedafter.models import (
    NEW_EPISODE_FOLLOWS,
    PLACED_WITH_PARENTS,
    SINGLE_ADOPTER,
    STARTED,
    Episode,
    HealthRecord,
)
from caseline.apps.people.models import Person
from caseline.apps.ssd.actions.importing import (
    NOT_CARRIED,
    Row,
    _day,
    _in_order,
    _Refused,
    _unwrapped,
)
from caseline.apps.ssd.tables import PERIOD
from caseline.apps.ssd.validate import Problem

if TYPE_CHECKING:
    from caseline.apps.ssd.actions.importing import _Importer

Where = tuple[str, int, dict[str, str], list[str]]
Numbered = tuple[str, int, Row]  # a row of a table, with its number

start_period_of_care = _unwrapped(lookedafter.start_period_of_care)
change_legal_status = _unwrapped(lookedafter.change_legal_status)
change_placement = _unwrapped(lookedafter.change_placement)
end_period_of_care = _unwrapped(lookedafter.end_period_of_care)
record_visits = _unwrapped(lookedafter.record_visits)
record_review_elsewhere = _unwrapped(lookedafter.record_review_elsewhere)
record_missing = _unwrapped(lookedafter.record_missing)
record_care_leaver_contact = _unwrapped(lookedafter.record_care_leaver_contact)
record_health_records = _unwrapped(lookedafter.record_health_records)
save_previous_permanence = _unwrapped(lookedafter.save_previous_permanence)
record_adoption_decision = _unwrapped(lookedafter.record_adoption_decision)
record_adoption_match = _unwrapped(lookedafter.record_adoption_match)
record_adoption_decision_ceased = _unwrapped(lookedafter.record_adoption_decision_ceased)
# The health checks ``ssd_cla_health`` carries, by the kind the export writes, and the status
# of one that happened (a check not yet done is not a health record).
HEALTH_CHECKS = frozenset(
    {
        HealthRecord.Kind.INITIAL_ASSESSMENT,
        HealthRecord.Kind.REVIEW_ASSESSMENT,
        HealthRecord.Kind.DENTAL,
        HealthRecord.Kind.DEVELOPMENT,
    }
)
COMPLETED = "Completed"

# Reasons a new episode began with a change of placement, with the same carer (T, U), and
# with a change of legal status too (B, U).
PLACEMENT_CHANGES = frozenset({"P", "T", "B", "U"})
SAME_CARER = frozenset({"T", "U"})
STATUS_AND_PLACEMENT = frozenset({"B", "U"})

EPISODE_FIELDS = {
    "start_date": "clae_cla_episode_start_date",
    "change_date": "clae_cla_episode_start_date",
    "end_date": "clae_cla_episode_ceased_date",
    "reason_episode_ceased": "clae_cla_episode_ceased_reason",
}
PLACEMENT_FIELDS = {
    "placement_type": "clap_cla_placement_type",
    "placement_provider": "clap_cla_placement_provider",
    "provider": "clap_cla_placement_provider",
    "placement_postcode": "clap_cla_placement_postcode",
    "ofsted_urn": "clap_cla_placement_urn",
    "distance_from_home": "clap_cla_placement_distance",
    "reason_place_change": "clap_cla_placement_change_reason",
    "parent_placement_approver": "clap_cla_placement_type",
    "parent_placement_rationale": "clap_cla_placement_type",
    "parent_placement_approved_on": "clap_cla_placement_type",
}
LEGAL_STATUS_FIELDS = {"legal_status": "lega_legal_status"}


def import_looked_after(importer: _Importer, source_id: str) -> None:
    """The child's looked-after record, once their referrals are in: the episodes first (the
    other records check that the child was looked after on their date), then the rest in the
    order each happened."""
    _Episodes(importer, source_id).run()
    related = importer.rows.by_person.get(source_id, {})
    child = importer.people[source_id]
    for step in AFTER_EPISODES:
        rows = [
            (table, number, row)
            for table, day in step.tables.items()
            for number, row in _in_order(related.get(table, []), day)
        ]
        step.record(importer, child, rows)
    _previous_permanence(importer, child, related)


def _order_date(text: str | None) -> PartialDate:
    """The 903's DD/MM/YYYY with ZZ (ZZZZ) for a part not known; empty for none known."""
    if not text:
        return PartialDate()
    parts = text.split("/")
    if len(parts) != 3 or not all(p.isdigit() or set(p) == {"Z"} for p in parts):
        raise ValidationError(
            {"order_date": f"{text!r} is not a date as DD/MM/YYYY, with ZZ for what is not known"}
        )
    day, month, year = (int(p) if p.isdigit() else None for p in parts)
    return PartialDate(year=year, month=month, day=day)


def _previous_permanence(importer: _Importer, child: Person, related: Any) -> None:
    """Whether the child left care under a permanence order before their latest period of
    care (903 PrevPerm): saved on that period, so a child has one row at most (the SSD does
    not say which period a row is for)."""
    rows = related.get("ssd_cla_previous_permanence", [])
    for number, row in rows[1:]:
        raise _Refused(
            Problem(
                "ssd_cla_previous_permanence.csv",
                number,
                "lapp_person_id",
                "The child has more than one previous permanence row: Caseline keeps it for "
                "the latest period of care, and the SSD does not say which period a row is for",
                (row["lapp_person_id"],),
            )
        )
    for number, row in rows:
        if importer.seen("ssd_cla_previous_permanence", row["lapp_table_id"], row):
            return
        fields = {
            "option": "lapp_previous_permanence_option",
            "arranged_by": "lapp_previous_permanence_la",
            "order_date": "lapp_previous_permanence_order_date",
        }
        where = ("ssd_cla_previous_permanence.csv", number, fields, [row["lapp_person_id"]])
        with importer.refusal(*where):
            saved = save_previous_permanence(
                acting_user=importer.user,
                child=child,
                option=row["lapp_previous_permanence_option"] or "",
                arranged_by=row["lapp_previous_permanence_la"] or "",
                order_date=_order_date(row["lapp_previous_permanence_order_date"]),
            )
        importer.remember("ssd_cla_previous_permanence", row["lapp_table_id"], saved, child, row)


def _flag(value: Any) -> bool | None:
    """A Y/N answer kept as text (``NVARCHAR(2)``): None when not given."""
    text = (value or "").strip().upper()
    return None if not text else text in {"Y", "1"}


def _visits(importer: _Importer, child: Person, rows: list[Numbered]) -> None:
    """The child's statutory visits not imported before, recorded together (``record_visits``,
    each checked as one visit is): whether the child was seen, and alone. What happened is not
    in the extract. A refused visit is reported at its row."""
    new: list[tuple[int, Row, lookedafter.VisitDetails]] = []
    for _, number, row in rows:
        if importer.seen("ssd_cla_visits", row["clav_cla_visit_id"], row):
            continue
        details = lookedafter.VisitDetails(
            visit_date=_day(row["clav_cla_visit_date"]),  # type: ignore[arg-type]  # refused if None
            child_seen=bool(row["clav_cla_visit_seen"]),
            seen_alone=bool(row["clav_cla_visit_seen_alone"]),
            note=NOT_CARRIED.format(system=importer.system),
        )
        new.append((number, row, details))
    if not new:
        return
    try:
        visits = record_visits(
            acting_user=importer.user, child=child, visits=[details for *_, details in new]
        )
    except lookedafter.VisitRefused as refused:
        number, row, _ = new[refused.index]
        where = ("ssd_cla_visits.csv", number, VISIT_FIELDS, [row["clav_person_id"]])
        with importer.refusal(*where):  # the refused visit's messages, at its row
            raise
    for (_, row, _), visit in zip(new, visits, strict=True):
        importer.remember("ssd_cla_visits", row["clav_cla_visit_id"], visit, child, row)


def _review(importer: _Importer, child: Person, number: int, row: Row) -> None:
    """A looked-after review held in another system (ADR 0036): its date and how the child
    took part, with no chair. A cancelled review did not happen and is refused."""
    if importer.seen("ssd_cla_reviews", row["clar_cla_review_id"], row):
        return
    where = ("ssd_cla_reviews.csv", number, REVIEW_FIELDS, [row["clar_cla_person_id"]])
    with importer.refusal(*where):
        if row["clar_cla_review_cancelled"]:
            raise ValidationError(
                {"cancelled": "The review was cancelled: Caseline records reviews that were held"}
            )
        review = record_review_elsewhere(
            acting_user=importer.user,
            child=child,
            review_date=_day(row["clar_cla_review_date"]),
            participation=row["clar_cla_review_participation"] or "",
            not_carried=NOT_CARRIED.format(system=importer.system),
        )
    importer.remember("ssd_cla_reviews", row["clar_cla_review_id"], review, child, row)


def _adoption(importer: _Importer, child: Person, number: int, row: Row) -> None:
    """A decision that the child should be placed for adoption (903 PlacedAdoption, AD1),
    through the actions the pages use: the decision, then the match if there was one, then
    the decision ceasing if it did. Who made the decision is not in the extract. The number
    of adopters follows from their sex, as Caseline works it out; a row that says otherwise
    is refused."""
    if importer.seen("ssd_permanence", row["perm_table_id"], row):
        return
    where = ("ssd_permanence.csv", number, PERMANENCE_FIELDS, [row["perm_person_id"]])
    sex = row["perm_adopter_sex"] or ""
    with importer.refusal(*where):
        given = row["perm_number_of_adopters"]
        works_out = None if not sex else (1 if sex in SINGLE_ADOPTER else 2)
        if given not in (None, "") and int(given) != works_out:
            raise ValidationError(
                {
                    "number_of_adopters": f"{given} adopters, but adopters of sex {sex!r} are "
                    f"{works_out or 'not given'}"
                }
            )
        decision = record_adoption_decision(
            acting_user=importer.user,
            child=child,
            decided_on=_day(row["perm_adm_decision_date"]),
            decided_by=NOT_CARRIED.format(system=importer.system),
        )
        matched = _day(row["perm_matched_date"])
        if matched is None and (sex or row["perm_adopter_legal_status"]):
            raise ValidationError({"matched_on": "The adopters are given, but no date of match"})
        if matched is not None:
            decision = record_adoption_match(
                acting_user=importer.user,
                decision=decision,
                matched_on=matched,
                adopters_sex=sex,
                adopters_legal_status=row["perm_adopter_legal_status"] or "",
                adopted_by_foster_carers=row["perm_adopted_by_carer_flag"],
            )
        ceased = _day(row["perm_decision_reversed_date"])
        if ceased is not None or row["perm_decision_reversed_reason"]:
            decision = record_adoption_decision_ceased(
                acting_user=importer.user,
                decision=decision,
                ceased_on=ceased,
                reason_ceased=row["perm_decision_reversed_reason"] or "",
            )
    importer.remember("ssd_permanence", row["perm_table_id"], decision, child, row)


def _missing(importer: _Importer, child: Person, number: int, row: Row) -> None:
    """A missing or away-from-placement episode, with the return interview as given."""
    if importer.seen("ssd_missing", row["miss_table_id"], row):
        return
    where = ("ssd_missing.csv", number, MISSING_FIELDS, [row["miss_person_id"]])
    with importer.refusal(*where):
        missing = record_missing(
            acting_user=importer.user,
            child=child,
            missing_type=row["miss_missing_episode_type"] or "",
            start_date=_day(row["miss_missing_episode_start_date"]),
            end_date=_day(row["miss_missing_episode_end_date"]),
            return_interview_offered=_flag(row["miss_missing_rhi_offered"]),
            return_interview_accepted=_flag(row["miss_missing_rhi_accepted"]),
        )
    importer.remember("ssd_missing", row["miss_table_id"], missing, child, row)


def _care_leaver(importer: _Importer, child: Person, number: int, row: Row) -> None:
    """A care leaver's latest keeping-in-touch contact (the SSD keeps only the latest)."""
    if importer.seen("ssd_care_leavers", row["clea_table_id"], row):
        return
    suitable = row["clea_care_leaver_accom_suitable"]
    where = ("ssd_care_leavers.csv", number, CARE_LEAVER_FIELDS, [row["clea_person_id"]])
    with importer.refusal(*where):
        contact = record_care_leaver_contact(
            acting_user=importer.user,
            child=child,
            contact_date=_day(row["clea_care_leaver_latest_contact"]),
            in_touch=row["clea_care_leaver_in_touch"] or "",
            accommodation=row["clea_care_leaver_accommodation"] or "",
            accommodation_suitable=None if not suitable else str(suitable) == "1",
            activity=row["clea_care_leaver_activity"] or "",
        )
    importer.remember("ssd_care_leavers", row["clea_table_id"], contact, child, row)


@dataclass(frozen=True)
class _HealthRow:
    """A health record made ready from a row: the row's source id, the action's fields by the
    row's columns (for a refusal), and what the record says."""

    source_id: str
    fields: dict[str, str]
    event: lookedafter.HealthEvent


def _health_records(importer: _Importer, child: Person, rows: list[Numbered]) -> None:
    """The child's health checks, SDQs, convictions and immunisations not imported before, in
    that order, recorded together (``record_health_records``, each checked as one is). A
    refused row is reported at its row; one the import refuses itself (``_health_check``)
    once the rows before it are recorded, so the first refusal is the one a row at a time
    meets."""
    new: list[tuple[str, int, Row, _HealthRow]] = []
    for table, number, row in rows:
        try:
            made = HEALTH_ROWS[table](importer, number, row)
        except _Refused:
            _record_health(importer, child, new)
            raise
        if not importer.seen(table, made.source_id, row):
            new.append((table, number, row, made))
    _record_health(importer, child, new)


def _record_health(
    importer: _Importer, child: Person, new: list[tuple[str, int, Row, _HealthRow]]
) -> None:
    if not new:
        return
    try:
        records = record_health_records(
            acting_user=importer.user, child=child, events=[made.event for *_, made in new]
        )
    except lookedafter.HealthRefused as refused:
        table, number, row, made = new[refused.index]
        people_ = [row[PERSON_COLUMN_OF[table]]]
        with importer.refusal(f"{table}.csv", number, made.fields, people_):
            raise
    for (table, _, row, made), record in zip(new, records, strict=True):
        importer.remember(table, made.source_id, record, child, row)


def _health_check(importer: _Importer, number: int, row: Row) -> _HealthRow:
    """A health or dental assessment or development check. A health assessment's plan is not
    in the extract."""
    kind = row["clah_health_check_type"] or ""
    fields = {"kind": "clah_health_check_type", "status": "clah_health_check_status"}
    with importer.refusal("ssd_cla_health.csv", number, fields, [row["clah_person_id"]]):
        if kind not in HEALTH_CHECKS:
            known = ", ".join(sorted(HEALTH_CHECKS))
            raise ValidationError(
                {"kind": f"{kind!r} is not a health check Caseline records ({known})"}
            )
        if (row["clah_health_check_status"] or "") != COMPLETED:
            raise ValidationError(
                {
                    "status": f"The status must be {COMPLETED!r}: Caseline records a health "
                    "check once it has happened"
                }
            )
    assessment = kind in {HealthRecord.Kind.INITIAL_ASSESSMENT, HealthRecord.Kind.REVIEW_ASSESSMENT}
    return _HealthRow(
        row["clah_health_check_id"],
        {"kind": "clah_health_check_type", "event_date": "clah_health_check_date"},
        lookedafter.HealthEvent(
            kind=kind,
            event_date=_day(row["clah_health_check_date"]),  # type: ignore[arg-type]
            health_plan=NOT_CARRIED.format(system=importer.system) if assessment else "",
        ),
    )


def _sdq(importer: _Importer, number: int, row: Row) -> _HealthRow:
    """A strengths and difficulties questionnaire: its score, or why there is none."""
    return _HealthRow(
        row["csdq_table_id"],
        {
            "event_date": "csdq_sdq_completed_date",
            "sdq_score": "csdq_sdq_score",
            "sdq_reason": "csdq_sdq_reason",
        },
        lookedafter.HealthEvent(
            kind=HealthRecord.Kind.SDQ,
            event_date=_day(row["csdq_sdq_completed_date"]),  # type: ignore[arg-type]
            sdq_score=row["csdq_sdq_score"],
            sdq_reason=row["csdq_sdq_reason"] or "",
        ),
    )


def _conviction(importer: _Importer, number: int, row: Row) -> _HealthRow:
    """A conviction while looked after: the offence, or that it is not in the extract."""
    return _HealthRow(
        row["clac_cla_conviction_id"],
        {"event_date": "clac_cla_conviction_date", "notes": "clac_cla_conviction_offence"},
        lookedafter.HealthEvent(
            kind=HealthRecord.Kind.CONVICTION,
            event_date=_day(row["clac_cla_conviction_date"]),  # type: ignore[arg-type]
            notes=row["clac_cla_conviction_offence"] or NOT_CARRIED.format(system=importer.system),
        ),
    )


def _immunisations(importer: _Importer, number: int, row: Row) -> _HealthRow:
    """Whether the child's immunisations were up to date, as last checked (the SSD keeps one
    status a child, keyed by the person): one immunisations check on the status date."""
    return _HealthRow(
        row["clai_person_id"],
        {
            "event_date": "clai_immunisations_status_date",
            "immunisations_up_to_date": "clai_immunisations_status",
        },
        lookedafter.HealthEvent(
            kind=HealthRecord.Kind.IMMUNISATIONS,
            event_date=_day(row["clai_immunisations_status_date"]),  # type: ignore[arg-type]
            immunisations_up_to_date=row["clai_immunisations_status"],
        ),
    )


PERSON_COLUMN_OF = {
    "ssd_cla_immunisations": "clai_person_id",
    "ssd_cla_health": "clah_person_id",
    "ssd_sdq_scores": "csdq_person_id",
    "ssd_cla_convictions": "clac_person_id",
}
VISIT_FIELDS = {
    "visit_date": "clav_cla_visit_date",
    "child_seen": "clav_cla_visit_seen",
    "seen_alone": "clav_cla_visit_seen_alone",
}
REVIEW_FIELDS = {
    "review_date": "clar_cla_review_date",
    "participation": "clar_cla_review_participation",
    "cancelled": "clar_cla_review_cancelled",
}
PERMANENCE_FIELDS = {
    "decided_on": "perm_adm_decision_date",
    "matched_on": "perm_matched_date",
    "adopters_sex": "perm_adopter_sex",
    "adopters_legal_status": "perm_adopter_legal_status",
    "number_of_adopters": "perm_number_of_adopters",
    "adopted_by_foster_carers": "perm_adopted_by_carer_flag",
    "ceased_on": "perm_decision_reversed_date",
    "reason_ceased": "perm_decision_reversed_reason",
}
MISSING_FIELDS = {
    "missing_type": "miss_missing_episode_type",
    "start_date": "miss_missing_episode_start_date",
    "end_date": "miss_missing_episode_end_date",
    "return_interview_offered": "miss_missing_rhi_offered",
    "return_interview_accepted": "miss_missing_rhi_accepted",
}
CARE_LEAVER_FIELDS = {
    "contact_date": "clea_care_leaver_latest_contact",
    "in_touch": "clea_care_leaver_in_touch",
    "accommodation": "clea_care_leaver_accommodation",
    "accommodation_suitable": "clea_care_leaver_accom_suitable",
    "activity": "clea_care_leaver_activity",
}
# How each health table's row becomes a health record (``_health_records``).
HEALTH_ROWS: dict[str, Callable[[_Importer, int, Row], _HealthRow]] = {
    "ssd_cla_health": _health_check,
    "ssd_sdq_scores": _sdq,
    "ssd_cla_convictions": _conviction,
    "ssd_cla_immunisations": _immunisations,
}


def _each(
    record: Callable[[_Importer, Person, int, Row], None],
) -> Callable[[_Importer, Person, list[Numbered]], None]:
    """A step that records its rows one at a time, through ``record``."""

    def step(importer: _Importer, child: Person, rows: list[Numbered]) -> None:
        for _, number, row in rows:
            record(importer, child, number, row)

    return step


@dataclass(frozen=True)
class _Step:
    """Rows of the child's looked-after record imported together: the tables, each with the
    date that orders its rows, and how the rows (in that order, table by table) are kept."""

    tables: dict[str, str]
    record: Callable[[_Importer, Person, list[Numbered]], None]


# The child's records that need the episodes in (the date each is looked after on), in the
# order they are imported. Visits and health records are recorded a child's at a time
# through the actions' many forms (ADR 0042), the others a row at a time.
AFTER_EPISODES = (
    _Step({"ssd_cla_visits": "clav_cla_visit_date"}, _visits),
    _Step({"ssd_cla_reviews": "clar_cla_review_date"}, _each(_review)),
    _Step({"ssd_missing": "miss_missing_episode_start_date"}, _each(_missing)),
    _Step({"ssd_care_leavers": "clea_care_leaver_latest_contact"}, _each(_care_leaver)),
    _Step(
        {
            "ssd_cla_health": "clah_health_check_date",
            "ssd_sdq_scores": "csdq_sdq_completed_date",
            "ssd_cla_convictions": "clac_cla_conviction_date",
            "ssd_cla_immunisations": "clai_immunisations_status_date",
        },
        _health_records,
    ),
    _Step({"ssd_permanence": "perm_adm_decision_date"}, _each(_adoption)),
)


class _Episodes:
    """One child's episodes, in the order they began, each through its action."""

    def __init__(self, importer: _Importer, source_id: str) -> None:
        self.importer = importer
        self.source_id = source_id
        self.child: Person = importer.people[source_id]
        related = importer.rows.by_person.get(source_id, {})
        self.episodes = _in_order(
            related.get("ssd_cla_episodes", []), "clae_cla_episode_start_date"
        )
        self.placements = {
            row["clap_cla_placement_id"]: (number, row)
            for number, row in related.get("ssd_cla_placement", [])
        }
        self.statuses = _in_order(
            related.get("ssd_legal_status", []), "lega_legal_status_start_date"
        )
        self.said = NOT_CARRIED.format(system=importer.system)
        # The placement and legal status rows each episode used, remembered on the first.
        self.used: set[tuple[str, str]] = set()

    def run(self) -> None:
        previous: tuple[int, Row] | None = None
        for index, (number, row) in enumerate(self.episodes):
            following = self.episodes[index + 1] if index + 1 < len(self.episodes) else None
            self.episode(number, row, previous, following)
            previous = (number, row)
        self.unused("ssd_cla_placement", "clap_cla_placement_id", self.placements.values())
        self.unused("ssd_legal_status", "lega_legal_status_id", self.statuses)

    # -- one episode ---------------------------------------------------------------------------

    def episode(
        self,
        number: int,
        row: Row,
        previous: tuple[int, Row] | None,
        following: tuple[int, Row] | None,
    ) -> None:
        importer = self.importer
        episode_id = row["clae_cla_episode_id"]
        placement_number, placement = self.placement_of(number, row)
        status_number, status = self.status_of(number, row)
        self.used.add(("ssd_cla_placement", placement["clap_cla_placement_id"]))
        self.used.add(("ssd_legal_status", status["lega_legal_status_id"]))
        if importer.seen("ssd_cla_episodes", episode_id, row, number):
            for table, key, source in (
                ("ssd_cla_placement", "clap_cla_placement_id", placement),
                ("ssd_legal_status", "lega_legal_status_id", status),
            ):
                importer.seen(table, source[key], source)
            return
        start = _day(row["clae_cla_episode_start_date"])
        reason = row["clae_cla_episode_start_reason"] or ""
        legal_status = status["lega_legal_status"] or ""
        where = self.where("ssd_cla_episodes.csv", number, EPISODE_FIELDS)
        with importer.refusal(*where):
            if start is None:
                raise ValidationError({"start_date": "The episode has no start date"})
        details = self.details(placement)
        with _Routed(
            importer,
            where,
            ("ssd_cla_placement.csv", placement_number, PLACEMENT_FIELDS, [self.source_id]),
            ("ssd_legal_status.csv", status_number, LEGAL_STATUS_FIELDS, [self.source_id]),
        ):
            if reason == STARTED or previous is None:
                episode: Episode = start_period_of_care(
                    acting_user=importer.user,
                    child=self.child,
                    start_date=start,
                    legal_status=legal_status,
                    placement=details,
                )
            elif reason in PLACEMENT_CHANGES:
                left = self.placement_of(*previous)[1]
                episode = change_placement(
                    acting_user=importer.user,
                    child=self.child,
                    change_date=start,
                    placement=details,
                    same_carer=reason in SAME_CARER,
                    reason_place_change=left["clap_cla_placement_change_reason"] or "",
                    legal_status=legal_status if reason in STATUS_AND_PLACEMENT else "",
                )
            else:
                episode = change_legal_status(
                    acting_user=importer.user,
                    child=self.child,
                    change_date=start,
                    legal_status=legal_status,
                )
        with importer.refusal(*where):
            if episode.reason_new_episode != reason:
                raise ValidationError(
                    {
                        "start_date": f"The episode began for reason {reason}, but what changed "
                        f"from the episode before makes it {episode.reason_new_episode}"
                    }
                )
        importer.remember("ssd_cla_episodes", episode_id, episode, self.child, row)
        if reason == STARTED and row["clae_cla_id"]:
            importer.remember(
                PERIOD, row["clae_cla_id"], episode, self.child, {"id": row["clae_cla_id"]}
            )
        for table, key, source in (
            ("ssd_cla_placement", "clap_cla_placement_id", placement),
            ("ssd_legal_status", "lega_legal_status_id", status),
        ):
            if importer.known(table, source[key]) is None:
                importer.remember(table, source[key], episode, self.child, source)
        self.end(number, row, episode, following)

    def end(
        self, number: int, row: Row, episode: Episode, following: tuple[int, Row] | None
    ) -> None:
        """An episode that ceased with an E code ends the period of care; one that ceased
        with X1 is ended by the next episode, which must begin that day."""
        importer = self.importer
        ceased = _day(row["clae_cla_episode_ceased_date"])
        reason = row["clae_cla_episode_ceased_reason"] or ""
        where = self.where("ssd_cla_episodes.csv", number, EPISODE_FIELDS)
        with importer.refusal(*where):
            if ceased is None:
                if reason:
                    raise ValidationError(
                        {"end_date": f"The episode ceased for reason {reason}, but has no date"}
                    )
                if following is not None:
                    raise ValidationError(
                        {"end_date": "The episode has not ceased, but a later episode follows"}
                    )
                return
            if reason == NEW_EPISODE_FOLLOWS:
                begins = _day(following[1]["clae_cla_episode_start_date"]) if following else None
                if begins != ceased:
                    raise ValidationError(
                        {
                            "end_date": "The episode ceased with X1 (a new episode follows), "
                            "but no episode of the child begins on the day it ceased"
                        }
                    )
                return
            end_period_of_care(
                acting_user=importer.user,
                child=self.child,
                end_date=ceased,
                reason_episode_ceased=reason,
            )

    # -- what an episode names -----------------------------------------------------------------

    def placement_of(self, number: int, row: Row) -> tuple[int, Row]:
        found = self.placements.get(row["clae_cla_placement_id"] or "")
        if found is None:
            raise self.refused(
                number,
                "clae_cla_placement_id",
                f"{row['clae_cla_placement_id']!r} is not a placement of the child in "
                "ssd_cla_placement",
            )
        return found

    def status_of(self, number: int, row: Row) -> tuple[int, Row]:
        """The legal status row in force on the day the episode began (the latest to begin)."""
        day = _day(row["clae_cla_episode_start_date"])
        found = None
        for status_number, status in self.statuses:
            began = _day(status["lega_legal_status_start_date"])
            ended = _day(status["lega_legal_status_end_date"])
            if day and began and began <= day and (ended is None or ended > day):
                found = (status_number, status)
        if found is None:
            raise self.refused(
                number,
                "clae_cla_episode_start_date",
                "No legal status of the child in ssd_legal_status is in force on the day the "
                "episode began",
            )
        return found

    def details(self, row: Row) -> PlacementDetails:
        """The placement as the SSD carries it. A placement with parents needs who approved
        it, when and why, which the SSD does not carry: said so, and the approval dated the
        day the placement began."""
        place = row["clap_cla_placement_type"] or ""
        distance = row["clap_cla_placement_distance"]
        with_parents = place == PLACED_WITH_PARENTS
        return PlacementDetails(
            placement_type=place,
            placement_provider=row["clap_cla_placement_provider"] or "",
            placement_postcode=row["clap_cla_placement_postcode"] or "",
            ofsted_urn=row["clap_cla_placement_urn"] or "",
            distance_from_home=None if distance is None else Decimal(str(distance)),
            parent_placement_approver=self.said if with_parents else "",
            parent_placement_approved_on=_day(row["clap_cla_placement_start_date"])
            if with_parents
            else None,
            parent_placement_rationale=self.said if with_parents else "",
        )

    def unused(self, table: str, key: str, rows: Any) -> None:
        """A placement or legal status row no episode of the child fell in is refused: the
        record would lose it."""
        for number, row in rows:
            if (table, row[key]) not in self.used:
                raise _Refused(
                    Problem(
                        f"{table}.csv",
                        number,
                        key,
                        "No episode of the child in ssd_cla_episodes falls in it",
                        (self.source_id,),
                    )
                )

    def where(self, file: str, number: int, fields: dict[str, str]) -> Where:
        return (file, number, fields, [self.source_id])

    def refused(self, number: int, column: str, what: str) -> _Refused:
        return _Refused(Problem("ssd_cla_episodes.csv", number, column, what, (self.source_id,)))


class _Routed:
    """An episode action's refusal, reported at the placement row for a placement field, at
    the legal status row for the legal status, and at the episode row for anything else."""

    def __init__(
        self, importer: _Importer, episode: Where, placement: Where, status: Where
    ) -> None:
        self.importer = importer
        self.places = (placement, status, episode)

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, error: BaseException | None, _: Any) -> None:
        if not isinstance(error, ValidationError):
            return
        names = set(getattr(error, "error_dict", {}))
        for file, number, fields, people in self.places:
            if names & set(fields) or fields is self.places[-1][2]:
                self.importer.refusal(file, number, fields, people).__exit__(kind, error, _)
