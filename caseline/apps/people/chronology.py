"""Family events for the child's chronology: births, deaths, relationships, moves and alerts.

Four queries per child, whatever the size of the family: who cares for the child, the child's
relationships with those adults' partnerships (both people loaded), addresses and alerts; in a
chronology, none for addresses or alerts when the child has none (``held``).
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.urls import reverse

from caseline.apps.core.text import sentence
from caseline.apps.people.contribution import Category, ChronologyEntry, Step
from caseline.apps.people.models import Address, Alert, Person, Relationship
from caseline.apps.people.queries import RecordsHeld
from caseline.apps.timescales.rules import format_date

SOURCE = "Family"

Kind = Relationship.Kind

# How a relative is named from the child's side: (unknown sex, male, female).
_WORDS: dict[str, tuple[str, str, str]] = {
    Kind.PARENT: ("parent", "father", "mother"),
    Kind.STEP_PARENT: ("step-parent", "stepfather", "stepmother"),
    Kind.SIBLING: ("brother or sister", "brother", "sister"),
    Kind.HALF_SIBLING: ("half-sibling", "half-brother", "half-sister"),
    Kind.GRANDPARENT: ("grandparent", "grandfather", "grandmother"),
    Kind.PARTNER: ("partner", "partner", "partner"),
    Kind.FORMER_PARTNER: ("former partner", "former partner", "former partner"),
    Kind.CARER: ("carer", "carer", "carer"),
    Kind.OTHER_RELATIVE: ("relative", "relative", "relative"),
    Kind.FRIEND: ("friend", "friend", "friend"),
}
# When the child is the parent (or carer...) in the relationship, the relative is their...
_INVERSE_WORDS: dict[str, tuple[str, str, str]] = {
    Kind.PARENT: ("child", "son", "daughter"),
    Kind.STEP_PARENT: ("stepchild", "stepson", "stepdaughter"),
    Kind.GRANDPARENT: ("grandchild", "grandson", "granddaughter"),
    Kind.CARER: ("cared-for person", "cared-for person", "cared-for person"),
}
# Relatives whose arrival or departure changes who looks after the child.
_CARING_KINDS = {Kind.PARENT, Kind.STEP_PARENT, Kind.CARER}
_SIBLING_KINDS = {Kind.SIBLING, Kind.HALF_SIBLING}
_PARTNER_KINDS = {Kind.PARTNER, Kind.FORMER_PARTNER}

WHY_DEATH = (
    "A bereavement affects the child's wellbeing and may change who cares for them and where "
    "they live."
)
WHY_CHILD_DEATH = "The child has died: the record must show everything known before the death."
WHY_SEPARATION = (
    "The separation of the adults caring for the child changes the child's home life and who "
    "looks after them."
)
WHY_NEW_PARTNER = (
    "A new partner of a parent or carer may live with or have regular contact with the child."
)
WHY_NEW_CARER = "A new adult is caring for the child."
WHY_CARER_LEFT = "The adults caring for the child have changed."
WHY_MOVE = (
    "A move of home can unsettle the child and change their school, doctor and the "
    "professionals around them."
)


def _word(words: dict[str, tuple[str, str, str]], kind: str, sex: str) -> str:
    unknown, male, female = words.get(kind, ("relative", "relative", "relative"))
    if sex == Person.Sex.MALE:
        return male
    if sex == Person.Sex.FEMALE:
        return female
    return unknown


def relation_to_child(relationship: Relationship, child: Person) -> tuple[Person, str]:
    """The relative and what they are to the child: (Dean, "father")."""
    if relationship.other_id == child.pk:
        relative = relationship.person
        return relative, _word(_WORDS, relationship.kind, relative.sex)
    relative = relationship.other
    words = _INVERSE_WORDS if relationship.kind in _INVERSE_WORDS else _WORDS
    return relative, _word(words, relationship.kind, relative.sex)


def family_chronology(person: Person, held: RecordsHeld) -> list[ChronologyEntry]:
    """Every family event on the child's record, as sentences a court can read."""
    name = person.given_name
    people_href = reverse("people:relationships", kwargs={"person_id": person.pk})
    record_href = reverse("people:record", kwargs={"person_id": person.pk})
    entries: list[ChronologyEntry] = []

    def add(
        day: datetime.date,
        what: str,
        *,
        href: str = people_href,
        why: str = "",
        step: Step = Step.EVENT,
    ) -> None:
        entries.append(
            ChronologyEntry(
                date=day,
                category=Category.FAMILY,
                what_happened=what,
                source=SOURCE,
                why_it_matters=why,
                significant=bool(why),
                href=href,
                step=step,
            )
        )

    if person.date_of_birth:
        add(person.date_of_birth, f"{name} was born.", href=record_href, step=Step.BORN)
    if person.date_of_death:
        add(
            person.date_of_death,
            f"{name} died.",
            href=record_href,
            why=WHY_CHILD_DEATH,
            step=Step.DIED,
        )

    # Two queries: the carers' ids first (as a subquery inside the OR below, PostgreSQL reads
    # the whole relationship and people tables), then the child's own relationships and the
    # partnerships of those who care for them.
    carer_ids = list(
        Relationship.objects.filter(other=person, kind__in=_CARING_KINDS).values_list(
            "person_id", flat=True
        )
    )
    everyone = list(
        Relationship.objects.filter(
            Q(person=person)
            | Q(other=person)
            | (
                Q(kind__in=_PARTNER_KINDS)
                & (Q(person_id__in=carer_ids) | Q(other_id__in=carer_ids))
            )
        )
        .select_related("person", "other")
        .order_by("id")
    )
    relationships = [r for r in everyone if person.pk in (r.person_id, r.other_id)]
    partnerships = [r for r in everyone if person.pk not in (r.person_id, r.other_id)]
    carers: dict[int, str] = {}  # person id -> what they are to the child
    parents: set[int] = set()
    died: set[int] = set()
    for relationship in relationships:
        relative, word = relation_to_child(relationship, person)
        label = f"{name}'s {word}, {relative.full_name},"
        caring = relationship.kind in _CARING_KINDS and relationship.other_id == person.pk
        if caring:
            carers[relative.pk] = word
            if relationship.kind == Kind.PARENT:
                parents.add(relative.pk)
        if relative.date_of_death and relative.pk not in died:
            died.add(relative.pk)
            add(relative.date_of_death, f"{label} died.", why=WHY_DEATH)
        if (
            relationship.kind in _SIBLING_KINDS
            and relative.date_of_birth
            and person.date_of_birth
            and relative.date_of_birth > person.date_of_birth
        ):
            add(relative.date_of_birth, f"{label} was born.")
        note = f" {sentence(relationship.note)}" if relationship.note else ""
        if relationship.start_date and relationship.kind not in _SIBLING_KINDS:
            if caring and relationship.kind != Kind.PARENT:
                add(
                    relationship.start_date,
                    f"{relative.full_name} became {name}'s {word}.{note}",
                    why=WHY_NEW_CARER,
                )
            elif relationship.start_date != relative.date_of_birth:
                add(
                    relationship.start_date,
                    f"{name}'s relationship with their {word}, {relative.full_name}, began.{note}",
                )
        if relationship.end_date:
            add(
                relationship.end_date,
                f"{relative.full_name} stopped being {name}'s {word}.{note}"
                if caring
                else f"{name}'s relationship with their {word}, {relative.full_name}, ended.{note}",
                why=WHY_CARER_LEFT if caring else "",
            )

    entries.extend(_partnership_entries(person, partnerships, carers, parents, people_href))

    addresses = list(held.rows(Address).order_by("start_date", "id"))
    for index, address in enumerate(addresses):
        if index == 0:
            add(
                address.start_date,
                f"{name} was living at {address}.",
                href=record_href,
            )
        else:
            add(address.start_date, f"{name} moved to {address}.", href=record_href, why=WHY_MOVE)

    for alert in held.rows(Alert).order_by("start_date", "id"):
        ended = f" It ended on {format_date(alert.end_date)}." if alert.end_date else ""
        add(
            alert.start_date,
            f"Alert added to {name}'s record: {sentence(alert.text)}{ended}",
            href=record_href,
        )
    return entries


def _partnership_entries(
    person: Person,
    partnerships: list[Relationship],
    carers: dict[int, str],
    parents: set[int],
    href: str,
) -> list[ChronologyEntry]:
    """Parents and carers starting and ending relationships: separations and new partners."""
    name = person.given_name

    def described(someone: Person) -> str:
        word = carers.get(someone.pk)
        return f"{someone.full_name} ({name}'s {word})" if word else someone.full_name

    entries: list[ChronologyEntry] = []
    for partnership in partnerships:
        first, second = partnership.person, partnership.other
        if first.pk not in carers or (second.pk in parents and first.pk not in parents):
            first, second = second, first  # the child's parent (or carer) first
        both_parents = first.pk in parents and second.pk in parents
        if partnership.start_date:
            entries.append(
                ChronologyEntry(
                    date=partnership.start_date,
                    category=Category.FAMILY,
                    what_happened=f"{described(first)} and {described(second)} began a "
                    "relationship."
                    if both_parents
                    else f"{described(first)} began a relationship with {described(second)}.",
                    source=SOURCE,
                    why_it_matters="" if both_parents else WHY_NEW_PARTNER,
                    significant=not both_parents,
                    href=href,
                )
            )
        if partnership.end_date:
            entries.append(
                ChronologyEntry(
                    date=partnership.end_date,
                    category=Category.FAMILY,
                    what_happened=f"{described(first)} and {described(second)} separated.",
                    source=SOURCE,
                    why_it_matters=WHY_SEPARATION,
                    significant=True,
                    href=href,
                )
            )
    return entries
