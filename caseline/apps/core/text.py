"""Plain-English helpers for writing sentences, not field dumps: the chronology's entries."""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Collection

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


def says_again(text: str, already: str) -> bool:
    """Whether ``text`` says nothing that ``already`` has not: every word of it (plural or
    singular, any case) is in ``already``. "Family" says nothing "Family events" has not."""
    words = _words(text)
    return bool(words) and words <= _words(already)


def _words(text: str) -> set[str]:
    return {word.removesuffix("s") for word in re.findall(r"[^\W_]+", text.lower())}


def spelled_out(text: str, missing: Collection[str]) -> str:
    """The text with each character of ``missing`` (one no font can draw, which would print as
    an empty box) written out by its name: "[grinning face]", or "[character U+E000]" for one
    without a name. A run of letters of one script becomes "[Vithkuqi text]"."""
    if not missing:
        return text
    characters = "".join(re.escape(character) for character in sorted(missing))
    return re.sub(f"[{characters}]+", lambda found: _stand_in(found.group()), text)


def _stand_in(run: str) -> str:
    names = [unicodedata.name(character, "") for character in run]
    scripts = {name.split(" ", 1)[0] for name in names}
    letters = all(unicodedata.category(character)[0] in "LM" for character in run)
    if len(run) > 1 and letters and len(scripts) == 1 and all(names):
        return f"[{scripts.pop().capitalize()} text]"
    return "".join(
        f"[{name.lower()}]" if name else f"[character U+{ord(character):04X}]"
        for character, name in zip(run, names, strict=True)
    )
