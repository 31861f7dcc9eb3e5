"""Reading what the SSDA903 needs from the record, a batch of children at a time.

:func:`children_in_return` finds the year's children in two queries; :func:`load_batch`
reads everything the tables need for up to :data:`BATCH_SIZE` of them in a fixed number of
queries (one per kind of record), so the number of queries grows with the number of batches,
never with the number of children, and memory holds one batch.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from django.db.models import Exists, OuterRef, Q

from caseline.apps.frontdoor.models import Referral
from caseline.apps.lookedafter.models import (
    AdoptionDecision,
    CareLeaverContact,
    DeprivationOfLibertyOrder,
    Episode,
    HealthRecord,
    LACReview,
    MissingEpisode,
    PreviousPermanence,
    UASCDetails,
)
from caseline.apps.people.models import Address, Allocation, Person, Relationship
from caseline.apps.returns import cohorts
from caseline.apps.timescales.calendar import add_calendar_months

BATCH_SIZE = 500
# Keeping-in-touch contacts count from 3 months before the birthday (``derive``); read from
# that long before the year starts.
CONTACT_WINDOW_MONTHS = 3


Recorded = TypeVar(
    "Recorded",
    Episode,
    LACReview,
    MissingEpisode,
    HealthRecord,
    CareLeaverContact,
    Allocation,
    Address,
    Referral,
    AdoptionDecision,
    PreviousPermanence,
    DeprivationOfLibertyOrder,
)


@dataclass(frozen=True)
class ChildRecords:
    """One child's records that the return reads (for the year, or their whole care)."""

    person: Person
    episodes: list[Episode] = field(default_factory=list)  # all of them, oldest first
    reviews: list[LACReview] = field(default_factory=list)  # held in the year
    missing: list[MissingEpisode] = field(default_factory=list)  # open in the year
    health: list[HealthRecord] = field(default_factory=list)  # dated in the year
    contacts: list[CareLeaverContact] = field(default_factory=list)
    uasc: UASCDetails | None = None
    allocations: list[Allocation] = field(default_factory=list)  # with a worker, in the year
    addresses: list[Address] = field(default_factory=list)  # home addresses, oldest first
    referrals: list[Referral] = field(default_factory=list)  # with a primary need
    children_born: list[datetime.date] = field(default_factory=list)  # her children's births
    # Decisions that the child should be placed for adoption made by the end of the year,
    # oldest first.
    adoption_decisions: list[AdoptionDecision] = field(default_factory=list)
    previous_permanence: list[PreviousPermanence] = field(default_factory=list)  # all of them
    # Deprivation of liberty orders in force at any time in the year, oldest first.
    dolo_orders: list[DeprivationOfLibertyOrder] = field(default_factory=list)


def children_in_return(year: cohorts.Span) -> list[int]:
    """The ids of the children the return may hold, ascending: those with an episode open in
    the year, and those whose age makes them possible care leavers for the OC3 (who had an
    episode before the year ends; :func:`cohorts.care_leaver_birthday` decides)."""
    live = Person.objects.filter(merged_into__isnull=True)
    in_year = Episode.objects.filter(start_date__lte=year.end).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=year.start)
    )
    looked_after = set(live.filter(pk__in=in_year.values("person_id")).values_list("pk", flat=True))
    oldest, youngest = max(cohorts.OC3_AGES), min(cohorts.OC3_AGES)
    was_in_care = Episode.objects.filter(person=OuterRef("pk"), start_date__lte=year.end)
    leavers = set(
        live.filter(
            date_of_birth__gte=add_calendar_months(year.start, -12 * oldest - 1),
            date_of_birth__lte=add_calendar_months(year.end, -12 * youngest),
        )
        .filter(Exists(was_in_care))
        .values_list("pk", flat=True)
    )
    return sorted(looked_after | leavers)


def batches(ids: Sequence[int], size: int = BATCH_SIZE) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _by_person(rows: Iterable[Recorded]) -> dict[int, list[Recorded]]:
    grouped: dict[int, list[Recorded]] = defaultdict(list)
    for row in rows:
        grouped[row.person_id].append(row)
    return grouped


# The kinds of record a ChildRecords holds beside the person.
KINDS = frozenset(
    {
        "episodes",
        "reviews",
        "missing",
        "health",
        "contacts",
        "uasc",
        "allocations",
        "addresses",
        "referrals",
        "children_born",
        "adoption_decisions",
        "previous_permanence",
        "dolo_orders",
    }
)


def load_batch(
    ids: Sequence[int], year: cohorts.Span, kinds: frozenset[str] = KINDS
) -> list[ChildRecords]:
    """The records of the children ``ids`` the return reads, in the order of ``ids``: the
    person and the ``kinds`` of record named (every kind unless told; one not named is left
    empty and not read, for a reader that needs only some or has read them already)."""
    unknown = kinds - KINDS
    if unknown:
        raise ValueError(f"load_batch reads {sorted(KINDS)}, not {sorted(unknown)}")

    def by_person(kind: str, rows: Callable[[], Iterable[Recorded]]) -> dict[int, list[Recorded]]:
        return _by_person(rows()) if kind in kinds else {}

    people = Person.objects.in_bulk(ids)
    open_in_year = Q(start_date__lte=year.end) & (
        Q(end_date__isnull=True) | Q(end_date__gte=year.start)
    )
    episodes = by_person(
        "episodes",
        lambda: Episode.objects.filter(person_id__any_of=ids, start_date__lte=year.end).order_by(
            "person_id", "start_date", "id"
        ),
    )
    reviews = by_person(
        "reviews",
        lambda: LACReview.objects.filter(
            person_id__any_of=ids, review_date__range=(year.start, year.end)
        ).order_by("person_id", "review_date", "id"),
    )
    missing = by_person(
        "missing",
        lambda: MissingEpisode.objects.filter(open_in_year, person_id__any_of=ids).order_by(
            "person_id", "start_date", "id"
        ),
    )
    health = by_person(
        "health",
        lambda: HealthRecord.objects.filter(
            person_id__any_of=ids, event_date__range=(year.start, year.end)
        ).order_by("person_id", "event_date", "id"),
    )
    contacts = by_person(
        "contacts",
        lambda: CareLeaverContact.objects.filter(
            person_id__any_of=ids,
            contact_date__gte=add_calendar_months(year.start, -CONTACT_WINDOW_MONTHS),
        ).order_by("person_id", "contact_date", "id"),
    )
    uasc = {
        d.person_id: d
        for d in (UASCDetails.objects.filter(person_id__any_of=ids) if "uasc" in kinds else [])
    }
    allocations = by_person(
        "allocations",
        lambda: (
            Allocation.objects.filter(open_in_year, person_id__any_of=ids, worker__isnull=False)
            .select_related("worker")
            .order_by("person_id", "start_date", "id")
        ),
    )
    addresses = by_person(
        "addresses",
        lambda: Address.objects.filter(
            person_id__any_of=ids, kind=Address.Kind.HOME, start_date__lte=year.end
        ).order_by("person_id", "start_date", "id"),
    )
    referrals = by_person(
        "referrals",
        lambda: (
            Referral.objects.filter(person_id__any_of=ids, referral_date__lte=year.end)
            .exclude(primary_need="")
            .only("id", "person_id", "referral_date", "primary_need")
            .order_by("person_id", "referral_date", "id")
        ),
    )
    decisions = by_person(
        "adoption_decisions",
        lambda: AdoptionDecision.objects.filter(
            person_id__any_of=ids, decided_on__lte=year.end
        ).order_by("person_id", "decided_on", "id"),
    )
    previous_permanence = by_person(
        "previous_permanence",
        lambda: PreviousPermanence.objects.filter(person_id__any_of=ids).order_by(
            "person_id", "id"
        ),
    )
    dolo_orders = by_person(
        "dolo_orders",
        lambda: DeprivationOfLibertyOrder.objects.filter(
            open_in_year, person_id__any_of=ids
        ).order_by("person_id", "start_date", "id"),
    )
    born: dict[int, list[datetime.date]] = defaultdict(list)
    if "children_born" in kinds:
        births = Relationship.objects.filter(
            person_id__any_of=ids,
            kind=Relationship.Kind.PARENT,
            other__date_of_birth__isnull=False,
        ).order_by("person_id", "other__date_of_birth")
        for mother_id, child_born in births.values_list("person_id", "other__date_of_birth"):
            if child_born is not None:
                born[mother_id].append(child_born)
    return [
        ChildRecords(
            person=people[pk],
            episodes=episodes.get(pk, []),
            reviews=reviews.get(pk, []),
            missing=missing.get(pk, []),
            health=health.get(pk, []),
            contacts=contacts.get(pk, []),
            uasc=uasc.get(pk),
            allocations=allocations.get(pk, []),
            addresses=addresses.get(pk, []),
            referrals=referrals.get(pk, []),
            children_born=born.get(pk, []),
            adoption_decisions=decisions.get(pk, []),
            previous_permanence=previous_permanence.get(pk, []),
            dolo_orders=dolo_orders.get(pk, []),
        )
        for pk in ids
        if pk in people
    ]
