"""Search keys for names: normalised spelling and a phonetic code.

The phonetic code is jellyfish's Metaphone (Lawrence Philips, 1990), chosen over Soundex
because it keeps more of a name's sounds ("Smith" and "Smyth" both give ``SM0``; Soundex also
collapses many unrelated names together). Fuzzy ranking uses Jaro-Winkler similarity, with
Damerau-Levenshtein distance to forgive one slip (a swapped, missing or extra letter).

Nothing here remembers a name between calls: names are personal data, and a process-wide cache
of them would keep children's names in every worker's memory, out of reach of the database's
access rules (ADR 0019). A search that compares many names memoises for itself, for as long as
it runs (``people.search.NameMatcher``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import jellyfish

PHONETIC_LENGTH = 20


def normalise_name(value: str) -> str:
    """Lower case, accents stripped, letters and digits only, words joined by single spaces."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    plain = re.sub("['\u2019`]", "", plain)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


def phonetic(value: str) -> str:
    """The Metaphone code of a name (spaces and hyphens ignored), at most 20 characters."""
    key = normalise_name(value).replace(" ", "")
    if not key:
        return ""
    return jellyfish.metaphone(key).replace(" ", "")[:PHONETIC_LENGTH]


def similarity(query: str, candidate: str, key: Callable[[str], str] = phonetic) -> float:
    """How alike two normalised names are, from 0 to 1, forgiving typing slips and sound-alikes.

    ``key`` gives a name's phonetic code: a caller comparing many names passes one that
    remembers the codes it has worked out (for its own lifetime only)."""
    if not query or not candidate:
        return 0.0
    if query == candidate:
        return 1.0
    score = jellyfish.jaro_winkler_similarity(query, candidate)
    if jellyfish.damerau_levenshtein_distance(query, candidate) <= 1 and len(query) > 2:
        score = max(score, 0.9)
    if key(query) == key(candidate):
        score = max(score, 0.88)
    return score
