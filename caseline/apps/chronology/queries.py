"""Building a child's chronology from every app's contribution, filtered."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

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
    person: Person, criteria: ChronologyFilter | None = None
) -> list[ChronologyEntry]:
    """Every entry for the person, oldest first, filtered."""
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
    if criteria.categories:
        entries = [e for e in entries if e.category in criteria.categories]
    if criteria.significant_only:
        entries = [e for e in entries if e.significant]
    if criteria.date_from:
        entries = [e for e in entries if e.date >= criteria.date_from]
    if criteria.date_to:
        entries = [e for e in entries if e.date <= criteria.date_to]
    return sorted(entries, key=lambda e: (e.date, e.order, e.category.value, e.what_happened))
