"""Ofsted's Annex A as a :class:`~caseline.apps.returns.registry.StatutoryReturn`: one xlsx
workbook for an as-at date (``caseline returns annex-a --as-at 2026-11-30 --out FILE``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO

from caseline.apps.returns import xlsx
from caseline.apps.returns.annex_a.lists import AnnexAReader, Row
from caseline.apps.returns.annex_a.template import sheets
from caseline.apps.returns.files import atomic_binary_output
from caseline.apps.returns.registry import Produced, Progress
from caseline.apps.returns.years import AsAtDate


def read_lists(
    period: AsAtDate, progress: Progress | None = None
) -> tuple[AnnexAReader, list[list[Row]]]:
    """Every list's rows, in the template's order."""
    reader = AnnexAReader(period)
    readers: list[Callable[[], list[Row]]] = [
        reader.list_1,
        reader.list_2,
        reader.list_3,
        reader.list_4,
        reader.list_5,
        reader.list_6,
        reader.list_7,
        reader.list_8,
        reader.list_9,
        reader.list_10,
        reader.list_11,
    ]
    lists = []
    for spec, read in zip(sheets(), readers, strict=True):
        rows = read()
        if progress is not None:
            progress(f"  {spec.name}: {len(rows):,} rows")
        lists.append(rows)
    return reader, lists


def write_workbook(stream: IO[bytes], lists: Sequence[Sequence[Row]]) -> None:
    """Write the lists as the template's workbook: its sheets, headings and one row each."""
    for spec, rows in zip(sheets(), lists, strict=True):
        wrong = next((row for row in rows if len(row) != len(spec.headings)), None)
        assert wrong is None, f"{spec.name}: a row of {len(wrong or ())} columns"
    xlsx.write_workbook(
        stream,
        [(spec.name, spec.headings, rows) for spec, rows in zip(sheets(), lists, strict=True)],
    )


class AnnexA:
    """Ofsted's ILACS Annex A child-level lists 1 to 11, for an as-at date."""

    slug: str = "annex-a"
    title: str = "Ofsted Annex A"
    writes_folder: bool = False
    suffix: str = ".xlsx"
    validated_with_previous_year: bool = False
    years: Sequence[int] = ()  # made for an as-at date, not a collection year
    as_at: bool = True

    def validator_lists(self, out: Path) -> dict[str, Path]:
        """Annex A has no validator: nothing beside it."""
        return {}

    def produce(self, year: AsAtDate, out: Path, *, progress: Progress | None = None) -> Produced:
        reader, lists = read_lists(year, progress)
        with atomic_binary_output(out) as stream:
            write_workbook(stream, lists)
        return Produced(
            files=[out],
            person_ids=sorted(reader.person_ids),
            rows={spec.name: len(rows) for spec, rows in zip(sheets(), lists, strict=True)},
        )
