"""Backups restore exactly: a backup restored into an empty database holds every row of its
source, on SQLite (the online backup API) and PostgreSQL (pg_dump and pg_restore)."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from caseline.apps.audit.chain import verify
from caseline.apps.audit.models import AuditChainHead, AuditEvent
from caseline.apps.core.backup import (
    checksum_path_of,
    make_backup,
    occupancy,
    restore_backup,
    sha256_of,
)
from caseline.apps.core.events import CoreEvent
from tests.factories import ChildFactory, TeamFactory, UserFactory

AUDIT_TABLE = AuditEvent._meta.db_table
CHAIN_HEAD_TABLE = AuditChainHead._meta.db_table
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a PostgreSQL connection"
)
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="a SQLite connection")


def _every_row() -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, each table's in the order of all its columns."""
    tables: dict[str, list[tuple[Any, ...]]] = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = connection.introspection.get_table_description(cursor, table)
            order = ", ".join(str(n) for n in range(1, len(columns) + 1))
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted} ORDER BY {order}")  # noqa: S608
            tables[table] = [tuple(row) for row in cursor.fetchall()]
    return tables


def _empty_the_database() -> None:
    """Drop every table, so the database is as a new one is."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in connection.introspection.table_names(cursor):
                cursor.execute(f"DROP TABLE {connection.ops.quote_name(table)}")
            cursor.execute("PRAGMA foreign_keys = ON")
    connection.close()


def _some_records() -> None:
    team = TeamFactory.create(name="Backup team")
    worker = UserFactory.create(username="backupworker", team=team)
    for n in range(5):
        ChildFactory.create(
            given_name=f"Restored{n}",
            team=team,
            worker=worker,
            referral_date=datetime.date(2025, 1, 1 + n),
        )


def _backup_restores_every_row(tmp_path: Path) -> None:
    _some_records()
    source = _every_row()
    backup = make_backup(tmp_path / "backups")
    assert checksum_path_of(backup.path).read_text() == f"{backup.sha256}  {backup.path.name}\n"
    assert AuditEvent.objects.filter(
        event_type=CoreEvent.BACKUP_MADE, new_values={}, extra__sha256=backup.sha256
    ).exists()

    _empty_the_database()
    assert occupancy().tables == 0
    restore_backup(backup.path)

    restored = _every_row()
    assert set(restored) == set(source)
    assert len(source["people_person"]) >= 5
    for table, rows in source.items():
        if table in (AUDIT_TABLE, CHAIN_HEAD_TABLE):
            continue
        assert restored[table] == rows, table
    # The audit trail as it was, and the restore recorded in it.
    restore_events = AuditEvent.objects.filter(event_type=CoreEvent.DATABASE_RESTORED)
    assert [e.extra["sha256"] for e in restore_events] == [backup.sha256]
    restore_id = restore_events.get().pk
    id_column = 0
    assert [r for r in restored[AUDIT_TABLE] if r[id_column] != restore_id] == source[AUDIT_TABLE]
    # The hash chain's head moved on by the restore's event, and the chain verifies.
    last = restore_events.get()
    head = AuditChainHead.objects.get()
    assert (head.position, head.last_hash) == (last.chain_position, last.event_hash)
    assert verify().intact


@on_sqlite
@pytest.mark.django_db(transaction=True)
def test_a_sqlite_backup_restores_every_row_into_an_empty_database(tmp_path: Path) -> None:
    _backup_restores_every_row(tmp_path)


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_a_postgresql_backup_restores_every_row_into_an_empty_database(tmp_path: Path) -> None:
    _backup_restores_every_row(tmp_path)


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_holding_data_and_says_what_it_found(tmp_path: Path) -> None:
    _some_records()
    backup = make_backup(tmp_path)
    with pytest.raises(CommandError) as raised:
        call_command("restore", str(backup.path))
    assert raised.value.returncode == 2
    message = str(raised.value)
    assert message.startswith("The database already holds data (")
    assert "), 5 people): restore with --force" in message
    assert "restore with --force" in message
    assert "\n" not in message
    assert not AuditEvent.objects.filter(event_type=CoreEvent.DATABASE_RESTORED).exists()

    call_command("restore", str(backup.path), "--force")
    event = AuditEvent.objects.get(event_type=CoreEvent.DATABASE_RESTORED)
    assert event.extra == {"file": backup.path.name, "sha256": backup.sha256, "forced": True}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("missing-file", "does not exist or is not a file"),
        ("no-checksum", "has no checksum file beside it"),
        ("bad-checksum", "does not hold a SHA-256 checksum"),
        ("changed", "does not match its checksum"),
        ("not-a-backup", "is neither a PostgreSQL custom-format dump nor a SQLite database"),
    ],
)
def test_restore_refuses_a_damaged_or_unknown_file_in_one_line(
    tmp_path: Path, damage: str, message: str
) -> None:
    path = tmp_path / "caseline.sqlite3"
    path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    checksum = checksum_path_of(path)
    checksum.write_text(f"{sha256_of(path)}  {path.name}\n")
    if damage == "missing-file":
        path.unlink()
    elif damage == "no-checksum":
        checksum.unlink()
    elif damage == "bad-checksum":
        checksum.write_text("not a checksum\n")
    elif damage == "changed":
        path.write_bytes(b"SQLite format 3\x00" + b"\x01" * 100)
    else:
        path.write_bytes(b"hello")
        checksum.write_text(f"{sha256_of(path)}  {path.name}\n")
    with pytest.raises(CommandError, match=message) as raised:
        call_command("restore", str(path))
    assert raised.value.returncode == 2
    assert "\n" not in str(raised.value)


@pytest.mark.django_db
def test_restore_refuses_a_backup_of_the_other_database(tmp_path: Path) -> None:
    path = tmp_path / "other"
    other = b"PGDMP" if connection.vendor == "sqlite" else b"SQLite format 3\x00"
    path.write_bytes(other + b"\x00" * 64)
    checksum_path_of(path).write_text(f"{sha256_of(path)}  other\n")
    with pytest.raises(CommandError, match="backup but the database is") as raised:
        call_command("restore", str(path))
    assert raised.value.returncode == 2


@pytest.mark.django_db
def test_backup_refuses_a_file_as_its_folder(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    with pytest.raises(CommandError, match="is a file, not a folder") as raised:
        call_command("backup", "--out", str(not_a_folder))
    assert raised.value.returncode == 2
    assert not AuditEvent.objects.filter(event_type=CoreEvent.BACKUP_MADE).exists()
