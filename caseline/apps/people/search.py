"""Finding people: by name (fuzzy and phonetic, other names included), date of birth, NHS
number, UPN, Caseline ID and postcode.

The database finds the candidates (ADR 0019), starting from what the user may see. Each
criterion narrows the table through an index: exact identifiers, date of birth,
``postcode_search``, and for names the normalised and phonetic columns the person actions keep
(``search_given``, ``search_family``, ``phonetic_given``, ``phonetic_family``), asked for the
typed word's sound and for its every one-slip spelling (sent as one value). A word inside a
first or last name of several words ("Brown" in "O'Neill-Brown") is found last, from partial
indexes on such names (migration ``people.0006``): on PostgreSQL by pg_trgm's trigram
similarity, which also forgives a misspelt long word; on SQLite by ``LIKE``. Each stage is
capped, and the stages stop widening once enough candidates are found.

Only that bounded set of candidates is scored, in the request, from their names and
identifiers read as plain values; only the results returned are read as full records. The
scoring remembers spellings for its one search (``NameMatcher``) and nothing after it: no
worker keeps names between requests. A result must match every criterion given; results are
ranked by their mean score.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import operator
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connections
from django.db.models import BooleanField, F, Func, Prefetch, Q, QuerySet

from caseline.apps.people.models import Address, OtherName, Person
from caseline.apps.people.names import normalise_name, phonetic, similarity
from caseline.apps.people.validators import normalise_nhs_number, normalise_upn, postcode_search_key

RESULT_LIMIT = 50
CANDIDATE_CAP = 500  # most rows any one prefilter stage contributes
ENOUGH_CANDIDATES = RESULT_LIMIT  # stop widening a name search once this many are found
NAME_MATCH = 0.8  # the least name similarity that counts as a match
PART_MATCH = 0.75  # the least similarity of each of first and last name
PARTIAL_DOB = 0.6  # score for a date of birth with day and month swapped, or one part different
MAX_NAME_WORDS = 5  # a longer typed name keeps its first four words and its last

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


class NameMatcher:
    """Compares typed names with people's names for one search.

    Names repeat across a register, so it remembers each spelling's normal form and phonetic
    code as it works them out, in its own dictionaries: they go when the search is over (no
    cache outlives the request)."""

    def __init__(self) -> None:
        self._normalised: dict[str, str] = {}
        self._keys: dict[str, str] = {}
        self._alike: dict[tuple[str, str], float] = {}

    def normalised(self, name: str) -> str:
        found = self._normalised.get(name)
        if found is None:
            found = self._normalised[name] = normalise_name(name)
        return found

    def key(self, name: str) -> str:
        found = self._keys.get(name)
        if found is None:
            found = self._keys[name] = phonetic(name)
        return found

    def best(self, query: str, names: set[str]) -> float:
        """How well a typed part (normalised) matches the best of these normalised names."""
        best = 0.0
        for name in names:
            score = self._alike.get((query, name))
            if score is None:
                score = self._alike[query, name] = self.alike(query, name)
            best = max(best, score)
        return best

    def alike(self, typed: str, name: str) -> float:
        """One typed word is compared with the whole name and, in a name of several words,
        with each word ("Brown" finds "O'Neill-Brown"). Several typed words are compared
        word by word with a name of as many words, and run together with any run of the
        name's words run together ("O Neill" finds "O'Neill-Brown"); never as one long
        string, which would make "Mohammed Wrenwick" look like anyone called Mohammed."""
        name_words = name.split()
        if " " not in typed:
            score = similarity(typed, name, self.key)
            if len(name_words) > 1:
                score = max(score, *(similarity(typed, word, self.key) for word in name_words))
            return score
        words = typed.split()
        score = 0.0
        if len(words) == len(name_words):
            pairs = zip(words, name_words, strict=True)
            score = both(*(similarity(t, n, self.key) for t, n in pairs))
        compact = "".join(words)
        for start in range(len(name_words)):
            for end in range(start + 1, len(name_words) + 1):
                run = "".join(name_words[start:end])
                if abs(len(compact) - len(run)) <= 1:
                    score = max(score, similarity(compact, run, self.key))
        return score


def both(*parts: float) -> float:
    """Every part of a name must be alike: a right first name cannot carry a wrong last name.
    The mean when each is at least ``PART_MATCH``, otherwise the worst."""
    if min(parts) >= PART_MATCH:
        return sum(parts) / len(parts)
    return min(parts)


def name_score(
    query_given: str,
    query_family: str,
    names: Iterable[tuple[str, str]],
    matcher: NameMatcher | None = None,
) -> float:
    """How well a typed name matches a person's names: each typed part is compared with every
    first name (main, preferred, other) and every last name the person has been known by."""
    m = matcher or NameMatcher()
    givens, families = _sets(names, m)
    return _reading_score(
        m.normalised(query_given), m.normalised(query_family), givens, families, m
    )


def _sets(names: Iterable[tuple[str, str]], m: NameMatcher) -> tuple[set[str], set[str]]:
    """A person's first names and last names, normalised."""
    pairs = list(names)
    givens = {m.normalised(g) for g, _ in pairs if g} - {""}
    families = {m.normalised(f) for _, f in pairs if f} - {""}
    return givens, families


def _reading_score(
    given: str, family: str, givens: set[str], families: set[str], m: NameMatcher
) -> float:
    if not family:
        # One part: it may be either name.
        return max(m.best(given, givens), m.best(given, families))
    in_order = both(m.best(given, givens), m.best(family, families))
    reversed_ = both(m.best(given, families), m.best(family, givens))
    return max(in_order, reversed_)


def typed_name_score(
    words: Sequence[str], names: Iterable[tuple[str, str]], matcher: NameMatcher | None = None
) -> float:
    """The best reading of a typed name, as normalised words: all of it as one name
    ("O'Neill-Brown"), its first and last words as first and last name (middle names left
    out), or its words split between a first and a last name at any point."""
    if not words:
        return 0.0
    m = matcher or NameMatcher()
    givens, families = _sets(names, m)
    readings = {(" ".join(words), "")}
    if len(words) > 1:
        readings.add((words[0], words[-1]))
        readings.update((" ".join(words[:k]), " ".join(words[k:])) for k in range(1, len(words)))
    return max(_reading_score(g, f, givens, families, m) for g, f in readings)


def typed_words(name: str, matcher: NameMatcher) -> list[str]:
    """A typed name's normalised words, at most ``MAX_NAME_WORDS``."""
    words = matcher.normalised(name).split()
    if len(words) > MAX_NAME_WORDS:
        words = words[: MAX_NAME_WORDS - 1] + words[-1:]
    return words


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


def _identifier_finds(identifier: str, pk: int, nhs_number: str, upn: str) -> bool:
    """Whether ``_identifier_filter(identifier)`` finds the person with these values: the same
    test, made on values already read (the duplicate check of several people at once)."""
    text = identifier.strip()
    match = _CASELINE_ID.match(text.replace(" ", ""))
    if match:
        return pk == int(match.group(1))
    digits = normalise_nhs_number(text)
    if digits.isdigit():
        return nhs_number == digits
    return upn == normalise_upn(text)


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


def _like(word: str, part: str, slips: bool = True) -> Q:
    """People whose first (``part="given"``) or last name could be this typed word, through
    the indexes on the keys the person actions keep: the same sound, or the same spelling
    or (with ``slips``) one slip away from it."""
    spellings = typing_slips(word) if slips else {word}
    return Q(**{f"phonetic_{part}": phonetic(word)}) | Q(**{f"search_{part}__any_of": spellings})


def _either(word: str, slips: bool = True) -> Q:
    return _like(word, "given", slips) | _like(word, "family", slips)


class _SeveralWords(Func):
    """The name has several words: ``instr(name, ' ') > 0`` (SQLite), ``strpos(name, ' ') > 0``
    (PostgreSQL), written out rather than with a parameter, so that the database sees it is
    the condition of the partial indexes on such names (migration ``people.0006``)."""

    template = "instr(%(expressions)s, ' ') > 0"
    output_field = BooleanField()

    def as_postgresql(
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, Sequence[Any]]:
        return self.as_sql(
            compiler, connection, template="strpos(%(expressions)s, ' ') > 0", **extra_context
        )


def _inside_names(base: QuerySet[Person], words: Sequence[str]) -> QuerySet[Person]:
    """People with one of these words inside a first or last name of several words ("brown"
    in "oneill brown"), from the partial indexes on such names, one column at a time.

    On PostgreSQL, by pg_trgm's trigram similarity (``%``), which also finds a long word
    misspelt; on SQLite, by ``LIKE``. Only names of several words are compared: PostgreSQL's
    planner does not know what similarity costs, and on a small register it would compare
    every name rather than ask the index."""
    trigrams = connections[base.db].vendor == "postgresql"
    base = base.order_by()
    per_column = []
    for column in ("search_given", "search_family"):
        found = Q()
        for word in words:
            if trigrams:
                from django.contrib.postgres.lookups import TrigramSimilar

                found |= Q(TrigramSimilar(F(column), word))
            else:
                found |= Q(**{f"{column}__startswith": f"{word} "})
                found |= Q(**{f"{column}__contains": f" {word}"})
        per_column.append(base.filter(_SeveralWords(F(column))).filter(found))
    # A union, not an OR: SQLite uses a partial index in neither arm of an OR.
    return per_column[0].union(per_column[1])


def _name_stages(base: QuerySet[Person], words: Sequence[str]) -> list[list[QuerySet[Person]]]:
    """Indexed lookups for a typed name, most precise first."""
    base = base.order_by()
    stages = []
    first, last = words[0], words[-1]
    if len(words) > 1:
        # In order and reversed, as two queries in one stage: one query with both (an OR of
        # ANDs of ORs) would read the whole table, as SQLite can use no index for it.
        stages.append(
            [
                base.filter(_like(first, "given") & _like(last, "family")),
                base.filter(_like(last, "given") & _like(first, "family")),
            ]
        )
    keys = {phonetic(w) for w in words} - {""}
    other_names = OtherName.objects.filter(
        Q(phonetic_given__in=keys) | Q(phonetic_family__in=keys)
    ).values("person_id")
    stages.append([base.filter(pk__in=other_names)])
    # The first and the last word, each as either name.
    stages.extend([base.filter(_either(word))] for word in dict.fromkeys((first, last)))
    # Any words between, and all the words run together ("O Neill" typed for "O'Neill").
    more = [*words[1:-1], "".join(words)] if len(words) > 1 else []
    if more:
        stages.append(
            [base.filter(functools.reduce(operator.or_, (_either(w, False) for w in more)))]
        )
    # Last: a word inside a name of several words.
    stages.append([_inside_names(base, [*words, *more[-1:]])])
    return stages


def _candidate_ids(
    base: QuerySet[Person], criteria: SearchCriteria, matcher: NameMatcher
) -> set[int]:
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
    words = typed_words(criteria.name, matcher)
    if words:
        near = base.filter(_dob_near(dob)) if dob else base
        for stage in _name_stages(near, words):
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


# A candidate's fields as read from the people table, in ``_Candidate``'s order.
CANDIDATE_FIELDS = (
    "pk",
    "given_name",
    "family_name",
    "preferred_name",
    "date_of_birth",
    "nhs_number",
    "upn",
)


def ranked(scored: list[_Scored]) -> list[_Scored]:
    """The scored candidates, best first (ties by family name, given name, then id)."""
    return sorted(
        scored,
        key=lambda r: (-r.score, r.candidate.family_name, r.candidate.given_name, r.candidate.pk),
    )


def _candidates(ids: set[int], criteria: SearchCriteria) -> list[_Candidate]:
    """The candidates' names and identifiers: two or three queries whatever their number."""
    found = {
        row[0]: _Candidate(*row)
        for row in Person.objects.filter(pk__in=ids, merged_into__isnull=True)
        .order_by()
        .values_list(*CANDIDATE_FIELDS)
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


def _score(
    person: _Candidate, criteria: SearchCriteria, words: Sequence[str], matcher: NameMatcher
) -> _Scored | None:
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
    names_matched = 0.0
    if words:
        names = [(person.given_name, person.family_name)]
        if person.preferred_name:
            names.append((person.preferred_name, person.family_name))
        names.extend(person.other_names)
        score = typed_name_score(words, names, matcher)
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
    matcher = NameMatcher()  # for this search only
    # Merged records are dropped when the candidates are read, not in the prefilters: almost
    # no one is merged, and without statistics SQLite would read the whole register through
    # the ``merged_into`` index rather than the selective name, date or identifier index.
    ids = _candidate_ids(base, criteria, matcher)
    if not ids:
        return []
    words = typed_words(criteria.name, matcher)
    scored = [
        r for r in (_score(c, criteria, words, matcher) for c in _candidates(ids, criteria)) if r
    ]
    scored = ranked(scored)[:limit]
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
