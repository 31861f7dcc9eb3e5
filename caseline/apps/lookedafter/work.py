"""Care and leaving care's due work for many children at once (the "My work" pages).

:func:`care_work_items` gives, for every child, the items ``care_due_items`` gives for one,
from the same rules (``CareRecord.due``) but without reading each child's whole history:
each record gets its episodes and, for the other tables, stand-ins with only what the rules
read (see :func:`_records`). Four queries whatever the number of children (one, the
episodes, when none of them has ever been looked after):

1. the episodes;
2. the children, each with the latest date on or before ``as_at`` of a visit at which they
   were seen, a health assessment, a PEP, a care plan and a pathway plan or review;
3. the date and minutes date of the reviews on or before ``as_at`` (for a child not looked
   after on ``as_at``, only of those awaiting minutes);
4. the date and "in touch" of every care leaver contact.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, NamedTuple

from django.db.models import Model, OuterRef, Q, Subquery

from caseline.apps.core.links import url_builder
from caseline.apps.lookedafter.derive import HEALTH_ASSESSMENTS
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
from caseline.apps.people.summary import DueItem, PersonIds

# Stand-ins for the rows the rules read, with only the fields they read.


class _Review(NamedTuple):
    review_date: datetime.date
    minutes_completed_on: datetime.date | None


class _Visit(NamedTuple):
    visit_date: datetime.date
    child_seen: bool = True


class _HealthAssessment(NamedTuple):
    event_date: datetime.date
    kind: str = HealthRecord.Kind.INITIAL_ASSESSMENT  # initial or review: the rule reads either


class _Pep(NamedTuple):
    pep_date: datetime.date


class _CarePlan(NamedTuple):
    plan_date: datetime.date


class _PathwayPlan(NamedTuple):
    plan_date: datetime.date
    kind: str = PathwayPlan.Kind.PLAN  # a plan or a review: the rule reads either


class _Contact(NamedTuple):
    contact_date: datetime.date
    in_touch: str


def _latest(model: type[Model], field: str, as_at: datetime.date, **filters: Any) -> Subquery:
    """The child's latest ``field`` on or before ``as_at`` (in the query on people)."""
    rows = model._default_manager.filter(
        person=OuterRef("pk"), **{f"{field}__lte": as_at}, **filters
    )
    return Subquery(rows.order_by(f"-{field}").values(field)[:1])


class _Latest(NamedTuple):
    """A child's latest dates on or before ``as_at`` (None where there is none)."""

    seen_visit: datetime.date | None
    health_assessment: datetime.date | None
    pep: datetime.date | None
    care_plan: datetime.date | None
    pathway_plan: datetime.date | None


def _people(ids: list[int], as_at: datetime.date) -> list[tuple[Person, _Latest]]:
    """The children, each with their latest dates. One query."""
    pathway = (PathwayPlan.Kind.PLAN, PathwayPlan.Kind.REVIEW)
    rows = (
        Person.objects.filter(pk__in=ids)
        .annotate(
            latest_seen_visit=_latest(LACVisit, "visit_date", as_at, child_seen=True),
            latest_health_assessment=_latest(
                HealthRecord, "event_date", as_at, kind__in=HEALTH_ASSESSMENTS
            ),
            latest_pep=_latest(PersonalEducationPlan, "pep_date", as_at),
            latest_care_plan=_latest(CarePlan, "plan_date", as_at),
            latest_pathway_plan=_latest(PathwayPlan, "plan_date", as_at, kind__in=pathway),
        )
        .order_by("pk")
    )
    # Take the annotations off the people, who go on to the records as they are.
    return [
        (person, _Latest(*(person.__dict__.pop(f"latest_{f}") for f in _Latest._fields)))
        for person in rows
    ]


def _grouped(rows: Iterable[tuple[Any, ...]], make: Any) -> dict[int, list[Any]]:
    """``(person_id, *fields)`` rows as stand-ins, by child, in the order read."""
    grouped: dict[int, list[Any]] = defaultdict(list)
    for person_id, *fields in rows:
        grouped[person_id].append(make(*fields))
    return grouped


def _episodes(person_ids: PersonIds) -> dict[int, list[Episode]]:
    """The episodes of each child who has ever been looked after, oldest first. One query."""
    episodes: dict[int, list[Episode]] = defaultdict(list)
    rows = Episode.objects.filter(person_id__any_of=person_ids)
    for episode in rows.order_by("person_id", "start_date", "id"):
        episodes[episode.person_id].append(episode)
    return episodes


def _one(stand_in: Any, day: datetime.date | None) -> list[Any]:
    return [] if day is None else [stand_in(day)]


def _records(episodes: dict[int, list[Episode]], as_at: datetime.date) -> list[CareRecord]:
    """A record for each of these children holding their episodes and, as stand-ins, the
    other parts ``CareRecord.due(as_at)`` reads, so that it reads nothing more.

    The rules read nothing dated after ``as_at`` but contacts (one in a birthday's window
    after ``as_at`` still meets it). Of the rest they need only: the latest seen visit (the
    rule leaves it out if it was before the current placement began), the latest health
    assessment, PEP and care plan (left out if before the period began), the latest pathway
    plan or review, the reviews in the current period and, from any time, those awaiting
    minutes. Three queries.
    """
    ids = list(episodes)
    records = []
    for person, latest in _people(ids, as_at):
        record = CareRecord(person)
        parts = record.__dict__  # the record's cached properties
        parts["episodes"] = episodes[person.pk]
        parts["visits"] = _one(_Visit, latest.seen_visit)
        parts["health"] = _one(_HealthAssessment, latest.health_assessment)
        parts["peps"] = _one(_Pep, latest.pep)
        parts["care_plans"] = _one(_CarePlan, latest.care_plan)
        parts["pathway_plans"] = _one(_PathwayPlan, latest.pathway_plan)
        records.append(record)
    in_care = [r.person.pk for r in records if r.current_period(as_at) is not None]
    others = sorted(set(ids) - set(in_care))
    # Reviews and contacts in each model's own order, as ``CareRecord`` reads them (of two
    # contacts on one day, the rule takes the first).
    reviews = _grouped(
        LACReview.objects.filter(review_date__lte=as_at)
        .filter(
            Q(person_id__in=in_care) | Q(person_id__in=others, minutes_completed_on__isnull=True)
        )
        .order_by("-review_date", "-id")
        .values_list("person_id", "review_date", "minutes_completed_on"),
        _Review,
    )
    contacts = _grouped(
        CareLeaverContact.objects.filter(person_id__in=ids)
        .order_by("-contact_date", "-id")
        .values_list("person_id", "contact_date", "in_touch"),
        _Contact,
    )
    for record in records:
        record.__dict__["reviews"] = reviews.get(record.person.pk, [])
        record.__dict__["contacts"] = contacts.get(record.person.pk, [])
    return records


def care_work_items(person_ids: PersonIds, as_at: datetime.date) -> list[DueItem]:
    """Every looked-after child's and care leaver's due work, in four queries."""
    episodes = _episodes(person_ids)
    if not episodes:
        return []
    href = url_builder("lookedafter:record", "person_id")
    items: list[DueItem] = []
    for record in _records(episodes, as_at):
        pk = record.person.pk
        link = href(person_id=pk)
        items += [
            DueItem(pk, due.title, due.rule.code, due.timeliness, link) for due in record.due(as_at)
        ]
    return items
