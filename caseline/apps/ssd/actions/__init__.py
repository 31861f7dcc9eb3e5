"""Exporting the record as an SSD extract (an audited export), and asking for one in the
background."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from caseline.apps.accounts.permissions import Permission
from caseline.apps.audit.record import record_export
from caseline.apps.core.access import require_permission
from caseline.apps.people.models import Person
from caseline.apps.ssd.database import (
    DEFAULT_SCHEMA,
    check_database,
    database_name,
    load_extract,
)
from caseline.apps.ssd.export import Progress, Written, write_extract

EXPORT_NAME = "ssd"


def export_extract(
    *,
    acting_user: Any,
    out: Path,
    database: str | None = None,
    schema: str = DEFAULT_SCHEMA,
    progress: Progress | None = None,
) -> Written:
    """Write the SSD extract into ``out`` (and, given ``database``, load it into that
    PostgreSQL database's ``schema``); audit it as an export of every person it holds.

    Refused unless ``acting_user`` holds the permission; ``ExportError`` or ``DatabaseError``
    before anything is written when the folder or the database cannot take it. Not one
    transaction: the export reads the record a chunk at a time and is audited once its files
    (and tables) are in place.
    """
    require_permission(acting_user, Permission.SSD_EXPORT)
    if database is not None:
        check_database(database, schema)
    written = write_extract(out, progress=progress)
    extra: dict[str, Any] = {
        "folder": str(out),
        "rows": written.rows,
        "spec_version": written.manifest["spec_version"],
    }
    if database is not None:
        if progress is not None:
            progress(f"Loading the extract into the schema {schema}")
        load_extract(out, database, schema=schema)
        extra["database"] = database_name(database)
        extra["schema"] = schema
    # Every person on the record is in ssd_person (merged records are not).
    people = Person.objects.filter(merged_into__isnull=True).values_list("pk", flat=True)
    record_export(
        acting_user=acting_user,
        export_name=EXPORT_NAME,
        subject_person_ids=people.iterator(chunk_size=5000),
        extra=extra,
    )
    return written
