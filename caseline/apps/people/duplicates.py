"""The duplicate check run before anyone is added: the same NHS number or UPN, or the same
date of birth and a similar name. It looks across everyone on the record, visible or not,
because a duplicate the user cannot see is still a duplicate."""

from __future__ import annotations

import datetime

from caseline.apps.people.models import Person
from caseline.apps.people.search import SearchCriteria, SearchResult, run_search

DUPLICATE_NAME_MATCH = 0.9


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
    base = Person.objects.all()
    if exclude_id is not None:
        base = base.exclude(pk=exclude_id)
    found: dict[int, SearchResult] = {}
    for identifier in (nhs_number, upn):
        if identifier:
            for result in run_search(base, SearchCriteria(identifier=identifier)):
                found[result.person.pk] = result
    if date_of_birth is not None:
        criteria = SearchCriteria(name=f"{given_name} {family_name}", date_of_birth=date_of_birth)
        for result in run_search(base, criteria):
            # Only an exact date of birth and a close name count as a probable duplicate.
            if (
                result.person.date_of_birth == date_of_birth
                and result.score >= (1 + DUPLICATE_NAME_MATCH) / 2
            ):
                found.setdefault(result.person.pk, result)
    return [r.person for r in sorted(found.values(), key=lambda r: -r.score)]
