"""Reads for retention: each child's facts for the schedule, read in bulk; what is due."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q

from caseline.apps.frontdoor.models import Referral
from caseline.apps.lookedafter.models import Episode
from caseline.apps.people.models import Person
from caseline.apps.people.queries import visible_among
from caseline.apps.protection.models import Conference, ProtectionPlan, Section47Enquiry
from caseline.apps.retention.models import LegalHold, RetentionReview
from caseline.apps.retention.schedule import (
    ChildFacts,
    Covers,
    Governing,
    governing_rule,
)
from caseline.apps.timescales.calendar import add_calendar_months

# SSDA903 reasons a period of care ceased that mean the child was adopted: E11 (adoption
# order, application unopposed) and E12 (consent dispensed with by the court).
ADOPTED_REASONS = frozenset({"E11", "E12"})
# The shortest period of any rule from birth (the 25th birthday): a record whose child was
# born after ``until`` less this, and is alive, cannot fall due by ``until``. A rule with a
# shorter period from birth must lower it (test_schedule checks every rule against it).
SHORTEST_YEARS_FROM_BIRTH = 25
DUE_SOON_DAYS = 90
# The tables whose rows bring a rule into play (``facts_for`` reads the same ones).
COVERING_MODELS = (Episode, Section47Enquiry, Conference, ProtectionPlan, Referral)


def facts_for(person_ids: Iterable[int]) -> dict[int, ChildFacts]:
    """The schedule's facts about each of these people: five queries, however many."""
    ids = sorted(set(person_ids))
    if not ids:
        return {}
    covers: dict[int, set[Covers]] = defaultdict(set)
    adopted_on: dict[int, datetime.date] = {}
    episodes = Episode.objects.filter(person_id__any_of=ids).values_list(
        "person_id", "end_date", "reason_episode_ceased"
    )
    for person_id, end_date, reason in episodes:
        covers[person_id].add(Covers.LOOKED_AFTER)
        if reason in ADOPTED_REASONS and end_date is not None:
            covers[person_id].add(Covers.ADOPTED)
            adopted_on[person_id] = max(end_date, adopted_on.get(person_id, end_date))
    for model in (Section47Enquiry, Conference, ProtectionPlan):
        for person_id in model.objects.filter(person_id__any_of=ids).values_list(
            "person_id", flat=True
        ):
            covers[person_id].add(Covers.CHILD_PROTECTION)
    for person_id in Referral.objects.filter(person_id__any_of=ids).values_list(
        "person_id", flat=True
    ):
        covers[person_id].add(Covers.CHILD_IN_NEED)
    people = Person.objects.filter(pk__any_of=ids).values_list(
        "pk", "date_of_birth", "date_of_death"
    )
    return {
        pk: ChildFacts(
            person_id=pk,
            date_of_birth=born,
            date_of_death=died,
            covers=frozenset(covers.get(pk, ())),
            adoption_order_on=adopted_on.get(pk),
        )
        for pk, born, died in people
    }


def held_ids(person_ids: Iterable[int]) -> set[int]:
    """Which of these people have an open legal hold."""
    return set(
        LegalHold.objects.filter(
            person_id__any_of=list(person_ids), lifted_at__isnull=True
        ).values_list("person_id", flat=True)
    )


def candidate_ids(until: datetime.date) -> list[int]:
    """People whose record could fall due by ``until``: born long enough ago, or dead, with a
    record some rule covers (not the parents and other adults on the register); never a
    record merged into another (it goes with the record it was merged into)."""
    born_by = add_calendar_months(until, -12 * SHORTEST_YEARS_FROM_BIRTH)
    covered = Q()
    for model in COVERING_MODELS:
        covered |= Q(Exists(model.objects.filter(person_id=OuterRef("pk"))))
    return list(
        Person.objects.filter(merged_into__isnull=True)
        .filter(Q(date_of_birth__lte=born_by) | Q(date_of_death__isnull=False))
        .filter(covered)
        .values_list("pk", flat=True)
    )


@dataclass(frozen=True)
class Falling:
    """A record whose retention ends by a day, and the rule that ends it."""

    person_id: int
    governing: Governing
    held: bool


def falling_due(until: datetime.date, as_at: datetime.date) -> list[Falling]:
    """Every record whose retention ends on or before ``until``, judged by the schedule in
    force on ``as_at``, earliest first."""
    ids = candidate_ids(until)
    facts = facts_for(ids)
    held = held_ids(ids)
    found = []
    for person_id, child in facts.items():
        governing = governing_rule(child, as_at)
        if governing is not None and governing.keep_until <= until:
            found.append(Falling(person_id, governing, person_id in held))
    return sorted(found, key=lambda f: (f.governing.keep_until, f.person_id))


def open_reviews() -> list[RetentionReview]:
    """Reviews awaiting a decision, earliest date first."""
    return list(RetentionReview.objects.filter(status=RetentionReview.Status.DUE))


@dataclass(frozen=True)
class DueRow:
    """One line of the due page: the person, the rule, the date, any review or hold."""

    person: Person
    falling: Falling
    review: RetentionReview | None
    hold: LegalHold | None


def due_page(user: Any, as_at: datetime.date) -> list[DueRow]:
    """What falls due by ``DUE_SOON_DAYS`` from ``as_at`` (and what is already due), among the
    people this user may see."""
    falling = falling_due(add_days(as_at, DUE_SOON_DAYS), as_at)
    visible = visible_among(user, [f.person_id for f in falling])
    people = Person.objects.only("given_name", "family_name", "date_of_birth").in_bulk(visible)
    reviews = {
        r.subject_person_id: r
        for r in RetentionReview.objects.filter(
            status=RetentionReview.Status.DUE, subject_person_id__in=list(visible)
        )
    }
    holds: dict[int, LegalHold] = {}
    for hold in LegalHold.objects.filter(
        person_id__any_of=list(visible) or [0], lifted_at__isnull=True
    ).order_by("-placed_at"):
        holds.setdefault(hold.person_id, hold)
    return [
        DueRow(people[f.person_id], f, reviews.get(f.person_id), holds.get(f.person_id))
        for f in falling
        if f.person_id in people
    ]


def add_days(day: datetime.date, days: int) -> datetime.date:
    """``day`` plus whole calendar days: the due page's window, not a due date."""
    return day + datetime.timedelta(days=days)


def destroyed_reviews(limit: int = 50) -> list[RetentionReview]:
    """The latest destructions: the proof kept (numbers, rules, dates), never content."""
    return list(
        RetentionReview.objects.filter(status=RetentionReview.Status.DESTROYED).order_by(
            "-decided_at", "-id"
        )[:limit]
    )
