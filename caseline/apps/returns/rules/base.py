"""What a DfE validation rule is: its return, code, message, source and years.

Each rule is a subclass of :class:`DfERule` named by its return and code (``SSDA903Rule362``),
whose docstring's first paragraph is the DfE's message. It says when it is broken through a
class method ``breaks(...)`` taking the facts it reads, so the actions and the tests call the
same code::

    SSDA903Rule378.check(
        checks, "legal_status", on=start_date,
        broken=SSDA903Rule378.breaks(legal_status=ls, placement_type=place),
    )

Plain Python: importing this module needs neither Django nor the database (TaMaTo's business
rules are the model, without their models).
"""

from __future__ import annotations

import datetime
import inspect
from collections.abc import Iterator
from enum import StrEnum
from typing import ClassVar, Protocol


class Collection(StrEnum):
    """The DfE returns whose rules Caseline checks."""

    CIN = "CIN census"
    SSDA903 = "SSDA903"


class _Checks(Protocol):
    def add(self, field: str | None, message: str) -> None: ...


def census_year_of(day: datetime.date) -> int:
    """The collection year (named by its 31 March) that ``day`` falls in."""
    return day.year + 1 if day.month >= 4 else day.year


# The newest collection year whose DfE rule set Caseline holds, for each return. A rule in that
# set still applies to records dated after it, until a newer rule set is held and says
# otherwise: the record of 1 April 2027 is checked by the rules of 2026-27, not by none.
NEWEST_RULE_SET = {Collection.CIN: 2027, Collection.SSDA903: 2027}


def age_on(born: datetime.date, day: datetime.date) -> int:
    """Age in whole years on ``day``: a year older on each birthday (a child born on 29
    February is a year older on 1 March in other years), as ``Person.age_on`` counts."""
    years = day.year - born.year
    return years - 1 if (day.month, day.day) < (born.month, born.day) else years


class DfERule:
    """A DfE validation rule. Subclasses set the class attributes and a ``breaks`` method."""

    collection: ClassVar[Collection]
    code: ClassVar[str]
    # Collection years (named by their 31 March) whose DfE rule set holds the rule.
    years: ClassVar[range]
    # Where the rule comes from: the DfE's rule set and the validator's code that implements it.
    source: ClassVar[str]
    # The return's fields the rule reads.
    fields: ClassVar[tuple[str, ...]]
    # True where the rule is a matter of fact or law rather than of one year's DfE rule set (an
    # assessment cannot start before its referral): Caseline then applies it to records of any
    # year, while ``years`` still says which rule sets hold it.
    every_year: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if "code" in cls.__dict__:
            CATALOGUE.add(cls)

    @classmethod
    def message(cls) -> str:
        """The DfE's message: the first paragraph of the class docstring."""
        text = inspect.getdoc(cls) or ""
        return " ".join(text.split("\n\n")[0].split())

    @classmethod
    def label(cls) -> str:
        """How a person names it: "SSDA903 rule 362"."""
        return f"{cls.collection.value} rule {cls.code}"

    @classmethod
    def applies_on(cls, day: datetime.date) -> bool:
        """Whether the rule applies to a record dated ``day``: in every year, or in the
        collection years whose DfE rule sets hold it (and after the newest set held, if that
        set holds it)."""
        if cls.every_year:
            return True
        year, newest = census_year_of(day), NEWEST_RULE_SET[cls.collection]
        return year in cls.years or (year > newest and newest in cls.years)

    @classmethod
    def says(cls) -> str:
        """The message an action gives when it refuses: the DfE's words and the rule's name."""
        return f"{cls.message()} ({cls.label()})"

    @classmethod
    def check(
        cls,
        checks: _Checks,
        field: str | None,
        *,
        broken: bool,
        on: datetime.date,
        explain: str = "",
    ) -> bool:
        """Refuse through ``checks`` if ``broken`` and the rule applies on ``on``; True if met.

        ``explain`` says it in the practitioner's terms for this record ("PN0 is only for a
        child under 4: Ada was 12"); the rule's name follows either way.
        """
        if broken and cls.applies_on(on):
            checks.add(field, f"{explain} ({cls.label()})" if explain else cls.says())
            return False
        return True


class Catalogue:
    """Every DfE rule Caseline checks, by return and code."""

    def __init__(self) -> None:
        self._rules: dict[tuple[Collection, str], type[DfERule]] = {}

    def add(self, rule: type[DfERule]) -> None:
        key = (rule.collection, rule.code)
        if key in self._rules:
            raise ValueError(f"{rule.label()} is defined twice")
        self._rules[key] = rule

    def remove(self, rule: type[DfERule]) -> None:
        """Take a rule out (a test's own)."""
        del self._rules[(rule.collection, rule.code)]

    def get(self, collection: Collection, code: str) -> type[DfERule]:
        return self._rules[(collection, code)]

    def __iter__(self) -> Iterator[type[DfERule]]:
        return iter(sorted(self._rules.values(), key=lambda r: (r.collection, r.code)))

    def __len__(self) -> int:
        return len(self._rules)


CATALOGUE = Catalogue()
