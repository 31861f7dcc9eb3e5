"""Finding people: by name (fuzzy and phonetic, other names included), date of birth, NHS
number, UPN, Caseline ID and postcode.

Fast on a large register: each criterion first narrows the table through an indexed column
(phonetic keys, date of birth, exact identifiers, ``postcode_search``), each stage capped, and
only that bounded set of candidates is scored in Python, from their names and identifiers
read as plain values; only the results returned are read as full records. A result must
match every criterion given; results are ranked by their mean score.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from caseline.apps.people.models import Address, OtherName, Person
from caseline.apps.people.names import normalise_name, phonetic, similarity
from caseline.apps.people.validators import normalise_nhs_number, normalise_upn, postcode_search_key

RESULT_LIMIT = 50
CANDIDATE_CAP = 500  # most rows any one prefilter stage contributes
ENOUGH_CANDIDATES = RESULT_LIMIT  # stop widening a name search once this many are found
NAME_MATCH = 0.8  # the least name similarity that counts as a match
PART_MATCH = 0.75  # the least similarity of each of first and last name
PARTIAL_DOB = 0.6  # score for a date of birth with day and month swapped, or one part different

_CASELINE_ID = re.compile(r"^P0*(\d+)$", re.IGNORECASE)


@dataclass(frozen=True)
class SearchCriteria:
    name: str = ""
    date_of_birth: datetime.date | None = None
    identifier: str = ""  # NHS number, UPN or Caseline ID
    postcode: str = ""

    def is_empty(self) -> bool:
        return not (
            self.name.strip()
            or self.date_of_birth
            or self.identifier.strip()
            or self.postcode.strip()
        )


@dataclass
class SearchResult:
    person: Person
    score: float
    matched_on: list[str] = field(default_factory=list)
    name_score: float = 0.0

    @property
    def current_address(self) -> Address | None:
        current = [a for a in self.person.addresses.all() if a.end_date is None]
        return current[0] if current else None


# Names repeat across a register (and across searches): normalise each spelling once.
_normalised = functools.lru_cache(maxsize=50_000)(normalise_name)


@functools.lru_cache(maxsize=1_000)
def _name_parts(name: str) -> tuple[str, str]:
    words = _normalised(name).split()
    if not words:
        return "", ""
    if len(words) == 1:
        return words[0], ""
    return words[0], words[-1]


def name_score(query_given: str, query_family: str, names: Iterable[tuple[str, str]]) -> float:
    """How well a typed name matches a person's names: each typed part is compared with every
    first name (main, preferred, other) and every last name the person has been known by."""
    pairs = list(names)
    givens = {_normalised(g) for g, _ in pairs if g}
    families = {_normalised(f) for _, f in pairs if f}

    def best(query: str, candidates: set[str]) -> float:
        return max((similarity(query, c) for c in candidates), default=0.0)

    if not query_family:
        # One word: it may be either name.
        return max(best(query_given, givens), best(query_given, families))

    def both(first: float, last: float) -> float:
        # Both parts must be alike: a right first name cannot carry a wrong last name.
        return (first + last) / 2 if min(first, last) >= PART_MATCH else min(first, last)

    in_order = both(best(query_given, givens), best(query_family, families))
    reversed_ = both(best(query_given, families), best(query_family, givens))
    return max(in_order, reversed_)


def dob_score(query: datetime.date, actual: datetime.date | None) -> float:
    if actual is None:
        return 0.0
    if query == actual:
        return 1.0
    same = [query.day == actual.day, query.month == actual.month, query.year == actual.year]
    swapped = query.year == actual.year and (query.day, query.month) == (actual.month, actual.day)
    if swapped or sum(same) == 2:
        return PARTIAL_DOB
    return 0.0


def _identifier_filter(identifier: str) -> Q | None:
    text = identifier.strip()
    if not text:
        return None
    match = _CASELINE_ID.match(text.replace(" ", ""))
    if match:
        return Q(pk=int(match.group(1)))
    digits = normalise_nhs_number(text)
    if digits.isdigit():
        return Q(nhs_number=digits)
    return Q(upn=normalise_upn(text))


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def typing_slips(word: str) -> set[str]:
    """Every spelling one slip away (a letter missed, added, changed or two swapped), so an
    indexed ``IN`` lookup finds "smith" from "smiht". Words shorter than 4 letters get none."""
    if len(word) < 4:
        return {word}
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    changes = {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    inserts = {a + c + b for a, b in splits for c in _LETTERS}
    return {word} | deletes | swaps | changes | inserts


def _dob_near(day: datetime.date) -> Q:
    """Dates that could score as a partial match and are cheap to find through the index:
    the same year, or the day and month swapped."""
    near = Q(date_of_birth__range=(day.replace(month=1, day=1), day.replace(month=12, day=31)))
    with contextlib.suppress(ValueError):
        near |= Q(date_of_birth=day.replace(month=day.day, day=day.month))
    return near


def _name_stages(base: QuerySet[Person], given: str, family: str) -> list[list[QuerySet[Person]]]:
    """Indexed lookups for a typed name, most precise first."""
    words = [w for w in (given, family) if w]
    keys = {phonetic(w) for w in words} - {""}

    def like(word: str, prefix: str) -> Q:
        return Q(**{f"phonetic_{prefix}": phonetic(word)}) | Q(
            **{f"search_{prefix}__in": typing_slips(word)}
        )

    base = base.order_by()
    stages = []
    if family:
        # In order and reversed, as two queries in one stage: one query with both (an OR of
        # ANDs of ORs) would read the whole table, as SQLite can use no index for it.
        stages.append(
            [
                base.filter(like(given, "given") & like(family, "family")),
                base.filter(like(family, "given") & like(given, "family")),
            ]
        )
    other_names = OtherName.objects.filter(
        Q(phonetic_given__in=keys) | Q(phonetic_family__in=keys)
    ).values("person_id")
    stages.append([base.filter(pk__in=other_names)])
    for word in words:
        stages.append([base.filter(like(word, "family"))])
        stages.append([base.filter(like(word, "given"))])
    return stages


def _candidate_ids(base: QuerySet[Person], criteria: SearchCriteria) -> set[int]:
    """A bounded set of ids that could match. Every criterion must match, so the most
    selective exact one (ID, then postcode) is enough on its own."""
    id_filter = _identifier_filter(criteria.identifier)
    if id_filter is not None:
        return set(base.filter(id_filter).values_list("pk", flat=True)[:CANDIDATE_CAP])
    if criteria.postcode.strip():
        key = postcode_search_key(criteria.postcode)
        return set(
            base.filter(addresses__postcode_search=key).values_list("pk", flat=True)[:CANDIDATE_CAP]
        )
    ids: set[int] = set()
    dob = criteria.date_of_birth
    if dob:
        ids.update(base.filter(date_of_birth=dob).values_list("pk", flat=True)[:CANDIDATE_CAP])
    given, family = _name_parts(criteria.name)
    if given:
        near = base.filter(_dob_near(dob)) if dob else base
        for stage in _name_stages(near, given, family):
            for query in stage:
                # Capped here, not with LIMIT: given a LIMIT, PostgreSQL expected to find
                # enough rows early in a sequential scan and read the whole register.
                ids.update(list(query.values_list("pk", flat=True))[:CANDIDATE_CAP])
            if len(ids) >= ENOUGH_CANDIDATES:
                break
    return ids


@dataclass
class _Candidate:
    """Just what scoring needs, read as plain values (building full ``Person`` objects with
    their addresses for every candidate costs more than the scoring itself)."""

    pk: int
    given_name: str
    family_name: str
    preferred_name: str
    date_of_birth: datetime.date | None
    nhs_number: str
    upn: str
    other_names: list[tuple[str, str]] = field(default_factory=list)
    postcodes: set[str] = field(default_factory=set)


def _candidates(ids: set[int], criteria: SearchCriteria) -> list[_Candidate]:
    """The candidates' names and identifiers: two or three queries whatever their number."""
    found = {
        row[0]: _Candidate(*row)
        for row in Person.objects.filter(pk__in=ids, merged_into__isnull=True)
        .order_by()
        .values_list(
            "pk",
            "given_name",
            "family_name",
            "preferred_name",
            "date_of_birth",
            "nhs_number",
            "upn",
        )
    }
    if criteria.name.strip():
        for person_id, given, family in (
            OtherName.objects.filter(person_id__in=found)
            .order_by()
            .values_list("person_id", "given_name", "family_name")
        ):
            found[person_id].other_names.append((given, family))
    if criteria.postcode.strip():
        for person_id, key in (
            Address.objects.filter(person_id__in=found)
            .order_by()
            .values_list("person_id", "postcode_search")
        ):
            found[person_id].postcodes.add(key)
    return list(found.values())


@dataclass
class _Scored:
    candidate: _Candidate
    score: float
    matched_on: list[str]
    name_score: float


def _score(person: _Candidate, criteria: SearchCriteria) -> _Scored | None:
    scores: list[float] = []
    matched: list[str] = []
    if criteria.identifier.strip():
        id_filter_text = criteria.identifier.strip()
        digits = normalise_nhs_number(id_filter_text)
        caseline = _CASELINE_ID.match(id_filter_text.replace(" ", ""))
        if caseline and int(caseline.group(1)) == person.pk:
            matched.append("Caseline ID")
        elif digits.isdigit() and digits == person.nhs_number:
            matched.append("NHS number")
        elif normalise_upn(id_filter_text) == person.upn and person.upn:
            matched.append("UPN")
        else:
            return None
        scores.append(1.0)
    if criteria.date_of_birth:
        score = dob_score(criteria.date_of_birth, person.date_of_birth)
        if not score:
            return None
        scores.append(score)
        matched.append("date of birth" if score == 1 else "similar date of birth")
    if criteria.postcode.strip():
        if postcode_search_key(criteria.postcode) not in person.postcodes:
            return None
        scores.append(1.0)
        matched.append("postcode")
    given, family = _name_parts(criteria.name)
    names_matched = 0.0
    if given:
        names = [(person.given_name, person.family_name)]
        if person.preferred_name:
            names.append((person.preferred_name, person.family_name))
        names.extend(person.other_names)
        score = name_score(given, family, names)
        if score < NAME_MATCH:
            return None
        scores.append(score)
        matched.append("name")
        names_matched = score
    return _Scored(person, sum(scores) / len(scores), matched, names_matched)


def run_search(
    base: QuerySet[Person], criteria: SearchCriteria, limit: int = RESULT_LIMIT
) -> list[SearchResult]:
    """Score the candidates from ``base`` (already limited to what may be seen)."""
    if criteria.is_empty():
        return []
    # Merged records are dropped when the candidates are read, not in the prefilters: almost
    # no one is merged, and without statistics SQLite would read the whole register through
    # the ``merged_into`` index rather than the selective name, date or identifier index.
    ids = _candidate_ids(base, criteria)
    if not ids:
        return []
    scored = [r for r in (_score(c, criteria) for c in _candidates(ids, criteria)) if r]
    scored.sort(
        key=lambda r: (
            -r.score,
            r.candidate.family_name,
            r.candidate.given_name,
            r.candidate.pk,
        )
    )
    scored = scored[:limit]
    # Only the results shown are read in full, with their addresses and other names.
    people = Person.objects.prefetch_related(
        "other_names", Prefetch("addresses", queryset=Address.objects.order_by("-start_date"))
    ).in_bulk([r.candidate.pk for r in scored])
    return [
        SearchResult(
            person=people[r.candidate.pk],
            score=r.score,
            matched_on=r.matched_on,
            name_score=r.name_score,
        )
        for r in scored
        if r.candidate.pk in people
    ]


def search_people(
    user: object, criteria: SearchCriteria, limit: int = RESULT_LIMIT
) -> list[SearchResult]:
    """People this user may see who match, best first, at most ``limit``."""
    from caseline.apps.people.queries import visible_people

    return run_search(visible_people(user), criteria, limit)
