"""Backups that restore: each database's own tools, a SHA-256 beside the file, audited.

PostgreSQL is dumped with its own ``pg_dump`` in the custom format and restored with
``pg_restore``; SQLite is copied with the online backup API (Python's
``sqlite3.Connection.backup``), which copies a consistent snapshot while others write. Each
backup has a ``<file>.sha256`` beside it in ``sha256sum``'s format (``sha256sum -c`` checks it
too); a restore checks it first and refuses a database that already holds data unless forced.
See docs/data-protection.md.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.db import connections, transaction

from caseline.apps.audit.record import record_event
from caseline.apps.core.events import CoreEvent

SQLITE_MAGIC = b"SQLite format 3\x00"
POSTGRES_MAGIC = b"PGDMP"
CHECKSUM_SUFFIX = ".sha256"
READ_CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore that cannot be carried out as asked: the message says why."""


@dataclass(frozen=True)
class Backup:
    """A backup made: its file, its SHA-256 and its size in bytes."""

    path: Path
    sha256: str
    size: int

    @property
    def checksum_path(self) -> Path:
        return checksum_path_of(self.path)


@dataclass(frozen=True)
class Occupancy:
    """What a database holds: its tables and the rows of those that are not empty."""

    tables: int
    rows: dict[str, int]

    @property
    def is_empty(self) -> bool:
        return not self.rows

    def describe(self) -> str:
        """'83 tables, 1,204 rows (audit_auditevent 612, ...), 200 people'."""
        biggest = sorted(self.rows.items(), key=lambda item: (-item[1], item[0]))[:3]
        listed = ", ".join(f"{table} {count:,}" for table, count in biggest)
        more = ", ..." if len(self.rows) > len(biggest) else ""
        total = sum(self.rows.values())
        people = self.rows.get("people_person", 0)
        return f"{self.tables} tables, {total:,} rows ({listed}{more}), {people:,} people"


def checksum_path_of(path: Path) -> Path:
    return path.with_name(path.name + CHECKSUM_SUFFIX)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(READ_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def vendor_of(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in {"sqlite", "postgresql"}:  # pragma: no cover - only two are configured
        raise BackupError(f"Backups are made of SQLite or PostgreSQL databases, not {vendor}.")
    return vendor


# Making a backup


def make_backup(out_dir: Path, *, alias: str = "default", now: datetime | None = None) -> Backup:
    """Back the database up into ``out_dir`` (created if missing), write its checksum beside
    it and record the backup in the audit trail."""
    if out_dir.exists() and not out_dir.is_dir():
        raise BackupError(f"--out {out_dir} is a file, not a folder.")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BackupError(f"--out {out_dir} cannot be created: {error.strerror}.") from error
    vendor = vendor_of(alias)
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    suffix = "dump" if vendor == "postgresql" else "sqlite3"
    path = out_dir / f"caseline-{stamp}.{suffix}"
    if path.exists():
        raise BackupError(f"{path} already exists: a backup is never written over another.")
    partial = path.with_name(path.name + ".partial")
    try:
        if vendor == "postgresql":
            _pg_dump(connections[alias].settings_dict, partial)
        else:
            _sqlite_backup(alias, partial)
        digest = sha256_of(partial)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    checksum_path_of(path).write_text(f"{digest}  {path.name}\n", encoding="ascii")
    backup = Backup(path=path, sha256=digest, size=path.stat().st_size)
    with transaction.atomic(using=alias):
        record_event(
            acting_user=None,
            event_type=CoreEvent.BACKUP_MADE,
            extra={
                "file": path.name,
                "sha256": digest,
                "bytes": backup.size,
                "database": vendor,
            },
        )
    return backup


def _sqlite_backup(alias: str, destination: Path) -> None:
    """Copy the live database page by page with SQLite's online backup API."""
    connection = connections[alias]
    connection.ensure_connection()
    source: sqlite3.Connection = connection.connection
    target = sqlite3.connect(destination)
    try:
        source.backup(target)
    finally:
        target.close()


def _pg_environment(settings_dict: Mapping[str, Any]) -> dict[str, str]:
    """The libpq environment for the database's own tools (the password never on argv)."""
    environment = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if settings_dict.get(key):
            environment[variable] = str(settings_dict[key])
    return environment


def _pg_tool(name: str) -> str:
    tool = shutil.which(name)
    if tool is None:
        raise BackupError(f"{name} is not installed: install PostgreSQL's client tools.")
    return tool


def _run_pg(arguments: list[str], settings_dict: Mapping[str, Any]) -> None:
    completed = subprocess.run(  # noqa: S603 - fixed tool, arguments from settings and paths
        arguments,
        env=_pg_environment(settings_dict),
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        detail = (completed.stderr.strip().splitlines() or ["no message"])[-1]
        raise BackupError(f"{Path(arguments[0]).name} failed: {detail}")


def _pg_dump(settings_dict: Mapping[str, Any], destination: Path) -> None:
    """``pg_dump`` in the custom format: compressed, restorable table by table."""
    _run_pg(
        [
            _pg_tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--file={destination}",
            f"--dbname={settings_dict['NAME']}",
        ],
        settings_dict,
    )


# Restoring


def verify_checksum(path: Path) -> str:
    """The backup's SHA-256, checked against the file beside it; raise if either is wrong."""
    if not path.is_file():
        raise BackupError(f"{path} does not exist or is not a file.")
    beside = checksum_path_of(path)
    if not beside.is_file():
        raise BackupError(f"{path} has no checksum file beside it ({beside.name}).")
    words = beside.read_text(encoding="ascii", errors="replace").split()
    expected = words[0].lower() if words else ""
    if len(expected) != 64:
        raise BackupError(f"{beside} does not hold a SHA-256 checksum.")
    actual = sha256_of(path)
    if actual != expected:
        raise BackupError(
            f"{path} does not match its checksum (expected {expected[:12]}..., "
            f"found {actual[:12]}...): the file is damaged or not the one backed up."
        )
    return actual


def kind_of(path: Path) -> str:
    """'postgresql' or 'sqlite', from the file's first bytes."""
    with path.open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if head.startswith(POSTGRES_MAGIC):
        return "postgresql"
    if head == SQLITE_MAGIC:
        return "sqlite"
    raise BackupError(f"{path} is neither a PostgreSQL custom-format dump nor a SQLite database.")


def occupancy(alias: str = "default") -> Occupancy:
    """The tables of the database and the rows in each that holds any."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        rows: dict[str, int] = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            count = int(cursor.fetchone()[0])
            if count:
                rows[table] = count
    return Occupancy(tables=len(tables), rows=rows)


def restore_backup(path: Path, *, force: bool = False, alias: str = "default") -> str:
    """Restore ``path`` into the configured database; return its SHA-256.

    Checks the checksum and the kind of file first, then refuses a database holding any row
    unless ``force``. The restored database's audit trail records the restore.
    """
    digest = verify_checksum(path)
    vendor = vendor_of(alias)
    kind = kind_of(path)
    if kind != vendor:
        raise BackupError(f"{path} is a {kind} backup but the database is {vendor}.")
    found = occupancy(alias)
    if not found.is_empty and not force:
        raise BackupError(
            f"The database already holds data ({found.describe()}): "
            "restore with --force to replace it."
        )
    connection = connections[alias]
    if vendor == "postgresql":
        connection.close()
        _pg_restore(connection.settings_dict, path)
    else:
        _sqlite_restore(alias, path)
    with transaction.atomic(using=alias):
        record_event(
            acting_user=None,
            event_type=CoreEvent.DATABASE_RESTORED,
            extra={"file": path.name, "sha256": digest, "forced": force and not found.is_empty},
        )
    return digest


def _sqlite_restore(alias: str, path: Path) -> None:
    """Copy the backup over the live database with the backup API, in one step."""
    connection = connections[alias]
    connection.ensure_connection()
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def _pg_restore(settings_dict: Mapping[str, Any], path: Path) -> None:
    """``pg_restore`` in one transaction: all of it or none, dropping what it replaces."""
    _run_pg(
        [
            _pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={settings_dict['NAME']}",
            str(path),
        ],
        settings_dict,
    )
