"""Who and what the SSDA903 holds for a collection year: pure functions over records already
loaded, so the export and the tests share them.

- Episodes: every episode open at any time in the year, the one open on 1 April included
  (DfE SSDA903 guide, "Episodes"); the children they belong to are the year's children.
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

from caseline.apps.lookedafter import derive
from caseline.apps.lookedafter.models import (
    NEW_EPISODE_FOLLOWS,
    SHORT_BREAK_STATUSES,
    STARTED,
    Episode,
)
from caseline.apps.people.models import Person
from caseline.apps.returns.years import CollectionYear

# Care leavers' ages the OC3 returns, and those returned only if they left care before the
# birthday (validator rules 391, 1007, 1016).
OC3_AGES = (17, 18, 19, 20, 21)
OC3_LEFT_BEFORE_BIRTHDAY = (17, 18)
# Reasons care ended that take a young person out of the OC3 (validator rules 1000, 1011).
DIED = "E2"
CARE_TAKEN_OVER = "E3"


def overlaps(start: datetime.date, end: datetime.date | None, year: CollectionYear) -> bool:
    """Whether something from ``start`` to ``end`` (None: still open) was open in ``year``."""
    return start <= year.end and (end is None or end >= year.start)


def episodes_in_year(episodes: Iterable[Episode], year: CollectionYear) -> list[Episode]:
    """The episodes open at any time in the year, oldest first."""
    return sorted(
        (e for e in episodes if overlaps(e.start_date, e.end_date, year)),
        key=lambda e: (e.start_date, e.pk or 0),
    )


def continuously_looked_after(episodes: Iterable[Episode], year: CollectionYear) -> bool:
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
    person: Person, episodes: Sequence[Episode], year: CollectionYear
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
        if day not in year:
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
