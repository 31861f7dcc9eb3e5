"""Tests for the England and Wales working-day calendar and calendar arithmetic.

Plain pytest: no database and no Django settings.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta

import pytest

from caseline.apps.timescales.calendar import (
    INDEXED_YEARS_BEYOND_DATA,
    BankHoliday,
    HolidayKind,
    WorkingDayCalendar,
    add_calendar_months,
    add_days,
    add_weeks,
    easter_sunday,
    england_and_wales,
    projected_holidays,
)

CAL = england_and_wales()

# Easter Sundays typed in from published tables, not computed, so the algorithm is checked.
EASTER_SUNDAYS = {
    2009: date(2009, 4, 12),
    2010: date(2010, 4, 4),
    2011: date(2011, 4, 24),
    2012: date(2012, 4, 8),
    2013: date(2013, 3, 31),
    2014: date(2014, 4, 20),
    2015: date(2015, 4, 5),
    2016: date(2016, 3, 27),
    2017: date(2017, 4, 16),
    2018: date(2018, 4, 1),
    2019: date(2019, 4, 21),
    2020: date(2020, 4, 12),
    2021: date(2021, 4, 4),
    2022: date(2022, 4, 17),
    2023: date(2023, 4, 9),
    2024: date(2024, 3, 31),
    2025: date(2025, 4, 20),
    2026: date(2026, 4, 5),
    2027: date(2027, 3, 28),
    2028: date(2028, 4, 16),
    2029: date(2029, 4, 1),
    2030: date(2030, 4, 21),
}

ONE_OFF_DAYS = [
    (date(2011, 4, 29), "Royal wedding"),
    (date(2012, 6, 4), "Spring bank holiday"),
    (date(2012, 6, 5), "Queen's Diamond Jubilee"),
    (date(2020, 5, 8), "Early May bank holiday (VE day)"),
    (date(2022, 6, 2), "Spring bank holiday"),
    (date(2022, 6, 3), "Platinum Jubilee bank holiday"),
    (date(2022, 9, 19), "Bank holiday for the State Funeral of Queen Elizabeth II"),
    (date(2023, 5, 8), "Bank holiday for the coronation of King Charles III"),
]

# The usual day each moved holiday would have fallen on: a working day that year.
DISPLACED_DAYS = {
    2012: {date(2012, 5, 28)},
    2020: {date(2020, 5, 4)},
    2022: {date(2022, 5, 30)},
}


def naive_working_days_between(cal: WorkingDayCalendar, start: date, end: date) -> int:
    """Count day by day: the reference for the fast implementation."""
    step = 1 if end >= start else -1
    lo, hi = (start + timedelta(days=1), end) if step == 1 else (end, start - timedelta(days=1))
    count = 0
    d = lo
    while d <= hi:
        count += cal.is_working_day(d)
        d += timedelta(days=1)
    return count * step


# --- The data file ----------------------------------------------------------------------------


def test_data_file_header_gives_version_and_coverage() -> None:
    assert CAL.version == "2026-11-23"
    assert CAL.covered_range == (date(2009, 1, 1), date(2028, 12, 31))


def test_data_file_has_expected_number_of_holidays_per_year() -> None:
    counts = {year: len(CAL.holidays_in_year(year)) for year in range(2009, 2029)}
    # Eight a year, plus the extra one-off days (moved days replace a usual day).
    extra = {2011: 1, 2012: 1, 2022: 2, 2023: 1}
    assert counts == {year: 8 + extra.get(year, 0) for year in range(2009, 2029)}


def test_default_calendar_is_cached() -> None:
    assert england_and_wales() is CAL


# --- Easter -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("year", "sunday"), sorted(EASTER_SUNDAYS.items()))
def test_easter_good_friday_and_easter_monday(year: int, sunday: date) -> None:
    assert easter_sunday(year) == sunday
    good_friday = sunday - timedelta(days=2)
    easter_monday = sunday + timedelta(days=1)
    assert good_friday.weekday() == 4
    assert CAL.holiday_name(good_friday) == "Good Friday"
    assert CAL.holiday_name(easter_monday) == "Easter Monday"
    assert not CAL.is_working_day(good_friday)
    assert not CAL.is_working_day(easter_monday)
    # Maundy Thursday and the Tuesday after are ordinary working days.
    assert CAL.is_working_day(good_friday - timedelta(days=1))
    assert CAL.is_working_day(easter_monday + timedelta(days=1))


# --- Christmas, New Year and substitute days --------------------------------------------------


@pytest.mark.parametrize(
    ("day", "name", "kind"),
    [
        (date(2010, 12, 27), "Christmas Day (substitute day)", HolidayKind.SUBSTITUTE),
        (date(2010, 12, 28), "Boxing Day (substitute day)", HolidayKind.SUBSTITUTE),
        (date(2011, 1, 3), "New Year's Day (substitute day)", HolidayKind.SUBSTITUTE),
        (date(2011, 12, 26), "Boxing Day", HolidayKind.STANDARD),
        (date(2011, 12, 27), "Christmas Day (substitute day)", HolidayKind.SUBSTITUTE),
        (date(2015, 12, 28), "Boxing Day (substitute day)", HolidayKind.SUBSTITUTE),
        (date(2016, 12, 26), "Boxing Day", HolidayKind.STANDARD),
        (date(2016, 12, 27), "Christmas Day (substitute day)", HolidayKind.SUBSTITUTE),
        (date(2017, 1, 2), "New Year's Day (substitute day)", HolidayKind.SUBSTITUTE),
        (date(2020, 12, 28), "Boxing Day (substitute day)", HolidayKind.SUBSTITUTE),
        (date(2021, 12, 27), "Christmas Day (substitute day)", HolidayKind.SUBSTITUTE),
        (date(2021, 12, 28), "Boxing Day (substitute day)", HolidayKind.SUBSTITUTE),
        (date(2022, 1, 3), "New Year's Day (substitute day)", HolidayKind.SUBSTITUTE),
        (date(2022, 12, 26), "Boxing Day", HolidayKind.STANDARD),
        (date(2022, 12, 27), "Christmas Day (substitute day)", HolidayKind.SUBSTITUTE),
        (date(2026, 12, 28), "Boxing Day (substitute day)", HolidayKind.SUBSTITUTE),
        (date(2027, 12, 27), "Christmas Day (substitute day)", HolidayKind.SUBSTITUTE),
        (date(2027, 12, 28), "Boxing Day (substitute day)", HolidayKind.SUBSTITUTE),
        (date(2028, 1, 3), "New Year's Day (substitute day)", HolidayKind.SUBSTITUTE),
    ],
)
def test_christmas_and_new_year_substitutes(day: date, name: str, kind: HolidayKind) -> None:
    holiday = CAL.holiday(day)
    assert holiday == BankHoliday(day, name, kind)
    assert not CAL.is_working_day(day)
    assert not CAL.is_projected(day)


@pytest.mark.parametrize(
    "day",
    [
        date(2010, 12, 29),  # the day after two substitutes
        date(2011, 12, 28),
        date(2016, 12, 28),
        date(2021, 12, 29),
        date(2022, 12, 28),
        date(2027, 12, 29),
        date(2011, 1, 4),
        date(2022, 1, 4),
    ],
)
def test_day_after_substitutes_is_a_working_day(day: date) -> None:
    assert CAL.is_working_day(day)
    assert CAL.holiday_name(day) is None


def test_la_christmas_closure_days_are_working_days() -> None:
    for day in (date(2025, 12, 24), date(2025, 12, 29), date(2025, 12, 30), date(2025, 12, 31)):
        assert CAL.is_working_day(day), day


# --- One-off and moved days -------------------------------------------------------------------


@pytest.mark.parametrize(("day", "name"), ONE_OFF_DAYS)
def test_one_off_days(day: date, name: str) -> None:
    assert CAL.holiday(day) == BankHoliday(day, name, HolidayKind.ONE_OFF)
    assert not CAL.is_working_day(day)


@pytest.mark.parametrize("day", sorted(d for days in DISPLACED_DAYS.values() for d in days))
def test_usual_day_of_a_moved_holiday_is_a_working_day(day: date) -> None:
    assert day.weekday() == 0
    assert CAL.is_working_day(day)


# --- Weekends and the and/or bug --------------------------------------------------------------


def test_weekends_are_not_working_days() -> None:
    assert not CAL.is_working_day(date(2025, 3, 8))  # Saturday
    assert not CAL.is_working_day(date(2025, 3, 9))  # Sunday
    assert CAL.is_working_day(date(2025, 3, 7))  # Friday
    assert CAL.is_working_day(date(2025, 3, 10))  # Monday


def test_not_holiday_or_not_weekend_bug_is_absent() -> None:
    """``not is_bank_holiday(d) or not is_weekend(d)`` calls both of these working days."""
    saturday_christmas = date(2021, 12, 25)  # Saturday; substitute on Monday 27th
    monday_substitute = date(2021, 12, 27)
    weekday_holiday = date(2024, 5, 6)  # Monday, early May bank holiday

    def buggy(d: date) -> bool:
        return not CAL.is_bank_holiday(d) or not d.weekday() >= 5

    for day in (saturday_christmas, monday_substitute, weekday_holiday):
        assert buggy(day), f"the buggy version should wrongly accept {day}"
        assert not CAL.is_working_day(day), day


# --- The day-0 convention ---------------------------------------------------------------------


def test_contact_before_easter_one_working_day_is_the_tuesday() -> None:
    maundy_thursday = date(2025, 4, 17)
    assert maundy_thursday.weekday() == 3
    assert CAL.add_working_days(maundy_thursday, 1) == date(2025, 4, 22)
    assert CAL.next_working_day(maundy_thursday) == date(2025, 4, 22)


@pytest.mark.parametrize(
    "trigger",
    [date(2025, 4, 18), date(2025, 4, 19), date(2025, 4, 20), date(2025, 4, 21)],
)
def test_trigger_on_a_non_working_day_is_still_day_zero(trigger: date) -> None:
    assert CAL.add_working_days(trigger, 1) == date(2025, 4, 22)
    assert CAL.add_working_days(trigger, 2) == date(2025, 4, 23)
    assert CAL.working_days_between(trigger, date(2025, 4, 22)) == 1


def test_zero_working_days_is_the_trigger_day_itself() -> None:
    saturday = date(2025, 3, 8)
    assert CAL.add_working_days(saturday, 0) == saturday
    assert CAL.working_days_between(saturday, saturday) == 0
    assert CAL.working_day_on_or_after(saturday) == date(2025, 3, 10)
    assert CAL.working_day_on_or_after(date(2025, 3, 10)) == date(2025, 3, 10)


def test_icpc_within_15_working_days_of_strategy_discussion() -> None:
    strategy = date(2025, 1, 8)  # Wednesday
    deadline = CAL.add_working_days(strategy, 15)
    assert deadline == date(2025, 1, 29)
    assert CAL.working_days_between(strategy, deadline) == 15


def test_friday_plus_one_is_monday() -> None:
    assert CAL.add_working_days(date(2025, 3, 7), 1) == date(2025, 3, 10)
    assert CAL.working_days_between(date(2025, 3, 7), date(2025, 3, 10)) == 1


@pytest.mark.parametrize(
    ("start", "expected", "weekdays_only"),
    [
        # Christmas 2024 on a Wednesday; 1 January is a Wednesday too.
        (date(2024, 11, 25), date(2025, 1, 30), date(2025, 1, 27)),
        # Christmas 2021 on a Saturday: 27 and 28 December and 3 January are substitutes.
        (date(2021, 11, 29), date(2022, 2, 3), date(2022, 1, 31)),
    ],
)
def test_45_working_days_across_christmas(start: date, expected: date, weekdays_only: date) -> None:
    assert CAL.add_working_days(start, 45) == expected
    assert CAL.working_days_between(start, expected) == 45
    # Forgetting the three bank holidays would end three working days too early.
    assert naive_weekdays_end(start, 45) == weekdays_only


def naive_weekdays_end(start: date, n: int) -> date:
    """Add ``n`` weekdays ignoring bank holidays (what a calendar without holidays gives)."""
    d = start
    while n:
        d += timedelta(days=1)
        if d.weekday() < 5:
            n -= 1
    return d


@pytest.mark.parametrize(
    ("start", "authorised", "working_days"),
    [
        # Easter, early May, the coronation and the spring bank holiday in 2023.
        (date(2023, 4, 3), date(2023, 6, 5), 40),
        # Spring bank holiday moved to 2 June 2022 and the platinum jubilee on 3 June.
        (date(2022, 5, 23), date(2022, 6, 10), 12),
        # The 2012 diamond jubilee: 28 May was a working day, 4 and 5 June were not.
        (date(2012, 5, 25), date(2012, 6, 8), 8),
        # A whole year: 2019 had 261 weekdays (it began on a Tuesday) less 8 holidays.
        (date(2018, 12, 31), date(2019, 12, 31), 253),
        # 2022: 260 weekdays less 10 holidays (8 usual, one moved, plus jubilee and funeral).
        (date(2021, 12, 31), date(2022, 12, 30), 250),
    ],
)
def test_known_assessment_durations(start: date, authorised: date, working_days: int) -> None:
    assert CAL.working_days_between(start, authorised) == working_days
    assert CAL.add_working_days(start, working_days) == authorised


# --- Negative counts and the round trip -------------------------------------------------------


def test_negative_working_days_go_backwards() -> None:
    assert CAL.add_working_days(date(2025, 4, 22), -1) == date(2025, 4, 17)
    assert CAL.working_days_between(date(2025, 4, 22), date(2025, 4, 17)) == -1
    assert CAL.add_working_days(date(2025, 3, 10), -1) == date(2025, 3, 7)
    assert CAL.working_days_between(date(2025, 3, 10), date(2025, 3, 3)) == -5


@pytest.mark.parametrize(
    "start",
    [
        date(2025, 3, 5),  # ordinary Wednesday
        date(2025, 3, 8),  # Saturday
        date(2025, 4, 18),  # Good Friday
        date(2024, 12, 24),  # Christmas Eve
        date(2022, 6, 2),  # moved spring bank holiday
        date(2028, 12, 20),  # runs into projected 2029
    ],
)
def test_round_trip_for_every_n(start: date) -> None:
    for n in range(-70, 71):
        end = CAL.add_working_days(start, n)
        assert CAL.working_days_between(start, end) == n, (start, n, end)
        if n:
            assert CAL.is_working_day(end)


def test_fast_count_agrees_with_day_by_day_count() -> None:
    anchors = [date(2008, 11, 3), date(2011, 12, 20), date(2020, 5, 1), date(2028, 12, 1)]
    for start in anchors:
        for span in (-400, -45, -7, -1, 0, 1, 2, 6, 30, 45, 200, 800):
            end = start + timedelta(days=span)
            expected = naive_working_days_between(CAL, start, end)
            assert CAL.working_days_between(start, end) == expected, (start, end)


def test_indexed_lookup_agrees_with_stepping_day_by_day_at_the_index_edges() -> None:
    """add_working_days looks dates up in an index of the data's years and ten beyond; at
    and across both ends of it the answer is the one testing each day in turn gives."""
    first, last = CAL.covered_range
    low = date(first.year, 1, 1)
    high = date(last.year + INDEXED_YEARS_BEYOND_DATA, 12, 31)
    starts = [low - timedelta(days=3), low, low + timedelta(days=2), date(2020, 12, 24)]
    starts += [high - timedelta(days=4), high, high + timedelta(days=1), high + timedelta(days=40)]
    for start in starts:
        for n in (-30, -5, -1, 1, 2, 5, 45, 300):
            naive = CAL._step_working_days(start, n)
            assert CAL.add_working_days(start, n) == naive, (start, n)


# --- Projection beyond the data -----------------------------------------------------------------


def test_projection_reproduces_the_data_for_years_without_one_offs() -> None:
    one_off_years: set[int] = set()
    for year in range(2009, 2029):
        listed = set(CAL.holidays_in_year(year))
        projected = {
            BankHoliday(h.day, h.name, h.kind) for h in projected_holidays(year)
        }  # compare without the projected flag
        one_offs = {h for h in listed if h.kind is HolidayKind.ONE_OFF}
        if not one_offs:
            assert listed == projected, year
            continue
        one_off_years.add(year)
        assert listed - one_offs <= projected, year
        assert {h.day for h in projected - listed} == DISPLACED_DAYS.get(year, set()), year
    assert one_off_years == {2011, 2012, 2020, 2022, 2023}


def test_projection_every_year_has_eight_weekday_holidays() -> None:
    for year in range(1990, 2100):
        holidays = projected_holidays(year)
        assert len(holidays) == 8, year
        assert all(h.day.weekday() < 5 and h.day.year == year for h in holidays), year
        assert all(h.projected for h in holidays)


def test_dates_beyond_coverage_are_projected() -> None:
    assert not CAL.is_projected(date(2009, 1, 1))
    assert not CAL.is_projected(date(2028, 12, 31))
    assert CAL.is_projected(date(2008, 12, 31))
    assert CAL.is_projected(date(2029, 1, 1))
    christmas_2029 = CAL.holiday(date(2029, 12, 25))
    assert christmas_2029 == BankHoliday(
        date(2029, 12, 25), "Christmas Day", HolidayKind.STANDARD, projected=True
    )
    assert not CAL.is_working_day(date(2029, 5, 7))  # first Monday in May 2029
    assert CAL.is_working_day(date(2029, 5, 8))
    assert not CAL.is_working_day(date(2008, 8, 25))  # summer bank holiday 2008


@pytest.mark.parametrize(
    ("year", "substitutes"),
    [
        # Christmas on a Saturday: Monday 27 and Tuesday 28.
        (2032, {date(2032, 12, 27), date(2032, 12, 28)}),
        # Christmas on a Sunday: Boxing Day on Monday, Christmas substitute on Tuesday.
        (2033, {date(2033, 12, 27)}),
        # Christmas on a Friday: Boxing Day substitute on Monday 28.
        (2037, {date(2037, 12, 28)}),
        # New Year's Day on a Saturday (2033) and on a Sunday (2034).
        (2034, {date(2034, 1, 2)}),
    ],
)
def test_projected_substitute_days(year: int, substitutes: set[date]) -> None:
    found = {h.day for h in projected_holidays(year) if h.kind is HolidayKind.SUBSTITUTE}
    assert found >= substitutes
    for day in substitutes:
        assert not CAL.is_working_day(day)
        assert CAL.is_projected(day)


def test_projected_new_year_on_saturday() -> None:
    assert CAL.holiday_name(date(2033, 1, 3)) == "New Year's Day (substitute day)"
    assert CAL.is_working_day(date(2033, 1, 4))


# --- Building calendars -----------------------------------------------------------------------


def _small(holidays: list[BankHoliday]) -> WorkingDayCalendar:
    return WorkingDayCalendar(holidays, (date(2030, 1, 1), date(2030, 12, 31)))


def test_constructor_rejects_bad_rows() -> None:
    with pytest.raises(ValueError, match="weekend"):
        _small([BankHoliday(date(2030, 1, 5), "Saturday", HolidayKind.ONE_OFF)])
    with pytest.raises(ValueError, match="twice"):
        _small(
            [
                BankHoliday(date(2030, 1, 1), "A", HolidayKind.STANDARD),
                BankHoliday(date(2030, 1, 1), "B", HolidayKind.STANDARD),
            ]
        )
    with pytest.raises(ValueError, match="outside the coverage"):
        _small([BankHoliday(date(2031, 1, 1), "Later", HolidayKind.STANDARD)])
    with pytest.raises(ValueError, match="starts after it ends"):
        WorkingDayCalendar([], (date(2031, 1, 1), date(2030, 1, 1)))


def test_from_csv_requires_coverage_and_columns() -> None:
    with pytest.raises(ValueError, match="coverage"):
        WorkingDayCalendar.from_csv("date,name,kind\n2030-01-01,New Year's Day,standard\n")
    with pytest.raises(ValueError, match="columns"):
        WorkingDayCalendar.from_csv("# coverage: 2030-01-01 to 2030-12-31\nday,name\n")
    with pytest.raises(ValueError, match="one_offish"):
        WorkingDayCalendar.from_csv(
            "# coverage: 2030-01-01 to 2030-12-31\ndate,name,kind\n2030-06-03,X,one_offish\n"
        )


def test_local_calendar_only_knows_its_own_one_off_days() -> None:
    cal = WorkingDayCalendar.from_csv(
        "# version: test\n# coverage: 2030-01-01 to 2030-12-31\n"
        "date,name,kind\n2030-06-03,Invented day,one_off\n"
    )
    assert cal.version == "test"
    assert not cal.is_working_day(date(2030, 6, 3))
    assert cal.is_working_day(date(2030, 1, 1))  # not listed, and inside coverage
    assert not cal.is_working_day(date(2031, 1, 1))  # projected


# --- Calendar arithmetic ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2023, 8, 31), 6, date(2024, 2, 29)),
        (date(2024, 8, 31), 6, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2024, 5, 31), 1, date(2024, 6, 30)),
        (date(2024, 11, 30), 3, date(2025, 2, 28)),
        (date(2024, 12, 15), 1, date(2025, 1, 15)),
        (date(2025, 1, 15), -1, date(2024, 12, 15)),
        (date(2024, 7, 10), 0, date(2024, 7, 10)),
        (date(2024, 10, 31), 2, date(2024, 12, 31)),
    ],
)
def test_add_calendar_months_clamps_to_month_end(start: date, months: int, expected: date) -> None:
    assert add_calendar_months(start, months) == expected


def test_add_weeks_and_days() -> None:
    assert add_weeks(date(2025, 1, 1), 6) == date(2025, 2, 12)
    assert add_weeks(date(2024, 2, 22), 1) == date(2024, 2, 29)
    assert add_weeks(date(2025, 1, 1), -1) == date(2024, 12, 25)
    assert add_days(date(2024, 2, 28), 1) == date(2024, 2, 29)
    assert add_days(date(2023, 2, 28), 1) == date(2023, 3, 1)
    assert add_days(date(2025, 1, 1), -1) == date(2024, 12, 31)


# --- Independence from Django -------------------------------------------------------------------


def test_imports_without_django_settings() -> None:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    code = (
        "import sys, caseline.apps.timescales.rules as r; "
        "r.CATALOGUE.get('contact-decision'); "
        "assert 'django' not in sys.modules, 'django was imported'"
    )
    # Fixed arguments: the interpreter running the tests and a literal program.
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
