"""Run the Data to Insight validators on a return and print what they found, as JSON.

This script runs in the validators' own virtualenv (``.venv-validators``, built by
``make validators``), never in Caseline's: the validators pin pandas below 2. It imports nothing
of Caseline's and nothing of Django's. ``caseline.apps.returns.validation`` starts it as a
separate process and reads the one JSON document it prints::

    .venv-validators/bin/python -I caseline/apps/returns/validator_runner.py cin-census FILE
    .venv-validators/bin/python -I caseline/apps/returns/validator_runner.py ssda903 DIR \\
        --year 2026 [--previous DIR] [--children-homes XLSX] [--social-care-providers XLSX]

What it prints (exit status 0, whether or not rules failed)::

    {"validator": "csc-validator-be-cin 0.1.13", "return": "cin-census", "year": 2026,
     "ruleset": "cin2025_26", "rules_run": 109, "seconds": 1.2,
     "rules_not_run": [{"code": "231", "reason": "KeyError: 'UASC_STATUS'"}],
     "rules_skipped": ["..."],
     "failures": [{"code": "8696", "level": "ERROR", "message": "...",
                   "locations": [{"child": "4021", "table": "Assessments", "row": 0,
                                  "fields": {"AssessmentAuthorisationDate": "2026-05-01"}}]}]}

A failure whose locations are empty concerns the return as a whole (a CIN "LA level" rule);
a location whose child is null is in the CIN census header. ``count`` is how many times the rule
failed: rows, except that one failure of a CIN rule comparing two tables is on a row of each.
Input the validators cannot read prints ``{"error": "..."}`` and exits 2; anything else that goes
wrong is a traceback and exit 1.

How each validator is called, from its source (csc-validator-be-cin 0.1.13, csc-validator-be-903
0.1.17, both MIT licensed):

- CIN census: ``cin_validator.convert_data`` on the parsed XML, ``process_data``, then
  ``CinValidator(data, registry)`` with the registry of the collection year
  (``rules.ruleset_utils.get_year_ruleset("2026")`` is ``cin2025_26``). Each rule has a
  ``rule_type`` of ERROR or QUERY. ``full_issue_df``/``user_report`` hold the child-level and
  header locations; ``multichild_issues`` names the header and LA-level rules that failed. A rule
  that raises is printed to stdout ("Error with rule ...") and skipped: read here as not run.
- SSDA903: ``LacValidator(metadata={"collectionYear", "localAuthority"}, files, registry)``.
  Each file is a dict ``name``/``description``/``file_content``; the description "This year" or
  "Prev year" says which year a CSV is (the validator tells the tables apart by their columns and
  names last year's ``<Table>_last``), and "CH lookup"/"SCP lookup" are Ofsted's children's homes
  and social care providers lists (one combined list may come alone as "CH lookup"). The local
  authority is an ONS code (placements in or out of the authority, by postcode). Failures are
  ``ERR_<code>`` columns set to True on the failing rows of ``ds_results``. The 903 rules carry no
  error/query type: every rule is read as an ERROR except those whose message the validator
  starts with "WARNING" (only ``EPI`` in 2025-26), read as a QUERY. Whether the DfE's own 903
  portal treats any other of these rules as a query is unchecked.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import importlib.metadata
import io
import json
import logging
import math
import pkgutil
import re
import sys
import time
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

BAD_INPUT = 2

CIN_PACKAGE = "csc-validator-be-cin"
SSDA903_PACKAGE = "csc-validator-be-903"


class BadInput(Exception):
    """The files given cannot be validated as asked."""


def _import(module: str, package: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise BadInput(
            f"{package} is not installed in {sys.executable} ({error}). Build the validators' "
            "environment with `make validators`."
        ) from error


def _version(package: str) -> str:
    return f"{package} {importlib.metadata.version(package)}"


def _years(rules_package: Any, prefix: str) -> list[int]:
    """The collection years a validator has rules for: ``cin2025_26`` is 2026."""
    return sorted(
        int(name[len(prefix) : len(prefix) + 4]) + 1
        for module in pkgutil.iter_modules(rules_package.__path__)
        if re.fullmatch(rf"{prefix}\d{{4}}_\d\d", name := module.name)
    )


def _registry(rules_package: Any, prefix: str, year: int, what: str) -> tuple[str, Any]:
    years = _years(rules_package, prefix)
    if year not in years:
        choices = ", ".join(str(y) for y in years)
        raise BadInput(f"The {what} validator has rules for {choices}, not {year}.")
    ruleset = f"{prefix}{year - 1}_{str(year)[2:]}"
    module = importlib.import_module(f"{rules_package.__name__}.{ruleset}")
    return ruleset, module.registry


def _text(value: Any) -> str:
    """A value from a validator's table as the return wrote it: missing is empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if hasattr(value, "strftime"):
        try:
            return str(value.strftime("%Y-%m-%d"))
        except ValueError:  # NaT
            return ""
    text = str(value)
    return "" if text in {"nan", "NaT", "None", "<NA>"} else text


def _quietly(run: Any) -> tuple[Any, str]:
    """Call ``run`` with stdout captured: some rules print as they go, and stdout is our JSON."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        result = run()
    return result, printed.getvalue()


def validate_cin_census(path: Path, year: int | None) -> dict[str, Any]:
    cin_validator = _import("cin_validator.cin_validator", CIN_PACKAGE)
    rules = _import("cin_validator.rules", CIN_PACKAGE)
    if not path.is_file():
        raise BadInput(f"{path} is not a file.")
    try:
        root = ET.parse(path).getroot()  # noqa: S314 (the authority's own file, read locally)
    except ET.ParseError as error:
        raise BadInput(f"{path} is not well-formed XML: {error}.") from error
    if root.find("Header") is None or root.find("Children") is None:
        raise BadInput(f"{path} is not a CIN census: it has no Header or no Children.")
    if year is None:
        header_year = root.findtext("Header/CollectionDetails/Year", default="").strip()
        if not header_year.isdigit():
            raise BadInput(f"{path} has no Header/CollectionDetails/Year: give --year.")
        year = int(header_year)
    ruleset, registry = _registry(rules, "cin", year, "CIN census")

    def run() -> Any:
        data = cin_validator.process_data(cin_validator.convert_data(root))
        return cin_validator.CinValidator(data, registry)

    validator, printed = _quietly(run)
    not_run = [
        {"code": match[1], "reason": match[2]}
        for match in re.finditer(r"^Error with rule (\S+): (.*)$", printed, re.MULTILINE)
    ]

    failures: dict[str, dict[str, Any]] = {}

    def failure(code: str) -> dict[str, Any]:
        rule = registry[code]
        return failures.setdefault(
            code,
            {
                "code": code,
                "level": rule.rule_type.name,
                "message": rule.message or "",
                "locations": [],
            },
        )

    seen: dict[tuple[str, str | None, str, int], dict[str, Any]] = {}
    # One failure of a rule comparing tables (a referral's date and its assessment's) is on a
    # row of each: the validator gives such rows one ERROR_ID, and a row of its own otherwise.
    instances: dict[str, set[Any]] = {}
    for issue in validator.user_report.to_dict("records"):
        code = str(issue["rule_code"])
        table = _text(issue["tables_affected"])
        if not table:
            continue  # an LA-level rule: named below with no locations
        child = None if table == "Header" else _text(issue["LAchildID"]) or None
        row = int(issue["ROW_ID"])
        key = (code, child, table, row)
        if key not in seen:
            seen[key] = {"child": child, "table": table, "row": row, "fields": {}}
            failure(code)["locations"].append(seen[key])
        seen[key]["fields"][_text(issue["columns_affected"])] = _text(issue["value_flagged"])
        error_id = issue["ERROR_ID"]
        instances.setdefault(code, set()).add(
            error_id if isinstance(error_id, tuple) else (child, table, row)
        )
    for code in validator.multichild_issues["rule_code"].astype(str).unique():
        failure(code)
    for code, found in failures.items():
        found["count"] = len(instances.get(code, ())) or 1
    return {
        "validator": _version(CIN_PACKAGE),
        "return": "cin-census",
        "year": year,
        "ruleset": ruleset,
        "rules_run": len(registry) - len(not_run),
        "rules_not_run": not_run,
        "rules_skipped": [],
        "failures": sorted(failures.values(), key=lambda f: _code_order(f["code"])),
    }


class _RuleCrashes(logging.Handler):
    """Collects why each 903 rule that raised could not run (the validator logs, then skips)."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.reasons: dict[str, str] = {}

    def emit(self, record: logging.LogRecord) -> None:
        match = re.match(r"Rule code (\S+) failed to run", record.getMessage())
        if match and record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            self.reasons[match[1]] = f"{type(error).__name__}: {error}"


def _csv_files(folder: Path, what: str) -> list[Path]:
    if not folder.is_dir():
        raise BadInput(f"{what} {folder} is not a folder.")
    files = sorted(folder.glob("*.csv"))
    if not files:
        raise BadInput(f"{what} {folder} holds no CSV files.")
    return files


def validate_ssda903(
    folder: Path,
    year: int | None,
    *,
    previous: Path | None,
    local_authority: str,
    children_homes: Path | None,
    social_care_providers: Path | None,
) -> dict[str, Any]:
    lac_validator = _import("lac_validator.lac_validator", SSDA903_PACKAGE)
    rules = _import("lac_validator.rules", SSDA903_PACKAGE)
    upload_error = _import("lac_validator.types", SSDA903_PACKAGE).UploadError
    if year is None:
        raise BadInput("The SSDA903 files do not say their year: give --year.")
    ruleset, registry = _registry(rules, "lac", year, "SSDA903")

    uploads = [("This year", path) for path in _csv_files(folder, "The return's folder")]
    if previous is not None:
        uploads += [("Prev year", path) for path in _csv_files(previous, "--previous")]
    for description, lookup in (
        ("CH lookup", children_homes),
        ("SCP lookup", social_care_providers),
    ):
        if lookup is not None:
            if not lookup.is_file():
                raise BadInput(f"{lookup} is not a file.")
            uploads.append((description, lookup))
    files = [
        {"name": str(path), "description": description, "file_content": path.read_bytes()}
        for description, path in uploads
    ]

    crashes = _RuleCrashes()
    validator_log = logging.getLogger("lac_validator.lac_validator")
    validator_log.addHandler(crashes)
    validator_log.propagate = False
    try:
        validator, _printed = _quietly(
            lambda: lac_validator.LacValidator(
                metadata={"collectionYear": str(year), "localAuthority": local_authority},
                files=files,
                registry=registry,
            )
        )
    except upload_error as error:
        raise BadInput(str(error)) from error
    finally:
        validator_log.removeHandler(crashes)

    failures = []
    for code, rule in registry.items():
        column = f"ERR_{code}"
        locations = []
        for table, frame in validator.ds_results.items():
            if table == "metadata" or column not in frame.columns:
                continue
            fields = [
                field
                for field in rule.affected_fields or []
                if field in frame.columns and field != "CHILD"
            ]
            for row in frame.index[frame[column].eq(True)]:
                locations.append(
                    {
                        "child": _text(frame.at[row, "CHILD"]) or None,
                        "table": table,
                        "row": int(row),
                        "fields": {field: _text(frame.at[row, field]) for field in fields},
                    }
                )
        if locations:
            message = rule.message or ""
            failures.append(
                {
                    "code": str(code),
                    "level": "QUERY" if message.upper().startswith("WARNING") else "ERROR",
                    "message": message,
                    "count": len(locations),
                    "locations": locations,
                }
            )
    not_run = [
        {"code": str(code), "reason": crashes.reasons.get(str(code), "the rule raised an error")}
        for code in validator.fails
    ]
    return {
        "validator": _version(SSDA903_PACKAGE),
        "return": "ssda903",
        "year": year,
        "ruleset": ruleset,
        "rules_run": len(registry) - len(not_run) - len(validator.skips),
        "rules_not_run": not_run,
        "rules_skipped": sorted((str(code) for code in validator.skips), key=_code_order),
        "failures": sorted(failures, key=lambda f: _code_order(f["code"])),
    }


def _code_order(code: str) -> tuple[int, str]:
    digits = re.match(r"\d+", code)
    return (int(digits[0]) if digits else 10**9, code)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    kinds = parser.add_subparsers(dest="kind", required=True)
    cin = kinds.add_parser("cin-census", help="A CIN census XML file.")
    cin.add_argument("path", type=Path)
    cin.add_argument("--year", type=int, help="Default: the year in the file's header.")
    ssda903 = kinds.add_parser("ssda903", help="A folder of SSDA903 CSV tables.")
    ssda903.add_argument("path", type=Path)
    ssda903.add_argument("--year", type=int, required=True)
    ssda903.add_argument("--previous", type=Path, help="The previous year's folder of tables.")
    ssda903.add_argument("--local-authority", default="E08000015", help="The authority's ONS code.")
    ssda903.add_argument("--children-homes", type=Path, help="Ofsted's children's homes list.")
    ssda903.add_argument(
        "--social-care-providers", type=Path, help="Ofsted's social care providers list."
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    # The validators log every rule at INFO and warn about pandas' future: not ours to read.
    warnings.filterwarnings("ignore")
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    logging.getLogger().setLevel(logging.WARNING)
    started = time.perf_counter()
    try:
        if arguments.kind == "cin-census":
            result = validate_cin_census(arguments.path, arguments.year)
        else:
            result = validate_ssda903(
                arguments.path,
                arguments.year,
                previous=arguments.previous,
                local_authority=arguments.local_authority,
                children_homes=arguments.children_homes,
                social_care_providers=arguments.social_care_providers,
            )
    except BadInput as error:
        json.dump({"error": str(error)}, sys.stdout)
        return BAD_INPUT
    result["seconds"] = round(time.perf_counter() - started, 2)
    json.dump(result, sys.stdout, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
