"""How easy a piece of writing is to read, and which professional words to avoid.

The Flesch-Kincaid grade level (Kincaid et al., 1975) estimates the US school grade needed to
read a text: 0.39 x (words per sentence) + 11.8 x (syllables per word) - 15.59. A grade of 8
or lower (age 13 to 14) is the aim for writing to families. Syllables are counted with a
vowel-group heuristic, as most readability tools do: close enough to rank drafts, not exact.

The jargon glossary is data (``data/jargon.csv``: term, plain alternative), so practice
leads can add to it without changing code. Some of those words a plan may keep, as long as it
says what they mean: ``data/explained.csv`` (term, what it means) lists them, and the family's
plan explains each one it uses. :func:`check_words` flags every professional word a plan uses
without an explanation.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

TARGET_GRADE = 8.0

_WORD = re.compile(r"[A-Za-z]+(?:['\u2019][A-Za-z]+)*")
_SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)|\n\s*\n|\n(?=\s*[-\u2022*])")
_VOWEL_GROUP = re.compile(r"[aeiouy]+")


def count_syllables(word: str) -> int:
    """Estimate the syllables in one English word (at least 1)."""
    word = word.lower().replace("\u2019", "'").split("'")[0]
    if not word:
        return 0
    if len(word) <= 3:
        return 1
    # A silent final "e" ("make", "plate"), but not "-le" after a consonant ("table").
    if word.endswith("e") and not (word.endswith("le") and word[-3] not in "aeiouy"):
        word = word[:-1]
    if word.endswith(("es", "ed")) and not word.endswith(("ted", "ded", "ses", "zes", "ces")):
        word = word[:-2]
    count = len(_VOWEL_GROUP.findall(word))
    return max(1, count)


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def sentences(text: str) -> list[str]:
    """Split on full stops, question and exclamation marks, blank lines and list items."""
    parts = [part.strip() for part in _SENTENCE_END.split(text)]
    return [part for part in parts if words(part)]


@dataclass(frozen=True)
class Readability:
    words: int
    sentences: int
    syllables: int
    grade: float

    @property
    def meets_target(self) -> bool:
        return self.grade <= TARGET_GRADE

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def label(self) -> str:
        """Plain words for the worker, e.g. "Grade 6.2: easy to read"."""
        if self.grade <= 6:
            verdict = "easy to read"
        elif self.grade <= TARGET_GRADE:
            verdict = "fairly easy to read"
        elif self.grade <= 12:
            verdict = "hard to read: use shorter sentences and simpler words"
        else:
            verdict = "very hard to read: use shorter sentences and simpler words"
        return f"Grade {self.grade:.1f}: {verdict}"


def flesch_kincaid(text: str) -> Readability:
    """The Flesch-Kincaid grade level of ``text`` (0 for text without words)."""
    found = words(text)
    count = len(found)
    sentence_count = max(1, len(sentences(text))) if count else 0
    syllables = sum(count_syllables(w) for w in found)
    if not count:
        return Readability(0, 0, 0, 0.0)
    grade = 0.39 * (count / sentence_count) + 11.8 * (syllables / count) - 15.59
    return Readability(count, sentence_count, syllables, round(grade, 1))


@dataclass(frozen=True)
class JargonTerm:
    term: str
    plain: str


@dataclass(frozen=True)
class JargonHit:
    term: str
    plain: str
    count: int


def _term_rows(text: str, name: str, second: str, needs: str) -> list[tuple[str, str]]:
    """The (term, ``second``) rows of a word list ``name``: a CSV with the header
    ``term,<second>``, each row a term and ``needs`` (whose words may themselves hold commas:
    everything after the term is kept)."""
    rows = list(csv.reader(line for line in text.splitlines() if line.strip()))
    if not rows or [c.strip() for c in rows[0][:2]] != ["term", second]:
        raise ValueError(f"The {name} must start with the header: term,{second}")
    pairs = []
    for number, row in enumerate(rows[1:], start=2):
        if len(row) < 2 or not row[0].strip() or not row[1].strip():
            raise ValueError(f"{name.capitalize()} line {number} needs a term and {needs}")
        pairs.append((row[0].strip(), ",".join(row[1:]).strip()))
    return pairs


def parse_glossary(text: str) -> tuple[JargonTerm, ...]:
    rows = _term_rows(text, "jargon glossary", "plain alternative", "a plain alternative")
    return tuple(JargonTerm(term, plain) for term, plain in rows)


@functools.cache
def glossary() -> tuple[JargonTerm, ...]:
    data = resources.files("caseline.apps.protection") / "data" / "jargon.csv"
    return parse_glossary(data.read_text(encoding="utf-8"))


def find_jargon(text: str, terms: tuple[JargonTerm, ...] | None = None) -> list[JargonHit]:
    """Glossary terms in ``text``, longest first so "section 47 enquiry" is not also counted
    as "section 47". Acronyms (all capitals) match case-sensitively, other terms in any case."""
    entries = {entry.term: entry for entry in (terms if terms is not None else glossary())}
    counts = _count_terms(text, entries)
    hits = [JargonHit(term, entries[term].plain, count) for term, count in counts.items()]
    return sorted(hits, key=lambda h: h.term.lower())


def _count_terms(text: str, terms: Iterable[str]) -> dict[str, int]:
    """How often each term is in ``text``, longest first: a part of a longer term found is
    not counted again. Acronyms (all capitals) match case-sensitively, others in any case."""
    remaining = text
    counts: dict[str, int] = {}
    for term in sorted(terms, key=len, reverse=True):
        flags = 0 if term.isupper() else re.IGNORECASE
        pattern = re.compile(rf"(?<![\w-]){re.escape(term)}(?![\w-])", flags)
        found = pattern.findall(remaining)
        if found:
            counts[term] = len(found)
            remaining = pattern.sub(" ", remaining)
    return counts


@dataclass(frozen=True)
class Explanation:
    """A professional word a plan may use if it says what it means."""

    term: str
    meaning: str


def parse_explanations(text: str) -> tuple[Explanation, ...]:
    rows = _term_rows(text, "explained words", "what it means", "what it means")
    return tuple(Explanation(term, meaning) for term, meaning in rows)


@functools.cache
def explanations() -> tuple[Explanation, ...]:
    """The professional words a family's plan may use, each with what it means in plain
    words: every one is in the jargon glossary."""
    data = resources.files("caseline.apps.protection") / "data" / "explained.csv"
    return parse_explanations(data.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class WordCheck:
    """The professional words a text uses: those it explains (in its list of what words
    mean) and those it does not, which the readability check flags."""

    jargon: list[JargonHit]
    explained: list[Explanation]

    @property
    def unexplained(self) -> list[JargonHit]:
        said = {entry.term.lower() for entry in self.explained}
        return [hit for hit in self.jargon if hit.term.lower() not in said]


def check_words(text: str, explained: tuple[Explanation, ...] | None = None) -> WordCheck:
    """The professional words in ``text``, with what each of the ``explained`` words
    (:func:`explanations` unless given) it uses means: a family's plan prints those, and
    every other professional word in it is flagged as not explained."""
    entries = {
        entry.term: entry for entry in (explained if explained is not None else explanations())
    }
    used = _count_terms(text, entries)
    return WordCheck(
        jargon=find_jargon(text),
        explained=sorted((entries[term] for term in used), key=lambda e: e.term.lower()),
    )
