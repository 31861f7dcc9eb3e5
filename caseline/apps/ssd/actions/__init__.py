"""Exporting the record as an SSD extract (an audited export), and asking for one in the
background."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.audit.record import record_event, record_export
from caseline.apps.core.access import require_permission
from caseline.apps.people.models import Person
from caseline.apps.returns.actions import IN_PROGRESS_RUNNING
from caseline.apps.returns.models import ReturnRun
from caseline.apps.ssd.database import (
    DEFAULT_SCHEMA,
    check_database,
    database_name,
    load_extract,
)
from caseline.apps.ssd.events import SsdEvent
from caseline.apps.ssd.export import Progress, Written, write_extract

EXPORT_NAME = "ssd"
# An export asked for on the analyst's page is kept as a ``ReturnRun`` of this slug (the
# returns' run machinery: status, progress, files, rows, the worker's task), with the year it
# was asked for as its year.
RUN_SLUG = "ssd"


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
    people = Person.objects.filter(merged_into__isnull=True).order_by("pk")
    written.person_ids = list(people.values_list("pk", flat=True))
    record_export(
        acting_user=acting_user,
        export_name=EXPORT_NAME,
        subject_person_ids=written.person_ids,
        extra=extra,
    )
    return written


@transaction.atomic(durable=True)
def request_export_run(*, acting_user: User) -> ReturnRun:
    """Ask for the SSD extract to be written in the background (the worker's task)."""
    require_permission(acting_user, Permission.SSD_EXPORT)
    run = ReturnRun.objects.create(
        return_slug=RUN_SLUG, year=timezone.localdate().year, requested_by=acting_user
    )
    record_event(
        acting_user=acting_user,
        event_type=SsdEvent.EXPORT_REQUESTED,
        target=run,
        new_values={"run": run.pk},
    )
    from caseline.apps.ssd.tasks import export_run

    transaction.on_commit(lambda: export_run.enqueue(run.pk))
    return run


def finish_export_run(run_id: int, *, written: Written, folder: Path) -> None:
    """Keep what the run wrote: its files (inside the run's folder) and rows per table. A run
    given up as stopped meanwhile (``returns.actions.fail_stopped_runs``) stays failed, and
    what it wrote is removed, as for a return."""
    finished = ReturnRun.objects.filter(pk=run_id, status__in=IN_PROGRESS_RUNNING).update(
        status=ReturnRun.Status.DONE,
        finished_at=timezone.now(),
        progress="",
        files=sorted(str(path.relative_to(folder)) for path in written.folder.iterdir()),
        rows=written.rows,
        person_ids=written.person_ids,
    )
    if not finished:
        shutil.rmtree(written.folder, ignore_errors=True)
