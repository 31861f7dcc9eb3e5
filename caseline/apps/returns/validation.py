"""Validating a return with the validators English authorities use, before it goes to the DfE.

The Data to Insight validators (csc-validator-be-cin for the CIN census, csc-validator-be-903
for the SSDA903) apply the DfE's validation rules as the DfE publishes them each year. They pin
pandas below 2, so they live in a virtualenv of their own (``make validators``) and run in a
separate process: :func:`validate` starts ``validator_runner.py`` with that virtualenv's Python
(the ``CASELINE_VALIDATORS_PYTHON`` setting) and reads the JSON it prints into a
:class:`ValidationReport`: each rule that failed, at what level, and for which children.

The SSDA903 validator reads two years of tables, this year's and last year's. Its rules 1001 and
1002 (is this care leaver a former relevant child? had they any care at all?) fail young people
whose care it cannot see: :func:`beyond_two_years` names those failures from the very files the
validator was given, never from Caseline's records, so the check stays independent. They stay
errors: the report says why the validator cannot judge them.
"""

from __future__ import annotations

import csv
import datetime
import enum
import json
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NamedTuple

from django.conf import settings

from caseline.apps.returns.identifiers import person_id_from_child_id
from caseline.apps.returns.years import ReturnInputError

RUNNER = Path(__file__).with_name("validator_runner.py")
# The runner's exit status for input the validators cannot read; it prints {"error": ...}.
RUNNER_BAD_INPUT = 2

VALIDATED_RETURNS = {"cin-census": "CIN census", "ssda903": "SSDA903"}


class ValidatorFailed(RuntimeError):
    """The validators stopped on something other than the input (a fault in them or in us)."""


class Level(enum.StrEnum):
    """How the DfE treats a failed rule: an error stops the return, a query needs a reason."""

    ERROR = "ERROR"
    QUERY = "QUERY"


@dataclass(frozen=True)
class Location:
    """One row of the return a rule failed on, with the values of the fields the rule reads."""

    child_reference: str | None  # None: the CIN census header
    table: str  # the validator's name for it: "Assessments", "Episodes", "Episodes_last"
    row: int  # the row in that table, from 0, as the validators count
    fields: Mapping[str, str]


@dataclass(frozen=True)
class RuleFailure:
    """A rule that failed, and where."""

    code: str
    level: Level
    message: str
    child_references: tuple[str, ...]  # the children it failed for, in order, each once
    count: int  # how often it failed: rows, or pairs of rows for a rule comparing two tables
    locations: tuple[Location, ...] = ()

    @property
    def whole_return(self) -> bool:
        """Whether the rule is about the return as a whole, or its header, not a child."""
        return not self.child_references


@dataclass(frozen=True)
class RuleNotRun:
    """A rule the validator could not run on these files (it raised), and why."""

    code: str
    reason: str


# What Caseline calls an SSDA903 error the validator cannot judge because the young person's
# care lies before the two years of tables it reads.
BEYOND_TWO_YEARS = "beyond the validator's two years"
# The SSDA903 rules that judge a care leaver (OC3) by the episodes of the two years it reads.
BEYOND_TWO_YEARS_RULES = frozenset({"1001", "1002"})
# Rule 1001 leaves out of its count everyone this old at the collection's end.
RULE_1001_AGE_LEFT_OUT = 20
# The reason for a new episode that starts a period of care (903 RNE).
STARTS_CARE = "S"


class BlindSpot(enum.StrEnum):
    """Why the validator cannot see the care of a young person it failed."""

    AGED_20_OR_OVER = "aged-20-or-over"  # rule 1001 drops them from the header before counting
    NO_EPISODES = "no-episodes"  # their care ended before the previous collection year
    # Rule 1001: the earliest episode in the tables does not start a period of care (its RNE
    # is not S), so the care before it, before the tables, is not counted.
    CARE_BEGAN_BEFORE = "care-began-before-the-tables"


@dataclass(frozen=True)
class BeyondTwoYears:
    """A failure of rule 1001 or 1002 on a care leaver whose care the validator cannot see."""

    code: str
    child_reference: str
    reason: BlindSpot
    detail: str  # what the files show: "born 02/01/2006, 20 on 31 March 2026"

    @property
    def explanation(self) -> str:
        """Why the validator cannot judge this young person, in the analyst's words."""
        if self.reason is BlindSpot.AGED_20_OR_OVER:
            why = (
                f"{self.detail}. Rule {self.code} leaves everyone aged 20 or over out of its "
                "count of care after the 14th and 16th birthdays, then fails them as having "
                "none, whatever their history."
            )
        elif self.reason is BlindSpot.CARE_BEGAN_BEFORE:
            why = (
                f"{self.detail}: their period of care began before the previous collection "
                f"year, the furthest back the validator reads, and rule {self.code} counts "
                "only the care after that episode's start."
            )
        else:
            why = (
                f"{self.detail}: their care ended before the previous collection year, the "
                "furthest back the validator reads."
            )
        return f"{why} The DfE's own system holds the earlier returns with their care."


@dataclass(frozen=True)
class ChildFailures:
    """The rules one child's rows failed."""

    child_reference: str
    person_id: int | None  # the record the reference names, None if none of ours
    failures: list[RuleFailure]
    beyond_two_years: tuple[BeyondTwoYears, ...] = ()


class ErrorKey(NamedTuple):
    """One error for one child (or for the whole return, ``child_reference`` None)."""

    code: str
    child_reference: str | None


@dataclass(frozen=True)
class Comparison:
    """What changed between two validations of a return."""

    fixed: list[ErrorKey]  # errors before that are gone
    new: list[ErrorKey]  # errors now that were not there before
    remaining: list[ErrorKey]


@dataclass(frozen=True)
class ValidationReport:
    """What the validator found in a return."""

    slug: str
    year: int
    validator: str  # "csc-validator-be-cin 0.1.13"
    ruleset: str  # the validator's name for the year's rules: "cin2025_26"
    rules_run: int
    failures: list[RuleFailure]
    rules_not_run: list[RuleNotRun] = field(default_factory=list)
    rules_skipped: list[str] = field(default_factory=list)  # need tables these files lack
    seconds: float = 0.0
    # Its errors on care leavers whose care lies before the two years it reads (still errors).
    beyond_two_years: list[BeyondTwoYears] = field(default_factory=list)
    # The validator's report as it printed it: what a run keeps, to read back later.
    document: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def errors(self) -> list[RuleFailure]:
        return [failure for failure in self.failures if failure.level is Level.ERROR]

    @property
    def queries(self) -> list[RuleFailure]:
        return [failure for failure in self.failures if failure.level is Level.QUERY]

    def children(self) -> dict[str, ChildFailures]:
        """Each child a rule failed for, by reference (in order), with the rules it failed."""
        by_child: dict[str, list[RuleFailure]] = {}
        for failure in self.failures:
            for reference in failure.child_references:
                by_child.setdefault(reference, []).append(failure)
        beyond: dict[str, list[BeyondTwoYears]] = {}
        for found in self.beyond_two_years:
            beyond.setdefault(found.child_reference, []).append(found)
        return {
            reference: ChildFailures(
                reference,
                person_id_from_child_id(reference),
                failures,
                tuple(beyond.get(reference, ())),
            )
            for reference, failures in sorted(by_child.items(), key=lambda item: _order(item[0]))
        }

    def error_keys(self) -> set[ErrorKey]:
        """Every (rule, child) error; a rule about the whole return is one, with no child."""
        keys: set[ErrorKey] = set()
        for failure in self.errors:
            if failure.whole_return:
                keys.add(ErrorKey(failure.code, None))
            keys.update(ErrorKey(failure.code, child) for child in failure.child_references)
        return keys

    def beyond_two_years_keys(self) -> set[ErrorKey]:
        """The errors on care leavers whose care the validator cannot see."""
        return {ErrorKey(found.code, found.child_reference) for found in self.beyond_two_years}

    def judged_error_keys(self) -> set[ErrorKey]:
        """The errors the validator could judge from the files: every error but those."""
        return self.error_keys() - self.beyond_two_years_keys()


def compare(before: ValidationReport, after: ValidationReport) -> Comparison:
    """The errors ``after`` fixed and the ones it brought, by rule and child."""
    old, now = before.error_keys(), after.error_keys()
    return Comparison(
        fixed=_sorted(old - now), new=_sorted(now - old), remaining=_sorted(now & old)
    )


def validate(
    slug: str,
    path: Path,
    *,
    previous: Path | None = None,
    year: int | None = None,
    local_authority: str | None = None,
    children_homes: Path | None = None,
    social_care_providers: Path | None = None,
) -> ValidationReport:
    """Run the DfE's rules for ``slug``'s return on the file or folder at ``path``.

    ``year`` is the collection year (2026 is 2025 to 2026); the CIN census says its own in its
    header, the SSDA903's CSV tables do not. For the SSDA903, ``previous`` is the previous
    year's folder of tables, which the rules comparing the two years need; ``local_authority``
    the authority's ONS code (default ``CASELINE_ONS_CODE``), by which the validator tells
    placements in the authority from those out of it; and ``children_homes`` and
    ``social_care_providers`` are Ofsted's lists, which the rules checking a placement's URN
    need (one combined list may come as ``children_homes`` alone).

    Raises :class:`ReturnInputError` when the files or the year cannot be validated, or the
    validators' environment is missing, and :class:`ValidatorFailed` when the validators stop
    on anything else.
    """
    if slug not in VALIDATED_RETURNS:
        raise ReturnInputError(
            f"There is no validator for {slug!r}: Caseline validates "
            f"{', '.join(VALIDATED_RETURNS)}."
        )
    arguments = [slug, str(path)]
    if slug == "cin-census":
        if not path.is_file():
            raise ReturnInputError(f"{path}: there is no such file.")
        if previous is not None or children_homes is not None or social_care_providers is not None:
            raise ReturnInputError(
                "The CIN census validator reads one file: it takes no previous year's return "
                "and no Ofsted lists."
            )
    else:
        for folder, what in ((path, "The return's folder"), (previous, "--previous")):
            if folder is not None and not folder.is_dir():
                raise ReturnInputError(f"{what} {folder} is not a folder.")
        if year is None:
            raise ReturnInputError("The SSDA903's tables do not say their year: give --year.")
        arguments += ["--local-authority", local_authority or settings.CASELINE_ONS_CODE]
        if previous is not None:
            arguments += ["--previous", str(previous)]
        if children_homes is not None:
            arguments += ["--children-homes", str(children_homes)]
        if social_care_providers is not None:
            arguments += ["--social-care-providers", str(social_care_providers)]
    if year is not None:
        arguments += ["--year", str(year)]
    report = report_from_document(slug, _run(arguments))
    if slug != "ssda903" or not report.errors:
        return report
    found = beyond_two_years(report, path, previous)
    document = {**report.document, "beyond_two_years": [_found_document(f) for f in found]}
    return replace(report, beyond_two_years=found, document=document)


def beyond_two_years(
    report: ValidationReport, path: Path, previous: Path | None
) -> list[BeyondTwoYears]:
    """The report's 1001 and 1002 errors on care leavers whose care the validator cannot see.

    Read from the tables the validator was given (``path``, and ``previous`` for last year),
    never from Caseline's records: an error of rule 1001 on a young person whose date of birth
    in this year's header makes them 20 or over at the collection's end (the rule drops them
    before counting their care), an error of either rule on one with no episode in either
    year's episodes table (their care ended before the previous collection year), and an error
    of rule 1001 on one whose earliest episode in the two tables does not start a period of
    care (its RNE is not S: care began before the tables, and the rule counts only the care
    it sees). Any other failure of these rules is one the validator could judge, and is left
    as it is.
    """
    failures = [f for f in report.errors if f.code in BEYOND_TWO_YEARS_RULES]
    if not failures:
        return []
    end = datetime.date(report.year, 3, 31)
    births = {
        row["CHILD"]: row.get("DOB", "")
        for row in _table_rows(path, {"CHILD", "SEX", "DOB", "ETHNIC", "UPN"})
    }
    with_episodes: set[str] | None = None  # None: without last year's tables, nothing to say
    # Each child's earliest episode in the two years' tables: (DECOM, RNE).
    earliest: dict[str, tuple[datetime.date, str]] = {}
    if previous is not None:
        episodes = {"CHILD", "DECOM", "RNE", "LS", "DEC"}
        rows = [row for folder in (path, previous) for row in _table_rows(folder, episodes)]
        with_episodes = {row["CHILD"] for row in rows}
        for row in rows:
            began = _date(row["DECOM"])
            if began is not None and (
                row["CHILD"] not in earliest or began < earliest[row["CHILD"]][0]
            ):
                earliest[row["CHILD"]] = (began, row["RNE"].upper())
    found: dict[ErrorKey, BeyondTwoYears] = {}
    for failure in failures:
        for location in failure.locations:
            child = location.child_reference
            key = ErrorKey(failure.code, child)
            if location.table != "OC3" or child is None or key in found:
                continue
            born = _date(births.get(child, ""))
            if failure.code == "1001" and born is not None:
                age = end.year - born.year - ((end.month, end.day) < (born.month, born.day))
                if age >= RULE_1001_AGE_LEFT_OUT:
                    detail = (
                        f"Born {born:%d/%m/%Y} (this year's header), {age} on "
                        f"{end.day} March {end.year}"
                    )
                    found[key] = BeyondTwoYears(
                        failure.code, child, BlindSpot.AGED_20_OR_OVER, detail
                    )
                    continue
            if with_episodes is not None and child not in with_episodes:
                found[key] = BeyondTwoYears(
                    failure.code,
                    child,
                    BlindSpot.NO_EPISODES,
                    f"No episode in either year's episodes table ({report.year - 2} to "
                    f"{report.year - 1}, {report.year - 1} to {report.year})",
                )
                continue
            first = earliest.get(child)
            if failure.code == "1001" and first is not None and first[1] != STARTS_CARE:
                began, rne = first
                found[key] = BeyondTwoYears(
                    failure.code,
                    child,
                    BlindSpot.CARE_BEGAN_BEFORE,
                    f"The earliest episode in the two years' tables began on {began:%d/%m/%Y} "
                    f"with RNE {rne or '(blank)'}, not S (the start of a period of care)",
                )
    return sorted(found.values(), key=lambda f: (_order(f.child_reference), f.code))


def _table_rows(folder: Path, columns: set[str]) -> list[dict[str, str]]:
    """The rows of the folder's CSV tables that have ``columns``, as the validator tells its
    tables apart: by their column names, not the files' names. Values stripped."""
    rows: list[dict[str, str]] = []
    for table in sorted(folder.glob("*.csv")):
        with table.open(newline="", encoding="utf-8-sig") as file:
            reader = csv.DictReader(file)
            names = {name.strip() for name in reader.fieldnames or []}
            if not columns <= names:
                continue
            rows += [
                {
                    str(name).strip(): (value or "").strip()
                    for name, value in row.items()
                    if name is not None and isinstance(value, str | None)
                }
                for row in reader
            ]
    return rows


def _date(text: str) -> datetime.date | None:
    """A date as the SSDA903 writes it (31/03/2026), or None."""
    parts = text.split("/")
    try:
        day, month, year = (int(part) for part in parts)
        return datetime.date(year, month, day)
    except ValueError:  # not three numbers, or not a day of the calendar
        return None


def _found_document(found: BeyondTwoYears) -> dict[str, str]:
    return {
        "code": found.code,
        "child": found.child_reference,
        "reason": found.reason.value,
        "detail": found.detail,
    }


def validators_python() -> Path:
    """The validators' Python; :class:`ReturnInputError` saying how to build it if missing."""
    python = Path(settings.CASELINE_VALIDATORS_PYTHON)
    if not python.is_file():
        raise ReturnInputError(
            f"The returns' validators are not installed: there is no {python}. Build their "
            "environment with `make validators`, or set CASELINE_VALIDATORS_PYTHON to the Python "
            "of a virtualenv with requirements/validators.txt installed."
        )
    return python


def _run(arguments: list[str]) -> dict[str, Any]:
    # -I: the validators' Python sees neither our environment's PYTHON* variables nor the
    # runner's folder, so it imports only the standard library and the validators.
    command = [str(validators_python()), "-I", str(RUNNER), *arguments]
    finished = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if finished.returncode == RUNNER_BAD_INPUT:
        raise ReturnInputError(_error_message(finished.stdout))
    if finished.returncode != 0:
        raise ValidatorFailed(
            f"The validator stopped (exit status {finished.returncode}):\n"
            + finished.stderr.strip()[-2000:]
        )
    try:
        document = json.loads(finished.stdout)
    except json.JSONDecodeError as error:
        raise ValidatorFailed(
            f"The validator printed something other than JSON: {error}"
        ) from error
    if not isinstance(document, dict):
        raise ValidatorFailed("The validator printed JSON that is not a report.")
    return document


def _error_message(stdout: str) -> str:
    try:
        return str(json.loads(stdout)["error"])
    except (json.JSONDecodeError, KeyError, TypeError):
        return stdout.strip() or "The validator could not read the files."


def report_from_document(slug: str, document: Mapping[str, Any]) -> ValidationReport:
    """The report the runner's JSON document describes (as printed, or as a run kept it)."""
    return ValidationReport(
        slug=slug,
        year=int(document["year"]),
        validator=str(document["validator"]),
        ruleset=str(document["ruleset"]),
        rules_run=int(document["rules_run"]),
        failures=[_failure(failure) for failure in document["failures"]],
        rules_not_run=[
            RuleNotRun(str(rule["code"]), str(rule["reason"])) for rule in document["rules_not_run"]
        ],
        rules_skipped=[str(code) for code in document["rules_skipped"]],
        seconds=float(document.get("seconds", 0.0)),
        beyond_two_years=[
            BeyondTwoYears(
                code=str(found["code"]),
                child_reference=str(found["child"]),
                reason=BlindSpot(found["reason"]),
                detail=str(found["detail"]),
            )
            for found in document.get("beyond_two_years", [])
        ],
        document=document,
    )


def _failure(failure: Mapping[str, Any]) -> RuleFailure:
    locations = tuple(
        Location(
            child_reference=None if location["child"] is None else str(location["child"]),
            table=str(location["table"]),
            row=int(location["row"]),
            fields={str(name): str(value) for name, value in location["fields"].items()},
        )
        for location in failure["locations"]
    )
    children = _unique(
        location.child_reference for location in locations if location.child_reference
    )
    return RuleFailure(
        code=str(failure["code"]),
        level=Level(failure["level"]),
        message=str(failure["message"]),
        child_references=children,
        count=int(failure["count"]),
        locations=locations,
    )


def _unique(references: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(references), key=_order))


def _order(reference: str) -> tuple[int, int, str]:
    """Record numbers in number order, then any other references in text order."""
    person_id = person_id_from_child_id(reference)
    return (0, person_id, "") if person_id is not None else (1, 0, reference)


def _sorted(keys: set[ErrorKey]) -> list[ErrorKey]:
    return sorted(keys, key=lambda key: (key.code, _order(key.child_reference or "")))
