"""Plain-English helpers for writing sentences, not field dumps: the chronology's entries."""

from __future__ import annotations

import datetime

EXCERPT_LENGTH = 200


def excerpt(text: str, length: int = EXCERPT_LENGTH) -> str:
    """The text on one line, cut at a word boundary to about ``length`` characters."""
    flat = " ".join(text.split())
    if len(flat) <= length:
        return flat
    cut = flat[:length].rsplit(" ", 1)[0].rstrip(" ,;:.")
    return f"{cut}…"


def sentence(text: str) -> str:
    """The text as a sentence: a capital first letter and a full stop at the end."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    if text[-1] in ".!?…":
        return text
    return f"{text}."


def lower_first(label: str) -> str:
    """A code list label for use mid-sentence: "Schools" → "schools", "LA services" kept."""
    word = label.split(" ", 1)[0]
    if word[:1].isupper() and (len(word) == 1 or word[1:].islower()):
        return label[0].lower() + label[1:]
    return label


def plural(count: int, singular: str, many: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (many or singular + 's')}"


def months_between(earlier: datetime.date, later: datetime.date) -> int:
    """Whole calendar months from ``earlier`` to ``later``."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day:
        months -= 1
    return max(months, 0)


def time_between(earlier: datetime.date, later: datetime.date) -> str:
    """ "7 months", "3 weeks", "5 days": how long before ``later`` ``earlier`` was."""
    months = months_between(earlier, later)
    if months >= 1:
        return plural(months, "month")
    days = (later - earlier).days
    if days >= 14:
        return plural(days // 7, "week")
    return plural(days, "day")
