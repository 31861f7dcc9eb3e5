"""The rows of an extract staged on disk while it is imported (ADR 0044), so that the import
holds one family's rows at a time, whatever the size of the extract.

A stage is a SQLite database (Python's ``sqlite3``) in a temporary folder of its own, deleted
with everything in it when the import ends (``staged``). It holds one table of rows: the
table each came from, who it belongs to (``owner``: a person's id, an assessment's id, or
``""`` for the workforce), its row number in the file, and its CSV fields as read (JSON), so
that reading a row back parses the very text the checks parsed. Rows are read back by owner,
each owner's in the order they were staged.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

# Rows written to the stage at once, and owners asked for in one query.
ROWS_PER_WRITE = 5000
OWNERS_PER_QUERY = 500

Staged = tuple[str, str, int, list[str]]  # owner, table, row number, the CSV fields


class Stage:
    """Rows staged in the SQLite database at ``path``: written (``add``, then ``ready``),
    then read back by owner (``rows``)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.connection = sqlite3.connect(path)
        # A scratch file deleted after the import: nothing to recover after a crash.
        self.connection.execute("PRAGMA journal_mode = OFF")
        self.connection.execute("PRAGMA synchronous = OFF")
        self.connection.execute(
            "CREATE TABLE staged (owner TEXT NOT NULL, name TEXT NOT NULL,"
            " number INTEGER NOT NULL, fields TEXT NOT NULL)"
        )
        self.waiting: list[tuple[str, str, int, str]] = []

    def add(self, owner: str, table: str, number: int, fields: list[str]) -> None:
        """Stage a row of ``table`` belonging to ``owner``."""
        self.waiting.append((owner, table, number, json.dumps(fields)))
        if len(self.waiting) >= ROWS_PER_WRITE:
            self._write()

    def ready(self) -> None:
        """Write what is waiting and index the rows by owner, to be read."""
        self._write()
        self.connection.execute("CREATE INDEX staged_owner ON staged (owner, name)")
        self.connection.commit()

    def rows(self, owners: Iterable[str], table: str | None = None) -> Iterator[Staged]:
        """The rows of ``owners`` (of ``table`` only, if given), each owner's in the order
        staged."""
        chosen = sorted(set(owners))
        for start in range(0, len(chosen), OWNERS_PER_QUERY):
            some = chosen[start : start + OWNERS_PER_QUERY]
            marks = ", ".join("?" * len(some))
            sql = f"SELECT owner, name, number, fields FROM staged WHERE owner IN ({marks})"  # noqa: S608  # only ? marks
            values: list[str] = list(some)
            if table is not None:
                sql += " AND name = ?"
                values.append(table)
            found = self.connection.execute(f"{sql} ORDER BY rowid", values).fetchall()
            for owner, name, number, fields in found:
                yield owner, name, number, json.loads(fields)

    def close(self) -> None:
        self.connection.close()

    def _write(self) -> None:
        if self.waiting:
            self.connection.executemany("INSERT INTO staged VALUES (?, ?, ?, ?)", self.waiting)
            self.waiting = []


@contextmanager
def staged() -> Iterator[Stage]:
    """A new, empty stage, deleted with its folder when the ``with`` block ends."""
    with tempfile.TemporaryDirectory(prefix="caseline-ssd-import-") as folder:
        stage = Stage(Path(folder) / "stage.sqlite3")
        try:
            yield stage
        finally:
            stage.close()
