"""Reading what every app contributes to a child's summary, identity bar and due work
(``people.contribution``): for the summary page, the identity bar, a child's "what is due"
and the My work pages. None of it is stored.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection

from django.db.models import QuerySet

from caseline.apps.people.contribution import Badge, DueItem, SummaryBlock, contributions
from caseline.apps.people.models import Person
from caseline.apps.timescales.queries import standards_read_once


def summary_blocks(person: Person, as_at: datetime.date) -> list[SummaryBlock]:
    blocks = [b for c in contributions() for b in c.summary_blocks(person, as_at)]
    return sorted(blocks, key=lambda b: b.order)


def badges(person: Person, as_at: datetime.date) -> list[Badge]:
    return [b for c in contributions() for b in c.badges(person, as_at)]


def due_items(person: Person, as_at: datetime.date) -> list[DueItem]:
    """Open (not completed) due work for the person, most urgent first: :func:`work_items`
    for this one child, so each rule has one implementation whether one child's record or a
    team's work is shown."""
    return sorted(work_items([person.pk], as_at), key=lambda i: i.timeliness.due_date)


def work_items(
    people: QuerySet[Person] | Collection[int],
    as_at: datetime.date,
    *,
    apps: Collection[str] | None = None,
) -> list[DueItem]:
    """Open due work for every person in ``people`` (a queryset, or their ids), in no
    particular order, from every app's contribution (only those of ``apps`` when given: the
    chair's page asks only for conferences and reviews).

    Each app answers for all the people at once in a fixed number of queries, and they share
    one read of the local standards.
    """
    # Read who the people are once, and hand the apps their ids: a query with a correlated
    # condition (a caseload, a team) repeated inside every app's queries made each of them
    # scan the people table.
    if isinstance(people, QuerySet):
        ids: list[int] = list(people.values_list("pk", flat=True))
    else:
        ids = list(people)
    if not ids:
        return []
    with standards_read_once():
        return [i for c in contributions(apps) for i in c.due_for(ids, as_at)]
