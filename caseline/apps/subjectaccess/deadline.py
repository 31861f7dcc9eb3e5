"""When a subject access request must be answered: one calendar month, extendable by two.

The ICO's guidance on the right of access (UK GDPR Article 12(3)): the time runs from the day
the request is received, that day counting as the first (or from the day the requester's
identity is confirmed or the clarification asked for arrives, if later), to the corresponding
date in the next month; in a shorter month without it, the last day of that month; a date on a
weekend or bank holiday moves to the next working day. A complex request, or many, may be
extended by up to two further months (three in all from the start), if the requester is told
within the first month why.

Checked against the ICO's SAR checklist and universities' and councils' published guidance.
Not checked: what the Data (Use and Access) Act 2025 changes (the ICO says its guidance is
under review), and whether an extension month ending on a non-working day also moves (assumed,
as for the first month).
"""

from __future__ import annotations

import datetime

from caseline.apps.timescales.calendar import (
    WorkingDayCalendar,
    add_calendar_months,
    england_and_wales,
)

MAX_EXTENSION_MONTHS = 2


def clock_start(
    received_on: datetime.date, identity_confirmed_on: datetime.date | None
) -> datetime.date:
    """The day the month starts: receipt, or the identity confirmed after it."""
    if identity_confirmed_on is not None and identity_confirmed_on > received_on:
        return identity_confirmed_on
    return received_on


def response_due(
    start: datetime.date,
    extension_months: int = 0,
    calendar: WorkingDayCalendar | None = None,
) -> datetime.date:
    """The last day to answer: ``1 + extension_months`` calendar months from ``start``, moved to
    the next working day."""
    if not 0 <= extension_months <= MAX_EXTENSION_MONTHS:
        raise ValueError(f"An extension is of 1 or 2 months (got {extension_months}).")
    cal = calendar or england_and_wales()
    return cal.working_day_on_or_after(add_calendar_months(start, 1 + extension_months))
