"""The timescale rule catalogue, and timeliness evaluation.

Pure Python: importable without Django settings. Dates follow the day-0 convention in
``caseline.apps.timescales.calendar``: the trigger day is day 0, and a timescale is met when
the completing event happens on or before ``rule.due_date(trigger_date)``.

Adding a rule
    Define a ``TimescaleRule`` in the timescales module of the app that owns the process,
    list it in that module's ``RULES``, and the app's record contribution brings them
    (``timescale_rules = timescales.RULES``): registering the contribution in the app's
    ``ready()`` registers them on the module-level ``CATALOGUE`` (``people.contribution``)::

        from caseline.apps.timescales.rules import Basis, Certainty, Interval, TimescaleRule

        ICPC = TimescaleRule(
            code="icpc",
            title="Initial child protection conference",
            trigger="The strategy discussion at which the s47 enquiry was initiated",
            completed_by="The initial child protection conference is held",
            interval=Interval.working_days(15),
            source="Working Together to Safeguard Children 2010, 2013, 2018 and 2023",
            basis=Basis.STATUTORY,
            certainty=Certainty.SECONDARY,
            certainty_note="Seen only in LA procedure manuals quoting WT (DOMAIN.md 1.3).",
        )
        RULES = (ICPC, ...)

    The core rules, the contact decision and the single assessment, are registered here.
    ``register`` refuses a code that another rule already has. Codes are lower-case words
    joined by hyphens and never change once used (stored records refer to them).

Honesty about sources
    ``certainty`` mirrors DOMAIN.md's marks: CHECKED (✔, checked against legislation, DfE or
    Ofsted text), SECONDARY (◐, seen only in secondary sources) and UNCHECKED (○, from
    memory). Any rule that is not CHECKED must say what is uncertain in ``certainty_note``;
    an UNCHECKED rule says "not checked" there in so many words.

Statutory rules and local standards
    ``basis`` separates STATUTORY timescales (legislation or statutory guidance) from
    LOCAL_STANDARD ones (a council's own practice standard, such as CP visit frequency).
    For a local standard, ``interval`` is the default shipped with Caseline; an
    administrator's setting is applied with ``rule.with_override(interval)``, which returns a
    copy whose ``effective_interval`` is the override and leaves ``interval`` as the default.
    Statutory rules refuse overrides. Persisting overrides is for the Django layer.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from caseline.apps.timescales.calendar import (
    WorkingDayCalendar,
    add_calendar_months,
    add_days,
    add_weeks,
    england_and_wales,
)

__all__ = [
    "CATALOGUE",
    "CONTACT_DECISION",
    "SINGLE_ASSESSMENT",
    "Basis",
    "Certainty",
    "Interval",
    "IntervalUnit",
    "RuleCatalogue",
    "Timeliness",
    "TimelinessStatus",
    "TimescaleRule",
    "assess_timeliness",
    "format_date",
]

_CODE_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def format_date(d: date) -> str:
    """Format a date in GOV.UK style, e.g. "3 March 2025" (independent of the locale)."""
    return f"{d.day} {_MONTH_NAMES[d.month - 1]} {d.year}"


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


# --- Intervals ------------------------------------------------------------------------------


class IntervalUnit(StrEnum):
    """The unit a timescale is measured in."""

    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    WEEKS = "weeks"
    MONTHS = "months"


_UNIT_WORDS: dict[IntervalUnit, tuple[str, str]] = {
    IntervalUnit.WORKING_DAYS: ("working day", "working days"),
    IntervalUnit.CALENDAR_DAYS: ("day", "days"),
    IntervalUnit.WEEKS: ("week", "weeks"),
    IntervalUnit.MONTHS: ("month", "months"),
}


@dataclass(frozen=True, slots=True)
class Interval:
    """A length of time such as "1 working day" or "6 months", counted from day 0."""

    unit: IntervalUnit
    count: int

    def __post_init__(self) -> None:
        """Refuse negative lengths: timescales run forwards from their trigger."""
        if self.count < 0:
            raise ValueError(f"An interval cannot be negative: {self.count}.")

    @classmethod
    def working_days(cls, count: int) -> Interval:
        """Return an interval of ``count`` working days."""
        return cls(IntervalUnit.WORKING_DAYS, count)

    @classmethod
    def calendar_days(cls, count: int) -> Interval:
        """Return an interval of ``count`` calendar days."""
        return cls(IntervalUnit.CALENDAR_DAYS, count)

    @classmethod
    def weeks(cls, count: int) -> Interval:
        """Return an interval of ``count`` weeks."""
        return cls(IntervalUnit.WEEKS, count)

    @classmethod
    def months(cls, count: int) -> Interval:
        """Return an interval of ``count`` calendar months (clamped at month end)."""
        return cls(IntervalUnit.MONTHS, count)

    @property
    def description(self) -> str:
        """Plain-English length, e.g. "1 working day" or "45 working days"."""
        singular, plural = _UNIT_WORDS[self.unit]
        return _plural(self.count, singular, plural)

    def __str__(self) -> str:
        """Return the plain-English description."""
        return self.description

    def due_date(self, from_date: date, calendar: WorkingDayCalendar) -> date:
        """Return the last day that meets this interval, counting ``from_date`` as day 0."""
        match self.unit:
            case IntervalUnit.WORKING_DAYS:
                return calendar.add_working_days(from_date, self.count)
            case IntervalUnit.CALENDAR_DAYS:
                return add_days(from_date, self.count)
            case IntervalUnit.WEEKS:
                return add_weeks(from_date, self.count)
            case IntervalUnit.MONTHS:
                return add_calendar_months(from_date, self.count)


# --- Rules ----------------------------------------------------------------------------------


class Basis(StrEnum):
    """Whether a timescale is set nationally or by the local authority."""

    STATUTORY = "statutory"
    LOCAL_STANDARD = "local_standard"


class Certainty(StrEnum):
    """How well the rule's source has been checked (DOMAIN.md's ✔ ◐ ○ marks)."""

    CHECKED = "checked"
    SECONDARY = "secondary"
    UNCHECKED = "unchecked"

    @property
    def mark(self) -> str:
        """The DOMAIN.md mark for this level."""
        return _CERTAINTY_MARKS[self]


_CERTAINTY_MARKS = {
    Certainty.CHECKED: "\N{HEAVY CHECK MARK}",
    Certainty.SECONDARY: "\N{CIRCLE WITH LEFT HALF BLACK}",
    Certainty.UNCHECKED: "\N{WHITE CIRCLE}",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class TimescaleRule:
    """One timescale: what starts the clock, what stops it, how long, and on whose authority.

    ``interval`` is the catalogue's (default) interval. ``override`` holds a local
    administrator's setting for a LOCAL_STANDARD rule; use ``with_override`` to set it and
    ``effective_interval`` to read the one in force.
    """

    code: str
    title: str
    trigger: str
    completed_by: str
    interval: Interval
    source: str
    basis: Basis
    certainty: Certainty
    certainty_note: str = ""
    notes: str = ""
    override: Interval | None = None

    def __post_init__(self) -> None:
        """Check the code's form, the certainty note and that overrides are local-only."""
        if not _CODE_PATTERN.fullmatch(self.code):
            raise ValueError(f"Rule code {self.code!r} must be lower-case words and hyphens.")
        if self.certainty is not Certainty.CHECKED and not self.certainty_note.strip():
            raise ValueError(f"Rule {self.code!r} is not CHECKED, so it needs a certainty_note.")
        if self.override is not None and self.basis is Basis.STATUTORY:
            raise ValueError(f"Rule {self.code!r} is statutory; it cannot be overridden locally.")

    @property
    def effective_interval(self) -> Interval:
        """The interval in force: the local override if set, else the default."""
        return self.override if self.override is not None else self.interval

    @property
    def default_interval(self) -> Interval:
        """The catalogue's interval, whatever override is in force."""
        return self.interval

    def with_override(self, interval: Interval | None) -> TimescaleRule:
        """Return a copy with a local override (None restores the default)."""
        return dataclasses.replace(self, override=interval)

    def due_date(self, trigger_date: date, calendar: WorkingDayCalendar | None = None) -> date:
        """Return the last date that meets the timescale (the trigger day is day 0)."""
        return self.effective_interval.due_date(trigger_date, calendar or england_and_wales())


class RuleCatalogue:
    """A registry of timescale rules keyed by code, in registration order."""

    def __init__(self) -> None:
        """Start empty."""
        self._rules: dict[str, TimescaleRule] = {}

    def register(self, rule: TimescaleRule) -> TimescaleRule:
        """Add ``rule`` and return it; refuse a code that another rule already has.

        Registering the same rule again changes nothing, so an app may register its rules
        whenever its contribution is registered.
        """
        registered = self._rules.setdefault(rule.code, rule)
        if registered != rule:
            raise ValueError(f"A timescale rule with code {rule.code!r} is already registered.")
        return registered

    def get(self, code: str) -> TimescaleRule:
        """Return the rule with ``code``; raise KeyError if there is none."""
        try:
            return self._rules[code]
        except KeyError:
            raise KeyError(f"No timescale rule with code {code!r}.") from None

    def all(self) -> tuple[TimescaleRule, ...]:
        """Return every rule, in registration order."""
        return tuple(self._rules.values())

    def __contains__(self, code: object) -> bool:
        """Return True if a rule with this code is registered."""
        return code in self._rules

    def __len__(self) -> int:
        """Return the number of rules."""
        return len(self._rules)


CATALOGUE = RuleCatalogue()

CONTACT_DECISION = CATALOGUE.register(
    TimescaleRule(
        code="contact-decision",
        title="Decision on a contact or referral",
        trigger="A contact or referral about a child is received by children's social care",
        completed_by=(
            "A social worker acknowledges receipt to the referrer and decides the type of "
            "response needed"
        ),
        interval=Interval.working_days(1),
        source=(
            'Working Together to Safeguard Children 2018, chapter 1, "Referral" and '
            "flow chart 1 (the same wording appears in Keeping Children Safe in Education)"
        ),
        basis=Basis.STATUTORY,
        certainty=Certainty.SECONDARY,
        certainty_note=(
            "Seen in secondary sources only (KCSIE, LA procedure manuals); paragraph number "
            "not found. Check against Working Together 2023 before relying on it."
        ),
        notes="A contact is not a statutory term; the 1 working day runs from receipt.",
    )
)

SINGLE_ASSESSMENT = CATALOGUE.register(
    TimescaleRule(
        code="single-assessment",
        title="Single (child and family) assessment",
        trigger="The point of referral to children's social care",
        completed_by="The assessment is completed and authorised by a manager",
        interval=Interval.working_days(45),
        source=(
            "Working Together to Safeguard Children 2013 onwards (2018 edition, chapter 1): "
            "maximum 45 working days from the point of referral"
        ),
        basis=Basis.STATUTORY,
        certainty=Certainty.SECONDARY,
        certainty_note=(
            "The 45 working days in WT2013 onwards is checked; that WT2023 keeps it is seen "
            "only in secondary sources. That the DfE measures duration from assessment start "
            "is believed, not confirmed (DOMAIN.md section 6, item 2)."
        ),
        notes=(
            "The DfE measures assessment duration from the assessment start date to its "
            "authorisation, not from referral; report both. If an assessment runs past 45 "
            "working days, the reason must be recorded."
        ),
    )
)


# --- Timeliness -----------------------------------------------------------------------------


class TimelinessStatus(StrEnum):
    """Where a timescale stands on a given day."""

    NOT_DUE_YET = "not_due_yet"
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"
    COMPLETED_ON_TIME = "completed_on_time"
    COMPLETED_LATE = "completed_late"


@dataclass(frozen=True, slots=True)
class Timeliness:
    """The result of ``assess_timeliness``."""

    status: TimelinessStatus
    due_date: date
    working_days_late: int
    label: str

    @property
    def is_late(self) -> bool:
        """True if overdue or completed late."""
        return self.status in {TimelinessStatus.OVERDUE, TimelinessStatus.COMPLETED_LATE}

    @property
    def tag_colour(self) -> str:
        """The GOV.UK tag colour for this state; always shown with :attr:`label`, never alone.

        The one place a timeliness gets its colour: ``includes/timeliness_tag.html`` shows it.
        """
        return TAG_COLOURS[self.status]


# One colour per state. Done late is yellow: past, not urgent, unlike orange (due today).
TAG_COLOURS: dict[TimelinessStatus, str] = {
    TimelinessStatus.NOT_DUE_YET: "blue",
    TimelinessStatus.DUE_TODAY: "orange",
    TimelinessStatus.OVERDUE: "red",
    TimelinessStatus.COMPLETED_ON_TIME: "green",
    TimelinessStatus.COMPLETED_LATE: "yellow",
}


def assess_timeliness(
    due: date,
    completed: date | None,
    as_at: date,
    calendar: WorkingDayCalendar | None = None,
) -> Timeliness:
    """Say whether a timescale due on ``due`` is met, pending or missed as at ``as_at``.

    Completing on the due date is on time. A completion after ``as_at`` is ignored, so a
    past date can be assessed as it stood then. ``working_days_late`` counts working days
    after ``due`` up to the completion (or ``as_at``); it can be 0 for something late only
    by a weekend or holiday, e.g. a calendar-month timescale due on a Saturday.
    """
    if calendar is None and (completed is None or completed > as_at):
        return _pending(due, as_at)
    cal = calendar or england_and_wales()
    if completed is not None and completed <= as_at:
        if completed <= due:
            return Timeliness(TimelinessStatus.COMPLETED_ON_TIME, due, 0, "Completed on time")
        late = cal.working_days_between(due, completed)
        label = (
            f"Completed {_plural(late, 'working day', 'working days')} late"
            if late
            else f"Completed late (due {format_date(due)})"
        )
        return Timeliness(TimelinessStatus.COMPLETED_LATE, due, late, label)
    return _pending_on(due, as_at, cal)


# A page of work asks the same (due, as_at) pair many times over; the answer depends on
# nothing else once the shared calendar is loaded, and a Timeliness cannot be changed.
@functools.lru_cache(maxsize=8192)
def _pending(due: date, as_at: date) -> Timeliness:
    return _pending_on(due, as_at, england_and_wales())


def _pending_on(due: date, as_at: date, cal: WorkingDayCalendar) -> Timeliness:
    """Timeliness of work not yet done (or done after ``as_at``)."""
    if as_at < due:
        return Timeliness(TimelinessStatus.NOT_DUE_YET, due, 0, f"Due {format_date(due)}")
    if as_at == due:
        return Timeliness(TimelinessStatus.DUE_TODAY, due, 0, "Due today")
    late = cal.working_days_between(due, as_at)
    label = (
        f"Overdue by {_plural(late, 'working day', 'working days')}"
        if late
        else f"Overdue (due {format_date(due)})"
    )
    return Timeliness(TimelinessStatus.OVERDUE, due, late, label)
