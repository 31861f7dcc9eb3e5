"""The helpers that turn fields into sentences."""

from __future__ import annotations

import datetime

from caseline.apps.core.text import excerpt, lower_first, plural, sentence, time_between

D = datetime.date


def test_excerpt_cuts_long_text_at_a_word_and_flattens_lines() -> None:
    assert excerpt("Short\n  text") == "Short text"
    long = "word " * 60
    cut = excerpt(long, 23)
    assert cut == "word word word word…"


def test_sentence_capitalises_and_ends_with_a_full_stop() -> None:
    assert sentence(" needs met ") == "Needs met."
    assert sentence("Is it?") == "Is it?"
    assert sentence("") == ""


def test_lower_first_keeps_acronyms() -> None:
    assert lower_first("Schools") == "schools"
    assert lower_first("A child protection plan started") == "a child protection plan started"
    assert lower_first("LA services \u2013 early help") == "LA services \u2013 early help"
    assert lower_first("") == ""


def test_plural_and_time_between() -> None:
    assert plural(1, "outcome") == "1 outcome"
    assert plural(2, "child", "children") == "2 children"
    assert time_between(D(2024, 1, 31), D(2024, 9, 1)) == "7 months"
    assert time_between(D(2024, 1, 1), D(2024, 1, 22)) == "3 weeks"
    assert time_between(D(2024, 1, 1), D(2024, 1, 2)) == "1 day"
