"""Search keys for names: normalised spelling and a phonetic code.

The phonetic code is jellyfish's Metaphone (Lawrence Philips, 1990), chosen over Soundex
because it keeps more of a name's sounds ("Smith" and "Smyth" both give ``SM0``; Soundex also
collapses many unrelated names together). Fuzzy ranking uses Jaro-Winkler similarity, with
Damerau-Levenshtein distance to forgive one slip (a swapped, missing or extra letter).
"""

from __future__ import annotations

import functools
import re
import unicodedata

import jellyfish

PHONETIC_LENGTH = 20


def normalise_name(value: str) -> str:
    """Lower case, accents stripped, letters and digits only, words joined by single spaces."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    plain = re.sub("['\u2019`]", "", plain)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


@functools.lru_cache(maxsize=20_000)
def phonetic(value: str) -> str:
    """The Metaphone code of a name (spaces and hyphens ignored), at most 20 characters."""
    key = normalise_name(value).replace(" ", "")
    if not key:
        return ""
    return jellyfish.metaphone(key).replace(" ", "")[:PHONETIC_LENGTH]


@functools.lru_cache(maxsize=50_000)
def similarity(query: str, candidate: str) -> float:
    """How alike two normalised names are, from 0 to 1, forgiving typing slips and sound-alikes."""
    if not query or not candidate:
        return 0.0
    if query == candidate:
        return 1.0
    score = jellyfish.jaro_winkler_similarity(query, candidate)
    if jellyfish.damerau_levenshtein_distance(query, candidate) <= 1 and len(query) > 2:
        score = max(score, 0.9)
    if phonetic(query) == phonetic(candidate):
        score = max(score, 0.88)
    return score
