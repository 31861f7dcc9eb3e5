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

    The core rules, the contact decision and the assessments, are registered here.
    ``register`` refuses a code that another rule already has for the same dates. Codes are
    lower-case words joined by hyphens and never change once used (stored records refer to
    them).

The rule in force when it happened
    A rule carries the dates it applies from and to (``applies_from``, ``applies_to``: the
    trigger dates it judges; None is open-ended). When the law changes, the old rule keeps its
    code and gains an ``applies_to``; the new one is registered under the same code with the
    next day as its ``applies_from``. A record is judged by the rule in force on its trigger
    date: ``CATALOGUE.in_force(code, trigger)``. ``CATALOGUE.get(code)`` is the current rule.
    So a first looked-after review of a child looked after in March 2011 is due within 4
    weeks (the 1991 regulations), and one in April 2011 within 20 working days (the 2010
    regulations); an assessment of a referral made before 15 April 2013 is an initial
    assessment (10 working days), one after it a single assessment (45).

Bank holidays not yet confirmed
    ``rule.due_date`` returns a :class:`DueDate`, a date that also says which years of
    unconfirmed bank holidays it rests on (a working-day count across a year the calendar has
    only computed, see ``calendar``), with a short note to show beside it. ``assess_timeliness``
    carries the flag and note into the :class:`Timeliness`; ``includes/due_date.html`` shows a
    due date with its note.

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
    "CORE_ASSESSMENT",
    "INITIAL_ASSESSMENT",
    "SINGLE_ASSESSMENT",
    "Basis",
    "Certainty",
    "DueDate",
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


class DueDate(date):
    """A due date that says whether it rests on bank holidays not yet confirmed.

    It is a ``date`` (compare, format and store it as one). ``unconfirmed_years`` are the years
    whose bank holidays a working-day count to it crossed while they are only computed, and
    ``note`` says so in a few words ("bank holidays for 2027 not yet confirmed"); both are
    empty for a firm date. Arithmetic on it gives a plain date with no note: a day before or
    after a due date is not a due date.
    """

    __slots__ = ("note", "unconfirmed_years")
    unconfirmed_years: tuple[int, ...]
    note: str

    def __new__(
        cls,
        year: int,
        month: int,
        day: int,
        *,
        unconfirmed_years: tuple[int, ...] = (),
        note: str = "",
    ) -> DueDate:
        """A due date of ``year``, ``month`` and ``day``, with its note if it may move."""
        self = super().__new__(cls, year, month, day)
        self.unconfirmed_years = unconfirmed_years
        self.note = note
        return self

    @classmethod
    def of(cls, day: date, unconfirmed_years: tuple[int, ...] = (), note: str = "") -> DueDate:
        """``day`` as a due date, with the unconfirmed years it rests on and their note."""
        return cls(day.year, day.month, day.day, unconfirmed_years=unconfirmed_years, note=note)

    @property
    def holidays_unconfirmed(self) -> bool:
        """True if the date may move when bank holidays are announced."""
        return bool(self.unconfirmed_years)

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle with the note (``date`` would pickle the day alone)."""
        return (_due_date, (self.toordinal(), self.unconfirmed_years, self.note))


def _due_date(ordinal: int, unconfirmed_years: tuple[int, ...], note: str) -> DueDate:
    return DueDate.of(date.fromordinal(ordinal), unconfirmed_years, note)


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

    @property
    def label(self) -> str:
        """The level in words, shown with the mark (which screen readers skip)."""
        return _CERTAINTY_LABELS[self]


_CERTAINTY_MARKS = {
    Certainty.CHECKED: "\N{HEAVY CHECK MARK}",
    Certainty.SECONDARY: "\N{CIRCLE WITH LEFT HALF BLACK}",
    Certainty.UNCHECKED: "\N{WHITE CIRCLE}",
}

_CERTAINTY_LABELS = {
    Certainty.CHECKED: "Checked",
    Certainty.SECONDARY: "Secondary sources only",
    Certainty.UNCHECKED: "Not checked",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class TimescaleRule:
    """One timescale: what starts the clock, what stops it, how long, and on whose authority.

    ``interval`` is the catalogue's (default) interval. ``override`` holds a local
    administrator's setting for a LOCAL_STANDARD rule; use ``with_override`` to set it and
    ``effective_interval`` to read the one in force. ``applies_from`` and ``applies_to`` are
    the first and last trigger dates the rule judges (None: open-ended); ``source`` names the
    regulation and paragraph.
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
    applies_from: date | None = None
    applies_to: date | None = None

    def __post_init__(self) -> None:
        """Check the code's form, the certainty note and that overrides are local-only."""
        if not _CODE_PATTERN.fullmatch(self.code):
            raise ValueError(f"Rule code {self.code!r} must be lower-case words and hyphens.")
        if self.certainty is not Certainty.CHECKED and not self.certainty_note.strip():
            raise ValueError(f"Rule {self.code!r} is not CHECKED, so it needs a certainty_note.")
        if self.override is not None and self.basis is Basis.STATUTORY:
            raise ValueError(f"Rule {self.code!r} is statutory; it cannot be overridden locally.")
        if self.applies_from and self.applies_to and self.applies_from > self.applies_to:
            raise ValueError(f"Rule {self.code!r} stops applying before it starts.")

    def in_force_on(self, day: date) -> bool:
        """True if the rule judges a record whose trigger date is ``day``."""
        return (self.applies_from is None or self.applies_from <= day) and (
            self.applies_to is None or day <= self.applies_to
        )

    @property
    def applies(self) -> str:
        """When the rule applies, in words: "From 1 April 2011", "Until 31 March 2011",
        "From 1 April 2011 to 14 April 2013", or "" when open-ended both ways."""
        start, end = self.applies_from, self.applies_to
        if start and end:
            return f"From {format_date(start)} to {format_date(end)}"
        if start:
            return f"From {format_date(start)}"
        if end:
            return f"Until {format_date(end)}"
        return ""

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

    def due_date(self, trigger_date: date, calendar: WorkingDayCalendar | None = None) -> DueDate:
        """Return the last date that meets the timescale (the trigger day is day 0).

        A count of working days that crosses a year whose bank holidays are not confirmed
        gives a due date that says so (``DueDate.unconfirmed_years`` and ``note``).
        """
        cal = calendar or england_and_wales()
        interval = self.effective_interval
        day = interval.due_date(trigger_date, cal)
        if interval.unit is not IntervalUnit.WORKING_DAYS or interval.count == 0:
            return DueDate.of(day)
        years = cal.unconfirmed_years(trigger_date, day)
        return DueDate.of(day, years, cal.unconfirmed_note(years))


def _starts(rule: TimescaleRule) -> date:
    return rule.applies_from or date.min


def _ends(rule: TimescaleRule) -> date:
    return rule.applies_to or date.max


class RuleCatalogue:
    """A registry of timescale rules keyed by code, in registration order; a code may have
    several versions, each for its own dates (see "The rule in force when it happened")."""

    def __init__(self) -> None:
        """Start empty."""
        self._rules: dict[str, list[TimescaleRule]] = {}

    def register(self, rule: TimescaleRule) -> TimescaleRule:
        """Add ``rule`` and return it; refuse it if a rule with its code already applies to
        any of its dates.

        Registering the same rule again changes nothing, so an app may register its rules
        whenever its contribution is registered.
        """
        versions = self._rules.setdefault(rule.code, [])
        for version in versions:
            if version == rule:
                return version
            if _starts(version) <= _ends(rule) and _starts(rule) <= _ends(version):
                raise ValueError(
                    f"A timescale rule with code {rule.code!r} is already registered for "
                    "some of the same dates."
                )
        versions.append(rule)
        versions.sort(key=_starts)
        return rule

    def get(self, code: str) -> TimescaleRule:
        """Return the current rule with ``code`` (its latest version); raise KeyError if
        there is none."""
        return self.versions(code)[-1]

    def in_force(self, code: str, on: date) -> TimescaleRule | None:
        """The version of the rule with ``code`` that judges a record triggered ``on``; None
        if none applies then (raise KeyError for an unknown code)."""
        for version in self.versions(code):
            if version.in_force_on(on):
                return version
        return None

    def versions(self, code: str) -> tuple[TimescaleRule, ...]:
        """Every version of the rule with ``code``, oldest first; raise KeyError if none."""
        try:
            return tuple(self._rules[code])
        except KeyError:
            raise KeyError(f"No timescale rule with code {code!r}.") from None

    def all(self) -> tuple[TimescaleRule, ...]:
        """Return every current rule (one a code), in registration order."""
        return tuple(versions[-1] for versions in self._rules.values())

    def all_versions(self) -> tuple[TimescaleRule, ...]:
        """Return every rule with its earlier versions, by code in registration order, each
        code's versions oldest first."""
        return tuple(rule for versions in self._rules.values() for rule in versions)

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

# Working Together to Safeguard Children 2013 replaced the initial and core assessments with
# the single assessment for referrals from 15 April 2013 (DOMAIN.md 1.1, seen in secondary
# sources only).
SINGLE_ASSESSMENT_FROM = date(2013, 4, 15)
_BEFORE_SINGLE_ASSESSMENT = date(2013, 4, 14)

INITIAL_ASSESSMENT = CATALOGUE.register(
    TimescaleRule(
        code="single-assessment",
        title="Initial assessment",
        trigger="The point of referral to children's social care (before 15 April 2013)",
        completed_by="The initial assessment is completed",
        interval=Interval.working_days(10),
        source=(
            "Working Together to Safeguard Children 2010, chapter 5 (initial assessment within "
            "a maximum of 10 working days of the referral); replaced by the single assessment "
            "from 15 April 2013"
        ),
        basis=Basis.STATUTORY,
        certainty=Certainty.SECONDARY,
        certainty_note=(
            "Seen only in secondary sources (a council procedure manual, Community Care 2012; "
            "the DfE's statistics to 2013-14 used 10 working days): DOMAIN.md 1.1. The chapter "
            "of Working Together 2010 is from memory, not checked. Unverified: before Working "
            "Together 2010 (March 2010) the 2000 Framework and Working Together 2006 set 7 "
            "working days; Caseline assumes 10 for every referral before 15 April 2013."
        ),
        notes=(
            "The same timescale as the single assessment (same code) for an earlier referral: "
            "the rule in force on the referral date judges the assessment."
        ),
        applies_to=_BEFORE_SINGLE_ASSESSMENT,
    )
)

CORE_ASSESSMENT = CATALOGUE.register(
    TimescaleRule(
        code="core-assessment",
        title="Core assessment",
        trigger="The start of the core assessment (before 15 April 2013)",
        completed_by="The core assessment is completed",
        interval=Interval.working_days(35),
        source=(
            "Framework for the Assessment of Children in Need and their Families (2000) and "
            "Working Together to Safeguard Children 2010 (core assessment within a maximum of "
            "35 working days of its start); replaced by the single assessment from 15 April 2013"
        ),
        basis=Basis.STATUTORY,
        certainty=Certainty.SECONDARY,
        certainty_note=(
            "Seen only in secondary sources (DOMAIN.md 1.1); the paragraph is not checked. "
            "Unverified assumption: Caseline records no kind of assessment, so a later "
            "assessment of a referral made before 15 April 2013 is taken to be its core "
            "assessment (the first is the initial assessment)."
        ),
        notes="A section 47 enquiry was carried out within a core assessment.",
        applies_to=_BEFORE_SINGLE_ASSESSMENT,
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
            "maximum 45 working days from the point of referral; in force from 15 April 2013"
        ),
        basis=Basis.STATUTORY,
        certainty=Certainty.SECONDARY,
        certainty_note=(
            "The 45 working days in WT2013 onwards is checked; that WT2023 keeps it, and the "
            "date WT2013 took effect (15 April 2013), are seen only in secondary sources. That "
            "the DfE measures duration from assessment start is believed, not confirmed "
            "(DOMAIN.md section 6, item 2)."
        ),
        notes=(
            "The DfE measures assessment duration from the assessment start date to its "
            "authorisation, not from referral; report both. If an assessment runs past 45 "
            "working days, the reason must be recorded."
        ),
        applies_from=SINGLE_ASSESSMENT_FROM,
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
    """The result of ``assess_timeliness``.

    ``unconfirmed_years`` and ``due_date_note`` come from a :class:`DueDate`: set when the due
    date rests on bank holidays not yet confirmed, and shown beside the date
    (``includes/due_date.html``).
    """

    status: TimelinessStatus
    due_date: date
    working_days_late: int
    label: str
    unconfirmed_years: tuple[int, ...] = ()
    due_date_note: str = ""

    @property
    def holidays_unconfirmed(self) -> bool:
        """True if the due date may move once the year's bank holidays are announced."""
        return bool(self.unconfirmed_years)

    @property
    def label_with_note(self) -> str:
        """The label, with the due date's note when it has one: for showing the label as text
        where no due date is shown beside it ("Due 7 January 2027 (bank holidays for 2027
        not yet confirmed)")."""
        return f"{self.label} ({self.due_date_note})" if self.due_date_note else self.label

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
    by a weekend or holiday, e.g. a calendar-month timescale due on a Saturday. A
    :class:`DueDate` (``rule.due_date``) that rests on unconfirmed bank holidays gives a
    Timeliness that says so (``unconfirmed_years``, ``due_date_note``).
    """
    years, note = (due.unconfirmed_years, due.note) if isinstance(due, DueDate) else ((), "")
    if calendar is None and (completed is None or completed > as_at):
        return _pending(due, as_at, years, note)
    cal = calendar or england_and_wales()
    return _with_note(_assess(due, completed, as_at, cal), years, note)


def _assess(due: date, completed: date | None, as_at: date, cal: WorkingDayCalendar) -> Timeliness:
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


def _with_note(timeliness: Timeliness, years: tuple[int, ...], note: str) -> Timeliness:
    """``timeliness`` saying its due date rests on these unconfirmed years, if any."""
    if not years:
        return timeliness
    return dataclasses.replace(timeliness, unconfirmed_years=years, due_date_note=note)


# A page of work asks the same (due, as_at) pair many times over; the answer depends on
# nothing else once the shared calendar is loaded, and a Timeliness cannot be changed. The
# due date's note is part of the key: a DueDate equals the plain date of the same day.
@functools.lru_cache(maxsize=8192)
def _pending(due: date, as_at: date, years: tuple[int, ...], note: str) -> Timeliness:
    return _with_note(_pending_on(due, as_at, england_and_wales()), years, note)


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
