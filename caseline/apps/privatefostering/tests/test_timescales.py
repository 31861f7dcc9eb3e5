"""The private fostering visit rules: regulations 4/7 and 8, across a bank holiday."""

from __future__ import annotations

import datetime

from caseline.apps.privatefostering.derive import next_visit_rule
from caseline.apps.privatefostering.timescales import (
    FIRST_VISIT,
    VISIT_FIRST_YEAR,
    VISIT_LATER_YEARS,
)
from caseline.apps.timescales.rules import CATALOGUE, Basis

D = datetime.date


def test_the_rules_are_on_the_catalogue_with_their_regulations(db: None) -> None:
    assert CATALOGUE.get("private-fostering-first-visit") == FIRST_VISIT
    assert "regulation 8(1)(a)" in VISIT_FIRST_YEAR.source
    assert "regulation 8(1)(b)" in VISIT_LATER_YEARS.source
    assert FIRST_VISIT.basis is Basis.STATUTORY
    assert CATALOGUE.get("private-fostering-decision").basis is Basis.LOCAL_STANDARD


def test_first_visit_is_seven_working_days_skipping_easter() -> None:
    # Notified on Thursday 17 April 2025: Good Friday (18th) and Easter Monday (21st) are
    # bank holidays, so the seventh working day is Wednesday 30 April, not Monday 28th.
    rule, trigger = next_visit_rule(D(2025, 4, 17), None)
    assert rule is FIRST_VISIT
    assert rule.due_date(trigger) == D(2025, 4, 30)


def test_first_visit_over_christmas() -> None:
    # Notified Monday 22 December 2025: 25th, 26th and the weekend skipped; then 29, 30,
    # 31 December and 1 January (a bank holiday) skipped: 23, 24, 29, 30, 31, 2 Jan, 5 Jan.
    assert FIRST_VISIT.due_date(D(2025, 12, 22)) == D(2026, 1, 5)


def test_later_visits_are_six_weekly_in_the_first_year_then_twelve() -> None:
    notified = D(2025, 1, 6)
    rule, trigger = next_visit_rule(notified, D(2025, 12, 1))
    assert (rule, rule.due_date(trigger)) == (VISIT_FIRST_YEAR, D(2026, 1, 12))
    rule, trigger = next_visit_rule(notified, D(2026, 1, 6))
    assert (rule, rule.due_date(trigger)) == (VISIT_LATER_YEARS, D(2026, 3, 31))
