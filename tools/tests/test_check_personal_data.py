"""The personal-data check: what it must flag and what it must let through.

Real-looking values are built here at run time (check digits computed, strings joined), so
this file itself holds nothing the check would flag.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tools import check_personal_data as check
from tools.check_personal_data import AllowList, nhs_check_digit, scan_line, upn_check_letter


def nhs(first_nine: str) -> str:
    digit = nhs_check_digit(first_nine)
    assert digit is not None
    return first_nine + str(digit)


def upn(body: str) -> str:
    return upn_check_letter(body) + body


REAL_NHS = nhs("485777345")
REAL_UPN = upn("201" + "3456" + "19" + "042")
NINO = "AB" + " 12 34 56 " + "C"
PHONE = "020 7" + "123 4567"
EMAIL = "jo.bloggs" + "@" + "gmail.com"


def kinds(line: str) -> list[str]:
    return [kind for kind, _ in scan_line(line)]


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        (f"nhs_number={REAL_NHS}", "nhs"),
        (f"NHS number {REAL_NHS[:3]} {REAL_NHS[3:6]} {REAL_NHS[6:]}", "nhs"),
        (f'"{REAL_NHS[:3]}-{REAL_NHS[3:6]}-{REAL_NHS[6:]}"', "nhs"),
        (f"upn: {REAL_UPN}", "upn"),
        (f"NI number {NINO}", "nino"),
        (f"NI number {NINO.replace(' ', '')}", "nino"),
        (f"Call {PHONE}", "phone"),
        (f"Call {PHONE.replace('020 ', '+44 20 ')}", "phone"),
        ("Call (01" + "865) 718293", "phone"),
        ("Mobile 078" + "11 234567", "phone"),
        (f"Email {EMAIL}", "email"),
        ("<a href='mailto:" + "someone@" + "council.gov.uk'>", "email"),
    ],
)
def test_flags(line: str, kind: str) -> None:
    assert kinds(line) == [kind]


@pytest.mark.parametrize(
    "line",
    [
        nhs("999123457"),  # the NHS's test range, which the synthetic generator uses
        REAL_NHS[:9] + str((int(REAL_NHS[9]) + 1) % 10),  # wrong check digit
        "0123456789",  # a run
        nhs("200000000"),  # mostly one digit
        f"sha256 a{REAL_NHS}f",  # inside a hash
        f"version 1.{REAL_NHS}",  # inside a decimal
        upn("999" + "3456" + "19" + "042"),  # the generator's local authority, 999
        "P000000000001",  # authority 000
        REAL_UPN[0] + REAL_UPN[1:-1] + str((int(REAL_UPN[-1]) + 1) % 10),  # wrong letter
        "QQ 12 34 56 C",  # HMRC's example prefix, never allocated
        "GB123456A",  # never allocated
        "020 7946 0123",  # Ofcom's drama range
        "0113 496 0000",
        "07700 900123",
        "+44 7700 900123",
        "jo@example.com",
        "duty.team@council.example.org",
        "someone@caseline.test",
        "user@localhost.invalid",
        "count = 100000",
        "2026-11-24 10:15:00",
    ],
)
def test_lets_through(line: str) -> None:
    assert kinds(line) == []


def test_inline_marker_and_allow_file(tmp_path: Path) -> None:
    source = tmp_path / "data.csv"
    source.write_text(
        f"a,{REAL_NHS}\nb,{REAL_NHS},personal-data: allow published example\nc,{EMAIL}\n"
    )
    nothing_allowed = AllowList(frozenset(), ())
    found = list(check.scan_file(str(source), nothing_allowed))
    assert [(f.line, f.kind) for f in found] == [(1, "nhs"), (3, "email")]

    allow_file = tmp_path / "allow.txt"
    allow_file.write_text(f"# comment\nemail {EMAIL.upper()}  # a test address\n")
    allow = AllowList.read(allow_file)
    assert [(f.line, f.kind) for f in check.scan_file(str(source), allow)] == [(1, "nhs")]

    allow_file.write_text("path */data.csv  # generated fixtures\n")
    assert check.check([str(source)], AllowList.read(allow_file)) == []


def test_allow_file_entries_need_a_reason(tmp_path: Path) -> None:
    allow_file = tmp_path / "allow.txt"
    allow_file.write_text(f"nhs {REAL_NHS}\n")
    with pytest.raises(SystemExit, match="why"):
        AllowList.read(allow_file)


def test_output_masks_the_value(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "notes.md"
    source.write_text(f"Seen with NHS number {REAL_NHS}.\n")
    assert check.main([str(source)]) == 1
    out = capsys.readouterr().out
    assert REAL_NHS not in out
    assert f"notes.md:1: NHS number {REAL_NHS[:3]}*******" in out


def test_binary_files_are_skipped(tmp_path: Path) -> None:
    blob = tmp_path / "image.png"
    blob.write_bytes(b"\x89PNG\0" + REAL_NHS.encode())
    assert check.main([str(blob)]) == 0


def test_the_repository_is_clean() -> None:
    """What `make lint` runs: every tracked file, with the project's allow-list."""
    assert check.main([]) == 0
