"""Validating returns with the real Data to Insight validators, run in their own virtualenv.

The fixtures (fixtures/README.md) pass both validators; each test that expects a failure moves
one date in a copy so that a known rule fails, for a child whose reference is a record number.
Outside CI, tests that need the validators skip when ``make validators`` has not been run; in
CI (``CI=true``) they fail instead, so that CI never passes without running them.
"""

from __future__ import annotations

import shutil
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from caseline.apps.returns.validation import (
    BlindSpot,
    ChildFailures,
    Comparison,
    ErrorKey,
    Level,
    Location,
    ValidationReport,
    ValidatorFailed,
    compare,
    report_from_document,
    validate,
)
from caseline.apps.returns.years import ReturnInputError
from caseline.settings.env import Environment

FIXTURES = Path(__file__).with_name("fixtures")
CIN_CLEAN = FIXTURES / "cin_clean_2026.xml"
SSDA903_CLEAN = FIXTURES / "ssda903_2025_26"
PROVIDERS = FIXTURES / "combined_scp_ch_fake.xlsx"
CHILD = "4021"  # the fixtures' one child, renamed as Caseline names a child: its record number


def cin_census(tmp_path: Path, *changes: tuple[str, str], name: str = "census.xml") -> Path:
    """A copy of the clean CIN census with the child renamed and ``changes`` made."""
    text = CIN_CLEAN.read_text().replace("TEST0001", CHILD)
    for old, new in changes:
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text)
    return path


def ssda903(tmp_path: Path, *changes: tuple[str, str, str]) -> Path:
    """A copy of the clean SSDA903 tables with the child renamed and ``(file, old, new)`` made."""
    folder = tmp_path / "ssda903"
    shutil.copytree(SSDA903_CLEAN, folder)
    for path in folder.iterdir():
        path.write_text(path.read_text().replace("C0001", CHILD))
    for file, old, new in changes:
        path = folder / file
        assert old in path.read_text()
        path.write_text(path.read_text().replace(old, new))
    return folder


# 8696 (CIN census 2025-26): "Assessment end date must fall within the census year".
ASSESSMENT_AFTER_THE_YEAR = ("2025-07-01", "2026-05-01")
# 100 (CIN census 2025-26): "Reference Date is incorrect", a rule on the header.
WRONG_REFERENCE_DATE = ("<ReferenceDate>2026-03-31", "<ReferenceDate>2026-03-30")
# 354 (SSDA903 2025-26): "Date episode ceased must be on or before the end of the current
# collection year" (it checks the episode's start, DECOM, too).
EPISODE_AFTER_THE_YEAR = ("episodes.csv", "20/03/2026,S", "20/04/2026,S")


@pytest.fixture(scope="module")
def clean_cin(validators: None) -> ValidationReport:
    return validate("cin-census", CIN_CLEAN)


@pytest.fixture(scope="module")
def clean_ssda903(validators: None) -> ValidationReport:
    return validate("ssda903", SSDA903_CLEAN, year=2026)


def test_the_clean_cin_census_has_no_errors(clean_cin: ValidationReport) -> None:
    assert (clean_cin.year, clean_cin.ruleset) == (2026, "cin2025_26")
    assert clean_cin.validator == "csc-validator-be-cin 0.1.13"
    assert clean_cin.rules_run >= 100
    assert clean_cin.rules_not_run == []
    assert clean_cin.errors == []
    # One child's return uses fewer than 8 disability codes: a query on the return as a whole.
    [query] = clean_cin.queries
    assert (query.code, query.level, query.whole_return, query.count) == (
        "2887Q",
        Level.QUERY,
        True,
        1,
    )
    assert clean_cin.children() == {}


def test_the_clean_ssda903_has_no_errors(clean_ssda903: ValidationReport) -> None:
    assert (clean_ssda903.year, clean_ssda903.ruleset) == (2026, "lac2025_26")
    assert clean_ssda903.validator == "csc-validator-be-903 0.1.17"
    assert clean_ssda903.rules_run >= 250
    assert clean_ssda903.failures == []
    # Some rules need tables only the previous year's return or Ofsted's lists give.
    assert clean_ssda903.rules_skipped
    # Rules that raise on these files are reported, each with what it raised.
    assert all(rule.code and rule.reason for rule in clean_ssda903.rules_not_run)


@pytest.fixture(scope="module")
def late_assessment(validators: None, tmp_path_factory: pytest.TempPathFactory) -> ValidationReport:
    folder = tmp_path_factory.mktemp("late")
    return validate("cin-census", cin_census(folder, ASSESSMENT_AFTER_THE_YEAR))


def test_a_date_outside_the_year_fails_its_rule_for_that_child(
    late_assessment: ValidationReport,
) -> None:
    [error] = late_assessment.errors
    assert (error.code, error.level, error.count) == ("8696", Level.ERROR, 1)
    assert error.message == "Assessment end date must fall within the census year"
    assert error.child_references == (CHILD,)
    assert error.locations == (
        Location(CHILD, "Assessments", 0, {"AssessmentAuthorisationDate": "2026-05-01"}),
    )
    assert late_assessment.children() == {CHILD: ChildFailures(CHILD, 4021, [error])}


def test_an_ssda903_episode_after_the_year_fails_for_that_child(
    validators: None, tmp_path: Path
) -> None:
    report = validate("ssda903", ssda903(tmp_path, EPISODE_AFTER_THE_YEAR), year=2026)

    [error] = report.errors
    assert (error.code, error.child_references, error.count) == ("354", (CHILD,), 1)
    assert error.locations == (Location(CHILD, "Episodes", 0, {"DECOM": "20/04/2026"}),)
    assert report.children()[CHILD].person_id == 4021


def test_compare_names_the_errors_fixed_and_the_errors_new(
    clean_cin: ValidationReport, late_assessment: ValidationReport, tmp_path: Path
) -> None:
    both = validate(
        "cin-census", cin_census(tmp_path, ASSESSMENT_AFTER_THE_YEAR, WRONG_REFERENCE_DATE)
    )
    # The header's error belongs to the return, not to a child.
    header = next(error for error in both.errors if error.code == "100")
    assert header.whole_return
    assert header.locations == (Location(None, "Header", 0, {"ReferenceDate": "2026-03-30"}),)
    assert both.error_keys() == {ErrorKey("100", None), ErrorKey("8696", CHILD)}

    broken = compare(clean_cin, late_assessment)
    assert (broken.fixed, broken.new, broken.remaining) == ([], [ErrorKey("8696", CHILD)], [])
    fixed = compare(late_assessment, clean_cin)
    assert (fixed.fixed, fixed.new, fixed.remaining) == ([ErrorKey("8696", CHILD)], [], [])
    worse = compare(late_assessment, both)
    assert (worse.fixed, worse.new, worse.remaining) == (
        [],
        [ErrorKey("100", None)],
        [ErrorKey("8696", CHILD)],
    )
    # Queries are not errors: the clean return's 2887Q is in no list.
    assert compare(clean_cin, clean_cin) == Comparison(fixed=[], new=[], remaining=[])


def test_children_are_listed_by_record_number_then_other_references(
    validators: None, tmp_path: Path
) -> None:
    path = cin_census(tmp_path, ASSESSMENT_AFTER_THE_YEAR)
    text = path.read_text()
    child = text[text.index("<Child>") : text.index("</Child>") + len("</Child>")]
    others = "".join(child.replace(CHILD, reference) for reference in ("77", "900", "Z9"))
    path.write_text(text.replace("</Children>", others + "</Children>"))

    report = validate("cin-census", path)

    [error] = report.errors
    assert error.child_references == ("77", "900", CHILD, "Z9")
    assert error.count == 4
    assert [child.person_id for child in report.children().values()] == [77, 900, 4021, None]


def test_the_previous_year_and_ofsteds_lists_let_more_rules_run(
    clean_ssda903: ValidationReport,
) -> None:
    with_previous = validate("ssda903", SSDA903_CLEAN, year=2026, previous=SSDA903_CLEAN)
    with_lists = validate(
        "ssda903",
        SSDA903_CLEAN,
        year=2026,
        previous=SSDA903_CLEAN,
        children_homes=PROVIDERS,
    )

    assert with_previous.errors == []
    assert with_lists.errors == []
    skipped = [set(report.rules_skipped) for report in (clean_ssda903, with_previous, with_lists)]
    assert skipped[0] > skipped[1] > skipped[2]
    assert clean_ssda903.rules_run < with_previous.rules_run < with_lists.rules_run


@pytest.mark.parametrize(
    ("slug", "path", "options", "message"),
    [
        ("cin-census", FIXTURES / "missing.xml", {}, "no such file"),
        ("cin-census", CIN_CLEAN, {"previous": SSDA903_CLEAN}, "reads one file"),
        ("ssda903", FIXTURES / "missing", {"year": 2026}, "is not a folder"),
        ("ssda903", SSDA903_CLEAN, {}, "give --year"),
        ("ssda903", SSDA903_CLEAN, {"year": 2026, "previous": CIN_CLEAN}, "--previous"),
        ("adoption-scorecard", CIN_CLEAN, {}, "no validator for 'adoption-scorecard'"),
    ],
)
def test_what_cannot_be_validated_is_refused_before_the_validator_runs(
    slug: str, path: Path, options: dict[str, Any], message: str
) -> None:
    with pytest.raises(ReturnInputError, match=message):
        validate(slug, path, **options)


def test_what_the_validator_cannot_read_is_bad_input(validators: None, tmp_path: Path) -> None:
    (tmp_path / "broken.xml").write_text("<Message>")
    (tmp_path / "other.xml").write_text("<Message/>")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "notes.csv").write_text("NAME,NOTE\nA,B\n")

    with pytest.raises(ReturnInputError, match="not well-formed XML"):
        validate("cin-census", tmp_path / "broken.xml")
    with pytest.raises(ReturnInputError, match="not a CIN census"):
        validate("cin-census", tmp_path / "other.xml", year=2026)
    with pytest.raises(ReturnInputError, match=r"has rules for 2023, .*2027, not 2019"):
        validate("cin-census", CIN_CLEAN, year=2019)
    with pytest.raises(ReturnInputError, match="holds no CSV files"):
        validate("ssda903", tmp_path, year=2026)
    with pytest.raises(ReturnInputError, match="known column names"):
        validate("ssda903", tmp_path / "notes", year=2026)


def test_a_missing_validators_environment_says_how_to_build_it(
    tmp_path: Path,
) -> None:
    missing = str(tmp_path / "bin" / "python")
    message = r"not installed: there is no .*`make validators`"
    with (
        override_settings(CASELINE_VALIDATORS_PYTHON=missing),
        pytest.raises(ReturnInputError, match=message),
    ):
        validate("cin-census", CIN_CLEAN)


def test_a_python_without_the_validators_says_how_to_build_them() -> None:
    with (
        override_settings(CASELINE_VALIDATORS_PYTHON=sys.executable),
        pytest.raises(ReturnInputError, match="csc-validator-be-cin is not installed in"),
    ):
        validate("cin-census", CIN_CLEAN)


@pytest.mark.parametrize(
    ("program", "message"),
    [("/bin/false", "exit status 1"), ("/bin/echo", "something other than JSON")],
)
def test_a_validator_that_stops_or_prints_nonsense_fails(program: str, message: str) -> None:
    with (
        override_settings(CASELINE_VALIDATORS_PYTHON=program),
        pytest.raises(ValidatorFailed, match=message),
    ):
        validate("cin-census", CIN_CLEAN)


def test_the_validators_python_can_be_set_in_the_environment() -> None:
    environment = Environment.from_mapping({"CASELINE_VALIDATORS_PYTHON": " /opt/v/bin/python "})
    assert environment.validators_python == "/opt/v/bin/python"


# The command.


def run(*arguments: str) -> tuple[str, int]:
    out = StringIO()
    try:
        call_command("returns", "validate", *arguments, stdout=out)
    except CommandError as error:
        return out.getvalue() + f"\n{error}", error.returncode
    return out.getvalue(), 0


def test_the_command_passes_a_clean_return(clean_ssda903: ValidationReport) -> None:
    output, status = run("cin-census", str(CIN_CLEAN))
    assert status == 0
    assert "CIN census 2026 (2025 to 2026)" in output
    assert "QUERY 2887Q: Please check" in output
    assert output.strip().endswith("No errors; 1 query (1 rule).")

    output, status = run("ssda903", str(SSDA903_CLEAN), "--year", "2026")
    assert status == 0
    assert "Checked against" in output
    # The rules the validator could not run or skipped are named, not passed over in silence.
    for rule in clean_ssda903.rules_not_run:
        assert f"{rule.code} ({rule.reason})" in output
    assert f"It skipped {len(clean_ssda903.rules_skipped)} rules" in output
    assert output.strip().endswith("No errors; no queries.")


def test_the_command_fails_a_return_with_errors_naming_rules_and_children(
    validators: None, tmp_path: Path
) -> None:
    path = cin_census(tmp_path, ASSESSMENT_AFTER_THE_YEAR)
    text = path.read_text()
    child = text[text.index("<Child>") : text.index("</Child>") + len("</Child>")]
    others = "".join(child.replace(CHILD, reference) for reference in ("5001", "5002"))
    path.write_text(text.replace("</Children>", others + "</Children>"))

    output, status = run("cin-census", str(path), "--show", "2", "--by-child")

    assert status == 1
    lines = output.splitlines()
    start = lines.index(
        "ERROR 8696: Assessment end date must fall within the census year (3 failures, 3 children)"
    )
    assert lines[start + 1 : start + 4] == [
        "  4021: Assessments row 0: AssessmentAuthorisationDate 2026-05-01",
        "  5001: Assessments row 1: AssessmentAuthorisationDate 2026-05-01",
        "  and 1 more",
    ]
    assert "  5002 (record 5002): 8696 (error)" in lines
    assert "3 errors (1 rule, 3 children); 1 query (1 rule)." in lines
    assert "The CIN census has errors" in output


@pytest.mark.parametrize(
    "arguments",
    [
        ("cin-census", "missing.xml"),
        ("ssda903", "missing", "--year", "2026"),
        ("cin-census", str(CIN_CLEAN), "--year", "twenty"),
    ],
)
def test_the_command_exits_2_on_bad_input(arguments: tuple[str, ...]) -> None:
    output, status = run(*arguments)
    assert status == 2
    assert "missing" in output or "must be a collection year" in output


def test_the_command_exits_2_without_the_validators(
    tmp_path: Path,
) -> None:
    with override_settings(CASELINE_VALIDATORS_PYTHON=str(tmp_path / "python")):
        output, status = run("cin-census", str(CIN_CLEAN))
        assert status == 2
        assert "make validators" in output


def test_the_command_exits_3_when_the_validator_stops() -> None:
    with override_settings(CASELINE_VALIDATORS_PYTHON="/bin/false"):
        output, status = run("cin-census", str(CIN_CLEAN))
        assert status == 3
        assert "The validator stopped" in output


# Care leavers beyond the validator's two years (SSDA903 rules 1001 and 1002).


def care_leavers(
    tmp_path: Path,
    leavers: list[tuple[str, str]],
    previous_episodes: list[str] = (),  # type: ignore[assignment]
) -> tuple[Path, Path]:
    """This year's and last year's tables: the clean ones, with ``(child, date of birth)``
    care leavers in this year's header and OC3, and ``previous_episodes`` rows (each with the
    child's header row) in last year's."""
    current = ssda903(tmp_path)
    previous = tmp_path / "previous"
    shutil.copytree(current, previous)
    with (current / "header.csv").open("a") as header, (current / "oc3.csv").open("a") as oc3:
        for child, born in leavers:
            header.write(f"{child},F,{born},WBRI,UN2,,\n")
            oc3.write(f"{child},{born},YES,F2,D1\n")
    with (previous / "episodes.csv").open("a") as episodes:
        episodes.writelines(f"{row}\n" for row in previous_episodes)
    with (previous / "header.csv").open("a") as header:
        for row in previous_episodes:
            child = row.split(",")[0]
            header.write(f"{child},F,{dict(leavers)[child]},WBRI,UN2,,\n")
    return current, previous


def test_a_care_leaver_aged_20_is_beyond_the_validators_two_years(
    validators: None, tmp_path: Path
) -> None:
    # 20 on 31 March 2026, with care in last year's episodes that makes them a care leaver:
    # rule 1001 drops them from the header before counting it.
    current, previous = care_leavers(
        tmp_path,
        [("7001", "01/02/2006")],
        ["7001,01/04/2024,S,C2,N1,U1,PR1,01/02/2025,E4A,,TW9 1DN,TW10 6UJ,XXXXXXX"],
    )

    report = validate("ssda903", current, year=2026, previous=previous)

    assert {(f.code, f.child_references) for f in report.errors} == {("1001", ("7001",))}
    [found] = report.beyond_two_years
    assert (found.code, found.child_reference) == ("1001", "7001")
    assert found.reason is BlindSpot.AGED_20_OR_OVER
    assert found.detail == "Born 01/02/2006 (this year's header), 20 on 31 March 2026"
    assert report.judged_error_keys() == set()
    # Kept with the run's document and read back the same.
    assert report_from_document("ssda903", report.document) == report


def test_a_care_leaver_with_no_episode_in_either_year_is_beyond_them(
    validators: None, tmp_path: Path
) -> None:
    current, previous = care_leavers(tmp_path, [("7003", "01/06/2007")])

    report = validate("ssda903", current, year=2026, previous=previous)

    assert {(f.code, f.child_references) for f in report.errors} == {
        ("1001", ("7003",)),
        ("1002", ("7003",)),
    }
    assert [(f.code, f.reason) for f in report.beyond_two_years] == [
        ("1001", BlindSpot.NO_EPISODES),
        ("1002", BlindSpot.NO_EPISODES),
    ]


def test_a_care_leaver_aged_19_whose_care_the_validator_sees_is_not(
    validators: None, tmp_path: Path
) -> None:
    # 19 on 31 March 2026, in care for 19 days last year: not a former relevant child, and the
    # validator can see it.
    current, previous = care_leavers(
        tmp_path,
        [("7002", "01/06/2006")],
        ["7002,01/05/2024,S,C2,N1,U1,PR1,20/05/2024,E4A,,TW9 1DN,TW10 6UJ,XXXXXXX"],
    )

    report = validate("ssda903", current, year=2026, previous=previous)

    assert {(f.code, f.child_references) for f in report.errors} == {("1001", ("7002",))}
    assert report.beyond_two_years == []
    assert report.judged_error_keys() == {ErrorKey("1001", "7002")}


def test_a_care_leaver_whose_care_began_before_the_tables_is_beyond_them(
    validators: None, tmp_path: Path
) -> None:
    # The same 19 days of care, but the earliest episode the tables hold is a change of
    # placement (RNE P): the period of care began before last year, where the validator
    # cannot count it.
    current, previous = care_leavers(
        tmp_path,
        [("7002", "01/06/2006")],
        ["7002,01/05/2024,P,C2,N1,U1,PR1,20/05/2024,E4A,,TW9 1DN,TW10 6UJ,XXXXXXX"],
    )

    report = validate("ssda903", current, year=2026, previous=previous)

    assert {(f.code, f.child_references) for f in report.errors} == {("1001", ("7002",))}
    [found] = report.beyond_two_years
    assert (found.code, found.reason) == ("1001", BlindSpot.CARE_BEGAN_BEFORE)
    assert found.detail == (
        "The earliest episode in the two years' tables began on 01/05/2024 with RNE P, not S "
        "(the start of a period of care)"
    )
    assert "period of care began before the previous collection year" in found.explanation
    assert report.judged_error_keys() == set()
    assert report_from_document("ssda903", report.document) == report


def test_the_ci_flag_passes_only_errors_beyond_the_validators_two_years(
    validators: None, tmp_path: Path
) -> None:
    episode = "7001,01/04/2024,S,C2,N1,U1,PR1,01/02/2025,E4A,,TW9 1DN,TW10 6UJ,XXXXXXX"
    current, previous = care_leavers(tmp_path / "a", [("7001", "01/02/2006")], [episode])
    arguments = ("ssda903", str(current), "--year", "2026", "--previous", str(previous))

    output, status = run(*arguments)
    assert status == 1  # still errors without the flag
    assert "1 error (1 rule, 1 child), 1 of them beyond the validator's two years" in output
    assert "  7001 (record 7001): 1001: Born 01/02/2006" in output
    assert "The DfE's own system holds the earlier returns" in output

    output, status = run(*arguments, "--pass-beyond-two-years")
    assert status == 0
    assert "all 1 error are beyond the validator's two years; exit status 0" in output

    # A care leaver the validator could judge fails even with the flag.
    current, previous = care_leavers(
        tmp_path / "b",
        [("7001", "01/02/2006"), ("7002", "01/06/2006")],
        [episode, "7002,01/05/2024,S,C2,N1,U1,PR1,20/05/2024,E4A,,TW9 1DN,TW10 6UJ,XXXXXXX"],
    )
    output, status = run(
        "ssda903",
        str(current),
        "--year",
        "2026",
        "--previous",
        str(previous),
        "--pass-beyond-two-years",
    )
    assert status == 1
    assert "1 error is beyond the validator's two years, but 1 error is not" in output

    # So does any other error.
    path = ssda903(tmp_path / "c", EPISODE_AFTER_THE_YEAR)
    output, status = run("ssda903", str(path), "--year", "2026", "--pass-beyond-two-years")
    assert status == 1
    assert "0 errors are beyond the validator's two years" in output
