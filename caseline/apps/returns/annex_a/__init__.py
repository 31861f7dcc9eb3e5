"""Ofsted's ILACS Annex A: the child-level lists 1 to 11 for any as-at date, as the xlsx
workbook of Ofsted's template (``caseline returns annex-a --as-at 2026-11-30 --out FILE``).

``lists`` reads each list from the record; ``codes`` says how Caseline's codes are written
as Annex A's; ``template`` holds the template's sheets and headings. Importing this package
registers the return (``ReturnsConfig.ready``).
"""

from __future__ import annotations

from caseline.apps.returns.annex_a.export import AnnexA
from caseline.apps.returns.registry import register

ANNEX_A = register(AnnexA())

__all__ = ["ANNEX_A", "AnnexA"]
