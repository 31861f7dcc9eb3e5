"""Tests for the timescale rule catalogue and timeliness evaluation.

Plain pytest: no database and no Django settings.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from caseline.apps.timescales.calendar import england_and_wales
from caseline.apps.timescales.rules import (
    CATALOGUE,
    CONTACT_DECISION,
    SINGLE_ASSESSMENT,
    Basis,
    Certainty,
    Interval,
    IntervalUnit,
    RuleCatalogue,
    TimelinessStatus,
    TimescaleRule,
    assess_timeliness,
    format_date,
)

CAL = england_and_wales()


def make_rule(**overrides: Any) -> TimescaleRule:
    """Build a valid local-standard rule, with any field replaced."""
    fields: dict[str, Any] = {
        "code": "cp-visit",
        "title": "Child protection visit",
        "trigger": "The previous visit to the child",
        "completed_by": "The child is seen by the lead practitioner",
        "interval": Interval.working_days(10),
        "source": "Local practice standard",
        "basis": Basis.LOCAL_STANDARD,
        "certainty": Certainty.CHECKED,
    }
    fields.update(overrides)
    return TimescaleRule(**fields)


# --- The catalogue ------------------------------------------------------------------------------


def test_catalogue_holds_the_first_two_rules() -> None:
    assert [rule.code for rule in CATALOGUE.all()][:2] == ["contact-decision", "single-assessment"]
    assert CATALOGUE.get("contact-decision") is CONTACT_DECISION
    assert CATALOGUE.get("single-assessment") is SINGLE_ASSESSMENT
    assert "contact-decision" in CATALOGUE
    assert "no-such-rule" not in CATALOGUE


def test_contact_decision_rule() -> None:
    rule = CATALOGUE.get("contact-decision")
    assert rule.interval == Interval(IntervalUnit.WORKING_DAYS, 1)
    assert rule.interval.description == "1 working day"
    assert rule.basis is Basis.STATUTORY
    assert rule.certainty is Certainty.SECONDARY
    assert "Working Together" in rule.source
    assert "2018" in rule.source
    assert "Referral" in rule.source
    # Thursday before Easter 2025: Good Friday and Easter Monday are skipped.
    assert rule.due_date(date(2025, 4, 17)) == date(2025, 4, 22)
    assert rule.due_date(date(2025, 3, 7)) == date(2025, 3, 10)  # Friday to Monday


def test_single_assessment_rule() -> None:
    rule = CATALOGUE.get("single-assessment")
    assert rule.interval.description == "45 working days"
    assert rule.basis is Basis.STATUTORY
    assert rule.certainty is Certainty.SECONDARY
    assert "2013" in rule.source
    assert "referral" in rule.trigger.lower()
    assert "start" in rule.notes
    assert "authorisation" in rule.notes
    assert rule.due_date(date(2024, 11, 25)) == date(2025, 1, 30)  # across Christmas
    assert rule.due_date(date(2024, 11, 25), CAL) == date(2025, 1, 30)


def test_register_refuses_duplicate_codes() -> None:
    catalogue = RuleCatalogue()
    rule = make_rule()
    assert catalogue.register(rule) is rule
    with pytest.raises(ValueError, match="already registered"):
        catalogue.register(make_rule(title="Another title, same code"))
    assert len(catalogue) == 1


def test_registering_the_same_rule_again_keeps_it() -> None:
    catalogue = RuleCatalogue()
    rule = make_rule()
    catalogue.register(rule)
    assert catalogue.register(make_rule()) is rule  # equal: the same rule
    assert catalogue.all() == (rule,)


def test_get_unknown_code_raises_key_error() -> None:
    with pytest.raises(KeyError, match="no-such-rule"):
        CATALOGUE.get("no-such-rule")


def test_all_keeps_registration_order() -> None:
    catalogue = RuleCatalogue()
    codes = ["b-rule", "a-rule", "c-rule"]
    for code in codes:
        catalogue.register(make_rule(code=code))
    assert [rule.code for rule in catalogue.all()] == codes


@pytest.mark.parametrize("code", ["Contact", "contact_decision", "contact decision", "-x", ""])
def test_rule_codes_must_be_lower_case_and_hyphens(code: str) -> None:
    with pytest.raises(ValueError, match="lower-case"):
        make_rule(code=code)


@pytest.mark.parametrize("certainty", [Certainty.SECONDARY, Certainty.UNCHECKED])
def test_uncertain_rules_must_say_why(certainty: Certainty) -> None:
    with pytest.raises(ValueError, match="certainty_note"):
        make_rule(certainty=certainty)
    rule = make_rule(certainty=certainty, certainty_note="Not checked: from memory.")
    assert rule.certainty is certainty


def test_every_catalogue_rule_explains_any_uncertainty() -> None:
    for rule in CATALOGUE.all():
        if rule.certainty is not Certainty.CHECKED:
            assert rule.certainty_note.strip(), rule.code


def test_certainty_marks_mirror_domain_md() -> None:
    assert Certainty.CHECKED.mark == "\u2714"
    assert Certainty.SECONDARY.mark == "\u25d0"
    assert Certainty.UNCHECKED.mark == "\u25cb"


# --- Local overrides ----------------------------------------------------------------------------


def test_local_standard_can_be_overridden() -> None:
    rule = make_rule()
    assert rule.effective_interval == Interval.working_days(10)
    changed = rule.with_override(Interval.weeks(4))
    assert changed.effective_interval == Interval.weeks(4)
    assert changed.default_interval == Interval.working_days(10)
    assert changed.interval == Interval.working_days(10)
    assert changed.due_date(date(2025, 3, 3)) == date(2025, 3, 31)
    assert rule.due_date(date(2025, 3, 3)) == date(2025, 3, 17)
    assert changed.with_override(None).effective_interval == Interval.working_days(10)


def test_statutory_rule_refuses_override() -> None:
    with pytest.raises(ValueError, match="statutory"):
        CONTACT_DECISION.with_override(Interval.working_days(2))
    with pytest.raises(ValueError, match="statutory"):
        make_rule(basis=Basis.STATUTORY, override=Interval.weeks(1))


# --- Intervals ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("interval", "start", "due", "description"),
    [
        (Interval.working_days(1), date(2025, 4, 17), date(2025, 4, 22), "1 working day"),
        (Interval.working_days(15), date(2025, 1, 8), date(2025, 1, 29), "15 working days"),
        (Interval.working_days(0), date(2025, 3, 8), date(2025, 3, 8), "0 working days"),
        (Interval.calendar_days(1), date(2025, 4, 17), date(2025, 4, 18), "1 day"),
        (Interval.calendar_days(3), date(2024, 2, 27), date(2024, 3, 1), "3 days"),
        (Interval.weeks(1), date(2025, 4, 17), date(2025, 4, 24), "1 week"),
        (Interval.weeks(6), date(2025, 1, 1), date(2025, 2, 12), "6 weeks"),
        (Interval.weeks(26), date(2025, 1, 6), date(2025, 7, 7), "26 weeks"),
        (Interval.months(3), date(2024, 11, 30), date(2025, 2, 28), "3 months"),
        (Interval.months(6), date(2023, 8, 31), date(2024, 2, 29), "6 months"),
        (Interval.months(1), date(2024, 1, 31), date(2024, 2, 29), "1 month"),
    ],
)
def test_interval_due_dates(interval: Interval, start: date, due: date, description: str) -> None:
    assert interval.due_date(start, CAL) == due
    assert interval.description == description
    assert str(interval) == description


def test_interval_cannot_be_negative() -> None:
    with pytest.raises(ValueError, match="negative"):
        Interval.working_days(-1)


# --- Timeliness ---------------------------------------------------------------------------------

DUE = date(2025, 3, 3)  # a Monday


def test_not_due_yet() -> None:
    result = assess_timeliness(DUE, None, date(2025, 3, 2), CAL)
    assert result.status is TimelinessStatus.NOT_DUE_YET
    assert result.due_date == DUE
    assert result.working_days_late == 0
    assert result.label == "Due 3 March 2025"
    assert not result.is_late


def test_due_today() -> None:
    result = assess_timeliness(DUE, None, DUE, CAL)
    assert result.status is TimelinessStatus.DUE_TODAY
    assert result.label == "Due today"
    assert result.working_days_late == 0


def test_one_day_after_due_is_overdue() -> None:
    result = assess_timeliness(DUE, None, date(2025, 3, 4), CAL)
    assert result.status is TimelinessStatus.OVERDUE
    assert result.working_days_late == 1
    assert result.label == "Overdue by 1 working day"
    assert result.is_late


def test_overdue_counts_working_days() -> None:
    result = assess_timeliness(DUE, None, date(2025, 3, 7), CAL)
    assert result.working_days_late == 4
    assert result.label == "Overdue by 4 working days"
    # Over Easter 2025: Thursday 17 April to Tuesday 22 April is one working day.
    easter = assess_timeliness(date(2025, 4, 17), None, date(2025, 4, 22), CAL)
    assert easter.working_days_late == 1


def test_overdue_only_by_a_weekend() -> None:
    friday = date(2025, 3, 7)
    result = assess_timeliness(friday, None, date(2025, 3, 9), CAL)
    assert result.status is TimelinessStatus.OVERDUE
    assert result.working_days_late == 0
    assert result.label == "Overdue (due 7 March 2025)"


def test_completed_on_the_due_date_is_on_time() -> None:
    result = assess_timeliness(DUE, DUE, date(2025, 3, 20), CAL)
    assert result.status is TimelinessStatus.COMPLETED_ON_TIME
    assert result.working_days_late == 0
    assert result.label == "Completed on time"
    assert not result.is_late


def test_completed_early_is_on_time() -> None:
    result = assess_timeliness(DUE, date(2025, 2, 20), date(2025, 3, 20), CAL)
    assert result.status is TimelinessStatus.COMPLETED_ON_TIME


def test_completed_late() -> None:
    result = assess_timeliness(DUE, date(2025, 3, 5), date(2025, 3, 20), CAL)
    assert result.status is TimelinessStatus.COMPLETED_LATE
    assert result.working_days_late == 2
    assert result.label == "Completed 2 working days late"
    one_day = assess_timeliness(DUE, date(2025, 3, 4), date(2025, 3, 4), CAL)
    assert one_day.label == "Completed 1 working day late"


def test_completed_late_only_by_a_weekend() -> None:
    saturday_due = date(2025, 3, 8)  # e.g. a calendar-month timescale
    result = assess_timeliness(saturday_due, date(2025, 3, 9), date(2025, 3, 10), CAL)
    assert result.status is TimelinessStatus.COMPLETED_LATE
    assert result.working_days_late == 0
    assert result.label == "Completed late (due 8 March 2025)"


def test_completion_after_as_at_is_not_yet_known() -> None:
    before = assess_timeliness(DUE, date(2025, 3, 5), date(2025, 3, 2), CAL)
    assert before.status is TimelinessStatus.NOT_DUE_YET
    during = assess_timeliness(DUE, date(2025, 3, 5), date(2025, 3, 4), CAL)
    assert during.status is TimelinessStatus.OVERDUE
    assert during.working_days_late == 1


def test_default_calendar_is_used_when_none_given() -> None:
    result = assess_timeliness(date(2025, 4, 17), None, date(2025, 4, 22))
    assert result.working_days_late == 1


def test_format_date() -> None:
    assert format_date(date(2025, 3, 3)) == "3 March 2025"
    assert format_date(date(2024, 12, 25)) == "25 December 2024"
