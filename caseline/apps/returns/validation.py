"""Validating a return with the validators English authorities use, before it goes to the DfE.

The Data to Insight validators (csc-validator-be-cin for the CIN census, csc-validator-be-903
for the SSDA903) apply the DfE's validation rules as the DfE publishes them each year. They pin
pandas below 2, so they live in a virtualenv of their own (``make validators``) and run in a
separate process: :func:`validate` starts ``validator_runner.py`` with that virtualenv's Python
(the ``CASELINE_VALIDATORS_PYTHON`` setting) and reads the JSON it prints into a
:class:`ValidationReport`: each rule that failed, at what level, and for which children.
"""

from __future__ import annotations

import enum
import json
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class ChildFailures:
    """The rules one child's rows failed."""

    child_reference: str
    person_id: int | None  # the record the reference names, None if none of ours
    failures: list[RuleFailure]


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
        return {
            reference: ChildFailures(reference, person_id_from_child_id(reference), failures)
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
    return _report(slug, _run(arguments))


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


def _report(slug: str, document: Mapping[str, Any]) -> ValidationReport:
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
