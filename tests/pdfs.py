"""Reading a PDF back with poppler's tools, for tests of printed documents: its text
(``pdftotext``) and its fonts (``pdffonts``).

WeasyPrint maps every glyph it draws back to its text, even the empty box (".notdef") it
draws for a character no font has, so the text alone does not show a missing glyph. What
does: the font each script was set in (``fonts_for``: a box is drawn in whatever font
surrounds it, never in a font made for the script), and WeasyPrint's own report of the
character as it draws (``missing_glyphs``, from the captured log).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
    reason="pdftotext and pdffonts (poppler-utils) are needed",
)

# Names and words in the scripts families write, each with the font that should set it.
WRITTEN = {
    "Siobhán Zoë Łukasz": "Liberation-Sans",
    "محمد": "Noto-Sans-Arabic",
    "张伟": "Droid-Sans-Fallback",
    "রহিম": "Noto-Sans-Bengali",
    "😀": "Noto-Color-Emoji",
}
# Marks pdftotext puts around right-to-left text.
_BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class PdfFont:
    name: str  # without the subset prefix: "Noto-Sans-Arabic"
    type: str
    embedded: bool


def _poppler(tool: str, pdf: bytes, *arguments: str) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(pdf)
        return subprocess.run(
            [tool, *arguments, str(path), *(["-"] if tool == "pdftotext" else [])],
            capture_output=True,
            text=True,
            check=True,
        ).stdout


def pdf_text(pdf: bytes, page: int | None = None) -> str:
    """The PDF's text (or one page's), in reading order, as pdftotext gives it."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return _poppler("pdftotext", pdf, "-raw", *pages)


def squeezed(text: str) -> str:
    """Text without spaces or direction marks, for finding a word pdftotext split or marked."""
    return _BIDI_MARKS.sub("", "".join(text.split()))


def pdf_fonts(pdf: bytes) -> list[PdfFont]:
    """The fonts pdffonts lists for the PDF."""
    lines = _poppler("pdffonts", pdf).splitlines()[2:]  # after the heading and its rule
    fonts = []
    for line in lines:
        columns = line.split()
        # name, type (one or more words), encoding, emb, sub, uni, object number, generation
        fonts.append(
            PdfFont(
                name=columns[0].split("+", 1)[-1],
                type=" ".join(columns[1:-6]),
                embedded=columns[-5] == "yes",
            )
        )
    return fonts


def fonts_for(pdf: bytes) -> set[str]:
    """The names of the PDF's fonts, each checked to be embedded, with its style dropped
    ("Liberation-Sans-Bold" is "Liberation-Sans")."""
    fonts = pdf_fonts(pdf)
    assert all(font.embedded for font in fonts), fonts
    return {re.sub(r"(-(Bold|Italic|Oblique))+$", "", font.name) for font in fonts}


def missing_glyphs(messages: list[str]) -> list[str]:
    """WeasyPrint's reports, among log messages, of characters it drew as an empty box."""
    return [message for message in messages if ".notdef" in message]


def assert_written_in_their_fonts(pdf: bytes, log: list[str]) -> None:
    """Every one of ``WRITTEN`` is in the PDF's text, set in the font made for its script,
    every font is embedded, and WeasyPrint drew no empty box."""
    text = squeezed(pdf_text(pdf))
    for words in WRITTEN:
        assert squeezed(words) in text, words
    fonts = fonts_for(pdf)
    assert set(WRITTEN.values()) <= fonts, f"Set in {sorted(fonts)}"
    assert missing_glyphs(log) == []
