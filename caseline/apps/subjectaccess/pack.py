"""Assembling a subject access pack and blanking out its redactions.

The pack is every chronology entry on the requester's own record (``chronology_for``, which
gathers every app's entries), and every entry on the record of a person related to them (the
people app's relationships, both ways) that mentions them by name, in date order. The third
parties' names, addresses and contact details, and phone numbers and postcodes written in the
entries that are not the requester's own, are proposed for redaction.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from caseline.apps.chronology.queries import chronology_for, in_order
from caseline.apps.people.contribution import ChronologyEntry
from caseline.apps.people.models import Address, ContactDetail, Person, Relationship
from caseline.apps.people.queries import relationships_of

MARKER = "[REDACTED]"
OWN_RECORD = "Own record"
# A UK phone number written in text: 01632 960123, 07700 900 123, +44 7700 900123.
PHONE = re.compile(r"(?<![\w+])(?:\+44\s?|0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}(?!\w)")
# A UK postcode: SW1A 1AA, M1 1AE.
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b")


@dataclass(frozen=True)
class Proposal:
    """A redaction Caseline proposes: the text and why."""

    text: str
    reason: str


@dataclass
class Assembly:
    """What assembling found: the entries (as stored on the pack), the proposals, and what
    was searched, for the cover sheet."""

    entries: list[dict[str, Any]]
    proposals: list[Proposal]
    related_searched: list[int] = field(default_factory=list)
    related_included: list[int] = field(default_factory=list)


def names_of(person: Person) -> list[str]:
    """The ways a person is named in text: full name, preferred and given name alone."""
    names = [f"{person.given_name} {person.family_name}"]
    if person.preferred_name:
        names.append(f"{person.preferred_name} {person.family_name}")
        names.append(person.preferred_name)
    names.append(person.given_name)
    return [n.strip() for n in names if n.strip()]


def word_pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern matching any of the terms as whole words, any case, longest first."""
    cleaned = sorted({t.strip() for t in terms if t.strip()}, key=len, reverse=True)
    if not cleaned:
        return None
    alternatives = "|".join(r"\s+".join(map(re.escape, t.split())) for t in cleaned)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _text(entry: ChronologyEntry) -> str:
    return f"{entry.what_happened}\n{entry.why_it_matters}"


def _stored(entry: ChronologyEntry, found_in: str) -> dict[str, Any]:
    return {
        "date": entry.date.isoformat(),
        "time": entry.time.strftime("%H:%M") if entry.time else "",
        "category": entry.category.label,
        "source": entry.source,
        "what_happened": entry.what_happened,
        "why_it_matters": entry.why_it_matters,
        "recorded_by": entry.recorded_by,
        "found_in": found_in,
    }


def _other(relationship: Relationship, person: Person) -> Person:
    return relationship.other if relationship.person_id == person.pk else relationship.person


# What the other person is to the requester when the requester is the ``person`` of the
# relationship ("the requester is the parent of X": X is the requester's child).
_CONVERSE = {
    Relationship.Kind.PARENT: "child",
    Relationship.Kind.STEP_PARENT: "step-child",
    Relationship.Kind.GRANDPARENT: "grandchild",
    Relationship.Kind.CARER: "person cared for",
}


def _kind_of(relationship: Relationship, person: Person) -> str:
    """How the other person relates to the requester, without naming them."""
    label = relationship.get_kind_display().lower()
    if relationship.person_id == person.pk:
        label = _CONVERSE.get(Relationship.Kind(relationship.kind), label)
    return f"the requester's {label}"


def assemble(person: Person, visible: set[int] | None = None) -> Assembly:
    """The pack's entries about and mentioning ``person``, and the proposed redactions.

    ``visible`` limits the related people whose records are searched (the assembler's
    visibility); ``None`` searches all."""
    relationships = relationships_of(person)
    others: dict[int, tuple[Person, str]] = {}
    for relationship in relationships:
        other = _other(relationship, person)
        if other.pk != person.pk and other.pk not in others:
            others[other.pk] = (other, _kind_of(relationship, person))
    mentions = word_pattern(names_of(person))
    seen: set[tuple[str, str, str]] = set()
    chosen: list[tuple[ChronologyEntry, str]] = []
    for entry in chronology_for(person):
        seen.add((entry.date.isoformat(), entry.source, entry.what_happened))
        chosen.append((entry, OWN_RECORD))
    searched: list[int] = []
    included: list[int] = []
    for other_id, (other, kind) in others.items():
        if visible is not None and other_id not in visible:
            continue
        searched.append(other_id)
        found = False
        for entry in chronology_for(other):
            key = (entry.date.isoformat(), entry.source, entry.what_happened)
            if key in seen or mentions is None or not mentions.search(_text(entry)):
                continue
            seen.add(key)
            chosen.append((entry, f"Record of {kind}"))
            found = True
        if found:
            included.append(other_id)
    order = {id(entry): found_in for entry, found_in in chosen}
    entries = [_stored(e, order[id(e)]) for e in in_order(e for e, _ in chosen)]
    return Assembly(
        entries=entries,
        proposals=propose(person, [o for o, _ in others.values()], entries),
        related_searched=searched,
        related_included=included,
    )


def propose(person: Person, others: list[Person], entries: list[dict[str, Any]]) -> list[Proposal]:
    """Third parties' names, addresses and contact details, and phone numbers and postcodes
    in the entries that are not the requester's own, each once."""
    own_names = {n.lower() for n in names_of(person)} | {person.family_name.lower()}
    own_addresses = list(Address.objects.filter(person=person))
    own_details = {
        v.lower()
        for v in ContactDetail.objects.filter(person=person).values_list("value", flat=True)
    }
    own_postcodes = {_squash(a.postcode) for a in own_addresses}
    proposals: dict[str, Proposal] = {}

    def add(text: str, reason: str) -> None:
        text = text.strip()
        if text and text.lower() not in own_names and text.lower() not in proposals:
            proposals[text.lower()] = Proposal(text, reason)

    other_ids = [o.pk for o in others]
    for other in others:
        for name in names_of(other):
            add(name, "A third party's name")
        if other.family_name.lower() != person.family_name.lower():
            add(other.family_name, "A third party's name")
    own_lines = {a.line_1.lower() for a in own_addresses}
    for address in Address.objects.filter(person_id__in=other_ids):
        if address.line_1.lower() not in own_lines:
            add(address.line_1, "A third party's address")
        if _squash(address.postcode) not in own_postcodes:
            add(address.postcode, "A third party's address")
    for value in ContactDetail.objects.filter(person_id__in=other_ids).values_list(
        "value", flat=True
    ):
        if value.lower() not in own_details:
            add(value, "A third party's contact details")
    for entry in entries:
        text = f"{entry['what_happened']}\n{entry['why_it_matters']}"
        for match in PHONE.finditer(text):
            if match.group().lower() not in own_details:
                add(match.group(), "A phone number in the record")
        for match in POSTCODE.finditer(text):
            if _squash(match.group()) not in own_postcodes:
                add(match.group(), "A postcode in the record")
    return list(proposals.values())


def _squash(postcode: str) -> str:
    return postcode.replace(" ", "").upper()


def redact(text: str, pattern: re.Pattern[str] | None) -> str:
    """The text with every match replaced by the marker: the words are gone, not hidden."""
    if pattern is None or not text:
        return text
    return pattern.sub(MARKER, text)


def redacted_entries(entries: list[dict[str, Any]], terms: Iterable[str]) -> list[dict[str, Any]]:
    """The pack's entries as released: free text redacted, dates as dates."""
    pattern = word_pattern(terms)
    out = []
    for entry in entries:
        row = dict(entry)
        row["date"] = datetime.date.fromisoformat(entry["date"])
        for key in ("what_happened", "why_it_matters", "source", "recorded_by"):
            row[key] = redact(entry[key], pattern)
        out.append(row)
    return out
