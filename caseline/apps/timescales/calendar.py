"""Working days in England and Wales, and calendar-date arithmetic for timescales.

Pure Python (standard library only): importable without Django settings.

Working day
    Any day other than a Saturday, a Sunday or an England and Wales bank holiday. "Bank
    holiday" here includes Christmas Day and Good Friday (common-law holidays, as in FOIA
    s10(6)) and every substitute and one-off day. Local-authority Christmas closure days are
    NOT bank holidays: they count as working days for statutory timescales.

Where the dates come from
    ``data/bank_holidays_england_wales.csv``, a versioned table (GOV.UK feed, the Banking and
    Financial Dealings Act 1971 and royal proclamations). For a date outside the table's
    coverage the calendar *projects* the holidays from the usual rules (see
    ``projected_holidays``); ``is_projected(d)`` says when that happened, so a screen can warn
    that a due date may move once the real dates are announced. Projection knows nothing of
    one-off days (jubilees, funerals) or moved days.

Day-0 convention
    The trigger day is day 0, whether or not it is a working day.

    * ``add_working_days(start, n)`` is the n-th working day after ``start``. "Within 15
      working days of the strategy discussion" means on or before
      ``add_working_days(strategy_date, 15)``. A contact on Thursday 17 April 2025 (before
      Easter) with 1 working day is due on Tuesday 22 April 2025.
    * ``working_days_between(start, end)`` counts the working days after ``start`` up to and
      including ``end``: 0 on the same day, negative when ``end`` is before ``start`` (then
      it counts the working days before ``start`` down to and including ``end``). So
      ``working_days_between(s, add_working_days(s, n)) == n`` for every ``n``.

    This matches how the DfE measures assessment duration (working days from the start to
    authorisation, start day not counted). The LA-sector CIN validator
    (data-to-insight ``england_working_days``) instead offsets by ``n - 1`` business days,
    treating a working trigger day as day 1: its cut-off is one working day earlier than
    ours, i.e. ``add_working_days(start, n - 1)``. Use that only to reproduce its checks.

Calendar intervals
    "1 week", "6 weeks", "3 months" and similar use calendar arithmetic, not working days:
    ``add_days``, ``add_weeks`` and ``add_calendar_months``. Months clamp to the end of the
    month: 31 August + 6 months is 28 February, or 29 February in a leap year.
"""

from __future__ import annotations

import bisect
import csv
import functools
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from importlib import resources

__all__ = [
    "BankHoliday",
    "HolidayKind",
    "HolidayYear",
    "WorkingDayCalendar",
    "add_calendar_months",
    "add_days",
    "add_weeks",
    "easter_sunday",
    "england_and_wales",
    "projected_holidays",
]

DATA_PACKAGE = "caseline.apps.timescales"
DATA_FILE = "data/bank_holidays_england_wales.csv"

_ONE_DAY = timedelta(days=1)

# Years after the data's last year that add_working_days answers from its index (projected
# bank holidays, see ``projected_holidays``); later dates are worked out day by day.
INDEXED_YEARS_BEYOND_DATA = 10

_SATURDAY = 5


class HolidayKind(StrEnum):
    """How a bank holiday arose."""

    STANDARD = "standard"
    SUBSTITUTE = "substitute"
    ONE_OFF = "one_off"


class HolidayYear(StrEnum):
    """How sure the calendar is of a year's bank holidays."""

    CONFIRMED = "confirmed"  # in the table, and past or announced
    COMPUTED = "computed"  # in the table, worked out by the usual rules, not yet announced
    PROJECTED = "projected"  # beyond the table: worked out on the fly by the usual rules


@dataclass(frozen=True, slots=True)
class BankHoliday:
    """One bank holiday; ``projected`` is true when it came from the rules, not the data."""

    day: date
    name: str
    kind: HolidayKind
    projected: bool = False


# --- Rules for projection -------------------------------------------------------------------


def easter_sunday(year: int) -> date:
    """Return Easter Sunday (Gregorian calendar; anonymous Meeus/Jones/Butcher algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _first_monday(year: int, month: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=-first.weekday() % 7)


def _last_monday(year: int, month: int) -> date:
    last = _last_day_of_month(year, month)
    return last - timedelta(days=last.weekday())


def _is_weekend(d: date) -> bool:
    return d.weekday() >= _SATURDAY


@functools.cache
def projected_holidays(year: int) -> tuple[BankHoliday, ...]:
    """Return the holidays the usual rules give for ``year``, sorted by date.

    New Year's Day, Good Friday, Easter Monday, the first Monday in May, the last Mondays in
    May and August, Christmas Day and Boxing Day. A holiday falling at a weekend is replaced
    by the next weekday that is not already a holiday (so Christmas on a Saturday gives
    Monday 27 and Tuesday 28 December). One-off and moved days are not projected.
    """
    easter = easter_sunday(year)
    usual = [
        (date(year, 1, 1), "New Year's Day"),
        (easter - timedelta(days=2), "Good Friday"),
        (easter + _ONE_DAY, "Easter Monday"),
        (_first_monday(year, 5), "Early May bank holiday"),
        (_last_monday(year, 5), "Spring bank holiday"),
        (_last_monday(year, 8), "Summer bank holiday"),
        (date(year, 12, 25), "Christmas Day"),
        (date(year, 12, 26), "Boxing Day"),
    ]
    result = [
        BankHoliday(d, name, HolidayKind.STANDARD, projected=True)
        for d, name in usual
        if not _is_weekend(d)
    ]
    taken = {h.day for h in result}
    for d, name in usual:
        if not _is_weekend(d):
            continue
        substitute = d
        while _is_weekend(substitute) or substitute in taken:
            substitute += _ONE_DAY
        taken.add(substitute)
        result.append(
            BankHoliday(
                substitute, f"{name} (substitute day)", HolidayKind.SUBSTITUTE, projected=True
            )
        )
    return tuple(sorted(result, key=lambda h: h.day))


# --- Calendar arithmetic --------------------------------------------------------------------


def _last_day_of_month(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - _ONE_DAY


def add_days(d: date, n: int) -> date:
    """Return ``d`` plus ``n`` calendar days."""
    return d + timedelta(days=n)


def add_weeks(d: date, n: int) -> date:
    """Return ``d`` plus ``n`` weeks (7 calendar days each)."""
    return d + timedelta(weeks=n)


def add_calendar_months(d: date, n: int) -> date:
    """Return ``d`` plus ``n`` calendar months, clamped to the last day of a short month.

    31 Aug 2023 + 6 months is 29 Feb 2024; 31 Aug 2024 + 6 months is 28 Feb 2025.
    """
    month_index = d.year * 12 + (d.month - 1) + n
    year, month0 = divmod(month_index, 12)
    last = _last_day_of_month(year, month0 + 1)
    return last if d.day > last.day else date(year, month0 + 1, d.day)


# --- The calendar ---------------------------------------------------------------------------


def _weekdays_through(d: date) -> int:
    """Count Mondays to Fridays from 1 January of year 1 (a Monday) up to and including ``d``."""
    weeks, rest = divmod(d.toordinal(), 7)
    return weeks * 5 + min(rest, 5)


class WorkingDayCalendar:
    """Working days for one jurisdiction: a table of holidays plus projection beyond it.

    Build one with ``from_csv`` (or use ``england_and_wales()``). See the module docstring
    for the day-0 convention.
    """

    def __init__(
        self,
        holidays: Iterable[BankHoliday],
        covered_range: tuple[date, date],
        *,
        version: str = "",
        confirmed_range: tuple[date, date] | None = None,
    ) -> None:
        """Check and index ``holidays``, which must all fall inside ``covered_range``.

        ``confirmed_range`` is the part of the coverage whose dates are past or announced, in
        whole years; the rest of the coverage is computed. None means all of it is confirmed.
        """
        first, last = covered_range
        if first > last:
            raise ValueError(f"Coverage starts after it ends: {first} > {last}.")
        confirmed = confirmed_range or covered_range
        if not first <= confirmed[0] <= confirmed[1] <= last:
            raise ValueError(f"The confirmed years {confirmed} must lie within the coverage.")
        by_day: dict[date, BankHoliday] = {}
        for holiday in holidays:
            if not first <= holiday.day <= last:
                raise ValueError(f"{holiday.day} is outside the coverage {first} to {last}.")
            if _is_weekend(holiday.day):
                raise ValueError(f"{holiday.day} ({holiday.name}) falls at a weekend.")
            if holiday.day in by_day:
                raise ValueError(f"{holiday.day} is listed twice.")
            by_day[holiday.day] = holiday
        self._covered_range = (first, last)
        self._confirmed_years = (confirmed[0].year, confirmed[1].year)
        self._version = version
        self._listed = by_day
        self._year_cache: dict[int, tuple[BankHoliday, ...]] = {}
        self._working_ordinals: list[int] | None = None

    @classmethod
    def from_csv(cls, text: str) -> WorkingDayCalendar:
        """Parse the CSV format of ``data/bank_holidays_england_wales.csv``.

        Header comments (``#``) must give ``coverage: YYYY-MM-DD to YYYY-MM-DD`` and may give
        ``version: ...`` and ``confirmed: YYYY-MM-DD to YYYY-MM-DD`` (the years announced or
        past; without it, the whole coverage); then a ``date,name,kind`` header row and one
        row per holiday.
        """
        meta: dict[str, str] = {}
        body: list[str] = []
        for line in text.splitlines():
            if line.startswith("#"):
                key, sep, value = line.lstrip("# ").partition(":")
                if sep and key in {"version", "coverage", "confirmed"}:
                    meta[key] = value.strip()
            elif line.strip():
                body.append(line)
        if "coverage" not in meta:
            raise ValueError("The holiday file has no '# coverage: <from> to <to>' line.")
        covered = _date_range(meta["coverage"])
        confirmed = _date_range(meta["confirmed"]) if "confirmed" in meta else None
        reader = csv.DictReader(io.StringIO("\n".join(body)))
        if reader.fieldnames != ["date", "name", "kind"]:
            raise ValueError(f"Unexpected columns {reader.fieldnames}; want date,name,kind.")
        holidays = [
            BankHoliday(date.fromisoformat(row["date"]), row["name"], HolidayKind(row["kind"]))
            for row in reader
        ]
        return cls(holidays, covered, version=meta.get("version", ""), confirmed_range=confirmed)

    @property
    def covered_range(self) -> tuple[date, date]:
        """First and last dates the data file covers (inclusive)."""
        return self._covered_range

    @property
    def version(self) -> str:
        """The data file's version string."""
        return self._version

    def is_projected(self, d: date) -> bool:
        """Return True if ``d`` is outside the data's coverage, so its status is projected."""
        first, last = self._covered_range
        return not first <= d <= last

    def year_status(self, year: int) -> HolidayYear:
        """Whether the year's bank holidays are confirmed, computed in the table or projected."""
        first, last = self._covered_range
        if not first.year <= year <= last.year:
            return HolidayYear.PROJECTED
        low, high = self._confirmed_years
        return HolidayYear.CONFIRMED if low <= year <= high else HolidayYear.COMPUTED

    def is_confirmed(self, d: date) -> bool:
        """Return True if the bank holidays of ``d``'s year are past or announced."""
        return self.year_status(d.year) is HolidayYear.CONFIRMED

    def unconfirmed_years(self, start: date, end: date) -> tuple[int, ...]:
        """The years from ``start`` to ``end`` (either order) whose bank holidays are not
        confirmed: a count of working days across them may change once they are announced."""
        low, high = sorted((start.year, end.year))
        return tuple(
            year
            for year in range(low, high + 1)
            if self.year_status(year) is not HolidayYear.CONFIRMED
        )

    def unconfirmed_note(self, years: Iterable[int]) -> str:
        """A short note for a date that rests on these unconfirmed years, e.g. "bank holidays
        for 2027 not yet confirmed" (empty when there are none)."""
        ahead = sorted(y for y in set(years) if y > self._confirmed_years[1])
        behind = sorted(y for y in set(years) if y < self._confirmed_years[0])
        notes = []
        if ahead:
            notes.append(f"bank holidays for {_years_text(ahead)} not yet confirmed")
        if behind:
            notes.append(f"bank holidays for {_years_text(behind)} worked out by rule")
        return "; ".join(notes)

    def holidays_in_year(self, year: int) -> tuple[BankHoliday, ...]:
        """Return the year's holidays, sorted: listed ones, plus projected ones outside coverage."""
        cached = self._year_cache.get(year)
        if cached is None:
            listed = [h for h in self._listed.values() if h.day.year == year]
            projected = [h for h in projected_holidays(year) if self.is_projected(h.day)]
            cached = tuple(sorted(listed + projected, key=lambda h: h.day))
            self._year_cache[year] = cached
        return cached

    def holiday(self, d: date) -> BankHoliday | None:
        """Return the bank holiday on ``d``, or None."""
        if not self.is_projected(d):
            return self._listed.get(d)
        for candidate in self.holidays_in_year(d.year):
            if candidate.day == d:
                return candidate
        return None

    def holiday_name(self, d: date) -> str | None:
        """Return the name of the bank holiday on ``d``, or None."""
        found = self.holiday(d)
        return found.name if found else None

    def is_bank_holiday(self, d: date) -> bool:
        """Return True if ``d`` is a bank holiday (listed or projected)."""
        return self.holiday(d) is not None

    def is_working_day(self, d: date) -> bool:
        """Return True unless ``d`` is a Saturday, a Sunday or a bank holiday."""
        return not _is_weekend(d) and not self.is_bank_holiday(d)

    def next_working_day(self, d: date) -> date:
        """Return the first working day strictly after ``d``."""
        return self.add_working_days(d, 1)

    def working_day_on_or_after(self, d: date) -> date:
        """Return ``d`` if it is a working day, else the next working day."""
        return d if self.is_working_day(d) else self.next_working_day(d)

    def add_working_days(self, start: date, n: int) -> date:
        """Return the n-th working day after ``start`` (before it if ``n`` < 0; ``start`` if 0)."""
        if n == 0:
            return start
        days = self._indexed_working_days()
        # Inside the indexed years, look the answer up; outside them, step day by day.
        if days[0] <= start.toordinal() <= days[-1]:
            if n > 0:
                index = bisect.bisect_right(days, start.toordinal()) + n - 1
            else:
                index = bisect.bisect_left(days, start.toordinal()) + n
            if 0 <= index < len(days):
                return date.fromordinal(days[index])
        return self._step_working_days(start, n)

    def _indexed_working_days(self) -> list[int]:
        """Every working day (as an ordinal) from the start of the data's first year to the
        end of the tenth year after its last, in order; built once. Pages work out thousands
        of due dates, and a lookup here is far cheaper than testing each day in turn."""
        if self._working_ordinals is None:
            first, last = self._covered_range
            low = date(first.year, 1, 1).toordinal()
            high = date(last.year + INDEXED_YEARS_BEYOND_DATA, 12, 31).toordinal()
            self._working_ordinals = [
                day for day in range(low, high + 1) if self.is_working_day(date.fromordinal(day))
            ]
        return self._working_ordinals

    def _step_working_days(self, start: date, n: int) -> date:
        """``add_working_days`` by testing each day in turn (outside the indexed years)."""
        step = _ONE_DAY if n > 0 else -_ONE_DAY
        current = start
        for _ in range(abs(n)):
            current += step
            while not self.is_working_day(current):
                current += step
        return current

    def working_days_between(self, start: date, end: date) -> int:
        """Count working days after ``start`` up to and including ``end``.

        0 when they are the same day. When ``end`` is before ``start`` the result is minus the
        number of working days from ``end`` (inclusive) to ``start`` (exclusive).
        """
        if end < start:
            return -self._count_working_days(end, start - _ONE_DAY)
        return self._count_working_days(start + _ONE_DAY, end)

    def _count_working_days(self, low: date, high: date) -> int:
        """Count working days from ``low`` to ``high``, both inclusive (0 if high < low)."""
        if high < low:
            return 0
        weekdays = _weekdays_through(high) - _weekdays_through(low - _ONE_DAY)
        holidays = 0
        for year in range(low.year, high.year + 1):
            days = [h.day for h in self.holidays_in_year(year)]
            holidays += bisect.bisect_right(days, high) - bisect.bisect_left(days, low)
        return weekdays - holidays


def _date_range(text: str) -> tuple[date, date]:
    """Parse "YYYY-MM-DD to YYYY-MM-DD"."""
    start_text, _, end_text = text.partition(" to ")
    return date.fromisoformat(start_text.strip()), date.fromisoformat(end_text.strip())


def _years_text(years: list[int]) -> str:
    """ "2027", "2027 and 2028", "2027, 2028 and 2029"."""
    names = [str(year) for year in years]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


@functools.cache
def england_and_wales() -> WorkingDayCalendar:
    """Return the shared England and Wales calendar, loaded once from the packaged data."""
    text = resources.files(DATA_PACKAGE).joinpath(DATA_FILE).read_text(encoding="utf-8")
    return WorkingDayCalendar.from_csv(text)
