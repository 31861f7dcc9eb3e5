"""Indicators as tables: the summary (one row per indicator) and a drill-down (one row per
thing counted), written as CSV or as an Excel workbook (the returns' streaming writer,
``returns.xlsx``)."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import IO

from caseline.apps.indicators.engine import Detail, Kind, Result
from caseline.apps.returns.xlsx import write_workbook

SUMMARY_COLUMNS = (
    "code",
    "name",
    "numerator",
    "denominator",
    "value",
    "period_start",
    "period_end",
    "as_at",
)
Cell = str | int | float | datetime.date | None


def summary_rows(results: Iterable[Result]) -> list[tuple[Cell, ...]]:
    """One row per indicator, in SUMMARY_COLUMNS' order."""
    return [
        (
            r.indicator.code,
            r.indicator.name,
            r.numerator,
            r.denominator,
            r.value if r.indicator.kind is not Kind.COUNT else r.numerator,
            r.period.start,
            r.period.end,
            r.as_at,
        )
        for r in results
    ]


def drill_columns(result: Result) -> tuple[str, ...]:
    """The drill-down's columns: the child, what was counted, whether in the numerator, the
    group, then every decisive date any row has, in the order first met."""
    return ("child_id", "name", "what", "in_numerator", "group", *result.date_labels)


def drill_rows(result: Result, names: Mapping[int, str]) -> list[tuple[Cell, ...]]:
    """One row per thing counted (``names``: each child's name, by id)."""
    columns = drill_columns(result)
    rows: list[tuple[Cell, ...]] = []
    for row in result.rows:
        decided: dict[str, Detail] = dict(row.decided_by)
        rows.append(
            (
                row.person_id,
                names.get(row.person_id, ""),
                row.what,
                "yes" if row.counted else "no",
                row.group,
                *(decided.get(label) for label in columns[5:]),
            )
        )
    return rows


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    return str(cell)


def write_csv(stream: IO[str], columns: Sequence[str], rows: Iterable[Sequence[Cell]]) -> None:
    writer = csv.writer(stream)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_text(cell) for cell in row])


def csv_text(columns: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    stream = io.StringIO(newline="")
    write_csv(stream, columns, rows)
    return stream.getvalue()


def xlsx_bytes(title: str, columns: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """A workbook of one sheet: the columns as a header row, dates as dates."""
    stream = io.BytesIO()
    write_workbook(stream, [(title[:31], columns, rows)])
    return stream.getvalue()
