"""Documents as PDF: what families write is printed in a font made for its script, and a
character that no font has is written out by name, never printed as an empty box."""

from __future__ import annotations

import logging
import re
import shutil
import subprocess

import pytest
from django.template.loader import render_to_string

from caseline.apps.core.pdf import render_pdf
from tests.pdfs import (
    WRITTEN,
    assert_written_in_their_fonts,
    fonts_for,
    missing_glyphs,
    needs_poppler,
    pdf_text,
)

# Vithkuqi letters (Unicode 14) and a private-use character (a Mac's Apple logo is one):
# none of the fonts Debian gives us has them.
UNDRAWABLE = "\U00010570\U00010571"
PRIVATE = "\ue000"


def _document(text: str) -> str:
    fonts = render_to_string("includes/document_fonts.html")
    return (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Test</title>'
        f"<style>{fonts} body {{ font-family: var(--document-fonts); }}</style></head>"
        f"<body><p>{text}</p></body></html>"
    )


def _font_has(character: str) -> bool:
    found = subprocess.run(
        ["fc-list", f":charset={ord(character):x}", "family"],
        capture_output=True,
        text=True,
        check=True,
    )
    return bool(found.stdout.strip())


@needs_poppler
def test_names_in_every_script_are_printed_in_a_font_made_for_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING):
        pdf = render_pdf(_document(" ".join(WRITTEN)))
    assert_written_in_their_fonts(pdf, caplog.messages)


@needs_poppler
def test_latin_text_and_digits_are_set_in_liberation_sans_alone() -> None:
    pdf = render_pdf(_document("Zoë’s visit on 12 May 2025 at 10:00 – “fine”, £5, ½"))
    assert fonts_for(pdf) == {"Liberation-Sans"}


@needs_poppler
def test_a_character_no_font_has_is_written_out_by_name(caplog: pytest.LogCaptureFixture) -> None:
    if any(_font_has(character) for character in UNDRAWABLE + PRIVATE):
        pytest.skip("a font installed here has the characters no Debian font had")
    with caplog.at_level(logging.INFO):
        pdf = render_pdf(_document(f"Ali {UNDRAWABLE} sent {PRIVATE} and 😀"))
    text = " ".join(pdf_text(pdf).split())
    assert "Ali [Vithkuqi text] sent [character U+E000] and 😀" in text
    assert missing_glyphs(caplog.messages) == []  # the boxes WeasyPrint drew were not kept
    assert "No font has U+E000, U+10570, U+10571: written out by name in the PDF" in (
        caplog.messages
    )


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="fontconfig's fc-list is needed")
def test_every_font_the_documents_name_is_installed() -> None:
    stack = render_to_string("includes/document_fonts.html")
    families = set(re.findall(r'"([^"]+)"', stack.split("--document-fonts:", 1)[1]))
    assert {"Noto Sans Arabic", "Droid Sans Fallback"} <= families
    # Emoji come from Noto Color Emoji, which the stack must not name (it would take digits).
    assert "Noto Color Emoji" not in families
    missing = [
        family
        # Arial is Liberation Sans under its name.
        for family in sorted(families - {"Arial"} | {"Noto Color Emoji"})
        if not subprocess.run(
            ["fc-list", family, "family"], capture_output=True, text=True, check=True
        ).stdout.strip()
    ]
    assert missing == [], "Install their Debian packages: add them to the Makefile's APT_PACKAGES"
