"""A small, fast writer of .xlsx workbooks: sheets of text, numbers and dates.

The returns write workbooks the validators and Ofsted read (the SSDA903's provider lists,
Annex A): plain sheets with a heading row, no formulas or formatting beyond dates shown
DD/MM/YYYY. Each sheet is streamed into the zip row by row, so a sheet of a hundred thousand
rows is written in a second or two and never held whole in memory (openpyxl, even write-only,
takes ten times as long). Text is written inline (no shared strings table); a blank or None
cell is left out.
"""

from __future__ import annotations

import datetime
import zipfile
from collections.abc import Iterable, Sequence
from typing import IO
from xml.sax.saxutils import escape

Value = str | int | float | datetime.date | None
Sheet = tuple[str, Sequence[str], Iterable[Sequence[Value]]]

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
# Spreadsheet dates count days from 30 December 1899 (the 1900 date system).
_EPOCH = datetime.date(1899, 12, 30).toordinal()
# The style of a date cell: cellXfs entry 1 in the styles part, number format 164.
_DATE_STYLE = 1
_STYLES = (
    f'{_HEAD}<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
# Rows are written to the zip in chunks of this many.
_CHUNK = 2000


def column_letters(count: int) -> list[str]:
    """The names of the first ``count`` columns: A, B, ... Z, AA, AB ..."""
    names = []
    for column in range(1, count + 1):
        letters = ""
        while column:
            column, rest = divmod(column - 1, 26)
            letters = chr(65 + rest) + letters
        names.append(letters)
    return names


def _cells(number: int, letters: Sequence[str], values: Sequence[Value]) -> str:
    """One row's cells; blank and None cells are left out."""
    parts = []
    for letter, value in zip(letters, values, strict=False):
        if value is None or value == "":
            continue
        reference = f"{letter}{number}"
        if isinstance(value, str):
            parts.append(f'<c r="{reference}" t="inlineStr"><is><t>{escape(value)}</t></is></c>')
        elif isinstance(value, datetime.date):
            day = value.date() if isinstance(value, datetime.datetime) else value
            serial = day.toordinal() - _EPOCH
            parts.append(f'<c r="{reference}" s="{_DATE_STYLE}"><v>{serial}</v></c>')
        elif isinstance(value, bool):
            parts.append(f'<c r="{reference}" t="b"><v>{int(value)}</v></c>')
        else:
            parts.append(f'<c r="{reference}"><v>{value}</v></c>')
    return "".join(parts)


def _write_sheet(
    stream: IO[bytes], headings: Sequence[str], rows: Iterable[Sequence[Value]]
) -> None:
    letters = column_letters(len(headings))
    stream.write(f'{_HEAD}<worksheet xmlns="{_MAIN}"><sheetData>'.encode())
    chunk: list[str] = []
    for number, values in enumerate([headings, *rows], start=1):
        if len(values) > len(letters):
            letters = column_letters(len(values))
        chunk.append(f'<row r="{number}">{_cells(number, letters, values)}</row>')
        if len(chunk) >= _CHUNK:
            stream.write("".join(chunk).encode())
            chunk.clear()
    stream.write("".join(chunk).encode())
    stream.write(b"</sheetData></worksheet>")


def write_workbook(stream: IO[bytes], sheets: Sequence[Sheet]) -> None:
    """Write ``sheets`` (name, headings, rows) as an .xlsx workbook into ``stream``."""
    count = len(sheets)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_TYPES}.worksheet+xml"/>'
        for n in range(1, count + 1)
    )
    book_sheets = "".join(
        f'<sheet name="{escape(name)}" sheetId="{n}" r:id="rId{n}"/>'
        for n, (name, _, _) in enumerate(sheets, start=1)
    )
    book_rels = "".join(
        f'<Relationship Id="rId{n}" Type="{_RELS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, count + 1)
    ) + (f'<Relationship Id="rId{count + 1}" Type="{_RELS}/styles" Target="styles.xml"/>')
    parts = {
        "[Content_Types].xml": (
            f"{_HEAD}"
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPES}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{_TYPES}.styles+xml"/>'
            f"{overrides}</Types>"
        ),
        "_rels/.rels": (
            f'{_HEAD}<Relationships xmlns="{_PACKAGE_RELS}"><Relationship Id="rId1" '
            f'Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_RELS}">'
            f"<sheets>{book_sheets}</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'{_HEAD}<Relationships xmlns="{_PACKAGE_RELS}">{book_rels}</Relationships>'
        ),
        "xl/styles.xml": _STYLES,
    }
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
        for n, (_, headings, rows) in enumerate(sheets, start=1):
            with archive.open(f"xl/worksheets/sheet{n}.xml", "w") as part:
                _write_sheet(part, headings, rows)
