"""Tests for the code lists: data integrity, spot checks, the loader API, and the CIN XSDs."""

from __future__ import annotations

import dataclasses
import functools
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from caseline.apps.codes import Code, CodeList, CodeListName, code_list, collection_year
from caseline.apps.codes.lists import COLUMNS, parse_code_list

REPO_ROOT = Path(__file__).resolve().parents[4]
# The DfE CIN census schemas, copied into the repository (source and licence in its README).
CIN_XSD_DIR = Path(__file__).resolve().parent / "cin_xsd"

LOCAL_LISTS = {
    CodeListName.GENDER_IDENTITY,
    CodeListName.RELIGION,
    CodeListName.IMMIGRATION_STATUS,
}

# DOMAIN.md section 1.4: the SSDA903 placement codes for 2025-26.
PLACEMENTS_2025_26 = {
    *("A3", "A4", "A5", "A6"),
    *("K1", "K2", "K3"),
    *("P1", "P3"),
    *("R1", "R2", "R3", "R5"),
    "S1",
    *("T0", "T1", "T2", "T3", "T4"),
    *("U1", "U2", "U3", "U4", "U5", "U6"),
    *("Z11", "Z12", "Z13", "Z14"),
}


def codes_of(codes: tuple[Code, ...] | CodeList) -> set[str]:
    return {code.code for code in codes}


# --- Every list ---------------------------------------------------------------------------


def test_every_name_has_a_file_and_every_file_a_name() -> None:
    data = resources.files("caseline.apps.codes") / "data"
    stems = {
        entry.name.removesuffix(".csv") for entry in data.iterdir() if entry.name.endswith(".csv")
    }
    assert stems == {name.value for name in CodeListName}


@pytest.mark.parametrize("name", list(CodeListName))
def test_list_loads_cleanly(name: CodeListName) -> None:
    codes = code_list(name)
    assert codes.name == name.value
    assert len(codes) > 0
    all_codes = [code.code for code in codes]
    assert len(all_codes) == len(set(all_codes)), "duplicate codes"
    for code in codes:
        assert code.code == code.code.strip()
        assert code.code
        assert " " not in code.code
        assert code.label.strip(), f"blank label for {code.code}"
        assert code.source.strip(), f"blank source for {code.code}"
        if code.valid_from_year is not None and code.valid_to_year is not None:
            assert code.valid_from_year <= code.valid_to_year
    assert codes.description
    assert codes.source
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", codes.version)
    assert codes.current(), "a list with no current codes"


@pytest.mark.parametrize("name", sorted(LOCAL_LISTS))
def test_local_lists_say_so(name: CodeListName) -> None:
    codes = code_list(name)
    assert "local" in codes.source.lower()
    assert all("local" in code.source.lower() for code in codes)


def test_raw_files_have_no_duplicate_codes() -> None:
    """Checked on the raw text too, independently of the loader's own check."""
    data = resources.files("caseline.apps.codes") / "data"
    for name in CodeListName:
        lines = (data / f"{name.value}.csv").read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("# "), f"{name} must start with comment lines"
        rows = [line for line in lines if line and not line.startswith("#")]
        assert rows[0] == ",".join(COLUMNS)
        firsts = [row.split(",", 1)[0] for row in rows[1:]]
        assert len(firsts) == len(set(firsts)), name


# --- Spot checks -----------------------------------------------------------------------------


def test_primary_need_n0_to_n9() -> None:
    assert codes_of(code_list(CodeListName.PRIMARY_NEED)) == {f"N{i}" for i in range(10)}


def test_assessment_factors() -> None:
    factors = code_list(CodeListName.ASSESSMENT_FACTOR)
    for code in ("1A", "21", "22A", "23A", "24A"):
        assert factors.is_valid(code, 2025), code
    assert factors.label("21").startswith("No factors identified")
    assert "exploitation" in factors.label("24A").lower()
    assert not factors.is_valid("24A", 2020)
    assert factors.is_valid("18A", 2019)
    assert not factors.is_valid("18A", 2020)
    assert "18A" in factors


def test_cin_closure_reasons() -> None:
    reasons = code_list(CodeListName.CIN_CLOSURE_REASON)
    assert codes_of(reasons) == {f"RC{i}" for i in range(1, 10)}
    assert not reasons.is_valid("RC9", 2021)
    assert reasons.is_valid("RC9", 2022)


def test_cp_categories() -> None:
    assert codes_of(code_list(CodeListName.CP_CATEGORY)) == {"NEG", "PHY", "SAB", "EMO", "MUL"}


def test_referral_source() -> None:
    sources = code_list(CodeListName.REFERRAL_SOURCE)
    assert sources.label("5D") == "LA services \N{EN DASH} early help"
    assert sources.label("9") == "Anonymous"
    assert sources.label("10") == "Unknown"
    assert not sources.is_valid("5D", 2021)


def test_sex_codes_changed_in_2024_25() -> None:
    sex = code_list(CodeListName.SEX)
    assert codes_of(sex.current(2023)) == {"0", "1", "2", "9"}
    assert codes_of(sex.current(2024)) == {"M", "F", "U"}
    assert codes_of(sex.current()) == {"M", "F", "U"}


def test_placement_types_2025_26_match_domain() -> None:
    placements = code_list(CodeListName.PLACEMENT_TYPE)
    assert codes_of(placements.current(2025)) == PLACEMENTS_2025_26
    assert codes_of(placements.current()) == PLACEMENTS_2025_26
    for dropped in ("H5", "P2", "Z1"):
        assert dropped in placements
        assert not placements.is_valid(dropped, 2025), dropped
        assert placements.is_valid(dropped, 2024), dropped
    assert not placements.is_valid("Z11", 2024)
    assert not placements.is_valid("K3", 2023)


def test_placement_providers_and_reviews() -> None:
    assert codes_of(code_list(CodeListName.PLACEMENT_PROVIDER)) == {f"PR{i}" for i in range(6)}
    assert codes_of(code_list(CodeListName.REVIEW_PARTICIPATION)) == {f"PN{i}" for i in range(8)}


def test_legal_status_and_new_episode() -> None:
    assert codes_of(code_list(CodeListName.LEGAL_STATUS)) == {
        *("C1", "C2", "D1", "E1", "V2", "V3", "V4"),
        *("L1", "L2", "L3", "J1", "J2", "J3"),
    }
    assert codes_of(code_list(CodeListName.REASON_NEW_EPISODE)) == set("SPLTUB")


def test_reason_episode_ceased() -> None:
    ceased = code_list(CodeListName.REASON_EPISODE_CEASED)
    expected_2025 = {
        *("X1", "E11", "E12", "E13", "E14", "E15", "E16", "E17", "E2", "E3"),
        *("E41", "E45", "E46", "E47", "E48", "E4A", "E4B", "E5", "E6", "E7", "E8", "E9"),
    }
    assert codes_of(ceased.current(2025)) == expected_2025
    assert ceased.is_valid("E43", 2017)
    assert not ceased.is_valid("E43", 2018)


def test_reason_placement_change() -> None:
    change = code_list(CodeListName.REASON_PLACEMENT_CHANGE)
    assert codes_of(change.current(2025)) == {
        *("CARPL", "CLOSE", "ALLEG", "STAND", "APPRR", "CREQB"),
        *("CREQO", "CHILD", "LAREQ", "PLACE", "CUSTOD", "OTHER"),
    }


def test_care_leaver_lists() -> None:
    assert codes_of(code_list(CodeListName.CARE_LEAVER_IN_TOUCH)) == {
        *("YES", "NO", "DIED", "REFU", "NREQ", "RHOM"),
    }
    activity = code_list(CodeListName.CARE_LEAVER_ACTIVITY)
    assert codes_of(activity.current(2025)) == {
        *("F1", "F2", "F4", "F5", "P1", "P2", "P4", "P5", "G4", "G5", "G6"),
    }
    for retired in ("F3", "P3"):
        assert retired in activity
        assert activity.is_valid(retired, 2020)
        assert not activity.is_valid(retired, 2021)
    accommodation = code_list(CodeListName.CARE_LEAVER_ACCOMMODATION)
    assert all(re.fullmatch(r"[A-Z]", code.code) for code in accommodation), "letters only"
    assert "suitab" in " ".join(accommodation.notes)


def test_upn_unknown_reasons() -> None:
    reasons = code_list(CodeListName.UPN_UNKNOWN)
    assert codes_of(reasons) == {f"UN{i}" for i in range(1, 8)}
    # SEN2's UN8-UN10 are refused by the CIN XSDs and the SSDA903 (rule 168).
    assert "UN8" not in reasons


def test_social_worker_change_reasons_from_2023_24() -> None:
    reasons = code_list(CodeListName.SOCIAL_WORKER_CHANGE_REASON)
    assert codes_of(reasons) == {
        *("MANAGE", "FCONTA", "LEFTRL", "ORGRST", "TSPROC"),
        *("ABSENC", "CHCHAN", "PCCHAN", "SWDIED", "OTHERS"),
    }
    assert reasons.current(2022) == ()
    assert len(reasons.current(2023)) == 10


def test_missing_type() -> None:
    assert codes_of(code_list(CodeListName.MISSING_TYPE)) == {"M", "A"}


# --- API ------------------------------------------------------------------------------------


def test_get_and_label() -> None:
    needs = code_list(CodeListName.PRIMARY_NEED)
    found = needs.get("N1")
    assert found == Code("N1", "Abuse or neglect", None, None, found.source if found else "")
    assert needs.get("N99") is None
    assert needs.label("N1") == "Abuse or neglect"
    assert needs.label("N99") == "N99 (unknown code)"


def test_contains_ignores_years() -> None:
    placements = code_list(CodeListName.PLACEMENT_TYPE)
    assert "H5" in placements
    assert "XX" not in placements
    assert 5 not in placements
    assert None not in placements


def test_is_valid_default_is_latest_list() -> None:
    placements = code_list(CodeListName.PLACEMENT_TYPE)
    assert placements.is_valid("U1")
    assert not placements.is_valid("H5")
    assert not placements.is_valid("XX")
    assert not placements.is_valid("XX", 2025)


def test_choices() -> None:
    needs = code_list(CodeListName.PRIMARY_NEED)
    assert needs.choices()[0] == ("N1", "N1 - Abuse or neglect")
    assert len(needs.choices(2025)) == 10
    placement_choices = dict(code_list(CodeListName.PLACEMENT_TYPE).choices(2024))
    assert "H5" in placement_choices
    assert "Z11" not in placement_choices


def test_code_list_accepts_str_and_enum_and_caches() -> None:
    assert code_list("ethnicity") is code_list(CodeListName.ETHNICITY)


def test_unknown_list_raises_key_error() -> None:
    with pytest.raises(KeyError, match="Unknown code list 'nationality'") as excinfo:
        code_list("nationality")
    assert "placement_type" in str(excinfo.value)


def test_dataclasses_are_frozen() -> None:
    ethnicity = code_list(CodeListName.ETHNICITY)
    with pytest.raises(dataclasses.FrozenInstanceError):
        ethnicity.name = "changed"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        ethnicity.codes[0].label = "changed"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("day", "year"),
    [(date(2025, 3, 31), 2024), (date(2025, 4, 1), 2025), (date(2025, 12, 31), 2025)],
)
def test_collection_year(day: date, year: int) -> None:
    assert collection_year(day) == year


def test_imports_without_django() -> None:
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    script = (
        "import sys; from caseline.apps.codes import code_list; "
        "code_list('ethnicity'); assert 'django' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT, env=env, check=True)


GOOD = """\
# list: demo
# description: A demo list.
# source: Tests.
# version: 2026-01-01
# note: First note.
code,label,valid_from_year,valid_to_year,source
A,"Alpha, first",,2023,test
B,Beta,2024,,test
"""


def test_parse_code_list() -> None:
    parsed = parse_code_list("demo", GOOD)
    assert parsed.codes == (
        Code("A", "Alpha, first", None, 2023, "test"),
        Code("B", "Beta", 2024, None, "test"),
    )
    assert parsed.notes == ("First note.",)
    assert parsed.version == "2026-01-01"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD + "A,Again,,,test\n", "duplicate code 'A'"),
        (GOOD + "C, ,,,test\n", "must not be blank"),
        (GOOD + "C,Gamma,2025,2024,test\n", "after"),
        (GOOD + "C,Gamma,25,,test\n", "four-digit"),
        (GOOD + "C,Gamma,,\n", "expected 5 columns"),
        (GOOD.replace("label,", "name,"), "first row"),
        (GOOD.replace("# version: 2026-01-01\n", ""), "version"),
        (GOOD.replace("# list: demo", "# list: other"), "does not match"),
        (GOOD.replace("# note: First note.", "# a free comment"), "not '# key: value'"),
    ],
)
def test_parse_code_list_rejects_bad_data(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_code_list("demo", text)


# --- Cross-check with the DfE CIN census XSDs ------------------------------------------------

# XSD simple type -> the list whose codes it enumerates.
XSD_TYPES = {
    "ethnicitytype": CodeListName.ETHNICITY,
    "disabilitytype": CodeListName.DISABILITY,
    "gendertype": CodeListName.SEX,
    "referralsourcetype": CodeListName.REFERRAL_SOURCE,
    "primaryneedcodetype": CodeListName.PRIMARY_NEED,
    "assessmentfactorstype": CodeListName.ASSESSMENT_FACTOR,
    "reasonforclosuretype": CodeListName.CIN_CLOSURE_REASON,
    "categoryofabuse": CodeListName.CP_CATEGORY,
    "unknownupntype": CodeListName.UPN_UNKNOWN,
}
XSD_NS = {"xs": "http://www.w3.org/2001/XMLSchema"}


@functools.cache
def xsd_enumerations(path: Path) -> dict[str, set[str]]:
    # A trusted reference file committed beside this test, not user input.
    root = ET.parse(path).getroot()  # noqa: S314
    return {
        simple.get("name", ""): {
            value.get("value", "") for value in simple.iterfind(".//xs:enumeration", XSD_NS)
        }
        for simple in root.iterfind("xs:simpleType", XSD_NS)
    }


@pytest.mark.parametrize("xsd_year", range(2017, 2025))
@pytest.mark.parametrize("xsd_type", sorted(XSD_TYPES))
def test_cin_xsd_enumerations_match_current_codes(xsd_year: int, xsd_type: str) -> None:
    """CIN_schema_N.xsd is the census ending 31 March N, i.e. collection year N-1."""
    path = CIN_XSD_DIR / f"CIN_schema_{xsd_year}.xsd"
    enumerations = xsd_enumerations(path)
    assert xsd_type in enumerations, f"{path.name} has no simple type {xsd_type}"
    listed = codes_of(code_list(XSD_TYPES[xsd_type]).current(xsd_year - 1))
    assert listed == enumerations[xsd_type]
