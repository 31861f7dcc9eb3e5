"""The DfE rules checked at entry, on the edges the DfE's own rule text names."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest

from caseline.apps.core.checks import Checks
from caseline.apps.returns.rules import CATALOGUE, Collection, DfERule
from caseline.apps.returns.rules.cin import CINRule1103, CINRule8606, CINRule8869, CINRule8898
from caseline.apps.returns.rules.ssda903 import (
    SSDA903Rule362,
    SSDA903Rule378,
    SSDA903Rule390,
    SSDA903Rule440,
    SSDA903Rule441,
    epo_runs,
)

D = datetime.date
CASELINE = Path(__file__).resolve().parents[3]  # the caseline package
CATALOGUE_DIR = CASELINE / "apps" / "returns" / "rules"
# A DfE rule written outside the catalogue: a code "CIN:..." or "903:..." (as Rule(...) or a
# bare literal, f-string or not): the code follows the colon with no space, and a docstring
# opening "CIN: ..." is prose.
OUTSIDE = re.compile(r"""(?<!["'])["'](?:CIN|903):\S""")


def test_every_rule_has_a_message_source_fields_and_years() -> None:
    assert len(CATALOGUE) >= 9
    for rule in CATALOGUE:
        assert rule.message()
        assert rule.source
        assert rule.fields
        assert len(rule.years) > 0
        assert rule.says().endswith(f"({rule.collection.value} rule {rule.code})")
    assert CATALOGUE.get(Collection.SSDA903, "362") is SSDA903Rule362


def test_a_code_cannot_be_defined_twice() -> None:
    with pytest.raises(ValueError, match="SSDA903 rule 362 is defined twice"):

        class Again(DfERule):
            collection = Collection.SSDA903
            code = "362"


def test_a_rule_of_some_years_is_checked_only_in_those_years() -> None:
    class YearBound(DfERule):
        """A rule of one year's rule set."""

        collection = Collection.CIN
        code = "test-year-bound"
        years = range(2023, 2024)
        source = "test"
        fields = ("X",)

    try:
        checks = Checks()
        assert YearBound.check(checks, "x", broken=True, on=D(2022, 3, 31))
        assert YearBound.check(checks, "x", broken=True, on=D(2023, 4, 1))
        assert not checks.errors
        assert not YearBound.check(checks, "x", broken=True, on=D(2022, 4, 1))
        assert checks.errors == {
            "x": ["A rule of one year's rule set. (CIN census rule test-year-bound)"]
        }
    finally:
        CATALOGUE.remove(YearBound)
    checks = Checks()
    assert not SSDA903Rule378.check(checks, "legal_status", broken=True, on=D(2001, 6, 1))


def test_an_emergency_protection_order_may_last_21_days_not_22() -> None:
    assert not SSDA903Rule362.breaks(order_started=D(2025, 5, 1), order_ended=D(2025, 5, 22))
    assert SSDA903Rule362.breaks(order_started=D(2025, 5, 1), order_ended=D(2025, 5, 23))


def test_consecutive_emergency_protection_episodes_are_one_order() -> None:
    episodes = [
        ("L2", D(2025, 5, 1), D(2025, 5, 10)),
        ("L2", D(2025, 5, 10), D(2025, 5, 20)),
        ("C2", D(2025, 5, 20), D(2025, 6, 1)),
        ("L2", D(2025, 6, 1), None),
    ]
    assert epo_runs(episodes, until=D(2025, 6, 30)) == [
        (D(2025, 5, 1), D(2025, 5, 20)),
        (D(2025, 6, 1), D(2025, 6, 30)),
    ]


def test_placed_with_parents_cannot_be_a_single_period_of_section_20() -> None:
    assert SSDA903Rule378.breaks(legal_status="V2", placement_type="P1")
    assert not SSDA903Rule378.breaks(legal_status="C2", placement_type="P1")
    assert not SSDA903Rule378.breaks(legal_status="V2", placement_type="U1")


@pytest.mark.parametrize(
    ("reason", "place", "broken"),
    [("E11", "A3", False), ("E12", "A6", False), ("E11", "U1", True), ("E4A", "U1", False)],
)
def test_an_adopted_child_was_placed_for_adoption(reason: str, place: str, broken: bool) -> None:
    assert SSDA903Rule390.breaks(reason_ceased=reason, placement_type=place) is broken


def test_participation_codes_change_on_the_fourth_birthday() -> None:
    born = D(2021, 6, 15)
    birthday = D(2025, 6, 15)
    assert not SSDA903Rule440.breaks(participation="PN0", born=born, review_date=birthday)
    assert SSDA903Rule440.breaks(
        participation="PN0", born=born, review_date=birthday + datetime.timedelta(days=1)
    )
    assert not SSDA903Rule441.breaks(participation="PN1", born=born, review_date=birthday)
    assert SSDA903Rule441.breaks(
        participation="PN7", born=born, review_date=birthday - datetime.timedelta(days=1)
    )


def test_a_child_born_on_29_february_turns_four_on_29_february() -> None:
    born = D(2020, 2, 29)
    assert SSDA903Rule441.breaks(participation="PN1", born=born, review_date=D(2024, 2, 28))
    assert not SSDA903Rule441.breaks(participation="PN1", born=born, review_date=D(2024, 2, 29))


def test_an_assessment_starts_on_or_after_its_referral() -> None:
    referral = D(2025, 6, 2)
    assert not CINRule1103.breaks(assessment_start=referral, referral_date=referral)
    assert CINRule1103.breaks(assessment_start=D(2025, 6, 1), referral_date=referral)


def test_a_referral_is_at_most_40_weeks_before_birth() -> None:
    born = D(2025, 10, 1)
    forty_weeks = born - datetime.timedelta(weeks=40)
    assert not CINRule8606.breaks(referral_date=forty_weeks, born=born)
    assert CINRule8606.breaks(referral_date=forty_weeks - datetime.timedelta(days=1), born=born)
    assert not CINRule8606.breaks(referral_date=forty_weeks, born=None)


def test_assessment_factors_no_factors_stands_alone_and_none_repeats() -> None:
    assert not CINRule8869.breaks(factors=["21"])
    assert CINRule8869.breaks(factors=["21", "3A"])
    assert not CINRule8898.breaks(factors=["3A", "4A"])
    assert CINRule8898.breaks(factors=["3A", "3A"])


def test_no_dfe_rule_code_is_written_outside_the_catalogue() -> None:
    found = []
    for path in sorted(CASELINE.rglob("*.py")):
        if CATALOGUE_DIR in path.parents or path == Path(__file__).resolve():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if OUTSIDE.search(line):
                found.append(f"{path.relative_to(CASELINE)}:{number}: {line.strip()}")
    assert not found, "DfE rules belong in returns/rules as DfERule classes:\n" + "\n".join(found)
    assert OUTSIDE.search('Rule("903:218", "source", "message")')
    assert OUTSIDE.search('return Rule(f"CIN:{code}", source, message)')
    assert not OUTSIDE.search('Rule("caseline:date-not-in-future", "s", "m")')
    assert not OUTSIDE.search('"""CIN: the primary need of the latest referral')


def test_the_newest_rule_set_held_carries_on_until_a_newer_one_is_held() -> None:
    class Newest(DfERule):
        """A rule of the newest rule set held."""

        collection = Collection.SSDA903
        code = "test-newest"
        years = range(2026, 2028)
        source = "test"
        fields = ("X",)

    try:
        assert not Newest.applies_on(D(2025, 3, 31))
        assert Newest.applies_on(D(2025, 4, 1))
        assert Newest.applies_on(D(2027, 4, 1))  # after 2026-27, until 2027-28's set is held
    finally:
        CATALOGUE.remove(Newest)
