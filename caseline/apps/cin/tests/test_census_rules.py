"""The CIN census rules Caseline enforces where data is entered: named by the DfE's code,
in the DfE's words, with their source; and how a refusal quotes them."""

from __future__ import annotations

from caseline.apps.cin import census_rules as rules
from caseline.apps.core.checks import Checks


def test_each_dfe_rule_is_named_by_its_code_with_its_source() -> None:
    assert sorted(rules.CIN_RULES) == sorted(
        f"CIN:{code}"
        for code in (
            "8868",
            "2990",
            "8831",
            "8832",
            "4000",
            "9006",
            "9007",
            "9009",
            "9010Q",
            "9011",
            "9012",
            "9013",
        )
    )
    for code, rule in rules.CIN_RULES.items():
        number = code.removeprefix("CIN:")
        assert number in rule.source
        if number.startswith("9"):
            assert f"cin2026_27/rule_{number}.py" in rule.source
        else:
            assert "cin_rules_cin2025_26_pypi-0.1.13.csv" in rule.source


def test_the_messages_are_the_dfe_rule_lists_own_words() -> None:
    # As in the rule list of csc-validator-be-cin 0.1.13 for 2025-26, quotes and all.
    assert rules.CLOSED_AFTER_ASSESSMENT_WITH_ACTIVITY.message == (
        "Activity is recorded against a case marked as \u2018Case closed after assessment, no "
        "further action\u2019 or 'case closed after assessment, referred to early help'."
    )
    assert rules.ENQUIRY_NOT_CONCLUDED.message == (
        "CIN episode is shown as closed, however Section 47 enquiry is not shown as completed "
        "by ICPC date or ICPC not required flag"
    )


def test_a_refusal_says_what_is_wrong_then_quotes_the_rule() -> None:
    checks = Checks()
    rules.refuse(checks, rules.NFA_WITH_CIN_PLAN, "nfa", "This episode had a plan.")
    rules.refuse(checks, rules.LOOKED_AFTER_NEEDS_PRIMARY_NEED, "primary_need", "", name="Ada")
    assert checks.errors == {
        "nfa": [
            "This episode had a plan. (DfE CIN census rule 4000: CIN Plan details provided for "
            "a referral with no further action)"
        ],
        "primary_need": [
            "Ada was looked after during this episode, so it led to further action: give its "
            "primary need (not N0, not stated)"
        ],
    }
