"""The helpers that turn fields into sentences."""

from __future__ import annotations

import datetime

from caseline.apps.core.text import (
    excerpt,
    lower_first,
    plural,
    says_again,
    sentence,
    spelled_out,
    time_between,
)

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


def test_says_again_compares_words_whatever_their_number_or_case() -> None:
    assert says_again("Family", "Family events")
    assert says_again("Assessment", "Assessments")
    assert says_again("Management oversight", "Management oversight and supervision")
    assert says_again("Child protection", "Child protection")
    assert not says_again("Front door", "Contacts")
    assert not says_again("Police", "Reported by other agencies")
    assert not says_again("", "Contacts")


def test_spelled_out_names_the_characters_no_font_has() -> None:
    assert spelled_out("Zoë 😀!", set()) == "Zoë 😀!"
    assert spelled_out("Zoë 😀!", {"😀"}) == "Zoë [grinning face]!"
    assert spelled_out("a\ue000b", {"\ue000"}) == "a[character U+E000]b"
    vithkuqi = "\U00010570\U00010571"
    assert spelled_out(f"Ali {vithkuqi}.", set(vithkuqi)) == "Ali [Vithkuqi text]."
    # Symbols next to each other are each named: they are not words of one script.
    assert spelled_out("😀😀", {"😀"}) == "[grinning face][grinning face]"
    assert spelled_out("x]^-y", {"]", "^", "-"}) == (
        "x[right square bracket][circumflex accent][hyphen-minus]y"
    )
