"""Caseline's own rules on a child in need episode (the DfE's are in ``returns.rules.cin``)."""

from __future__ import annotations

from caseline.apps.cin import census_rules as rules
from caseline.apps.core.checks import Checks, Rule


def test_the_rules_here_are_caselines_own_and_name_the_dfe_rule_they_follow() -> None:
    named = [value for value in vars(rules).values() if isinstance(value, Rule)]
    assert len(named) == 2
    for rule in named:
        assert rule.code.startswith("caseline:")
        assert "DfE CIN census rule" in rule.source


def test_a_caseline_rule_says_what_is_wrong_in_the_records_words() -> None:
    checks = Checks()
    checks.broken(rules.LOOKED_AFTER_NEEDS_PRIMARY_NEED, "primary_need", name="Ada")
    assert checks.errors == {
        "primary_need": [
            "Ada was looked after during this episode, so it led to further action: give its "
            "primary need (not N0, not stated)"
        ],
    }
