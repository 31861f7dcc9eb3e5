"""The DfE's cohorts: who a return holds, defined once for the returns and the indicators.

The CIN census and the SSDA903 read them to decide whom they hold; the indicators app
(``caseline.apps.indicators``) reads the same functions to decide whom a measure counts, so an
indicator over a collection year and the return for that year cannot disagree about who is in
(ADR "One cohort engine for indicators and returns"). Each takes a :class:`Span` (any object
with a first and a last day: a ``CollectionYear``, or an indicator's period), so "the year"
below is whichever span is asked about.

- Children in need: every child in need episode (a referral) open on some day of the span:
  referred on or before its last day and not closed before its first (CIN census guide,
  section 1.2 "Scope"), a record merged into another left out (:func:`cin_episodes_in`).

- Episodes: every episode open at any time in the year, the one open on 1 April included
  (DfE SSDA903 guide, "Episodes"); the children they belong to are the year's children.
- Looked after at 31 March: in a period of care, not short breaks, that had not ended by the
  end of that day (:func:`looked_after_at_end_of`).
- OC2: children looked after continuously for 12 months at 31 March, as the DfE's validation
  rules define ``LOOKED_AFTER_CONTINUOUSLY`` (the Data to Insight validator's
  ``utils.add_col_to_episodes_CONTINUOUSLY_LOOKED_AFTER``, quoting the CLA SSDA903 2021-22
  validation rules v1.2): an episode in the year, and in the year no period of care began
  after 1 April (reason S), none ended before 31 March (a reason other than X1), and no
  short-break episode (V3/V4). DOMAIN.md §2, "Health (OC2)".
- OC3: care leavers whose 17th to 21st birthday falls in the year (DOMAIN.md §2 "Care
  leavers"; validator rule 391): at 17 and 18 only those who had left care before the
  birthday (rules 1007, 1016), and at each age only a relevant or former relevant young person
  (CA1989 s23A, s23C; rule 1001), not one whose care ended with death (E2, rule 1000) or was
  taken over by another authority (E3, rule 1011). Ages 22 to 25 are not returned: the
  validator's rule 391 names 17 to 21 only (DOMAIN.md §1.5 says 22 to 25 if in touch from
  2022-23: unchecked against the 903 guide, so left out). The validator's rules 1001 and 1002
  fail the young people here whose care ended before last year's collection, whose episodes it
  does not read: its own false positives (docs/returns.md, "Where a generated authority
  stands").
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from django.db.models import QuerySet

from caseline.apps.frontdoor.models import Referral
from caseline.apps.lookedafter import derive
from caseline.apps.lookedafter.models import (
    NEW_EPISODE_FOLLOWS,
    SHORT_BREAK_STATUSES,
    STARTED,
    Episode,
)
from caseline.apps.people.models import Person


class Span(Protocol):
    """A stretch of days from ``start`` to ``end``, both included."""

    @property
    def start(self) -> datetime.date: ...

    @property
    def end(self) -> datetime.date: ...


# Care leavers' ages the OC3 returns, and those returned only if they left care before the
# birthday (validator rules 391, 1007, 1016).
OC3_AGES = (17, 18, 19, 20, 21)
OC3_LEFT_BEFORE_BIRTHDAY = (17, 18)
# Reasons care ended that take a young person out of the OC3 (validator rules 1000, 1011).
DIED = "E2"
CARE_TAKEN_OVER = "E3"


def overlaps(start: datetime.date, end: datetime.date | None, year: Span) -> bool:
    """Whether something from ``start`` to ``end`` (None: still open) was open on some day of
    ``year``."""
    return start <= year.end and (end is None or end >= year.start)


def by_reference_date(year: Span, day: datetime.date | None) -> datetime.date | None:
    """``day`` if it had come by the span's last day (the reference date), else None: what
    had not happened by then is not known."""
    return day if day is not None and day <= year.end else None


def cin_episodes_in(year: Span) -> QuerySet[Referral]:
    """The child in need episodes open at some point in ``year``: the CIN census's episodes
    (and so its children)."""
    return Referral.objects.filter(
        referral_date__lte=year.end, person__merged_into__isnull=True
    ).exclude(closed_on__lt=year.start)


def in_span(day: datetime.date | None, year: Span) -> bool:
    """Whether ``day`` falls in ``year`` (None never does)."""
    return day is not None and year.start <= day <= year.end


def episodes_in_year(episodes: Iterable[Episode], year: Span) -> list[Episode]:
    """The episodes open at any time in the year, oldest first."""
    return sorted(
        (e for e in episodes if overlaps(e.start_date, e.end_date, year)),
        key=lambda e: (e.start_date, e.pk or 0),
    )


def looked_after_at_end_of(
    episodes: Iterable[Episode], day: datetime.date
) -> derive.PeriodOfCare | None:
    """The period of care (not a series of short breaks) the child was in at the end of
    ``day``: begun on or before it and not ended by it. A child whose care ended that day is
    not looked after at its end: "looked after at 31 March" as the SSDA903 reads it (an
    episode ending on 31 March has its DEC in the year)."""
    found = [
        period
        for period in derive.periods_of_care(episodes)
        if not period.is_short_breaks
        and period.start_date <= day
        and (period.end_date is None or period.end_date > day)
    ]
    return found[-1] if found else None


def continuously_looked_after(episodes: Iterable[Episode], year: Span) -> bool:
    """Whether the child was looked after continuously for 12 months at 31 March (the OC2
    cohort; the DfE's definition, as in the module docstring)."""
    in_year = episodes_in_year(episodes, year)
    if not in_year:
        return False
    for episode in in_year:
        started = episode.reason_new_episode == STARTED and year.start < episode.start_date
        ended = (
            episode.end_date is not None
            and episode.reason_episode_ceased != NEW_EPISODE_FOLLOWS
            and year.start <= episode.end_date < year.end
        )
        if started or ended or episode.legal_status in SHORT_BREAK_STATUSES:
            return False
    return True


@dataclass(frozen=True)
class CareLeaverBirthday:
    """The birthday in the year that puts a young person in the OC3."""

    age: int
    birthday: datetime.date


def care_leaver_birthday(
    person: Person, episodes: Sequence[Episode], year: Span
) -> CareLeaverBirthday | None:
    """The OC3 birthday of ``person`` in ``year``, or None if they are not in the OC3."""
    if person.date_of_birth is None or not episodes:
        return None
    periods = derive.periods_of_care(episodes)
    last = periods[-1]
    if last.end_date is not None and last.reason_ceased in (DIED, CARE_TAKEN_OVER):
        return None
    for age in OC3_AGES:
        day = derive.birthday(person, age)
        if not in_span(day, year):
            continue
        if person.date_of_death is not None and person.date_of_death < year.start:
            return None
        before = [e for e in episodes if e.start_date <= day]
        if derive.period_on(derive.periods_of_care(before), day) is not None:
            return None  # looked after on the birthday
        if age in OC3_LEFT_BEFORE_BIRTHDAY and any(
            e.end_date is None or e.end_date >= day for e in before
        ):
            return None  # left care on or after the birthday
        status = derive.care_leaver_status(person, before, day)
        if status in (derive.Eligibility.RELEVANT, derive.Eligibility.FORMER_RELEVANT):
            return CareLeaverBirthday(age, day)
        return None
    return None
