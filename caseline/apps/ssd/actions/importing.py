"""Importing another system's SSD extract through the same actions the pages use: teams and
workers, then each family's people, relationships, households, addresses, allocations,
contacts, referrals with their assessments (draft, or completed elsewhere) and CIN plans, and
CIN visits.

The whole extract is checked first (``validate``). Its rows are then staged on disk (``stage``,
ADR 0044) and read back a family at a time, so that the import holds one family's rows (and the
ids that join people into families), whatever the size of the extract. Inside one transaction
for the whole extract, the workforce is imported (a savepoint a row) and every family (the
people joined by ``ssd_mother`` and ``ssd_family`` rows) in a savepoint of its own. The actions
are called without their own ``durable`` transaction (``_unwrapped``) so that they run inside
those: they check the permission, apply every rule they apply on the pages (the DfE's rules at
entry among them) and record their audit events exactly as when a worker types the record in;
the events of a family are sealed into the audit chain together when its savepoint ends
(``audit.record.events_together``), and the family's source records (below) are read in one
query and inserted together. A family an action refuses is rolled back to its savepoint and
reported with the file, row and column it was importing; unless ``partial``, one refusal rolls
the whole import back. So nothing of a child is written unless all of it is.

Each row imported is remembered by its source id (``SourceRecord``, with the row as imported):
importing the same extract again finds every row and changes nothing; a later extract's
changed row is applied where ``CHANGES`` says how, and otherwise reported.
"""

from __future__ import annotations

import datetime
import hashlib
import itertools
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import timezone

from caseline.apps.accounts import actions as accounts
from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Permission, Role
from caseline.apps.assessments import actions as assessments
from caseline.apps.assessments.models import Assessment
from caseline.apps.audit.record import events_together, record_event
from caseline.apps.cin import actions as cin
from caseline.apps.cin.models import CINPlan
from caseline.apps.core.access import require_permission
from caseline.apps.frontdoor import actions as frontdoor
from caseline.apps.frontdoor.models import (
    Contact,
    EarlyHelpEpisode,
    Referral,
    start_of_day,
)
from caseline.apps.people import actions as people
from caseline.apps.people.models import (
    Address,
    Allocation,
    Household,
    HouseholdMember,
    Person,
    Relationship,
)
from caseline.apps.ssd.actions.importing_protection import PROTECTION_TABLES, import_protection
from caseline.apps.ssd.actions.stage import Stage, staged
from caseline.apps.ssd.events import SsdEvent
from caseline.apps.ssd.models import SourceRecord
from caseline.apps.ssd.spec import spec
from caseline.apps.ssd.tables import ASSESSMENT_OUTCOME_FLAGS, CONTACT_DECISION_FLAGS
from caseline.apps.ssd.validate import IMPORTED, Checked, Problem, check_extract, parse, rows_of

Progress = Callable[[str], None]
Row = dict[str, Any]

# What the SSD does not carry that an action needs, said plainly on the record.
NOT_CARRIED = "Not in the SSD extract imported from {system}."
FORMER_UPN = "Former Unique Pupil Number"


def _unwrapped(action: Callable[..., Any]) -> Callable[..., Any]:
    """The action without its ``durable`` transaction, to run inside the import's own.

    Everything else the action does (permission, checks, audit) is unchanged.
    """
    inner: Callable[..., Any] = getattr(action, "__wrapped__", action)
    return inner


create_people = _unwrapped(people.create_people)
update_person_identity = _unwrapped(people.update_person_identity)
record_relationship = _unwrapped(people.record_relationship)
add_household_member = _unwrapped(people.add_household_member)
add_address = _unwrapped(people.add_address)
record_contacts = _unwrapped(frontdoor.record_contacts)
record_referral = _unwrapped(frontdoor.record_referral)
close_referral = _unwrapped(frontdoor.close_referral)
start_early_help = _unwrapped(frontdoor.start_early_help)
end_early_help = _unwrapped(frontdoor.end_early_help)
start_assessment = _unwrapped(assessments.start_assessment)
save_assessment = _unwrapped(assessments.save_assessment)
record_completed_elsewhere = _unwrapped(assessments.record_completed_elsewhere)
start_cin_plan = _unwrapped(cin.start_plan)
end_cin_plan = _unwrapped(cin.end_plan)
record_cin_visits = _unwrapped(cin.record_visits)
create_team = _unwrapped(accounts.create_team)
create_user = _unwrapped(accounts.create_user)
update_user = _unwrapped(accounts.update_user)
allocate_cases = _unwrapped(frontdoor.allocate_cases)
end_allocation = _unwrapped(frontdoor.end_allocation)

# The service of a team the SSD names (it does not say which): one that holds cases.
IMPORTED_TEAM_SERVICE = Team.Service.CHILDREN_IN_NEED
# The role of a worker the SSD names: one that may hold cases. The administrator gives the
# account its real roles (and a way to sign in) when the worker starts using Caseline.
IMPORTED_WORKER_ROLES = [Role.SOCIAL_WORKER]
# The columns naming who did the work on a row, and the field of the record they fill: the
# actions record the importing user, and the import then names the worker the row names.
WORKER_COLUMNS: dict[str, dict[str, str]] = {
    "ssd_cin_episodes": {"cine_referral_worker_id": "opened_by"},
    "ssd_cin_assessments": {"cina_assessment_worker_id": "recorded_by"},
    "ssd_cin_plans": {"cinp_cin_plan_worker_id": "recorded_by"},
}
# The tables whose rows belong to a referral (the column naming it, and the date that orders
# them within it): imported while the referral is open, before it closes.
WITHIN_REFERRAL: dict[str, tuple[str, str]] = {
    "ssd_cin_plans": ("cinp_referral_id", "cinp_cin_plan_start_date"),
}


@dataclass
class Imported:
    """What an import did, or why it did nothing."""

    checked: Checked
    created: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    changed_not_applied: Counter[str] = field(default_factory=Counter)
    # Each row a later extract changed: (table, source id, the columns that changed).
    applied: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)
    not_applied: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)
    refused: list[Problem] = field(default_factory=list)
    people_imported: int = 0
    people_set_aside: int = 0
    committed: bool = False

    def add_counts(self, other: Imported) -> None:
        """Count what a family's import did, once it is kept."""
        self.created.update(other.created)
        self.unchanged.update(other.unchanged)
        self.updated.update(other.updated)
        self.changed_not_applied.update(other.changed_not_applied)
        self.applied.extend(other.applied)
        self.not_applied.extend(other.not_applied)

    @property
    def problems(self) -> list[Problem]:
        return [*self.checked.problems, *self.refused]


class _Refused(Exception):
    """An action refused a row: roll the family back and say where."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.problem)
        self.problem = problem


class _Rows:
    """The rows of the tables the import reads, staged on disk (``stage``), with the ids that
    join people into families; the rows of one family at a time are read back (``load``).

    While a family is loaded, ``people``, ``by_person``, ``mothers_of``, ``family_of`` and
    ``factors`` hold its rows (and its assessments' factors) and nobody else's.
    """

    def __init__(self, stage: Stage) -> None:
        self.stage = stage
        # Ids only, for ``_families``: every person with a row, in the extract's order; each
        # mother row's mother and child; each family row's person, by the family's id.
        self.person_ids: dict[str, None] = {}
        self.mothers: list[tuple[str | None, str | None]] = []
        self.families: dict[str, list[str | None]] = defaultdict(list)
        # The family loaded.
        self.people: dict[str, tuple[int, Row]] = {}
        self.by_person: dict[str, dict[str, list[tuple[int, Row]]]] = {}
        self.mothers_of: dict[str, list[tuple[int, Row]]] = {}
        self.family_of: dict[str, list[tuple[int, Row]]] = {}
        self.factors: dict[str, list[str]] = {}

    def load(self, members: list[str]) -> None:
        """Read back the rows of ``members`` (and only theirs), parsed as when staged."""
        self.unload()
        for owner, name, number, fields in self.stage.rows(members):
            if name == "ssd_assessment_factors":
                continue  # an assessment's id that is also a person's: read below
            row = _parsed(name, fields)
            if name == "ssd_person":
                self.people[owner] = (number, row)
            elif name == "ssd_mother":
                self.mothers_of.setdefault(owner, []).append((number, row))
            elif name == "ssd_family":
                self.family_of.setdefault(owner, []).append((number, row))
            else:
                self.by_person.setdefault(owner, {}).setdefault(name, []).append((number, row))
        assessments = [
            row["cina_assessment_id"]
            for related in self.by_person.values()
            for _, row in related.get("ssd_cin_assessments", [])
            if row["cina_assessment_id"]
        ]
        for _, name, _, fields in self.stage.rows(assessments, "ssd_assessment_factors"):
            row = _parsed(name, fields)
            codes = json.loads(row["cinf_assessment_factors_json"] or "[]")
            self.factors[row["cinf_assessment_id"]] = [str(code) for code in codes]

    def unload(self) -> None:
        """Let go of the family loaded."""
        self.people, self.by_person, self.factors = {}, {}, {}
        self.mothers_of, self.family_of = {}, {}

    def staff(self, table: str) -> Iterator[tuple[int, Row]]:
        """The rows of a table of the workforce, in the extract's order."""
        for _, name, number, fields in self.stage.rows([""], table):
            yield number, _parsed(name, fields)


PERSON_COLUMN = {
    "ssd_disability": "disa_person_id",
    "ssd_immigration_status": "immi_person_id",
    "ssd_linked_identifiers": "link_person_id",
    "ssd_address": "addr_person_id",
    "ssd_contacts": "cont_person_id",
    "ssd_cin_episodes": "cine_person_id",
    "ssd_cin_assessments": "cina_person_id",
    "ssd_involvements": "invo_person_id",
    "ssd_cin_plans": "cinp_person_id",
    "ssd_cin_visits": "cinv_person_id",
    "ssd_early_help_episodes": "earl_person_id",
    **PROTECTION_TABLES,
    "ssd_cla_episodes": "clae_person_id",  # looked after: importing_lookedafter
    "ssd_cla_placement": "clap_person_id",
    "ssd_legal_status": "lega_person_id",
    "ssd_cla_visits": "clav_person_id",
    "ssd_cla_reviews": "clar_cla_person_id",
    "ssd_missing": "miss_person_id",
    "ssd_care_leavers": "clea_person_id",
    "ssd_cla_health": "clah_person_id",
    "ssd_sdq_scores": "csdq_person_id",
    "ssd_cla_convictions": "clac_person_id",
    "ssd_cla_immunisations": "clai_person_id",
    "ssd_cla_previous_permanence": "lapp_person_id",
    "ssd_permanence": "perm_person_id",
}
# The tables of a child's rows imported after the child's referrals, and the date that orders
# each table's rows (one early help episode is open at a time).
AFTER_REFERRALS = {
    "ssd_cin_visits": "cinv_cin_visit_date",
    "ssd_early_help_episodes": "earl_episode_start_date",
}
# What a later extract may change in a row imported before, and the importer's method that
# applies it: a record's own progress (an episode closing, a plan or an allocation ending) and
# a worker's name and title. A row with any other change is counted and listed as changed but
# not applied (``Imported.not_applied``).
CHANGES: dict[str, tuple[frozenset[str], str]] = {
    "ssd_cin_episodes": (
        frozenset({"cine_close_date", "cine_close_reason", "cine_referral_nfa"}),
        "end_row",
    ),
    "ssd_cin_plans": (frozenset({"cinp_cin_plan_end_date"}), "end_row"),
    "ssd_involvements": (frozenset({"invo_involvement_end_date"}), "end_row"),
    "ssd_early_help_episodes": (
        frozenset({"earl_episode_end_date", "earl_episode_end_reason"}),
        "end_row",
    ),
    "ssd_professionals": (
        frozenset({"prof_professional_name", "prof_professional_job_title"}),
        "update_professional",
    ),
}
# Columns Caseline works out for itself: a change in them alone changes nothing.
DERIVED = {"ssd_professionals": frozenset({"prof_professional_caseload"})}
# Tables of the workforce, imported before any family (they concern no one person).
STAFF = ("ssd_department", "ssd_professionals")
# The household a family row names is remembered under this "table" (the group's id).
FAMILY_GROUP = "ssd_family.fami_family_id"
# Source ids per query when a family's source records are read together.
IDS_PER_QUERY = 500


def _parsed(name: str, fields: list[str]) -> Row:
    """A row of table ``name`` from its CSV fields (which parsed when it was staged)."""
    columns = spec().tables[name].columns
    return {c.name: parse(c, text) for c, text in zip(columns, fields, strict=True)}


def _read(folder: Path, stage: Stage) -> _Rows:
    """Stage the rows of the tables the import reads, keeping the ids ``_families`` joins."""
    tables = spec().tables
    rows = _Rows(stage)
    for name in IMPORTED:
        table = tables[name]
        columns = table.columns
        for number, raw in rows_of(folder / table.file_name):
            try:
                row = {c.name: parse(c, text) for c, text in zip(columns, raw, strict=True)}
            except ValueError:
                continue  # reported by the checks; its people are set aside (--partial)
            owner: str | None
            if name == "ssd_person":
                owner = row["pers_person_id"]
                if owner is not None:
                    rows.person_ids[owner] = None
            elif name == "ssd_mother":
                owner = row["moth_childs_person_id"]
                rows.mothers.append((row["moth_person_id"], owner))
            elif name == "ssd_family":
                owner = row["fami_person_id"]
                rows.families[row["fami_family_id"] or ""].append(owner)
            elif name in STAFF:
                owner = ""
            elif name == "ssd_assessment_factors":
                owner = row["cinf_assessment_id"]
            else:
                owner = row[PERSON_COLUMN[name]]
            if owner is not None:  # a row naming no one is never read
                stage.add(owner, name, number, raw)
    stage.ready()
    return rows


def _families(rows: _Rows) -> list[list[str]]:
    """The people joined by mother and family rows, each family in the extract's order."""
    parent = {person: person for person in rows.person_ids}
    # People named by a mother or family row whose own row could not be read join the family
    # too, so that it is set aside with them.
    for pair in rows.mothers:
        for person in pair:
            if person:
                parent.setdefault(person, person)
    for members in rows.families.values():
        for person in members:
            if person:
                parent.setdefault(person, person)

    def find(person: str) -> str:
        while parent[person] != person:
            parent[person] = parent[parent[person]]
            person = parent[person]
        return person

    def join(a: str | None, b: str | None) -> None:
        if a in parent and b in parent:
            parent[find(a)] = find(b)

    for mother, child in rows.mothers:
        join(mother, child)
    for members in rows.families.values():
        for first, other in itertools.pairwise(members):
            join(first, other)
    groups: dict[str, list[str]] = defaultdict(list)
    for person in parent:  # the extract's order, then those named only by other rows
        groups[find(person)].append(person)
    return list(groups.values())


def _in_order(rows: list[tuple[int, Row]], column: str) -> list[tuple[int, Row]]:
    """Numbered rows by the date in ``column`` (undated first), then by their place."""
    return sorted(rows, key=lambda item: (_day(item[1][column]) or datetime.date.min, item[0]))


def _as_text(row: Row) -> dict[str, str | None]:
    """A row's values as text, as ``SourceRecord.row`` keeps them."""
    return {name: None if value is None else str(value) for name, value in row.items()}


def _hash(row: Row) -> str:
    text = json.dumps(row, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class _Contact:
    """A contact row read, waiting to be recorded with the child's others: where it is, and
    the referral row its decision opens, if it does."""

    number: int
    row: Row
    where: tuple[str, int, dict[str, str], list[str]]
    recorded: frontdoor.ContactRecorded
    referral: tuple[int, Row] | None = None


def source_records(system: str, ids_of: dict[str, list[str]]) -> models.QuerySet[SourceRecord]:
    """The source records of ``system`` with these ids in each table (at least one table).
    Each table's ids are asked for in that table only: the same id in other tables (ids are
    often counters) would bring back records of rows not asked for. One query, a part a table
    (UNION ALL), each part naming the system, table and ids, so that each reads the unique
    index on all three: as one OR of the tables, with no planner statistics yet (SQLite's
    come with the ANALYZE at the end of an import), SQLite read every record of the system,
    more with each family (77% of the import's time after 6,500 of the 50,000-child
    authority's 33,498 families)."""
    parts = [
        SourceRecord.objects.filter(system=system, table=table, source_id__in=ids)
        for table, ids in ids_of.items()
    ]
    return parts[0].union(*parts[1:], all=True)


class _Importer:
    """Imports families, remembering each row by its source id."""

    def __init__(self, *, acting_user: User, system: str, rows: _Rows, result: Imported) -> None:
        self.user = acting_user
        self.system = system
        self.rows = rows
        self.result = result
        self.people: dict[str, Person] = {}
        self.staff_records: dict[tuple[str, str], Any] = {}
        self.touched: set[str] = set()  # people created or updated by this import
        # The source records of the family being imported, by table and id (``read_family``).
        self.family_keys: set[tuple[str, str]] = set()
        self.family_records: dict[tuple[str, str], SourceRecord] = {}
        self.family_new: list[SourceRecord] = []  # remembered, inserted at the family's end

    # -- remembering ---------------------------------------------------------------------------

    def known(self, table: str, source_id: str) -> SourceRecord | None:
        if (table, source_id) in self.family_keys:  # read with the family's (``read_family``)
            return self.family_records.get((table, source_id))
        return SourceRecord.objects.filter(
            system=self.system, table=table, source_id=source_id
        ).first()

    def read_family(self, members: list[str]) -> None:
        """Read at once the source records of every row of the family a table's id names, so
        that ``known`` asks the database only for others (the workforce)."""
        tables = spec().tables
        keys = {("ssd_person", person) for person in members}
        mothers, families = self.rows.mothers_of, self.rows.family_of
        for person in members:
            for number_row in (*mothers.get(person, []), *families.get(person, [])):
                row = number_row[1]
                if "moth_table_id" in row:
                    keys.add(("ssd_mother", row["moth_table_id"]))
                else:
                    group = row["fami_family_id"] or f"person-{person}"
                    keys |= {("ssd_family", row["fami_table_id"]), (FAMILY_GROUP, group)}
            for table, rows in self.rows.by_person.get(person, {}).items():
                key = tables[table].key
                if key is not None:
                    keys |= {(table, row[key.name]) for _, row in rows if row[key.name]}
        ordered = sorted(keys)
        found: dict[tuple[str, str], SourceRecord] = {}
        for start in range(0, len(ordered), IDS_PER_QUERY):
            ids_of: dict[str, list[str]] = defaultdict(list)
            for table, source_id in ordered[start : start + IDS_PER_QUERY]:
                ids_of[table].append(source_id)
            for record in source_records(self.system, ids_of):
                found[(record.table, record.source_id)] = record
        self.family_keys, self.family_records = keys, found

    def remember(
        self, table: str, source_id: str, record: models.Model, person: Person | None, row: Row
    ) -> None:
        """Keep the row's source id and what it made: with the family's others, inserted
        together when the family is imported (``family``), or at once for the workforce."""
        source = SourceRecord(
            system=self.system,
            table=table,
            source_id=source_id,
            content_type=ContentType.objects.get_for_model(type(record)),
            object_id=record.pk,
            person=person,
            row_hash=_hash(row),
            row=_as_text(row),
        )
        if (table, source_id) in self.family_keys:
            self.family_records[(table, source_id)] = source
            self.family_new.append(source)
        else:
            source.save(force_insert=True)
        self.result.created[table] += 1

    def seen(self, table: str, source_id: str, row: Row, number: int = 0) -> bool:
        """Whether the row was imported before. A row a later extract changed is applied
        when only what ``CHANGES`` allows changed (through the table's action), taken as it
        is when only what Caseline works out itself changed (``DERIVED``), and otherwise
        counted and listed as changed but not applied."""
        found = self.known(table, source_id)
        if found is None:
            return False
        if found.row_hash == _hash(row):
            self.result.unchanged[table] += 1
            return True
        text = _as_text(row)
        changed = tuple(c for c in text if text[c] != found.row.get(c)) if found.row else ()
        allowed, apply = CHANGES.get(table, (frozenset(), ""))
        if changed and set(changed) <= DERIVED.get(table, frozenset()):
            self.result.unchanged[table] += 1
        elif changed and set(changed) <= allowed | DERIVED.get(table, frozenset()):
            record = found.content_type.get_object_for_this_type(pk=found.object_id)
            getattr(self, apply)(table, record, row, number)
            self.result.updated[table] += 1
            self.result.applied.append((table, source_id, changed))
        else:
            self.result.changed_not_applied[table] += 1
            self.result.not_applied.append((table, source_id, changed))
            return True
        found.row_hash, found.row = _hash(row), text
        if found.pk is not None:  # else remembered by this family, not yet inserted
            found.save(update_fields=["row_hash", "row", "updated_at"])
        return True

    # -- what a later extract may change ---------------------------------------------------------

    def end_row(self, table: str, record: Any, row: Row, number: int) -> None:
        """End ``record`` as the row says (``ENDINGS``), if it is open and the row has an end."""
        ending = ENDINGS[table]
        end = _day(row[ending.column])
        if getattr(record, ending.field) is not None or end is None:
            return
        said = NOT_CARRIED.format(system=self.system)
        where = (f"{table}.csv", number, ending.fields, [row[PERSON_COLUMN[table]]])
        with self.refusal(*where):
            ending.action(
                acting_user=self.user,
                **{ending.record: record, ending.date: end},
                **ending.values(row, said),
            )

    def update_professional(self, table: str, user: User, row: Row, number: int) -> None:
        """The worker's name and job title as the row has them."""
        first, _, last = (row["prof_professional_name"] or "").strip().partition(" ")
        with self.refusal("ssd_professionals.csv", number, PROFESSIONAL_FIELDS, []):
            update_user(
                acting_user=self.user,
                user=user,
                read_version=user.version,
                first_name=first,
                last_name=last,
                job_title=row["prof_professional_job_title"] or "",
            )

    # -- the workforce -------------------------------------------------------------------------

    def workforce(self) -> None:
        """Teams, then workers, each in a savepoint: one refused is reported (it concerns no
        person, so it stops an import that is not partial); rows naming it are refused."""
        for table in STAFF:
            for number, row in self.rows.staff(table):
                try:
                    with transaction.atomic():
                        if table == "ssd_department":
                            self.department(number, row)
                        else:
                            self.professional(number, row)
                except _Refused as refused:
                    self.result.refused.append(refused.problem)

    def department(self, number: int, row: Row) -> None:
        source_id = row["dept_team_id"]
        if self.seen("ssd_department", source_id, row):
            return
        name = (row["dept_team_name"] or "").strip()
        team = Team.objects.filter(name=name).first()  # a team already on Caseline
        if team is None:
            with self.refusal("ssd_department.csv", number, {"name": "dept_team_name"}, []):
                team = create_team(acting_user=self.user, name=name, service=IMPORTED_TEAM_SERVICE)
        self.remember("ssd_department", source_id, team, None, row)

    def professional(self, number: int, row: Row) -> None:
        source_id = row["prof_professional_id"]
        if self.seen("ssd_professionals", source_id, row, number):
            return
        username = (row["prof_staff_id"] or "").strip() or f"ssd-{source_id}"
        number_text = row["prof_social_worker_registration_no"] or ""
        user = User.objects.filter(username=username).first()  # already on Caseline
        if user is None and number_text:
            user = User.objects.filter(swe_registration_number=number_text).first()
        if user is None:
            first, _, last = (row["prof_professional_name"] or "").strip().partition(" ")
            department = (row["prof_professional_department"] or "").strip()
            with self.refusal("ssd_professionals.csv", number, PROFESSIONAL_FIELDS, []):
                user = create_user(
                    acting_user=self.user,
                    username=username,
                    password=None,
                    first_name=first,
                    last_name=last,
                    roles=IMPORTED_WORKER_ROLES,
                    team=Team.objects.filter(name=department).first() if department else None,
                    job_title=row["prof_professional_job_title"] or "",
                    swe_registration_number=number_text,
                )
        self.remember("ssd_professionals", source_id, user, None, row)

    def staff_member(
        self, table: str, source_id: str | None, where: tuple[str, int, str, list[str]]
    ) -> Any:
        """The team or worker imported as ``source_id`` (None for none), or a refusal."""
        if not source_id:
            return None
        key = (table, source_id)
        if key not in self.staff_records:
            found = self.known(table, source_id)
            model = Team if table == "ssd_department" else User
            if found is None:
                file, number, column, people_ = where
                raise _Refused(
                    Problem(
                        file,
                        number,
                        column,
                        f"{source_id!r} of {table} was not imported",
                        tuple(p for p in people_ if p),
                    )
                )
            self.staff_records[key] = model.objects.get(pk=found.object_id)
        return self.staff_records[key]

    def attribute(self, table: str, number: int, row: Row, record: models.Model) -> None:
        """Name on ``record`` the worker the row names, in place of the importing user."""
        for column, field_name in WORKER_COLUMNS.get(table, {}).items():
            where = (f"{table}.csv", number, column, [row[PERSON_COLUMN[table]]])
            worker = self.staff_member("ssd_professionals", row[column], where)
            if worker is not None:
                type(record)._default_manager.filter(pk=record.pk).update(**{field_name: worker})

    def involvements(self, child: Person, source_id: str) -> None:
        """The child's allocations in the order they began; each ends the one before (as
        ``allocate_case`` does), or ends on its own end date when none follows that day.
        Those in a row that need nothing between them are allocated together
        (``allocations``)."""
        related = self.rows.by_person.get(source_id, {}).get("ssd_involvements", [])
        ordered = _in_order(related, "invo_involvement_start_date")
        waiting: list[tuple[int, Row, frontdoor.AllocationDetails]] = []
        made: dict[int, Allocation] = {}  # by row number
        previous: tuple[int, Row] | None = None
        for number, row in ordered:
            start = _day(row["invo_involvement_start_date"])
            if previous is not None and _day(previous[1]["invo_involvement_end_date"]) not in (
                None,
                start,
            ):
                self.allocations(child, waiting, made)  # those before it, then its end
                self.end_involvement(child, *previous, made[previous[0]], next_start=start)
            found = self.known("ssd_involvements", row["invo_involvements_id"])
            if found is not None:
                self.allocations(child, waiting, made)
                self.seen("ssd_involvements", row["invo_involvements_id"], row, number)
                made[number] = Allocation.objects.get(pk=found.object_id)
                previous = (number, row)
                continue
            where = ("ssd_involvements.csv", number, INVOLVEMENT_FIELDS, [source_id])
            try:
                team = self.staff_member(
                    "ssd_department",
                    row["invo_professional_team"],
                    (where[0], number, "invo_professional_team", [source_id]),
                )
                worker = self.staff_member(
                    "ssd_professionals",
                    row["invo_professional_id"],
                    (where[0], number, "invo_professional_id", [source_id]),
                )
            except _Refused:
                self.allocations(child, waiting, made)  # those before it are refused first
                raise
            if team is None:
                self.allocations(child, waiting, made)
                with self.refusal(*where):
                    raise ValidationError({"team": "The involvement names no team"})
            details = frontdoor.AllocationDetails(
                team=team,
                worker=worker,
                start_date=start,  # type: ignore[arg-type]  # refused by the action if None
                change_reason=row["invo_worker_change_reason"] or "",
            )
            waiting.append((number, row, details))
            previous = (number, row)
        self.allocations(child, waiting, made)
        if previous is not None:
            self.end_involvement(child, *previous, made[previous[0]], next_start=None)

    def allocations(
        self,
        child: Person,
        waiting: list[tuple[int, Row, frontdoor.AllocationDetails]],
        made: dict[int, Allocation],
    ) -> None:
        """Allocate the child's case as the rows waiting say, in order, through
        ``allocate_cases`` (each checked and audited as one is; a refused row is reported at
        its row), and remember each."""
        if not waiting:
            return
        given = waiting[:]
        waiting.clear()
        try:
            allocations = allocate_cases(
                acting_user=self.user, child=child, allocations=[d for *_, d in given]
            )
        except frontdoor.AllocationRefused as refused:
            number, row, _ = given[refused.index]
            source_id = row["invo_person_id"]
            with self.refusal("ssd_involvements.csv", number, INVOLVEMENT_FIELDS, [source_id]):
                raise
        for (number, row, _), allocation in zip(given, allocations, strict=True):
            self.remember("ssd_involvements", row["invo_involvements_id"], allocation, child, row)
            made[number] = allocation

    def end_involvement(
        self,
        child: Person,
        number: int,
        row: Row,
        allocation: Allocation,
        next_start: datetime.date | None,
    ) -> None:
        end = _day(row["invo_involvement_end_date"])
        if end is not None and end != next_start:  # else open, or the next one ends it
            # As it is now: allocating the next case may have ended it.
            allocation.refresh_from_db(fields=["end_date"])
            self.end_row("ssd_involvements", allocation, row, number)

    # -- one family ----------------------------------------------------------------------------

    def family(self, members: list[str]) -> None:
        self.rows.load(members)  # the family's rows, and no one else's
        try:
            self.read_family(members)
            self.family_rows(members)
            SourceRecord.objects.bulk_create(self.family_new)
        finally:  # what was read or remembered is gone when the family is rolled back
            self.family_keys, self.family_records, self.family_new = set(), {}, []
            self.rows.unload()

    def family_rows(self, members: list[str]) -> None:
        waiting: list[str] = []  # new people, added together (``new_people``)
        for person in members:
            if self.known("ssd_person", person) is None:
                waiting.append(person)
            else:
                self.new_people(waiting)  # those before, in order
                self.person(person)
        self.new_people(waiting)
        for person in members:
            self.relationships(person)
        for person in members:
            self.history(person)
            import_protection(self, person)  # enquiries, conferences, plans (ADR 0036)
        from caseline.apps.ssd.actions.importing_lookedafter import import_looked_after

        for person in members:  # once the family's referrals are in
            import_looked_after(self, person)
        for person in members:
            if person not in self.touched:
                continue  # found unchanged: nothing to say on the record
            record_event(
                acting_user=self.user,
                event_type=SsdEvent.IMPORTED,
                target=self.people[person],
                subject_person_id=self.people[person].pk,
                extra={"system": self.system, "source_id": person},
            )

    def identity(self, source_id: str) -> tuple[int, Row, dict[str, Any]]:
        """The person's row, its number and the identity it gives."""
        number, row = self.rows.people[source_id]
        related = self.rows.by_person.get(source_id, {})
        values = {
            "given_name": row["pers_forename"] or "",
            "family_name": row["pers_surname"] or "",
            "date_of_birth": _day(row["pers_dob"]),
            "expected_date_of_birth": _day(row["pers_expected_dob"]),
            "date_of_death": _day(row["pers_death_date"]),
            "sex": _sex(row["pers_sex"] or row["pers_gender"]),
            "ethnicity": row["pers_ethnicity"] or "",
            "nhs_number": row["pers_single_unique_id"] or "",
            "upn": row["pers_upn"] or "",
            "upn_unknown_reason": row["pers_upn_unknown"] or "",
            "nationality": row["pers_nationality"] or "",
            "disabilities": [
                r["disa_disability_code"] for _, r in related.get("ssd_disability", [])
            ],
            "immigration_status": next(
                (
                    r["immi_immigration_status"] or ""
                    for _, r in reversed(related.get("ssd_immigration_status", []))
                ),
                "",
            ),
            "former_upn": next(
                (
                    r["link_identifier_value"] or ""
                    for _, r in related.get("ssd_linked_identifiers", [])
                    if r["link_identifier_type"] == FORMER_UPN
                ),
                "",
            ),
        }
        return number, row, values

    def new_people(self, waiting: list[str]) -> None:
        """Add the people waiting (none imported before), in order, through ``create_people``:
        each checked as one person is, their duplicates looked for in one read of the record;
        a refused person is reported at their row."""
        if not waiting:
            return
        given = [self.identity(source_id) for source_id in waiting]
        try:
            made = create_people(acting_user=self.user, people=[values for *_, values in given])
        except people.PersonRefused as refused:
            number = given[refused.index][0]
            source_id = waiting[refused.index]
            with self.refusal("ssd_person.csv", number, PERSON_FIELDS, [source_id]):
                raise refused.error from None
        for source_id, (_, row, values), person in zip(waiting, given, made, strict=True):
            fingerprint = {"row": row, "values": values}
            self.remember("ssd_person", source_id, person, person, fingerprint)
            self.touched.add(source_id)
            self.people[source_id] = person
        waiting.clear()

    def person(self, source_id: str) -> None:
        """A person imported before: their identity updated if the row changed."""
        number, row, values = self.identity(source_id)
        fingerprint = {"row": row, "values": values}
        found = self.known("ssd_person", source_id)
        assert found is not None
        with self.refusal("ssd_person.csv", number, PERSON_FIELDS, [source_id]):
            person = Person.objects.get(pk=found.object_id)
            if found.row_hash == _hash(fingerprint):
                self.result.unchanged["ssd_person"] += 1
            else:
                person = update_person_identity(
                    acting_user=self.user,
                    person=person,
                    read_version=person.version,
                    **values,
                )
                found.row_hash, found.row = _hash(fingerprint), _as_text(fingerprint)
                found.save(update_fields=["row_hash", "row", "updated_at"])
                self.result.updated["ssd_person"] += 1
                self.touched.add(source_id)
        self.people[source_id] = person

    def relationships(self, source_id: str) -> None:
        child = self.people[source_id]
        for number, row in self.rows.mothers_of.get(source_id, []):
            if self.seen("ssd_mother", row["moth_table_id"], row):
                continue
            mother = self.people[row["moth_person_id"]]
            with self.refusal("ssd_mother.csv", number, {}, [source_id]):
                relationship = record_relationship(
                    acting_user=self.user,
                    person=mother,
                    other=child,
                    kind=Relationship.Kind.PARENT,
                )
            self.remember("ssd_mother", row["moth_table_id"], relationship, child, row)
        for number, row in self.rows.family_of.get(source_id, []):
            if self.seen("ssd_family", row["fami_table_id"], row):
                continue
            group_id = row["fami_family_id"] or f"person-{source_id}"
            known = self.known(FAMILY_GROUP, group_id)
            household = Household.objects.get(pk=known.object_id) if known else None
            with self.refusal("ssd_family.csv", number, {}, [source_id]):
                member: HouseholdMember = add_household_member(
                    acting_user=self.user, person=child, household=household
                )
            if known is None:
                self.remember(FAMILY_GROUP, group_id, member.household, None, {"id": group_id})
            self.remember("ssd_family", row["fami_table_id"], member, child, row)

    def history(self, source_id: str) -> None:
        child = self.people[source_id]
        related = self.rows.by_person.get(source_id, {})
        for number, row in related.get("ssd_address", []):
            self.address(child, number, row)
        self.involvements(child, source_id)
        # Contacts and referrals in the order they happened: one referral is open at a time.
        events: list[tuple[datetime.date, int, str, int, Row]] = []
        for number, row in related.get("ssd_contacts", []):
            events.append(
                (_day(row["cont_contact_date"]) or datetime.date.min, 0, "contact", number, row)
            )
        for number, row in related.get("ssd_cin_episodes", []):
            events.append(
                (_day(row["cine_referral_date"]) or datetime.date.min, 1, "referral", number, row)
            )
        events.sort(key=lambda event: (*event[:2], event[3]))
        referrals = [(n, r) for _, _, kind, n, r in events if kind == "referral"]
        claimed: set[str] = set()
        waiting: list[_Contact] = []  # the child's contacts to record together (``contacts``)
        for _, _, kind, number, row in events:
            if kind == "contact":
                self.contact(child, number, row, referrals, claimed, waiting)
            elif row["cine_referral_id"] not in claimed:
                self.contacts(child, waiting)  # those before it, in order
                claimed.add(row["cine_referral_id"])
                self.referral(child, number, row, None)
        self.contacts(child, waiting)
        # What is recorded of the child outside any one referral, once the referrals are in.
        for table, day in AFTER_REFERRALS.items():
            rows = _in_order(related.get(table, []), day)
            getattr(self, table.removeprefix("ssd_"))(child, rows)

    def address(self, child: Person, number: int, row: Row) -> None:
        if self.seen("ssd_address", row["addr_table_id"], row):
            return
        parts = json.loads(row["addr_address_json"] or "{}") or {}
        line_1 = ", ".join(
            str(parts[k]) for k in ("ROOM", "FLOOR", "FLAT", "BUILDING", "HOUSE") if parts.get(k)
        )
        kind = (row["addr_address_type"] or "").strip().lower()
        with self.refusal("ssd_address.csv", number, ADDRESS_FIELDS, [child_source(row, "addr")]):
            address = add_address(
                acting_user=self.user,
                person=child,
                line_1=line_1,
                line_2=str(parts.get("STREET") or ""),
                town=str(parts.get("TOWN") or ""),
                postcode=row["addr_address_postcode"] or "",
                start_date=_day(row["addr_address_start_date"]),
                end_date=_day(row["addr_address_end_date"]),
                kind=kind if kind in Address.Kind.values else Address.Kind.OTHER,
            )
        self.remember("ssd_address", row["addr_table_id"], address, child, row)

    def contact(
        self,
        child: Person,
        number: int,
        row: Row,
        referrals: list[tuple[int, Row]],
        claimed: set[str],
        waiting: list[_Contact],
    ) -> None:
        """The contact, with its decision, made ready to record with the child's others
        (``contacts``). One whose decision opens a referral is recorded at once, with those
        waiting before it, and its referral imported, before the next contact is read."""
        if self.seen("ssd_contacts", row["cont_contact_id"], row):
            return
        received = row["cont_contact_date"]
        moment = received if isinstance(received, datetime.datetime) else None
        day = _day(received)
        source = row["cont_contact_source_code"] or ""
        where = ("ssd_contacts.csv", number, CONTACT_FIELDS, [row["cont_person_id"]])
        if day is None:
            self.contacts(child, waiting)  # those before it are refused first, if they are
            with self.refusal(*where):
                raise ValidationError({"received_at": "The contact has no date"})
        time_given = moment is not None and moment.time() != datetime.time()
        details = frontdoor.ContactDetails(
            received_at=timezone.make_aware(moment) if time_given and moment else start_of_day(day),
            received_time_given=time_given,
            source=source,
            concern=NOT_CARRIED.format(system=self.system),
            consent=Contact.Consent.NOT_SOUGHT,
            consent_note=NOT_CARRIED.format(system=self.system),
        )
        decision = _contact_decision(row["cont_contact_outcome_json"])
        if not decision:
            waiting.append(_Contact(number, row, where, frontdoor.ContactRecorded(details)))
            return
        referral_row = None
        if decision == Contact.Decision.REFERRAL:
            referral_row = next(
                (
                    (n, r)
                    for n, r in referrals
                    if r["cine_referral_id"] not in claimed
                    and (_day(r["cine_referral_date"]) or datetime.date.min) >= day
                    and (r["cine_referral_source_code"] or "") == source
                ),
                None,
            )
            if referral_row is None:
                # Recorded undecided, as far as it goes, then refused at its outcome.
                waiting.append(_Contact(number, row, where, frontdoor.ContactRecorded(details)))
                self.contacts(child, waiting)
                raise _Refused(
                    Problem(
                        "ssd_contacts.csv",
                        number,
                        "cont_contact_outcome_json",
                        "The contact led to a referral, but no referral of the child from "
                        "the same source starts on or after it",
                        (row["cont_person_id"],),
                    )
                )
            claimed.add(referral_row[1]["cine_referral_id"])
        decided_on = _day(referral_row[1]["cine_referral_date"]) if referral_row else day
        assert decided_on is not None
        decided = frontdoor.ContactDecision(
            decision=decision,
            rationale=NOT_CARRIED.format(system=self.system),
            decided_at=start_of_day(decided_on),
            decided_time_given=False,
            primary_need=(referral_row[1]["cine_cin_primary_need_code"] or "")
            if referral_row
            else "",
        )
        recorded = frontdoor.ContactRecorded(details, decided)
        waiting.append(_Contact(number, row, where, recorded, referral_row))
        if referral_row is not None:
            self.contacts(child, waiting)

    def contacts(self, child: Person, waiting: list[_Contact]) -> None:
        """Record the contacts waiting, in order, through ``record_contacts`` (each checked and
        audited as one contact and its decision are; a refused one is reported at its row),
        then import the referral the last one's decision opened, if it did."""
        if not waiting:
            return
        given = waiting[:]
        waiting.clear()
        try:
            made = record_contacts(
                acting_user=self.user, child=child, contacts=[c.recorded for c in given]
            )
        except frontdoor.ContactRefused as refused:
            with self.refusal(*given[refused.index].where):  # its messages, at its row
                raise
        for waited, contact in zip(given, made, strict=True):
            [subject] = [p for p in contact.people if p.person_id == child.pk]
            cont_id = waited.row["cont_contact_id"]
            self.remember("ssd_contacts", cont_id, subject, child, waited.row)
        if given[-1].referral is not None:
            number, row = given[-1].referral
            self.referral(child, number, row, made[-1].referrals[0])

    def referral(self, child: Person, number: int, row: Row, opened: Referral | None) -> None:
        if self.known("ssd_cin_episodes", row["cine_referral_id"]) is not None:
            self.assessments_of(child, row)  # any new since the last import
            self.within_referral(child, row)
            self.seen("ssd_cin_episodes", row["cine_referral_id"], row, number)  # then closes
            return
        where = ("ssd_cin_episodes.csv", number, REFERRAL_FIELDS, [row["cine_person_id"]])
        with self.refusal(*where):
            referral = opened or record_referral(
                acting_user=self.user,
                child=child,
                referral_date=_day(row["cine_referral_date"]),
                source=row["cine_referral_source_code"] or "",
                primary_need=row["cine_cin_primary_need_code"] or "",
            )
        self.remember("ssd_cin_episodes", row["cine_referral_id"], referral, child, row)
        self.attribute("ssd_cin_episodes", number, row, referral)
        self.assessments_of(child, row)
        self.within_referral(child, row)
        self.end_row("ssd_cin_episodes", referral, row, number)

    def within_referral(self, child: Person, referral: Row) -> None:
        """The plans, enquiries and conferences of a referral, in the order they began."""
        related = self.rows.by_person.get(referral["cine_person_id"], {})
        rows = [
            (_day(row[day]) or datetime.date.min, number, table, row)
            for table, (column, day) in WITHIN_REFERRAL.items()
            for number, row in related.get(table, [])
            if row[column] == referral["cine_referral_id"]
        ]
        for _, number, table, row in sorted(rows, key=lambda item: item[:2]):
            getattr(self, table.removeprefix("ssd_"))(child, number, row)

    def cin_plans(self, child: Person, number: int, row: Row) -> None:
        if self.seen("ssd_cin_plans", row["cinp_cin_plan_id"], row, number):
            return
        said = NOT_CARRIED.format(system=self.system)
        with self.refusal("ssd_cin_plans.csv", number, CIN_PLAN_FIELDS, [row["cinp_person_id"]]):
            plan: CINPlan = start_cin_plan(
                acting_user=self.user,
                child=child,
                start_date=_day(row["cinp_cin_plan_start_date"]),
                child_views=said,
                identity_needs=said,
            )
        self.end_row("ssd_cin_plans", plan, row, number)
        self.remember("ssd_cin_plans", row["cinp_cin_plan_id"], plan, child, row)
        self.attribute("ssd_cin_plans", number, row, plan)

    def cin_visits(self, child: Person, rows: list[tuple[int, Row]]) -> None:
        """The child's visits not imported before, recorded together (``record_visits``, each
        checked as one visit is); a refused visit is reported at its row."""
        said = NOT_CARRIED.format(system=self.system)
        new: list[tuple[int, Row, cin.VisitDetails]] = []
        for number, row in rows:
            if self.seen("ssd_cin_visits", row["cinv_cin_visit_id"], row):
                continue
            seen = bool(row["cinv_cin_visit_seen"])
            day = _day(row["cinv_cin_visit_date"])
            if day is None:
                where = ("ssd_cin_visits.csv", number, CIN_VISIT_FIELDS, [row["cinv_person_id"]])
                with self.refusal(*where):
                    raise ValidationError({"visit_date": "The visit has no date"})
            details = cin.VisitDetails(
                visit_date=day,
                child_seen=seen,
                child_seen_alone=bool(row["cinv_cin_visit_seen_alone"]),
                seen_bedroom=row["cinv_cin_visit_bedroom"],
                purpose=said,
                observations=said,
                not_seen_reason="" if seen else said,
            )
            new.append((number, row, details))
        if not new:
            return
        try:
            visits = record_cin_visits(
                acting_user=self.user, child=child, visits=[details for *_, details in new]
            )
        except cin.VisitRefused as refused:
            number, row, _ = new[refused.index]
            where = ("ssd_cin_visits.csv", number, CIN_VISIT_FIELDS, [row["cinv_person_id"]])
            with self.refusal(*where):  # the refused visit's messages, at its row
                raise
        for (_, row, _), visit in zip(new, visits, strict=True):
            self.remember("ssd_cin_visits", row["cinv_cin_visit_id"], visit, child, row)

    def early_help_episodes(self, child: Person, rows: list[tuple[int, Row]]) -> None:
        for number, row in rows:
            self.early_help_episode(child, number, row)

    def early_help_episode(self, child: Person, number: int, row: Row) -> None:
        if self.seen("ssd_early_help_episodes", row["earl_episode_id"], row, number):
            return
        where = ("ssd_early_help_episodes.csv", number, EARLY_HELP_FIELDS, [row["earl_person_id"]])
        with self.refusal(*where):
            episode: EarlyHelpEpisode = start_early_help(
                acting_user=self.user,
                child=child,
                start_date=_day(row["earl_episode_start_date"]),
                reason=row["earl_episode_reason"] or NOT_CARRIED.format(system=self.system),
                organisation=row["earl_episode_organisation"] or "",
            )
        self.end_row("ssd_early_help_episodes", episode, row, number)
        self.remember("ssd_early_help_episodes", row["earl_episode_id"], episode, child, row)

    def assessments_of(self, child: Person, referral: Row) -> None:
        related = self.rows.by_person.get(referral["cine_person_id"], {})
        for number, row in related.get("ssd_cin_assessments", []):
            if row["cina_referral_id"] == referral["cine_referral_id"]:
                self.assessment(child, number, row)

    def assessment(self, child: Person, number: int, row: Row) -> None:
        if self.seen("ssd_cin_assessments", row["cina_assessment_id"], row):
            return
        where = ("ssd_cin_assessments.csv", number, ASSESSMENT_FIELDS, [row["cina_person_id"]])
        values = {
            "child_seen": row["cina_assessment_child_seen"],
            "outcome": _assessment_outcome(row["cina_assessment_outcome_json"]),
            "factors": self.rows.factors.get(row["cina_assessment_id"], []),
        }
        with self.refusal(*where):
            if row["cina_assessment_auth_date"] is not None:
                # Completed in the other system: its sections are not in the extract (ADR 0033).
                assessment: Assessment = record_completed_elsewhere(
                    acting_user=self.user,
                    child=child,
                    start_date=_day(row["cina_assessment_start_date"]),
                    authorised_on=_day(row["cina_assessment_auth_date"]),
                    not_carried=NOT_CARRIED.format(system=self.system),
                    **values,
                )
            else:
                assessment = start_assessment(
                    acting_user=self.user,
                    child=child,
                    start_date=_day(row["cina_assessment_start_date"]),
                )
                assessment = save_assessment(
                    acting_user=self.user,
                    assessment=assessment,
                    read_version=assessment.version,
                    values=values,
                )
        self.remember("ssd_cin_assessments", row["cina_assessment_id"], assessment, child, row)
        self.attribute("ssd_cin_assessments", number, row, assessment)

    # -- refusals -------------------------------------------------------------------------------

    def refusal(self, file: str, row: int, fields: dict[str, str], people: list[str]) -> _Refusal:
        return _Refusal(file, row, fields, tuple(p for p in people if p))


class _Refusal:
    """Turns an action's ``ValidationError`` into a problem at a file, row and column."""

    def __init__(self, file: str, row: int, fields: dict[str, str], people: tuple[str, ...]):
        self.file, self.row, self.fields, self.people = file, row, fields, people

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, _: Any
    ) -> None:
        if isinstance(error, ValidationError):
            problems = []
            if hasattr(error, "error_dict"):
                for name, errors in error.message_dict.items():
                    column = self.fields.get(name)
                    for message in errors:
                        problems.append(Problem(self.file, self.row, column, message, self.people))
            else:
                problems = [
                    Problem(self.file, self.row, None, message, self.people)
                    for message in error.messages
                ]
            raise _Refused(problems[0]) from error


def child_source(row: Row, prefix: str) -> str:
    return str(row.get(f"{prefix}_person_id") or "")


PERSON_FIELDS = {
    "given_name": "pers_forename",
    "family_name": "pers_surname",
    "date_of_birth": "pers_dob",
    "expected_date_of_birth": "pers_expected_dob",
    "date_of_death": "pers_death_date",
    "sex": "pers_sex",
    "ethnicity": "pers_ethnicity",
    "nhs_number": "pers_single_unique_id",
    "upn": "pers_upn",
    "upn_unknown_reason": "pers_upn_unknown",
    "nationality": "pers_nationality",
}
ADDRESS_FIELDS = {
    "line_1": "addr_address_json",
    "postcode": "addr_address_postcode",
    "start_date": "addr_address_start_date",
    "end_date": "addr_address_end_date",
    "kind": "addr_address_type",
}
CONTACT_FIELDS = {
    "received_at": "cont_contact_date",
    "received_time": "cont_contact_date",
    "source": "cont_contact_source_code",
    "decided_at": "cont_contact_outcome_json",
    "decision": "cont_contact_outcome_json",
}
REFERRAL_FIELDS = {
    "referral_date": "cine_referral_date",
    "source": "cine_referral_source_code",
    "primary_need": "cine_cin_primary_need_code",
    "closed_on": "cine_close_date",
    "closure_reason": "cine_close_reason",
    "nfa": "cine_referral_nfa",
}
PROFESSIONAL_FIELDS = {
    "username": "prof_staff_id",
    "first_name": "prof_professional_name",
    "last_name": "prof_professional_name",
    "job_title": "prof_professional_job_title",
    "swe_registration_number": "prof_social_worker_registration_no",
    "team": "prof_professional_department",
}
INVOLVEMENT_FIELDS = {
    "team": "invo_professional_team",
    "worker": "invo_professional_id",
    "start_date": "invo_involvement_start_date",
    "end_date": "invo_involvement_end_date",
    "change_reason": "invo_worker_change_reason",
}
CIN_PLAN_FIELDS = {
    "start_date": "cinp_cin_plan_start_date",
    "end_date": "cinp_cin_plan_end_date",
}
CIN_VISIT_FIELDS = {
    "visit_date": "cinv_cin_visit_date",
    "child_seen": "cinv_cin_visit_seen",
    "child_seen_alone": "cinv_cin_visit_seen_alone",
    "seen_bedroom": "cinv_cin_visit_bedroom",
}
EARLY_HELP_FIELDS = {
    "start_date": "earl_episode_start_date",
    "reason": "earl_episode_reason",
    "end_date": "earl_episode_end_date",
    "end_reason": "earl_episode_end_reason",
}
ASSESSMENT_FIELDS = {
    "start_date": "cina_assessment_start_date",
    "authorised_on": "cina_assessment_auth_date",
    "child_seen": "cina_assessment_child_seen",
    "outcome": "cina_assessment_outcome_json",
    "factors": "cina_assessment_id",
}


@dataclass(frozen=True)
class _Ending:
    """How a row's end date ends its record: the action, and what else it is given."""

    column: str  # the row's end date
    field: str  # the record's, empty while it is open
    action: Callable[..., Any]
    record: str  # the action's keyword for the record
    date: str  # and for the end date
    fields: dict[str, str]  # the action's fields by the row's columns, for a refusal
    values: Callable[[Row, str], dict[str, Any]] = lambda row, said: {}


# Records that end, and how: an episode closing, a plan, an allocation or early help ending.
ENDINGS = {
    "ssd_cin_episodes": _Ending(
        "cine_close_date",
        "closed_on",
        close_referral,
        "referral",
        "closed_on",
        REFERRAL_FIELDS,
        lambda row, said: {
            "closure_reason": row["cine_close_reason"] or "",
            "nfa": bool(row["cine_referral_nfa"]),
        },
    ),
    "ssd_cin_plans": _Ending(
        "cinp_cin_plan_end_date",
        "end_date",
        end_cin_plan,
        "plan",
        "end_date",
        CIN_PLAN_FIELDS,
        lambda row, said: {"end_reason": CINPlan.EndReason.OTHER, "end_note": said},
    ),
    "ssd_involvements": _Ending(
        "invo_involvement_end_date",
        "end_date",
        end_allocation,
        "allocation",
        "end_date",
        INVOLVEMENT_FIELDS,
    ),
    "ssd_early_help_episodes": _Ending(
        "earl_episode_end_date",
        "end_date",
        end_early_help,
        "episode",
        "end_date",
        EARLY_HELP_FIELDS,
        lambda row, said: {"end_reason": row["earl_episode_end_reason"] or said},
    ),
}


def _day(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    return value if isinstance(value, datetime.date) else None


def _sex(value: str | None) -> str:
    return value if value in Person.Sex.values else Person.Sex.UNKNOWN


def _contact_decision(text: str | None) -> str:
    """A contact's decision from its outcome JSON: Caseline's own label, else the flags."""
    if not text:
        return ""
    outcome = json.loads(text)
    labels = {decision.label: decision.value for decision in Contact.Decision}
    if outcome.get("COMMENTS") in labels:
        return labels[outcome["COMMENTS"]]
    for decision, flag in CONTACT_DECISION_FLAGS.items():
        if outcome.get(flag) == "Y":
            return decision.value
    return ""


def _assessment_outcome(text: str | None) -> str:
    if not text:
        return ""
    outcome = json.loads(text)
    labels = {choice.label: choice.value for choice in Assessment.Outcome}
    if outcome.get("COMMENTS") in labels:
        return labels[outcome["COMMENTS"]]
    for choice, flag in ASSESSMENT_OUTCOME_FLAGS.items():
        if outcome.get(flag) == "Y":
            return choice.value
    return ""


def import_extract(
    *,
    acting_user: User,
    folder: Path,
    system: str,
    partial: bool = False,
    progress: Progress | None = None,
) -> Imported:
    """Check the extract in ``folder``, then import it (see the module's docstring).

    Returns what was done; ``committed`` says whether anything was written.
    """
    require_permission(acting_user, Permission.SSD_IMPORT)
    checked = check_extract(folder)
    result = Imported(checked=checked)
    if checked.unattributed() or (checked.problems and not partial):
        _audit_refusal(acting_user, system, result)
        return result
    with staged() as stage:  # the rows on disk, read back a family at a time
        _import(acting_user, folder, system, stage, result, partial, progress)
    if result.refused and not partial:
        result.people_imported = 0
        _audit_refusal(acting_user, system, result)
        return result
    result.committed = True
    analyse()
    return result


def _import(
    acting_user: User,
    folder: Path,
    system: str,
    stage: Stage,
    result: Imported,
    partial: bool,
    progress: Progress | None,
) -> None:
    """Stage the extract's rows, then import the workforce, each family and the rows held
    beside the case record, in one transaction (rolled back on a refusal unless partial)."""
    checked = result.checked
    rows = _read(folder, stage)
    set_aside = checked.people_with_problems()
    families = _families(rows)
    importer = _Importer(acting_user=acting_user, system=system, rows=rows, result=result)
    if progress is not None:
        progress(f"Importing {len(families)} families")
    with transaction.atomic():
        importer.workforce()
        for index, members in enumerate(families, start=1):
            if set_aside & set(members) or any(m not in rows.person_ids for m in members):
                result.people_set_aside += len(members)
                continue
            importer.result = Imported(checked=checked)  # this family's counts
            try:
                with transaction.atomic(), events_together():
                    importer.family(members)
                result.add_counts(importer.result)
            except _Refused as refused:
                result.refused.append(refused.problem)
                result.people_set_aside += len(members)
                continue
            result.people_imported += len(members)
            if progress is not None and index % 500 == 0:
                progress(f"Imported {index} of {len(families)} families")
        from caseline.apps.ssd.actions.held import import_held  # voice, costs, education

        importer.result = result
        import_held(importer, folder)
        if result.refused and not partial:
            transaction.set_rollback(True)
        else:
            # In the import's own transaction: an import killed before it commits leaves
            # neither the records nor an event saying they were imported.
            record_event(
                acting_user=acting_user,
                event_type=SsdEvent.IMPORTED,
                extra={
                    "system": system,
                    "folder": str(folder),
                    "people_imported": result.people_imported,
                    "people_set_aside": result.people_set_aside,
                    "created": dict(result.created),
                    "updated": dict(result.updated),
                    "unchanged": dict(result.unchanged),
                    "changed_not_applied": dict(result.changed_not_applied),
                },
            )


def _audit_refusal(acting_user: User, system: str, result: Imported) -> None:
    with transaction.atomic():
        record_event(
            acting_user=acting_user,
            event_type=SsdEvent.IMPORT_REFUSED,
            extra={"system": system, "problems": len(result.problems)},
        )


def analyse() -> None:
    """Refresh the planner's statistics after a bulk import (PostgreSQL and SQLite)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
