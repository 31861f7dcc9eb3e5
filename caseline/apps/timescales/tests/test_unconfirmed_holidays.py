"""Bank holidays not yet announced: the calendar knows which years are confirmed, and a due
date counted in working days across a year that is only computed says so, as does its
timeliness.

Plain pytest: no database and no Django settings.
"""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

import pytest

from caseline.apps.timescales.calendar import HolidayYear, WorkingDayCalendar, england_and_wales
from caseline.apps.timescales.rules import (
    Basis,
    Certainty,
    DueDate,
    Interval,
    TimelinessStatus,
    TimescaleRule,
    assess_timeliness,
)

CAL = england_and_wales()


def rule(interval: Interval) -> TimescaleRule:
    return TimescaleRule(
        code="a-rule",
        title="A rule",
        trigger="Something",
        completed_by="Something else",
        interval=interval,
        source="Local practice standard",
        basis=Basis.LOCAL_STANDARD,
        certainty=Certainty.CHECKED,
    )


# --- The calendar -------------------------------------------------------------------------------


def test_the_data_says_which_years_are_confirmed_and_which_computed() -> None:
    assert CAL.year_status(2009) is HolidayYear.CONFIRMED
    assert CAL.year_status(2026) is HolidayYear.CONFIRMED
    assert CAL.year_status(2027) is HolidayYear.COMPUTED
    assert CAL.year_status(2028) is HolidayYear.COMPUTED
    assert CAL.year_status(2029) is HolidayYear.PROJECTED
    assert CAL.year_status(2008) is HolidayYear.PROJECTED
    assert CAL.is_confirmed(date(2026, 12, 31))
    assert not CAL.is_confirmed(date(2027, 1, 1))
    # Computed years are still in the table: not projected, but not confirmed either.
    assert not CAL.is_projected(date(2027, 1, 1))


@pytest.mark.parametrize(
    ("start", "end", "years"),
    [
        (date(2026, 3, 1), date(2026, 12, 31), ()),
        (date(2026, 12, 1), date(2027, 1, 5), (2027,)),
        (date(2027, 1, 5), date(2026, 12, 1), (2027,)),  # either order
        (date(2026, 6, 1), date(2029, 2, 1), (2027, 2028, 2029)),
        (date(2008, 12, 20), date(2009, 1, 10), (2008,)),
    ],
)
def test_unconfirmed_years_between_two_dates(start: date, end: date, years: tuple[int]) -> None:
    assert CAL.unconfirmed_years(start, end) == years


def test_the_note_says_which_years_are_not_yet_confirmed() -> None:
    assert CAL.unconfirmed_note([2027]) == "bank holidays for 2027 not yet confirmed"
    assert CAL.unconfirmed_note([2028, 2027]) == "bank holidays for 2027 and 2028 not yet confirmed"
    assert CAL.unconfirmed_note([2027, 2028, 2029]) == (
        "bank holidays for 2027, 2028 and 2029 not yet confirmed"
    )
    assert CAL.unconfirmed_note([2008]) == "bank holidays for 2008 worked out by rule"
    assert CAL.unconfirmed_note([]) == ""


def test_a_calendar_without_a_confirmed_line_counts_its_whole_coverage_as_confirmed() -> None:
    text = "# coverage: 2030-01-01 to 2031-12-31\ndate,name,kind\n"
    assert WorkingDayCalendar.from_csv(text).year_status(2031) is HolidayYear.CONFIRMED
    confirmed = WorkingDayCalendar.from_csv(
        "# coverage: 2030-01-01 to 2031-12-31\n# confirmed: 2030-01-01 to 2030-12-31\n"
        "date,name,kind\n"
    )
    assert confirmed.year_status(2030) is HolidayYear.CONFIRMED
    assert confirmed.year_status(2031) is HolidayYear.COMPUTED
    with pytest.raises(ValueError, match="within the coverage"):
        WorkingDayCalendar.from_csv(
            "# coverage: 2030-01-01 to 2030-12-31\n# confirmed: 2030-01-01 to 2031-12-31\n"
            "date,name,kind\n"
        )


# --- Due dates ----------------------------------------------------------------------------------


def test_a_working_day_due_date_across_an_unconfirmed_year_says_so() -> None:
    # 10 working days from 21 December 2026 runs over Christmas into January 2027, whose New
    # Year's Day is only computed.
    due = rule(Interval.working_days(10)).due_date(date(2026, 12, 21))
    assert due == date(2027, 1, 7)
    assert isinstance(due, DueDate)
    assert due.unconfirmed_years == (2027,)
    assert due.holidays_unconfirmed
    assert due.note == "bank holidays for 2027 not yet confirmed"


def test_a_working_day_due_date_within_confirmed_years_is_firm() -> None:
    due = rule(Interval.working_days(10)).due_date(date(2026, 11, 2))
    assert due == date(2026, 11, 16)
    assert due.unconfirmed_years == ()
    assert due.note == ""
    assert not due.holidays_unconfirmed


@pytest.mark.parametrize(
    "interval", [Interval.weeks(6), Interval.months(3), Interval.working_days(0)]
)
def test_a_calendar_interval_does_not_rest_on_bank_holidays(interval: Interval) -> None:
    due = rule(interval).due_date(date(2026, 12, 21))
    assert due.unconfirmed_years == ()
    assert due.note == ""


def test_a_due_date_is_a_date_and_a_day_from_it_is_not_a_due_date() -> None:
    due = rule(Interval.working_days(10)).due_date(date(2026, 12, 21))
    assert due == date(2027, 1, 7)
    assert hash(due) == hash(date(2027, 1, 7))
    assert due.isoformat() == "2027-01-07"
    later = due + timedelta(days=1)
    assert later == date(2027, 1, 8)
    assert getattr(later, "note", "") == ""
    copied = copy.deepcopy(due)  # through __reduce__, as pickling is
    assert copied == due
    assert copied.unconfirmed_years == (2027,)
    assert copied.note == due.note


# --- Timeliness ---------------------------------------------------------------------------------

DUE = rule(Interval.working_days(10)).due_date(date(2026, 12, 21))  # 7 January 2027


@pytest.mark.parametrize(
    ("completed", "as_at", "status"),
    [
        (None, date(2026, 12, 22), TimelinessStatus.NOT_DUE_YET),
        (None, date(2027, 1, 7), TimelinessStatus.DUE_TODAY),
        (None, date(2027, 1, 12), TimelinessStatus.OVERDUE),
        (date(2027, 1, 6), date(2027, 1, 12), TimelinessStatus.COMPLETED_ON_TIME),
        (date(2027, 1, 8), date(2027, 1, 12), TimelinessStatus.COMPLETED_LATE),
    ],
)
@pytest.mark.parametrize("calendar", [None, CAL])
def test_the_timeliness_carries_the_flag_and_the_note(
    completed: date | None, as_at: date, status: TimelinessStatus, calendar: Any
) -> None:
    result = assess_timeliness(DUE, completed, as_at, calendar)
    assert result.status is status
    assert result.unconfirmed_years == (2027,)
    assert result.holidays_unconfirmed
    assert result.due_date_note == "bank holidays for 2027 not yet confirmed"


def test_the_label_as_text_carries_the_note() -> None:
    pending = assess_timeliness(DUE, None, date(2026, 12, 22))
    assert pending.label == "Due 7 January 2027"
    assert pending.label_with_note == (
        "Due 7 January 2027 (bank holidays for 2027 not yet confirmed)"
    )
    firm = assess_timeliness(date(2026, 12, 30), None, date(2026, 12, 22))
    assert firm.label_with_note == firm.label == "Due 30 December 2026"


def test_a_plain_date_of_the_same_day_gives_no_note_even_after_a_due_date() -> None:
    """The answers are cached by day: a firm date must not borrow a due date's note."""
    as_at = date(2026, 12, 22)
    assert assess_timeliness(DUE, None, as_at).due_date_note
    plain = assess_timeliness(date(2027, 1, 7), None, as_at)
    assert plain.due_date_note == ""
    assert not plain.holidays_unconfirmed
    assert assess_timeliness(DUE, None, as_at).due_date_note  # and the other way round
