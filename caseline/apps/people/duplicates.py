"""The duplicate check run before anyone is added: the same NHS number or UPN, or the same
date of birth and a similar name. It looks across everyone on the record, visible or not,
because a duplicate the user cannot see is still a duplicate.

Each person is compared as the search compares them (``people.search``: its identifier and
name scoring, its ranking), with the candidates read once for several people at a time (a
family being imported): everyone not merged who has one of their dates of birth, or whose
record one of their identifiers finds. Only an exact date of birth can make a probable
duplicate by name, so the nearby dates the search also reads for a person are not needed.
"""

from __future__ import annotations

import datetime
import functools
import operator
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Prefetch, Q

from caseline.apps.people.models import Address, OtherName, Person
from caseline.apps.people.search import (
    CANDIDATE_FIELDS,
    RESULT_LIMIT,
    NameMatcher,
    SearchCriteria,
    _Candidate,
    _identifier_filter,
    _identifier_finds,
    _score,
    _Scored,
    ranked,
    typed_words,
)

DUPLICATE_NAME_MATCH = 0.9


@dataclass(frozen=True)
class Identity:
    """What the duplicate check compares of a person to be added."""

    given_name: str
    family_name: str
    date_of_birth: datetime.date | None = None
    nhs_number: str = ""
    upn: str = ""


def probable_duplicates(
    *,
    given_name: str,
    family_name: str,
    date_of_birth: datetime.date | None = None,
    nhs_number: str = "",
    upn: str = "",
    exclude_id: int | None = None,
) -> list[Person]:
    """People already on the record who are probably this person, best match first."""
    identity = Identity(given_name, family_name, date_of_birth, nhs_number, upn)
    check = DuplicateCheck([identity], exclude_id=exclude_id)
    return check.matches(identity)


class DuplicateCheck:
    """The record read once for the duplicates of several people (``identities``); people
    added since (``added``) are compared too, as the record then holds them."""

    def __init__(self, identities: Sequence[Identity], *, exclude_id: int | None = None) -> None:
        either = [Q(date_of_birth__in={i.date_of_birth for i in identities if i.date_of_birth})]
        for identity in identities:
            for identifier in (identity.nhs_number, identity.upn):
                found = _identifier_filter(identifier) if identifier else None
                if found is not None:
                    either.append(found)
        people = Person.objects.filter(functools.reduce(operator.or_, either))
        if exclude_id is not None:
            people = people.exclude(pk=exclude_id)
        self.candidates = {
            row[0]: _Candidate(*row)
            for row in people.filter(merged_into__isnull=True)
            .order_by()
            .values_list(*CANDIDATE_FIELDS)
        }
        if self.candidates:
            for person_id, given, family in (
                OtherName.objects.filter(person_id__in=self.candidates)
                .order_by()
                .values_list("person_id", "given_name", "family_name")
            ):
                self.candidates[person_id].other_names.append((given, family))
        self.added: dict[int, Person] = {}

    def add(self, person: Person) -> None:
        """A person added since the record was read: compared with those checked after."""
        self.added[person.pk] = person
        self.candidates[person.pk] = _Candidate(
            person.pk,
            person.given_name,
            person.family_name,
            person.preferred_name,
            person.date_of_birth,
            person.nhs_number,
            person.upn,
        )

    def matches(self, identity: Identity) -> list[Person]:
        """The probable duplicates of ``identity``, best match first: whoever has the same
        NHS number or UPN, then whoever has the same date of birth and a name at least
        ``DUPLICATE_NAME_MATCH`` alike, each ranked as the search ranks them."""
        found: dict[int, _Scored] = {}
        for identifier in (identity.nhs_number, identity.upn):
            if identifier:
                for result in self._search(SearchCriteria(identifier=identifier)):
                    found[result.candidate.pk] = result
        if identity.date_of_birth is not None:
            criteria = SearchCriteria(
                name=f"{identity.given_name} {identity.family_name}",
                date_of_birth=identity.date_of_birth,
            )
            for result in self._search(criteria):
                # Only an exact date of birth and a close name count as a probable duplicate.
                if (
                    result.candidate.date_of_birth == identity.date_of_birth
                    and result.score >= (1 + DUPLICATE_NAME_MATCH) / 2
                ):
                    found.setdefault(result.candidate.pk, result)
        if not found:
            return []
        ranked = sorted(found.values(), key=lambda r: -r.score)
        read = {pk for pk in found if pk not in self.added}
        people = {**self._read(read), **self.added}
        return [people[r.candidate.pk] for r in ranked if r.candidate.pk in people]

    def _search(self, criteria: SearchCriteria) -> list[_Scored]:
        """The candidates that match ``criteria``, ranked and as many as the search gives."""
        matcher = NameMatcher()  # for this search only
        words = typed_words(criteria.name, matcher)
        candidates = list(self.candidates.values())
        if criteria.identifier:  # only those the search's identifier lookup finds
            candidates = [
                c
                for c in candidates
                if _identifier_finds(criteria.identifier, c.pk, c.nhs_number, c.upn)
            ]
        scored = [r for r in (_score(c, criteria, words, matcher) for c in candidates) if r]
        return ranked(scored)[:RESULT_LIMIT]

    @staticmethod
    def _read(ids: set[int]) -> dict[int, Person]:
        """The matches in full, as the search gives them (other names, addresses)."""
        if not ids:
            return {}
        return Person.objects.prefetch_related(
            "other_names", Prefetch("addresses", queryset=Address.objects.order_by("-start_date"))
        ).in_bulk(ids)
