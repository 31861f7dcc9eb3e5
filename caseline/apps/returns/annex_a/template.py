"""The sheets and column headings of Ofsted's Annex A template.

``data/template_headings.json`` holds the first row of each sheet of the template, copied
from the template itself (its ``source`` says which copy): the workbook Caseline writes has
exactly these sheets, in this order, with exactly these headings.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class SheetSpec:
    name: str  # "List 1"
    headings: tuple[str, ...]


@functools.cache
def sheets() -> tuple[SheetSpec, ...]:
    """The template's sheets, in order."""
    text = (
        resources.files("caseline.apps.returns.annex_a")
        .joinpath("data/template_headings.json")
        .read_text(encoding="utf-8")
    )
    document = json.loads(text)
    return tuple(
        SheetSpec(sheet["sheet"], tuple(sheet["headings"])) for sheet in document["sheets"]
    )
