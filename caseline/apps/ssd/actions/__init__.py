"""Exporting the record as an SSD extract (an audited export), and asking for one in the
background."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from caseline.apps.accounts.permissions import Permission
from caseline.apps.audit.record import record_export
from caseline.apps.core.access import require_permission
from caseline.apps.returns.identifiers import person_id_from_child_id
from caseline.apps.ssd.export import Progress, Written, write_extract

EXPORT_NAME = "ssd"


def export_extract(*, acting_user: Any, out: Path, progress: Progress | None = None) -> Written:
    """Write the SSD extract into ``out`` and audit it as an export of every person it names.

    Refused unless ``acting_user`` holds the permission; ``ExportError`` before anything is
    written when ``out`` cannot take the extract. Not one transaction: the export reads a
    snapshot a chunk at a time and is audited once its files are in place.
    """
    require_permission(acting_user, Permission.SSD_EXPORT)
    written = write_extract(out, progress=progress)
    person_ids = [
        pk for pk in (person_id_from_child_id(ref) for ref in written.person_ids) if pk is not None
    ]
    record_export(
        acting_user=acting_user,
        export_name=EXPORT_NAME,
        subject_person_ids=person_ids,
        extra={
            "folder": str(out),
            "rows": written.rows,
            "spec_version": written.manifest["spec_version"],
        },
    )
    return written
