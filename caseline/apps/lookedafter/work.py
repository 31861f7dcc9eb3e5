"""Care and leaving care's due work for many children at once (the "My work" pages).

:func:`care_work_items` gives, for every child, the items ``care_due_items`` gives for one.
It reads each table the due work needs once for all the children, groups the rows by child
and hands each child's rows to a :class:`CareRecord`, whose ``due`` works out what is due
exactly as it does on the child's record. Eight queries whatever the number of children (one,
the episodes, when none of them has been looked after).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Model, QuerySet
from django.urls import reverse

from caseline.apps.lookedafter.models import (
    CareLeaverContact,
    CarePlan,
    Episode,
    HealthRecord,
    LACReview,
    LACVisit,
    PathwayPlan,
    PersonalEducationPlan,
)
from caseline.apps.lookedafter.queries import CareRecord
from caseline.apps.people.models import Person
from caseline.apps.people.summary import DueItem

# The CareRecord parts ``CareRecord.due`` reads, and the table each comes from.
_PARTS: dict[str, type[Model]] = {
    "reviews": LACReview,
    "visits": LACVisit,
    "health": HealthRecord,
    "peps": PersonalEducationPlan,
    "care_plans": CarePlan,
    "pathway_plans": PathwayPlan,
    "contacts": CareLeaverContact,
}


def _by_person(rows: QuerySet[Any], ids: Iterable[int] | QuerySet[Any]) -> dict[int, list[Any]]:
    """The rows of these children, grouped by child, each child's rows in the model's own
    order (as ``CareRecord`` reads them one child at a time). One query."""
    ordering = [*rows.model._meta.ordering, "id"]
    grouped: dict[int, list[Any]] = defaultdict(list)
    rows = rows.filter(person_id__in=ids).order_by("person_id", *ordering)
    for row in rows:
        grouped[row.person_id].append(row)
    return grouped


def care_records(people: QuerySet[Person]) -> list[CareRecord]:
    """A loaded care record for each child who has ever been looked after."""
    episodes = _by_person(Episode.objects.select_related("person"), people.values("pk"))
    if not episodes:
        return []
    parts = {
        name: _by_person(model._default_manager.all(), list(episodes))
        for name, model in _PARTS.items()
    }
    records = []
    for person_id, rows in episodes.items():
        record = CareRecord(rows[0].person)
        # Fill the record's cached parts, so that it reads nothing more.
        record.__dict__["episodes"] = rows
        for name, part in parts.items():
            record.__dict__[name] = part.get(person_id, [])
        records.append(record)
    return records


def care_work_items(people: QuerySet[Person], as_at: datetime.date) -> list[DueItem]:
    """Every looked-after child's and care leaver's due work, in eight queries."""
    items: list[DueItem] = []
    for record in care_records(people):
        person_id = record.person.pk
        href = reverse("lookedafter:record", kwargs={"person_id": person_id})
        items += [
            DueItem(person_id, due.title, due.rule.code, due.timeliness, href)
            for due in record.due(as_at)
        ]
    return items
