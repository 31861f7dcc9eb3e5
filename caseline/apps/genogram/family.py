"""Read the three generations around a child from the recorded relationships.

Relationships read "``person`` is the <kind> of ``other``". The family is rebuilt on every
request, so changing a relationship changes the genogram.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field, replace
from enum import StrEnum

from django.db.models import Q
from django.utils import timezone

from caseline.apps.people.models import HouseholdMember, Person, Relationship

K = Relationship.Kind
PARENT_KINDS = {K.PARENT, K.STEP_PARENT}
PARTNER_KINDS = {K.PARTNER, K.FORMER_PARTNER}


class UnionStatus(StrEnum):
    TOGETHER = "together"
    SEPARATED = "separated"
    NOT_RECORDED = "not recorded"


@dataclass(frozen=True)
class Member:
    person_id: int
    given_name: str
    family_name: str
    sex: str
    birth_year: int | None
    death_date: datetime.date | None
    generation: int  # 0 grandparents, 1 parents, 2 the child's own generation
    is_focus: bool
    in_household: bool

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def deceased(self) -> bool:
        return self.death_date is not None


@dataclass(frozen=True)
class Union:
    """Two adults (or one, partner unknown) and the children they have together."""

    first: int
    second: int | None
    status: UnionStatus
    children: tuple[int, ...] = ()


@dataclass
class Family:
    focus: int
    members: dict[int, Member] = field(default_factory=dict)
    unions: list[Union] = field(default_factory=list)
    step_parents: set[int] = field(default_factory=set)

    def generation(self, number: int) -> list[Member]:
        return [m for m in self.members.values() if m.generation == number]


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def build_family(focus: Person, as_at: datetime.date | None = None) -> Family:
    """The child, parents and step-parents with their partners, siblings and half-siblings,
    and grandparents, with the unions between them. Five queries, whatever the family size."""
    as_at = as_at or timezone.localdate()
    generation: dict[int, int] = {focus.pk: 2}

    parent_rels = list(
        Relationship.objects.filter(other=focus, kind__in=PARENT_KINDS).values_list(
            "person_id", "kind"
        )
    )
    parents = {pid for pid, kind in parent_rels if kind == K.PARENT}
    step_parents = {pid for pid, kind in parent_rels if kind == K.STEP_PARENT}
    for pid in parents | step_parents:
        generation[pid] = 1

    # Everything touching the parents, step-parents and the child, in one query.
    core = {focus.pk} | parents | step_parents
    rels = list(
        Relationship.objects.filter(Q(person_id__in=core) | Q(other_id__in=core)).values_list(
            "person_id", "other_id", "kind", "end_date"
        )
    )
    parents_of: dict[int, set[int]] = defaultdict(set)
    partnerships: dict[tuple[int, int], UnionStatus] = {}
    for person_id, other_id, kind, end_date in rels:
        if kind == K.PARENT:
            if person_id == focus.pk:
                continue  # the child's own children are beyond these three generations
            parents_of[other_id].add(person_id)
            if person_id in core and other_id not in core:
                generation.setdefault(other_id, 2)  # a sibling or half-sibling of the child
            elif other_id in core - {focus.pk}:
                generation.setdefault(person_id, 0)  # a grandparent
        elif kind in PARTNER_KINDS and {person_id, other_id} & (parents | step_parents):
            ended = kind == K.FORMER_PARTNER or (end_date is not None and end_date <= as_at)
            partnerships[_pair(person_id, other_id)] = (
                UnionStatus.SEPARATED if ended else UnionStatus.TOGETHER
            )
            for pid in (person_id, other_id):
                generation.setdefault(pid, 1)
        elif kind in {K.SIBLING, K.HALF_SIBLING}:
            generation.setdefault(other_id if person_id == focus.pk else person_id, 2)
        elif kind == K.GRANDPARENT and other_id == focus.pk:
            generation.setdefault(person_id, 0)

    # Partnerships among the grandparents, and the siblings' own parents.
    siblings = {pid for pid, gen in generation.items() if gen == 2}
    grandparents = {pid for pid, gen in generation.items() if gen == 0}
    more = list(
        Relationship.objects.filter(
            Q(other_id__in=siblings - {focus.pk}, kind=K.PARENT)
            | Q(person_id__in=grandparents, kind__in=PARTNER_KINDS)
        ).values_list("person_id", "other_id", "kind", "end_date")
    )
    for person_id, other_id, kind, end_date in more:
        if kind == K.PARENT:
            parents_of[other_id].add(person_id)
            generation.setdefault(person_id, 1)
        else:
            ended = kind == K.FORMER_PARTNER or (end_date is not None and end_date <= as_at)
            if person_id in grandparents and other_id in grandparents:
                partnerships[_pair(person_id, other_id)] = (
                    UnionStatus.SEPARATED if ended else UnionStatus.TOGETHER
                )

    household_ids = set(
        HouseholdMember.objects.filter(
            household__householdmember__person=focus,
            household__householdmember__end_date__isnull=True,
            end_date__isnull=True,
        ).values_list("person_id", flat=True)
    )
    people = Person.objects.filter(pk__in=generation).only(
        "id", "given_name", "family_name", "sex", "date_of_birth", "date_of_death"
    )
    family = Family(focus=focus.pk, step_parents=step_parents)
    for person in people:
        family.members[person.pk] = Member(
            person_id=person.pk,
            given_name=person.given_name,
            family_name=person.family_name,
            sex=person.sex,
            birth_year=person.date_of_birth.year if person.date_of_birth else None,
            death_date=person.date_of_death,
            generation=generation[person.pk],
            is_focus=person.pk == focus.pk,
            in_household=person.pk in household_ids,
        )
    family.unions = _unions(family, parents_of, partnerships)
    return family


def mask_restricted(family: Family, hidden: set[int]) -> Family:
    """The family with each member in ``hidden`` (records restricted from the viewer) shown
    only as "Restricted record": no name, sex, birth year or death."""
    for pid in hidden & family.members.keys():
        family.members[pid] = replace(
            family.members[pid],
            given_name="Restricted record",
            family_name="",
            sex=Person.Sex.UNKNOWN,
            birth_year=None,
            death_date=None,
        )
    return family


def _unions(
    family: Family,
    parents_of: dict[int, set[int]],
    partnerships: dict[tuple[int, int], UnionStatus],
) -> list[Union]:
    """Group children by the pair of parents they share; add childless partnerships."""
    by_parents: dict[tuple[int, int | None], list[int]] = defaultdict(list)
    for child_id in family.members:
        known = sorted(p for p in parents_of.get(child_id, set()) if p in family.members)
        if not known:
            continue
        key: tuple[int, int | None] = (known[0], known[1]) if len(known) > 1 else (known[0], None)
        by_parents[key].append(child_id)
    unions: list[Union] = []
    for (first, second), children in by_parents.items():
        status = UnionStatus.NOT_RECORDED
        if second is not None:
            status = partnerships.get(_pair(first, second), UnionStatus.NOT_RECORDED)
        ordered = sorted(children, key=lambda c: (family.members[c].birth_year or 0, c))
        unions.append(Union(first, second, status, tuple(ordered)))
    paired = {_pair(u.first, u.second) for u in unions if u.second is not None}
    for (a, b), status in partnerships.items():
        if (a, b) not in paired and a in family.members and b in family.members:
            unions.append(Union(a, b, status))
    return unions
