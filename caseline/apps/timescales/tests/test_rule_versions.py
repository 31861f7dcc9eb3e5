"""Rules carry the dates they apply from and to, and a record is judged by the rule in force on
its trigger date: tests on both sides of each boundary."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from caseline.apps.timescales.rules import (
    CATALOGUE,
    CORE_ASSESSMENT,
    INITIAL_ASSESSMENT,
    SINGLE_ASSESSMENT,
    Basis,
    Certainty,
    Interval,
    RuleCatalogue,
    TimescaleRule,
)


def make_rule(**overrides: Any) -> TimescaleRule:
    fields: dict[str, Any] = {
        "code": "a-rule",
        "title": "A rule",
        "trigger": "Something",
        "completed_by": "Something else",
        "interval": Interval.weeks(4),
        "source": "A source",
        "basis": Basis.STATUTORY,
        "certainty": Certainty.CHECKED,
    }
    return TimescaleRule(**fields | overrides)


OLD = make_rule(applies_to=date(2011, 3, 31))
NEW = make_rule(interval=Interval.working_days(20), applies_from=date(2011, 4, 1))


def test_a_rule_applies_between_its_dates() -> None:
    assert OLD.in_force_on(date(2011, 3, 31))
    assert not OLD.in_force_on(date(2011, 4, 1))
    assert NEW.in_force_on(date(2011, 4, 1))
    assert not NEW.in_force_on(date(2011, 3, 31))
    assert make_rule().in_force_on(date(1990, 1, 1))
    assert OLD.applies == "Until 31 March 2011"
    assert NEW.applies == "From 1 April 2011"
    both = make_rule(applies_from=date(2010, 1, 1), applies_to=date(2011, 3, 31))
    assert both.applies == "From 1 January 2010 to 31 March 2011"
    assert make_rule().applies == ""
    with pytest.raises(ValueError, match="stops applying before it starts"):
        make_rule(applies_from=date(2012, 1, 1), applies_to=date(2011, 1, 1))


def test_the_catalogue_picks_the_version_in_force_on_the_trigger_date() -> None:
    catalogue = RuleCatalogue()
    catalogue.register(NEW)
    catalogue.register(OLD)  # any order
    assert catalogue.in_force("a-rule", date(2011, 3, 31)) is OLD
    assert catalogue.in_force("a-rule", date(2011, 4, 1)) is NEW
    assert catalogue.get("a-rule") is NEW  # the current one
    assert catalogue.versions("a-rule") == (OLD, NEW)
    assert catalogue.all() == (NEW,)
    assert catalogue.all_versions() == (OLD, NEW)
    assert len(catalogue) == 1
    assert catalogue.register(make_rule(applies_to=date(2011, 3, 31))) is OLD  # the same again


def test_versions_of_one_code_cannot_overlap() -> None:
    catalogue = RuleCatalogue()
    catalogue.register(OLD)
    with pytest.raises(ValueError, match="already registered"):
        catalogue.register(make_rule(title="Overlapping", applies_to=date(2011, 4, 1)))
    with pytest.raises(ValueError, match="already registered"):
        catalogue.register(make_rule(title="Open-ended"))


def test_no_version_applies_before_the_first_one_starts() -> None:
    catalogue = RuleCatalogue()
    catalogue.register(NEW)
    assert catalogue.in_force("a-rule", date(2011, 3, 31)) is None
    with pytest.raises(KeyError, match="no-such-rule"):
        catalogue.in_force("no-such-rule", date(2011, 3, 31))


# --- The assessments (DOMAIN.md 1.1) ------------------------------------------------------------


def test_an_assessment_of_a_referral_before_15_april_2013_is_an_initial_assessment() -> None:
    before, after = date(2013, 4, 12), date(2013, 4, 15)  # a Friday, and the Monday after
    assert CATALOGUE.in_force("single-assessment", before) is INITIAL_ASSESSMENT
    assert CATALOGUE.in_force("single-assessment", date(2013, 4, 14)) is INITIAL_ASSESSMENT
    assert CATALOGUE.in_force("single-assessment", after) is SINGLE_ASSESSMENT
    assert CATALOGUE.get("single-assessment") is SINGLE_ASSESSMENT
    # 10 working days from Friday 12 April 2013; 45 from Monday 15 April (the May bank
    # holidays of 6 and 27 May skipped).
    assert INITIAL_ASSESSMENT.due_date(before) == date(2013, 4, 26)
    assert SINGLE_ASSESSMENT.due_date(after) == date(2013, 6, 19)


def test_a_core_assessment_is_judged_only_before_15_april_2013() -> None:
    assert CATALOGUE.in_force("core-assessment", date(2013, 4, 14)) is CORE_ASSESSMENT
    assert CATALOGUE.in_force("core-assessment", date(2013, 4, 15)) is None
    assert CORE_ASSESSMENT.interval == Interval.working_days(35)
    assert CORE_ASSESSMENT.due_date(date(2012, 3, 1)) == date(2012, 4, 23)  # Easter skipped


def test_every_version_says_where_it_comes_from() -> None:
    for rule in CATALOGUE.all_versions():
        assert rule.source.strip(), rule.code
        if rule.certainty is Certainty.UNCHECKED:
            assert "not checked" in rule.certainty_note.lower(), rule.code
