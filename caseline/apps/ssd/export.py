"""Writing the SSD extract: one CSV per table in the spec's names, order and form, and a manifest.

The whole extract is written into a hidden folder beside the one asked for and renamed into
place when every file is complete: a reader sees the old extract or the new one, never a mix.
Rows are read a chunk at a time (``tables``) and written as they come, so memory does not grow
with the authority.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils import timezone

from caseline.apps.ssd.spec import Column, Table, spec
from caseline.apps.ssd.tables import EMPTY, Row, readers

MANIFEST = "manifest.json"
Progress = Callable[[str], None]


class ExportError(Exception):
    """The extract cannot be written as asked (a bad folder): nothing was written."""


def render(column: Column, value: Any) -> str:
    """A value as the CSV holds it for ``column``: dates ISO, flags Y/N, JSON compact."""
    if value is None or value == "":
        return ""
    if column.kind == "flag" or column.kind == "bit":
        if isinstance(value, bool):
            return ("Y" if value else "N") if column.kind == "flag" else ("1" if value else "0")
        return str(value)
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return _json(tuple(value.items()))
    if isinstance(value, list):
        return json.dumps(value, separators=(",", ":"))
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


@functools.lru_cache(maxsize=256)
def _json(items: tuple[tuple[str, Any], ...]) -> str:
    """A ``*_json`` object as compact JSON; the few outcome objects repeat, so it is cached."""
    return json.dumps(dict(items), separators=(",", ":"))


@dataclass
class Written:
    """What an export wrote."""

    folder: Path
    rows: dict[str, int] = field(default_factory=dict)
    person_ids: list[int] = field(default_factory=list)  # the records of ssd_person
    manifest: dict[str, Any] = field(default_factory=dict)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_table(table: Table, rows: Iterable[Row], path: Path) -> int:
    """Write one table; return its row count."""
    columns = table.columns
    names = set(table.column_names)
    count = 0
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(table.column_names)
        for row in rows:
            unknown = row.keys() - names
            if unknown:
                raise ValueError(f"{table.name} has no column {sorted(unknown)[0]}")
            writer.writerow([render(column, row.get(column.name)) for column in columns])
            count += 1
    return count


def check_folder(out: Path) -> None:
    """Refuse a folder the extract cannot go to: a file, a missing parent, someone else's files."""
    if out.exists() and not out.is_dir():
        raise ExportError(f"--out {out} is a file; give a folder for the extract.")
    parent = out.parent if out.parent != Path("") else Path(".")
    if not parent.is_dir():
        raise ExportError(f"--out {out}: the folder {parent} does not exist.")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ExportError(f"--out {out}: the folder {parent} cannot be written to.")
    if out.is_dir() and any(out.iterdir()) and not (out / MANIFEST).exists():
        raise ExportError(
            f"--out {out} holds files that are not an SSD extract; give an empty or new folder."
        )


def write_extract(out: Path, *, progress: Progress | None = None) -> Written:
    """Write every SSD table into ``out`` (replacing an earlier extract there)."""
    check_folder(out)
    the_spec = spec()
    parent = out.parent if out.parent != Path("") else Path(".")
    aside = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial", dir=parent))
    try:
        written = Written(folder=out)
        files: dict[str, Any] = {}
        sources = readers()
        for table in the_spec.tables.values():
            if progress is not None:
                progress(f"Writing {table.name}")
            read = sources.get(table.name)
            path = aside / table.file_name
            count = write_table(table, read() if read else (), path)
            written.rows[table.name] = count
            entry: dict[str, Any] = {
                "file": table.file_name,
                "rows": count,
                "sha256": _sha256(path),
            }
            if read is None:
                entry["empty"] = EMPTY.get(table.name, "Caseline does not hold this table.")
            files[table.name] = entry
        written.manifest = {
            "dataset": "Standard Safeguarding Dataset",
            "spec_version": the_spec.version,
            "spec_source": the_spec.source,
            "produced_by": "Caseline",
            "as_at": timezone.localtime().isoformat(timespec="seconds"),
            "tables": files,
        }
        (aside / MANIFEST).write_text(json.dumps(written.manifest, indent=1) + "\n", "utf-8")
        _swap_in(aside, out)
    except BaseException:
        shutil.rmtree(aside, ignore_errors=True)
        raise
    return written


def _swap_in(aside: Path, out: Path) -> None:
    """Put the finished folder at ``out``; an earlier extract there is removed afterwards."""
    if not out.exists():
        os.replace(aside, out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
    old.rmdir()
    os.replace(out, old)
    try:
        os.replace(aside, out)
    except BaseException:
        os.replace(old, out)
        raise
    with contextlib.suppress(OSError):
        shutil.rmtree(old)
