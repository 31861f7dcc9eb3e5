"""Every code a document shows has plain words, and they read as words, not codes."""

from __future__ import annotations

import re

import pytest

from caseline.apps.codes.lists import CodeListName, code_list
from caseline.apps.codes.plain import PLAIN, plain


@pytest.mark.parametrize("name", list(PLAIN))
def test_every_code_of_the_list_has_plain_words(name: CodeListName) -> None:
    words = PLAIN[name]
    assert sorted(words) == sorted(code.code for code in code_list(name))
    for code, phrase in words.items():
        assert phrase == phrase.strip(), (code, phrase)
        assert phrase[0].islower(), (code, phrase)
        assert not phrase.endswith("."), (code, phrase)
        # No code in the words: not its own, not another's ("E5, E6 and E7 do not apply").
        codes = {c.code for c in code_list(name)}
        assert not codes & set(re.findall(r"[A-Z0-9]+", phrase)), (code, phrase)
        # No DfE shorthand a family would not know.
        assert not re.search(r"\(s\)|/|\bLA\b|\bs47\b|\bYOI\b|\bEPO\b", phrase), (code, phrase)


def test_plain_words_and_what_a_code_without_them_reads_as() -> None:
    assert plain(CodeListName.REFERRAL_SOURCE, "7") == (
        "a court, probation, immigration, Cafcass or a prison"
    )
    assert plain(CodeListName.LEGAL_STATUS, "C2") == "care order"
    # A list without plain words keeps its label and code; an unknown code says so.
    assert plain(CodeListName.ETHNICITY, "WBRI") == f"{code_list('ethnicity').label('WBRI')} (WBRI)"
    assert plain(CodeListName.LEGAL_STATUS, "Q9") == "code Q9"
