"""Which visit rule applies next to a private fostering arrangement: one rule, shared by the
child's page and the due work of many children."""

from __future__ import annotations

import datetime

from caseline.apps.privatefostering.timescales import (
    FIRST_VISIT,
    VISIT_FIRST_YEAR,
    VISIT_LATER_YEARS,
)
from caseline.apps.timescales.calendar import add_calendar_months
from caseline.apps.timescales.rules import TimescaleRule


def next_visit_rule(
    notified_on: datetime.date, last_visit: datetime.date | None
) -> tuple[TimescaleRule, datetime.date]:
    """The rule the next visit is judged by and the date its clock starts.

    No visit yet: the first visit, from the notification (regulations 4 and 7). Otherwise
    from the last visit: six-weekly while that visit was in the first year after the
    authority became aware of the arrangement (regulation 8(1)(a) and 8(6)), twelve-weekly
    after (8(1)(b)).
    """
    if last_visit is None:
        return FIRST_VISIT, notified_on
    if last_visit < add_calendar_months(notified_on, 12):
        return VISIT_FIRST_YEAR, last_visit
    return VISIT_LATER_YEARS, last_visit
