"""``caseline returns validate``: run the DfE's rules on a return, report by rule and by child.

    caseline returns validate cin-census census.xml
    caseline returns validate ssda903 ssda903-2026/ --year 2026 --previous ssda903-2025/

Exit status 0 when no rule at error level failed (queries may have), 1 when one did, 2 when the
files or the year cannot be validated or the validators are not installed, and 3 when the
validators stopped on something else.

``--pass-beyond-two-years`` is for the CI check (``make returns-check``) only: it exits 0 when
every error is one of rule 1001 or 1002 on a care leaver whose care lies beyond the validator's
two years (the report still lists them as errors); any other error still exits 1.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from caseline.apps.returns.identifiers import person_id_from_child_id
from caseline.apps.returns.validation import (
    BEYOND_TWO_YEARS,
    BEYOND_TWO_YEARS_RULES,
    VALIDATED_RETURNS,
    Location,
    RuleFailure,
    ValidationReport,
    ValidatorFailed,
    validate,
)
from caseline.apps.returns.years import CollectionYear, ReturnInputError

VALIDATE = "validate"
HAS_ERRORS = 1
BAD_INPUT = 2
VALIDATOR_FAILED = 3


def add_validate_parser(kinds: Any) -> None:
    """Add ``validate cin-census FILE`` and ``validate ssda903 FOLDER`` to the command."""
    parser = kinds.add_parser(
        VALIDATE,
        help="Check a return with the validators authorities use (Data to Insight's).",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
    )
    returns = parser.add_subparsers(dest="validate_slug", required=True, metavar="RETURN")
    cin = returns.add_parser(
        "cin-census",
        help="A CIN census XML file.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    cin.add_argument("path", type=Path, metavar="FILE", help="The CIN census XML file.")
    cin.add_argument(
        "--year",
        help="The collection year (2026: 1 April 2025 to 31 March 2026). Default: "
        "the year the file's header gives.",
    )
    ssda903 = returns.add_parser(
        "ssda903",
        help="A folder of SSDA903 CSV tables.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    ssda903.add_argument(
        "path", type=Path, metavar="FOLDER", help="The folder of the return's CSV tables."
    )
    ssda903.add_argument(
        "--year",
        required=True,
        help="The collection year: 2026 means 1 April 2025 to 31 March 2026.",
    )
    ssda903.add_argument(
        "--previous",
        type=Path,
        metavar="FOLDER",
        help="The previous year's tables, which the rules comparing the two years need.",
    )
    ssda903.add_argument(
        "--children-homes",
        type=Path,
        metavar="XLSX",
        help="Ofsted's children's homes list (or the combined list), for the URN rules.",
    )
    ssda903.add_argument(
        "--social-care-providers",
        type=Path,
        metavar="XLSX",
        help="Ofsted's social care providers list, for the URN rules.",
    )
    ssda903.add_argument(
        "--pass-beyond-two-years",
        action="store_true",
        help="For the CI check only, never for a return going to the DfE: exit 0 when every "
        "error is one of rule 1001 or 1002 on a care leaver whose care lies beyond the "
        "validator's two years (the report still counts them as errors). Any other error "
        "still exits 1.",
    )
    for sub in (cin, ssda903):
        sub.add_argument(
            "--show",
            type=int,
            default=10,
            metavar="N",
            help="How many children to name under each rule.",
        )
        sub.add_argument(
            "--by-child", action="store_true", help="Also list each child with its rules."
        )


def handle_validate(command: BaseCommand, options: dict[str, Any]) -> None:
    """Validate, print the report, and fail with the exit status the report calls for."""
    slug = options["validate_slug"]
    path: Path = options["path"]
    try:
        report = validate(
            slug,
            path,
            previous=options.get("previous"),
            year=_year(options["year"]),
            children_homes=options.get("children_homes"),
            social_care_providers=options.get("social_care_providers"),
        )
    except ReturnInputError as error:
        raise CommandError(str(error), returncode=BAD_INPUT) from error
    except ValidatorFailed as error:
        raise CommandError(str(error), returncode=VALIDATOR_FAILED) from error
    for line in report_lines(report, path, show=options["show"], by_child=options["by_child"]):
        command.stdout.write(line)
    if report.errors and options.get("pass_beyond_two_years"):
        beyond, judged = len(report.beyond_two_years), len(report.judged_error_keys())
        if not judged:
            command.stdout.write(
                f"--pass-beyond-two-years (the CI check only): all {_count(beyond, 'error')} "
                f"are {BEYOND_TWO_YEARS}; exit status 0."
            )
            return
        command.stdout.write(
            f"--pass-beyond-two-years (the CI check only): {_count(beyond, 'error')} "
            f"{'is' if beyond == 1 else 'are'} {BEYOND_TWO_YEARS}, but "
            f"{_count(judged, 'error')} {'is' if judged == 1 else 'are'} not."
        )
    if report.errors:
        raise CommandError(
            f"The {VALIDATED_RETURNS[slug]} has errors: the DfE will not accept it until they "
            "are fixed.",
            returncode=HAS_ERRORS,
        )


def report_lines(
    report: ValidationReport, path: Path, *, show: int = 10, by_child: bool = False
) -> list[str]:
    """The report as the command prints it: each rule that failed, then a summary."""
    year = CollectionYear(report.year)
    header = [
        f"{VALIDATED_RETURNS[report.slug]} {year.year} ({year.label}): {path}",
        f"Checked against {report.rules_run} rules ({report.ruleset}) by {report.validator} "
        f"in {report.seconds:.1f} s.",
    ]
    rules = [line for failure in report.errors + report.queries for line in _failure(failure, show)]
    unchecked = []
    if report.rules_not_run:
        reasons = ", ".join(f"{rule.code} ({rule.reason})" for rule in report.rules_not_run)
        unchecked.append(
            f"The validator could not run {_count(len(report.rules_not_run), 'rule')} on these "
            f"files: {reasons}."
        )
    if report.rules_skipped:
        unchecked.append(
            f"It skipped {_count(len(report.rules_skipped), 'rule')} that need tables these files "
            f"do not have: {', '.join(report.rules_skipped)}."
        )
    children = _by_child(report) if by_child else []
    beyond = _beyond_two_years(report)
    sections = [header, rules, beyond, unchecked, children, [_summary(report)]]
    lines: list[str] = []
    for section in filter(None, sections):
        lines += [*([""] if lines else []), *section]
    return lines


def _failure(failure: RuleFailure, show: int) -> list[str]:
    if failure.whole_return:
        where = "the return as a whole" if not failure.locations else "the header"
        head = f"{failure.level} {failure.code}: {failure.message} ({where})"
        return [head, *(f"  {_location(location)}" for location in failure.locations[:show])]
    children = failure.child_references
    lines = [
        f"{failure.level} {failure.code}: {failure.message} "
        f"({_count(failure.count, 'failure')}, {_count(len(children), 'child', 'children')})"
    ]
    first_location: dict[str, Location] = {}
    for location in failure.locations:
        if location.child_reference is not None:
            first_location.setdefault(location.child_reference, location)
    lines += [f"  {child}: {_location(first_location[child])}" for child in children[:show]]
    if len(children) > show:
        lines.append(f"  and {len(children) - show} more")
    return lines


def _beyond_two_years(report: ValidationReport) -> list[str]:
    """Each error on a care leaver whose care the validator cannot see, and why."""
    found = report.beyond_two_years
    if not found:
        return []
    people = {f.child_reference for f in found}
    rules = ", ".join(sorted({f.code for f in found}))
    lines = [
        f"{BEYOND_TWO_YEARS[0].upper()}{BEYOND_TWO_YEARS[1:]}: {_count(len(found), 'error')} "
        f"of rule{'s' if ',' in rules else ''} {rules} on "
        f"{_count(len(people), 'young person', 'young people')} in the OC3, from the tables "
        f"given. They stay errors. The validator reads only this year's and last year's tables "
        f"(rules {', '.join(sorted(BEYOND_TWO_YEARS_RULES))} say they may be false positives); "
        f"the DfE's own system holds the earlier returns.",
    ]
    for one in found:
        person_id = person_id_from_child_id(one.child_reference)
        record = f" (record {person_id})" if person_id is not None else ""
        lines.append(f"  {one.child_reference}{record}: {one.code}: {one.explanation}")
    return lines


def _location(location: Location) -> str:
    values = ", ".join(f"{name} {value or '(blank)'}" for name, value in location.fields.items())
    return f"{location.table} row {location.row}" + (f": {values}" if values else "")


def _by_child(report: ValidationReport) -> list[str]:
    children = report.children()
    if not children:
        return []
    lines = ["By child:"]
    for reference, child in children.items():
        codes = ", ".join(f"{failure.code} ({failure.level.lower()})" for failure in child.failures)
        record = f" (record {child.person_id})" if child.person_id is not None else ""
        lines.append(f"  {reference}{record}: {codes}")
    return lines


def _summary(report: ValidationReport) -> str:
    errors, queries = report.errors, report.queries
    error_children = {child for failure in errors for child in failure.child_references}
    parts = [
        f"{_count(sum(f.count for f in errors), 'error')} "
        f"({_count(len(errors), 'rule')}, {_count(len(error_children), 'child', 'children')})"
        + (
            f", {len(report.beyond_two_years)} of them {BEYOND_TWO_YEARS}"
            if report.beyond_two_years
            else ""
        )
        if errors
        else "No errors",
        f"{_count(sum(f.count for f in queries), 'query', 'queries')} "
        f"({_count(len(queries), 'rule')})"
        if queries
        else "no queries",
    ]
    return "; ".join(parts) + "."


def _count(number: int, one: str, many: str | None = None) -> str:
    return f"{number} {one if number == 1 else (many or one + 's')}"


def _year(raw: str | None) -> int | None:
    if raw is None:
        return None
    try:
        return int(raw.strip())
    except ValueError:
        raise ReturnInputError(
            f"--year must be a collection year like 2026 (for 1 April 2025 to 31 March 2026), "
            f"not {raw!r}."
        ) from None
