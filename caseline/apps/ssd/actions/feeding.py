"""Writing the DfE children's social care data feed's records (an audited export)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from caseline.apps.accounts.permissions import Permission
from caseline.apps.audit.record import record_export
from caseline.apps.core.access import require_permission
from caseline.apps.ssd.export import Progress
from caseline.apps.ssd.feed import Fed, write_feed

FEED_NAME = "csc-feed"


def write_feed_records(
    *,
    acting_user: Any,
    out: Path,
    since: datetime | None = None,
    progress: Progress | None = None,
) -> Fed:
    """Write the feed's records into ``out`` (all children with a referral, or those changed
    since ``since``); audit it as an export of every child it holds.

    Allowed to those who may export the SSD; ``ExportError`` or ``FeedError`` before anything
    is written when the folder cannot take it or a record does not meet the schema. Not one
    transaction, as the SSD export: it reads, and is audited once its files are in place.
    """
    require_permission(acting_user, Permission.SSD_EXPORT)
    fed = write_feed(out, since=since, progress=progress)
    record_export(
        acting_user=acting_user,
        export_name=FEED_NAME,
        subject_person_ids=fed.person_ids,
        extra={
            "folder": str(out),
            "kind": fed.manifest["kind"],
            "since": fed.manifest["since"],
            "children": fed.children,
            "purged": fed.purged,
            "spec_version": fed.manifest["spec_version"],
        },
    )
    return fed
