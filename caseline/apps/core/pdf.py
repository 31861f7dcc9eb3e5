"""Documents as PDF, made by WeasyPrint: the one way Caseline makes them.

A document's stylesheet sets its text in the fonts of ``includes/document_fonts.html``
(``font-family: var(--document-fonts)``): Liberation Sans for Latin, Greek and Cyrillic
letters, Noto for the other scripts families write their names and words in, Droid Sans
Fallback for Chinese, Japanese and Korean, and Noto Color Emoji. The Makefile's
``APT_PACKAGES`` installs them from Debian.

A character that no installed font has (a newer emoji, a rare script) would print as an
empty box, the font's ".notdef" glyph. WeasyPrint reports each one as it draws the
document; the document is then made again with those characters written out by name
("[grinning face]", ``core.text.spelled_out``), so a reader is never left with a box.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from caseline.apps.core.text import spelled_out

LOGGER = logging.getLogger(__name__)
# How WeasyPrint starts its report of a character no font has (weasyprint/draw/text.py).
MISSING_GLYPH = ".notdef glyph rendered"


class MissingGlyphs(logging.Filter):
    """Collects the characters WeasyPrint reports it had no glyph for while this thread draws
    a document, and keeps those reports out of the log: the document is made again."""

    def __init__(self) -> None:
        super().__init__()
        self.thread = threading.get_ident()
        self.characters: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if (
            record.thread == self.thread
            and isinstance(record.msg, str)
            and record.msg.startswith(MISSING_GLYPH)
            and isinstance(record.args, tuple)
            and record.args
            and isinstance(record.args[-1], int)
        ):
            self.characters.add(chr(record.args[-1]))
            return False
        return True


def render_pdf(html: str, *, base_url: str | None = None, **options: Any) -> bytes:
    """The HTML document as PDF bytes (``options`` go to WeasyPrint's ``write_pdf``, e.g.
    ``pdf_variant="pdf/ua-1"``), with every character some installed font can draw and the
    others written out by name."""
    missing = MissingGlyphs()
    weasyprint_logger = logging.getLogger("weasyprint")
    weasyprint_logger.addFilter(missing)
    try:
        pdf = _write(html, base_url, options)
    finally:
        weasyprint_logger.removeFilter(missing)
    if not missing.characters:
        return pdf
    LOGGER.info(
        "No font has %s: written out by name in the PDF",
        ", ".join(f"U+{ord(c):04X}" for c in sorted(missing.characters)),
    )
    return _write(spelled_out(html, missing.characters), base_url, options)


def lay_out(html: str, *, base_url: str | None = None) -> Any:
    """The laid-out WeasyPrint document (its pages and boxes), for reading its text back."""
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url).render()


def _write(html: str, base_url: str | None, options: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    pdf: bytes = HTML(string=html, base_url=base_url).write_pdf(**options)
    return pdf
