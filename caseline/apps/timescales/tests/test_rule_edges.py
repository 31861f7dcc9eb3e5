"""Due dates of the child's-record rules at the edges: bank holidays, month ends, leap years.

Expected dates are worked out by hand from the England and Wales bank holidays (2024: 29 March,
1 April, 6 and 27 May, 26 August, 25 and 26 December; 2025: 1 January, 18 and 21 April,
5 and 26 May). The trigger day is day 0.
"""

from __future__ import annotations

import datetime

import pytest

from caseline.apps.timescales.queries import rule_in_force

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("code", "trigger", "due"),
    [
        # Contact decision, 1 working day: over Easter 2024 (Good Friday, Easter Monday).
        ("contact-decision", D(2024, 3, 28), D(2024, 4, 2)),
        # ... over the late May bank holiday, and from a Saturday.
        ("contact-decision", D(2025, 5, 23), D(2025, 5, 27)),
        ("contact-decision", D(2025, 6, 7), D(2025, 6, 9)),
        # Single assessment, 45 working days: over Christmas and New Year.
        ("single-assessment", D(2024, 12, 20), D(2025, 2, 26)),
        # Child in need plan, 10 working days: over Easter 2025.
        ("cin-plan-start", D(2025, 4, 16), D(2025, 5, 2)),
        # Child in need plan review, 3 calendar months: into a leap February, clamped at
        # month end in a common year, and onto a Saturday (calendar months do not roll on).
        ("cin-plan-review", D(2023, 11, 30), D(2024, 2, 29)),
        ("cin-plan-review", D(2024, 11, 30), D(2025, 2, 28)),
        ("cin-plan-review", D(2024, 5, 31), D(2024, 8, 31)),
        # Child in need visit, 20 working days: over Christmas and New Year.
        ("cin-visit", D(2024, 12, 2), D(2025, 1, 2)),
        # Supervision, 4 weeks: across 29 February.
        ("supervision", D(2024, 2, 8), D(2024, 3, 7)),
        # Management oversight, 3 months: 29 November to 29 February, and clamped.
        ("management-oversight", D(2023, 11, 29), D(2024, 2, 29)),
        ("management-oversight", D(2024, 11, 29), D(2025, 2, 28)),
    ],
)
def test_due_dates_at_the_edges(code: str, trigger: D, due: D) -> None:
    assert rule_in_force(code).due_date(trigger) == due
