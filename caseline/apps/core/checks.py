"""The checks every action makes before it writes, in one place.

An action collects every problem with what it was given, then refuses with all of them at
once, each keyed by the form field it belongs to::

    checks = Checks()
    checks.required("purpose", purpose, "Enter the purpose of the visit")
    checks.happened("visit_date", visit_date, "The visit date", child=child)
    checks.code("source", CodeListName.REFERRAL_SOURCE, source, on=referral_date)
    checks.raise_if_any()

Each check is a :class:`Rule`, named by its source with the message it gives. The DfE's
validation rules (CIN census, SSDA903) are written the same way, so a rule enforced where the
data is entered says which rule it is and where it comes from.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, Protocol

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone

from caseline.apps.codes.lists import CodeListName, code_list, collection_year

# No record in a children's social care system describes anything before this day: a date
# earlier than it is a typing slip (01/01/0001, 1850). Caseline's own rule.
EARLIEST_PLAUSIBLE_DATE = datetime.date(1900, 1, 1)
# A date planned ahead (an action's "by when", a review due, an address from) further than
# this many years away is a typing slip (9999). Caseline's own rule.
PLAUSIBLE_YEARS_AHEAD = 5


@dataclass(frozen=True)
class Rule:
    """A rule a record must meet: its code, where it comes from and what it says when broken.

    ``message`` is a template: ``{what}``, ``{name}`` and other keywords are filled in by the
    check that applies it.
    """

    code: str
    source: str
    message: str

    def says(self, **values: Any) -> str:
        """The message, with the check's values filled in, first letter upper case."""
        text = self.message.format(**values)
        return text[:1].upper() + text[1:]


NOT_BEFORE_1900 = Rule(
    "caseline:date-not-before-1900",
    "Caseline: a date before 1900 is a typing slip",
    "{what} must be in 1900 or later",
)
NOT_IN_FUTURE = Rule(
    "caseline:date-not-in-future",
    "Caseline: something that has happened cannot be dated in the future",
    "{what} must be today or in the past",
)
NOT_TOO_FAR_AHEAD = Rule(
    "caseline:date-not-too-far-ahead",
    f"Caseline: a date planned more than {PLAUSIBLE_YEARS_AHEAD} years ahead is a typing slip",
    "{what} must be within " + str(PLAUSIBLE_YEARS_AHEAD) + " years from today",
)
NOT_BEFORE_BIRTH = Rule(
    "caseline:date-not-before-birth",
    "Caseline: nothing about a child happens before they are born",
    "{what} must be on or after {name}'s date of birth ({born})",
)
CODE_VALID_IN_YEAR = Rule(
    "caseline:code-valid-in-year",
    "DfE code lists: a code may be used only in the collection years it is valid for",
    "Select a valid {what} for {day}",
)


class HasBirthDate(Protocol):
    """What a check needs of the child a record is about."""

    @property
    def date_of_birth(self) -> datetime.date | None: ...

    @property
    def given_name(self) -> str: ...


def _format(day: datetime.date) -> str:
    # Imported here: the timescales app's rules module reads the code lists at import time.
    from caseline.apps.timescales.rules import format_date

    return format_date(day)


class RowRefused(ValidationError):
    """One of the rows given to an action's many form (ADR 0042) was refused: ``index`` says
    which, ``error`` is the one-row action's refusal, and the messages are its own, keyed by
    field as the one-row action keys them. Each many form names its own subclass."""

    def __init__(self, index: int, error: ValidationError) -> None:
        super().__init__(error.error_dict if hasattr(error, "error_dict") else error.messages)
        self.index = index
        self.error = error


class Checks:
    """Collects the problems with an action's input; :meth:`raise_if_any` refuses with all.

    Field names are the action's keyword arguments, which are the form's field names, so a
    view can put each message beside its field. ``None`` means the problem is with the whole.
    """

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def __bool__(self) -> bool:
        return bool(self.errors)

    def has(self, field: str) -> bool:
        """Whether ``field`` already has a problem (later checks on it can be skipped)."""
        return field in self.errors

    def add(self, field: str | None, message: str) -> None:
        """Record a problem with ``field`` (or with the whole, for ``None``)."""
        self.errors.setdefault(field or NON_FIELD_ERRORS, []).append(message)

    def broken(self, rule: Rule, field: str | None = None, **values: Any) -> None:
        """Record that ``rule`` is broken, with its message filled from ``values``."""
        self.add(field, rule.says(**values))

    def check(self, ok: bool, field: str | None, message: str) -> bool:
        """Record ``message`` unless ``ok``; return ``ok``."""
        if not ok:
            self.add(field, message)
        return ok

    def required(self, field: str, value: object, message: str) -> bool:
        """A value must be given: not ``None``, and not blank if it is text."""
        present = value is not None and (not isinstance(value, str) or bool(value.strip()))
        return self.check(present, field, message)

    def happened(
        self,
        field: str,
        day: datetime.date | None,
        what: str,
        *,
        child: HasBirthDate | None = None,
    ) -> bool:
        """A date of something that has happened: not in the future, not before 1900 and not
        before the child was born. ``None`` passes (use :meth:`required` for that)."""
        if day is None:
            return True
        if day > timezone.localdate():
            self.broken(NOT_IN_FUTURE, field, what=what)
            return False
        return self._not_too_early(field, day, what, child)

    def planned(
        self,
        field: str,
        day: datetime.date | None,
        what: str,
        *,
        child: HasBirthDate | None = None,
    ) -> bool:
        """A date that may lie ahead: not more than five years from today, not before 1900
        and not before the child was born. ``None`` passes."""
        if day is None:
            return True
        if day > furthest_plausible_date():
            self.broken(NOT_TOO_FAR_AHEAD, field, what=what)
            return False
        return self._not_too_early(field, day, what, child)

    def code(
        self,
        field: str,
        list_name: CodeListName,
        value: str,
        *,
        on: datetime.date,
        what: str | None = None,
    ) -> bool:
        """A code from a DfE list, valid in the collection year that ``on`` falls in."""
        if code_list(list_name).is_valid(value, collection_year(on)):
            return True
        self.broken(
            CODE_VALID_IN_YEAR, field, what=what or field.replace("_", " "), day=_format(on)
        )
        return False

    def raise_if_any(self) -> None:
        """Refuse with every problem collected, if there are any."""
        if self.errors:
            raise ValidationError(self.errors)

    def _not_too_early(
        self, field: str, day: datetime.date, what: str, child: HasBirthDate | None
    ) -> bool:
        if day < EARLIEST_PLAUSIBLE_DATE:
            self.broken(NOT_BEFORE_1900, field, what=what)
            return False
        born = child.date_of_birth if child is not None else None
        if child is not None and born is not None and day < born:
            self.broken(
                NOT_BEFORE_BIRTH, field, what=what, name=child.given_name, born=_format(born)
            )
            return False
        return True


def furthest_plausible_date(today: datetime.date | None = None) -> datetime.date:
    """The last day a planned date may fall on (:data:`PLAUSIBLE_YEARS_AHEAD` years ahead)."""
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year + PLAUSIBLE_YEARS_AHEAD)
    except ValueError:  # 29 February, five years on
        return today.replace(year=today.year + PLAUSIBLE_YEARS_AHEAD, day=28)
