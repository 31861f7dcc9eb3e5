"""One definition: on a generated authority, the indicators over collection year 2026 equal
what the DfE would compute from that year's CIN census and SSDA903 as Caseline exports them.

The expected figures are worked out here from the exported files alone, following the DfE's
published definitions (DOMAIN.md §2), with working days counted by a loop over this test's own
list of England and Wales bank holidays (GOV.UK), not by Caseline's calendar.
"""

from __future__ import annotations

import csv
import datetime
import itertools
from collections import defaultdict
from pathlib import Path

import pytest
from django.core.management import call_command
from lxml import etree

from caseline.apps.indicators.catalogue import BY_CODE
from caseline.apps.indicators.engine import Context, compute_all
from caseline.apps.indicators.periods import AUTHORITY, make_period
from caseline.apps.synthetic.generator import Builder, Parameters

pytestmark = pytest.mark.django_db

D = datetime.date
YEAR_START, YEAR_END = D(2025, 4, 1), D(2026, 3, 31)
# England and Wales bank holidays, 2023 to March 2026 (GOV.UK, https://www.gov.uk/bank-holidays).
BANK_HOLIDAYS = {
    D(2023, 1, 2), D(2023, 4, 7), D(2023, 4, 10), D(2023, 5, 1), D(2023, 5, 8), D(2023, 5, 29),
    D(2023, 8, 28), D(2023, 12, 25), D(2023, 12, 26),
    D(2024, 1, 1), D(2024, 3, 29), D(2024, 4, 1), D(2024, 5, 6), D(2024, 5, 27), D(2024, 8, 26),
    D(2024, 12, 25), D(2024, 12, 26),
    D(2025, 1, 1), D(2025, 4, 18), D(2025, 4, 21), D(2025, 5, 5), D(2025, 5, 26), D(2025, 8, 25),
    D(2025, 12, 25), D(2025, 12, 26),
    D(2026, 1, 1),
}  # fmt: skip
PLACEMENT_STARTS = {"S", "P", "T", "B", "U"}  # 903 RNE codes that begin a new placement
SHORT_BREAKS = {"V3", "V4"}
EET = {"F1", "P1", "F2", "P2", "F3", "P3", "F4", "P4", "F5", "P5"}


def working_days(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end`` (the DfE's duration)."""
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5 and day not in BANK_HOLIDAYS:
            count += 1
    return count


def birthday_age(born: datetime.date) -> int | None:
    """The age a care leaver turned in the year (17 to 21), from their date of birth."""
    for age in range(17, 22):
        try:
            birthday = born.replace(year=born.year + age)
        except ValueError:  # 29 February: the birthday is 1 March in other years
            birthday = D(born.year + age, 3, 1)
        if YEAR_START <= birthday <= YEAR_END:
            return age
    return None


def day(text: str | None) -> datetime.date | None:
    if not text:
        return None
    if "/" in text:
        dd, mm, yyyy = text.split("/")
        return D(int(yyyy), int(mm), int(dd))
    return D.fromisoformat(text)


def export(out: Path) -> tuple[etree._Element, dict[str, list[dict[str, str]]]]:
    """Caseline's CIN census and SSDA903 for 2026, as files, read back."""
    call_command(
        "returns", "cin-census", "--year", "2026", "--out", str(out / "cin.xml"), "--quiet"
    )
    call_command("returns", "ssda903", "--year", "2026", "--out", str(out / "903"), "--quiet")
    tables: dict[str, list[dict[str, str]]] = {}
    for path in (out / "903").glob("*.csv"):
        with path.open(newline="", encoding="utf-8") as stream:
            tables[path.stem] = list(csv.DictReader(stream))
    return etree.parse(str(out / "cin.xml")).getroot(), tables


Figure = tuple[int, int]  # numerator, denominator


def from_census(census: etree._Element) -> dict[str, Figure]:
    """The DfE's CIN measures from the census file alone."""
    figures: dict[str, Figure] = {}
    referrals = assessed = assessed_in_time = conferences = conferences_in_time = 0
    ended = ended_two_years = started = started_again = 0
    for episode in census.iter("CINdetails"):
        referred = day(episode.findtext("CINreferralDate"))
        referrals += referred is not None and YEAR_START <= referred <= YEAR_END
        for assessment in episode.iter("Assessments"):
            authorised = day(assessment.findtext("AssessmentAuthorisationDate"))
            if authorised is not None and YEAR_START <= authorised <= YEAR_END:
                start = day(assessment.findtext("AssessmentActualStartDate"))
                assert start is not None
                assessed += 1
                assessed_in_time += working_days(start, authorised) <= 45
        for enquiry in episode.iter("Section47"):
            held = day(enquiry.findtext("DateOfInitialCPC"))
            start = day(enquiry.findtext("S47ActualStartDate"))
            assert start is not None
            if held is not None and YEAR_START <= held <= YEAR_END and held >= start:
                conferences += 1
                conferences_in_time += working_days(start, held) <= 15
        for plan in episode.iter("ChildProtectionPlans"):
            start = day(plan.findtext("CPPstartDate"))
            end = day(plan.findtext("CPPendDate"))
            assert start is not None
            if end is not None and YEAR_START <= end <= YEAR_END:
                ended += 1
                ended_two_years += (end - start).days > 729
            if YEAR_START <= start <= YEAR_END:
                started += 1
                started_again += int(plan.findtext("NumberOfPreviousCPP") or 0) > 0
    figures["FD3"] = (referrals, referrals)
    figures["AS1"] = (assessed_in_time, assessed)
    figures["CP2"] = (conferences_in_time, conferences)
    figures["CP4"] = (ended_two_years, ended)
    figures["CP5"] = (started_again, started)
    return figures


def from_ssda903(tables: dict[str, list[dict[str, str]]]) -> dict[str, Figure]:
    """The DfE's SSDA903 measures from the return's tables alone."""
    figures: dict[str, Figure] = {}
    episodes: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in tables["episodes"]:
        episodes[row["CHILD"]].append(row)
    in_care = moved_often = 0
    for rows in episodes.values():
        rows.sort(key=lambda r: day(r["DECOM"]) or D.min)
        last = rows[-1]
        if last["DEC"] or last["LS"] in SHORT_BREAKS:
            continue  # not looked after at 31 March (a later end is not shown)
        in_care += 1
        placements: list[list[dict[str, str]]] = []
        for row in rows:
            if row["LS"] in SHORT_BREAKS:
                continue
            if not placements or row["RNE"] in PLACEMENT_STARTS:
                placements.append([row])
            else:
                placements[-1].append(row)
        counted = 0
        for placement in placements:
            begun, ended = day(placement[0]["DECOM"]), day(placement[-1]["DEC"])
            if ended is not None and begun is not None and ended <= begun:
                continue  # under a day
            if counted and placement[0]["PLACE"] in {"A3", "A5"}:
                continue  # adoption by the current foster carers
            counted += 1
        moved_often += counted >= 3
    figures["LA3"] = (moved_often, in_care)
    oc2 = tables["oc2"]
    for code, column in (
        ("HE1", "HEALTH_ASSESSMENT"),
        ("HE2", "IMMUNISATIONS"),
        ("HE3", "TEETH_CHECK"),
        ("HE4", "HEALTH_CHECK"),
    ):
        asked = [row for row in oc2 if row[column] != ""]
        figures[code] = (sum(row[column] == "1" for row in asked), len(asked))
    aged = []
    for row in oc2:
        born = day(row["DOB"])
        assert born is not None
        age = YEAR_END.year - born.year - ((YEAR_END.month, YEAR_END.day) < (born.month, born.day))
        if 5 <= age <= 16:
            aged.append(row)
    figures["HE5"] = (sum(row["SDQ_SCORE"] != "" for row in aged), len(aged))
    for ages, offset in (((19, 20, 21), 1), ((17, 18), 4)):
        leavers = []
        for row in tables.get("oc3", []):
            born = day(row["DOB"])
            assert born is not None
            if birthday_age(born) in ages:
                leavers.append(row)
        in_touch = [row for row in leavers if row["IN_TOUCH"] == "YES"]
        gone = {"G", "H", "R"}  # gone abroad, deported, residence not known
        judged = [r for r in leavers if not (r["IN_TOUCH"] == "YES" and r["ACCOM"][:1] in gone)]
        figures[f"CL{offset}"] = (len(in_touch), len(leavers))
        figures[f"CL{offset + 1}"] = (sum(row["ACTIV"] in EET for row in in_touch), len(leavers))
        figures[f"CL{offset + 2}"] = (
            sum(row["ACCOM"].endswith("1") for row in in_touch),
            len(judged),
        )
    # UASC: the children of the UASC table (a count: numerator and denominator alike).
    uasc = {row["CHILD"] for row in tables.get("uasc", [])}
    figures["LA10"] = (len(uasc), len(uasc))
    # Changes of social worker: per child, each episode whose worker differs from the one
    # before, in date order; averaged over the children in the table.
    workers: dict[str, list[tuple[datetime.date, str]]] = defaultdict(list)
    for row in tables.get("sw_episodes", []):
        started = day(row["SW_DECOM"])
        assert started is not None
        workers[row["CHILD"]].append((started, row["SW_ID"]))
    changes = 0
    for found in workers.values():
        ids = [worker for _, worker in sorted(found, key=lambda f: f[0])]  # stable: file order
        changes += sum(1 for before, after in itertools.pairwise(ids) if after != before)
    figures["WF5"] = (changes, len(workers))
    return figures


def test_indicators_for_2026_equal_the_dfes_figures_from_the_returns(tmp_path: Path) -> None:
    Builder(Parameters(children=1200, years=6, seed=16, as_at=D(2026, 5, 1))).run()
    census, tables = export(tmp_path)
    context = Context(YEAR_END, make_period("collection-year", YEAR_END))
    results = {r.indicator.code: r for r in compute_all(list(BY_CODE.values()), context, AUTHORITY)}
    expected = from_census(census) | from_ssda903(tables)
    found = {
        code: (results[code].numerator, results[code].denominator or results[code].numerator)
        for code in expected
    }
    assert found == expected
    # Not an empty check: the authority has something in each of the main measures.
    for code in ("AS1", "CP2", "CP4", "CP5", "LA3", "HE1", "CL1", "LA10", "WF5"):
        assert expected[code][1] > 0, code
