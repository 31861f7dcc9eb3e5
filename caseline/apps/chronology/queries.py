"""Building a child's chronology from every app's contribution, filtered."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from caseline.apps.core.access import user_can
from caseline.apps.people.contribution import Category, ChronologyEntry, contributions
from caseline.apps.people.models import Person
from caseline.apps.people.queries import records_held


@dataclass(frozen=True)
class ChronologyFilter:
    categories: frozenset[Category] = field(default_factory=frozenset)
    significant_only: bool = False
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


@dataclass(frozen=True)
class ChronologySummary:
    """What a chronology covers: for its cover page and the heading of the page."""

    total: int
    significant: int
    first: datetime.date | None
    last: datetime.date | None
    period_from: datetime.date | None  # the filter's dates, when set
    period_to: datetime.date | None
    categories: tuple[str, ...]  # labels of the categories shown; empty means all
    significant_only: bool
    by_category: tuple[tuple[str, int, int], ...]  # (label, entries, significant)

    @property
    def filtered(self) -> bool:
        return bool(self.categories or self.significant_only or self.period_from or self.period_to)


def summarise(entries: list[ChronologyEntry], criteria: ChronologyFilter) -> ChronologySummary:
    """Counts and period of a chronology already built, for its cover summary."""
    counts: dict[Category, list[int]] = {}
    for entry in entries:
        count = counts.setdefault(entry.category, [0, 0])
        count[0] += 1
        count[1] += int(entry.significant)
    return ChronologySummary(
        total=len(entries),
        significant=sum(1 for e in entries if e.significant),
        first=entries[0].date if entries else None,
        last=entries[-1].date if entries else None,
        period_from=criteria.date_from,
        period_to=criteria.date_to,
        categories=tuple(c.label for c in Category if c in criteria.categories),
        significant_only=criteria.significant_only,
        by_category=tuple(
            (category.label, counts[category][0], counts[category][1])
            for category in Category
            if category in counts
        ),
    )


def chronology_for(
    person: Person, criteria: ChronologyFilter | None = None, *, user: object = None
) -> list[ChronologyEntry]:
    """Every entry for the person, oldest first, filtered. An entry with a ``permission``
    (allegations, complaints) is kept only for a ``user`` who holds it: never without one."""
    criteria = criteria or ChronologyFilter()
    found = contributions()
    # One query for which of the apps' tables hold anything about the child: most children
    # have never been in care or on a plan. Each contribution reads through ``held``, which
    # asks nothing of a table found empty, and one whose entries come only from its own
    # tables is not asked at all when they hold nothing (ADR 0018).
    held = records_held(person, [c.app_label for c in found])
    entries = [
        entry
        for contribution in found
        if not contribution.chronology_from_own_records or held.any_in(contribution.app_label)
        for entry in contribution.chronology(person, held)
    ]
    needed = {e.permission for e in entries if e.permission is not None}
    if needed:
        allowed = {p for p in needed if user is not None and user_can(user, p)}
        entries = [e for e in entries if e.permission is None or e.permission in allowed]
    if criteria.categories:
        entries = [e for e in entries if e.category in criteria.categories]
    if criteria.significant_only:
        entries = [e for e in entries if e.significant]
    if criteria.date_from:
        entries = [e for e in entries if e.date >= criteria.date_from]
    if criteria.date_to:
        entries = [e for e in entries if e.date <= criteria.date_to]
    return in_order(entries)


def in_order(entries: Iterable[ChronologyEntry]) -> list[ChronologyEntry]:
    """Entries oldest first, and each day's in the order they happened: those with a time in
    the order of their times, and those without where their step in the work puts them among
    them (a strategy discussion at 14:00 after a contact at 9:30; the enquiry it started,
    which has no time, after it and before the conference that day)."""
    days: dict[datetime.date, list[ChronologyEntry]] = {}
    for entry in entries:
        days.setdefault(entry.date, []).append(entry)
    ordered: list[ChronologyEntry] = []
    for day in sorted(days):
        timed = sorted((e for e in days[day] if e.time is not None), key=_by_time)
        untimed = sorted((e for e in days[day] if e.time is None), key=_by_step)
        ordered.extend(_merged(timed, untimed))
    return ordered


def _by_time(entry: ChronologyEntry) -> tuple[object, ...]:
    return (entry.time, entry.step, entry.category.value, entry.what_happened)


def _by_step(entry: ChronologyEntry) -> tuple[object, ...]:
    return (entry.step, entry.category.value, entry.what_happened)


def _merged(timed: list[ChronologyEntry], untimed: list[ChronologyEntry]) -> list[ChronologyEntry]:
    """The two lists as one, each keeping its order: an entry without a time goes after the
    last timed entry whose step comes no later than its own (first when there is none)."""
    after = [
        max((i for i, e in enumerate(timed) if e.step <= entry.step), default=-1)
        for entry in untimed
    ]
    merged = [entry for entry, place in zip(untimed, after, strict=True) if place == -1]
    for index, entry in enumerate(timed):
        merged.append(entry)
        merged.extend(e for e, place in zip(untimed, after, strict=True) if place == index)
    return merged
