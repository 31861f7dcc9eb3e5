"""Checking a whole SSD extract before anything is imported, and the report of what is wrong.

Every problem names its file, row (as a spreadsheet numbers it: the header is row 1), column
and what is wrong, and the people it concerns, so that ``--partial`` can import the others.
The checks read the files twice, a row at a time: once for the ids other rows point to, once
for everything else. What is kept in memory is those ids and, for duplicated people, one key
per person.
"""

from __future__ import annotations

import csv
import datetime
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from caseline.apps.codes.lists import code_list
from caseline.apps.ssd.export import MANIFEST
from caseline.apps.ssd.spec import Column, Table, spec

REPORT_FILE = "import_report.csv"
PERSON_KEY = "ssd_person.pers_person_id"

# The tables the import reads: each must be in the extract (with its header, when empty).
IMPORTED = (
    "ssd_person",
    "ssd_disability",
    "ssd_immigration_status",
    "ssd_linked_identifiers",
    "ssd_family",
    "ssd_mother",
    "ssd_address",
    "ssd_contacts",
    "ssd_cin_episodes",
    "ssd_cin_assessments",
    "ssd_assessment_factors",
    "ssd_department",
    "ssd_professionals",
    "ssd_involvements",
    "ssd_cin_plans",
    "ssd_cin_visits",
    "ssd_early_help_episodes",
    "ssd_s47_enquiry",
    "ssd_initial_cp_conference",
    "ssd_cp_plans",
    "ssd_cp_visits",
    "ssd_cp_reviews",
    # Looked after (``importing_lookedafter``).
    "ssd_cla_episodes",
    "ssd_cla_placement",
    "ssd_legal_status",
    "ssd_cla_visits",
    "ssd_cla_reviews",
    "ssd_missing",
    "ssd_care_leavers",
    "ssd_cla_health",
    "ssd_sdq_scores",
    "ssd_cla_convictions",
    "ssd_cla_immunisations",
    "ssd_cla_previous_permanence",
    "ssd_permanence",
)

# Pairs of dates where the second must not be before the first, beyond the *_start_date and
# *_end_date pairs found by name.
DATE_ORDER = {
    "ssd_person": [("pers_dob", "pers_death_date")],
    "ssd_cin_episodes": [("cine_referral_date", "cine_close_date")],
    "ssd_cin_assessments": [("cina_assessment_start_date", "cina_assessment_auth_date")],
    "ssd_cla_episodes": [("clae_cla_episode_start_date", "clae_cla_episode_ceased_date")],
    "ssd_s47_enquiry": [("s47e_s47_start_date", "s47e_s47_end_date")],
}

# Columns besides the id whose values name one thing each, so are used once in their table: a
# worker's staff id (their username) and registration number, a team's name.
UNIQUE = {
    "ssd_professionals": ("prof_staff_id", "prof_social_worker_registration_no"),
    "ssd_department": ("dept_team_name",),
}

_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?))?$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the extract, and where."""

    file: str
    row: int | None
    column: str | None
    problem: str
    people: tuple[str, ...] = ()


@dataclass
class Checked:
    """What checking found: the problems, and the people each concerns."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    @property
    def clean(self) -> bool:
        return not self.problems

    def unattributed(self) -> list[Problem]:
        """Problems with no person to set aside: they stop even a partial import."""
        return [problem for problem in self.problems if not problem.people]

    def people_with_problems(self) -> set[str]:
        return {person for problem in self.problems for person in problem.people}


def parse(column: Column, text: str) -> Any:
    """The Python value of one CSV field, or ``ValueError`` saying why it is not one."""
    if text == "":
        return None
    kind = column.kind
    if kind in {"datetime", "date"}:
        match = _DATETIME.match(text.strip())
        if not match:
            raise ValueError(f"{text!r} is not a date (YYYY-MM-DD, with a time if any)")
        day = datetime.date.fromisoformat(match.group(1))
        if not match.group(2) or kind == "date":
            return day
        return datetime.datetime.fromisoformat(f"{match.group(1)} {match.group(2)}")
    if kind == "int":
        if not re.fullmatch(r"-?\d+", text.strip()):
            raise ValueError(f"{text!r} is not a whole number")
        return int(text)
    if kind == "float":
        try:
            return float(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a number") from None
    if kind == "flag":
        if text not in {"Y", "N"}:
            raise ValueError(f"{text!r} is not Y or N")
        return text == "Y"
    if kind == "bit":
        if text not in {"0", "1"}:
            raise ValueError(f"{text!r} is not 0 or 1")
        return text == "1"
    if column.length is not None and len(text) > column.length:
        raise ValueError(f"is {len(text)} characters long; at most {column.length} fit")
    if column.name.endswith("_json"):
        try:
            json.loads(text)
        except json.JSONDecodeError:
            raise ValueError(f"{text[:40]!r} is not JSON") from None
    return text


def _code_problem(column: Column, value: Any) -> str | None:
    """Why a value is not one of its column's codes, or None."""
    if value is None:
        return None
    if column.values is not None and str(value) not in column.values:
        return f"{value!r} is not one of the spec's values ({', '.join(column.values)})"
    if column.code_list is None:
        return None
    codes = code_list(column.code_list)
    values = json.loads(value) if column.name.endswith("_json") else [value]
    if not isinstance(values, list):
        return f"{column.name} must be a JSON list of codes"
    unknown = [str(v) for v in values if str(v) not in codes]
    if unknown:
        return f"{', '.join(unknown)} is not a code in the {column.code_list} list"
    return None


def rows_of(path: Path) -> Iterator[tuple[int, list[str]]]:
    """The data rows of a CSV file with their spreadsheet row numbers (header is row 1)."""
    with path.open(encoding="utf-8-sig", newline="") as stream:
        reader = csv.reader(stream)
        next(reader, None)
        yield from enumerate(reader, start=2)


def header_of(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return next(csv.reader(stream), [])


def _date_pairs(table: Table) -> list[tuple[str, str]]:
    names = set(table.column_names)
    pairs = list(DATE_ORDER.get(table.name, []))
    for name in table.column_names:
        if name.endswith("_start_date"):
            end = name[: -len("_start_date")] + "_end_date"
            if end in names:
                pairs.append((name, end))
    return pairs


def _as_date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    return value if isinstance(value, datetime.date) else None


def check_extract(folder: Path) -> Checked:
    """Check every file of the extract in ``folder``; nothing is read from the database."""
    checked = Checked()
    tables = spec().tables
    present: dict[str, Table] = {}
    for name in tables:
        path = folder / tables[name].file_name
        if path.is_file():
            present[name] = tables[name]
        elif name in IMPORTED:
            checked.add(Problem(tables[name].file_name, None, None, "The file is missing"))
    for path in sorted(folder.glob("*.csv")):
        if path.stem not in tables and path.name != REPORT_FILE:
            checked.add(Problem(path.name, None, None, "Not a table of the SSD spec"))
    usable: dict[str, dict[str, int]] = {}
    for name, table in present.items():
        header = header_of(folder / table.file_name)
        for column in header:
            if column not in table.column_names:
                checked.add(Problem(table.file_name, 1, column, "Not a column of this table"))
        for column in table.column_names:
            if column not in header:
                checked.add(Problem(table.file_name, 1, column, "The column is missing"))
        if set(header) == set(table.column_names) and len(header) == len(table.columns):
            usable[name] = {column: index for index, column in enumerate(header)}
    keys = _keys(folder, present, usable)
    duplicates = _People()
    for name, positions in usable.items():
        _check_rows(folder, present[name], positions, keys, duplicates, checked)
    return checked


def _keys(
    folder: Path, present: dict[str, Table], usable: dict[str, dict[str, int]]
) -> dict[str, set[str]]:
    """The ids of every table another table's column points to ("table.column": ids)."""
    wanted = {
        column.references
        for table in present.values()
        for column in table.columns
        if column.references
    }
    keys: dict[str, set[str]] = {}
    for target in sorted(r for r in wanted if r is not None):
        name, column = target.split(".")
        if name not in usable:
            continue
        index = usable[name][column]
        keys[target] = {
            row[index] for _, row in rows_of(folder / present[name].file_name) if len(row) > index
        }
    return keys


class _People:
    """Who appears twice under different ids: the same UPN, NHS number, or name and birth."""

    def __init__(self) -> None:
        self.seen: dict[tuple[str, str], tuple[int, str]] = {}

    def check(self, row: int, person: str, values: dict[str, Any]) -> list[tuple[str, str]]:
        found = []
        name = (values.get("pers_forename") or "").strip().lower()
        surname = (values.get("pers_surname") or "").strip().lower()
        dob = values.get("pers_dob")
        candidates = [
            ("pers_upn", values.get("pers_upn"), "UPN"),
            ("pers_single_unique_id", values.get("pers_single_unique_id"), "NHS number"),
            (
                "pers_surname",
                f"{name}|{surname}|{dob}" if name and surname and dob else None,
                "name and date of birth",
            ),
        ]
        for column, key, what in candidates:
            if not key:
                continue
            earlier = self.seen.setdefault((what, str(key)), (row, person))
            if earlier[1] != person:
                found.append((column, f"The same {what} as person {earlier[1]} (row {earlier[0]})"))
        return found


def _check_rows(
    folder: Path,
    table: Table,
    positions: dict[str, int],
    keys: dict[str, set[str]],
    duplicates: _People,
    checked: Checked,
) -> None:
    file = table.file_name
    key = table.key
    seen_ids: set[str] = set()
    person_columns = [c.name for c in table.columns if c.references == PERSON_KEY]
    if table.name == "ssd_person":
        person_columns = ["pers_person_id"]
    pairs = _date_pairs(table)
    unique: dict[tuple[str, str], int] = {}
    for number, row in rows_of(folder / file):
        named = [row[positions[c]] for c in person_columns if len(row) > positions[c]]
        people = tuple(dict.fromkeys(person for person in named if person))

        def report(
            column: str | None, what: str, number: int = number, people: tuple[str, ...] = people
        ) -> None:
            checked.add(Problem(file, number, column, what, people))

        if len(row) != len(positions):
            report(None, f"The row has {len(row)} fields; the header has {len(positions)}")
            continue
        values: dict[str, Any] = {}
        for column in table.columns:
            text = row[positions[column.name]]
            try:
                values[column.name] = parse(column, text)
            except ValueError as error:
                report(column.name, str(error))
                continue
            problem = _code_problem(column, values[column.name])
            if problem:
                report(column.name, problem)
            target = column.references
            known = keys.get(target or "")
            if known is not None and values[column.name] is not None and text not in known:
                report(column.name, f"{text!r} is not an id in {str(target).split('.')[0]}")
        if key is not None:
            identifier = row[positions[key.name]]
            if not identifier:
                report(key.name, "The row has no id")
            elif identifier in seen_ids:
                report(key.name, f"The id {identifier!r} is used by an earlier row")
            seen_ids.add(identifier)
        for column_name in UNIQUE.get(table.name, ()):
            value = values.get(column_name)
            earlier = unique.setdefault((column_name, str(value)), number) if value else number
            if earlier != number:
                report(column_name, f"{value!r} is used by an earlier row (row {earlier})")
        for first, second in pairs:
            start, end = _as_date(values.get(first)), _as_date(values.get(second))
            if start and end and end < start:
                report(second, f"{end.isoformat()} is before {first} ({start.isoformat()})")
        if table.name == "ssd_person" and values.get("pers_person_id"):
            for column_name, what in duplicates.check(number, values["pers_person_id"], values):
                report(column_name, what)


def write_report(checked: Checked, path: Path) -> None:
    """The problems as a CSV a data migration team can sort and work through."""
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(["file", "row", "column", "problem", "people"])
        for problem in checked.problems:
            writer.writerow(
                [
                    problem.file,
                    problem.row or "",
                    problem.column or "",
                    problem.problem,
                    " ".join(problem.people),
                ]
            )


def is_extract_folder(folder: Path) -> bool:
    """Whether ``folder`` looks like an extract at all (a folder with an SSD table or manifest)."""
    return folder.is_dir() and ((folder / MANIFEST).exists() or any(folder.glob("ssd_*.csv")))
