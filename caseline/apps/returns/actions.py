"""Producing a return: the one path the command and the analyst's page share."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from caseline.apps.audit.record import record_export
from caseline.apps.returns.files import check_writable_file, check_writable_folder
from caseline.apps.returns.registry import Produced, Progress, StatutoryReturn
from caseline.apps.returns.years import CollectionYear


def produce_return(
    statutory_return: StatutoryReturn,
    year: CollectionYear,
    out: Path,
    *,
    acting_user: Any,
    progress: Progress | None = None,
) -> Produced:
    """Write ``statutory_return`` for ``year`` to ``out`` and audit it as an export.

    The export is audited once the files are in place, naming every child the return holds.
    Raises ``ReturnInputError`` before writing anything when ``out`` cannot be written.
    """
    if statutory_return.writes_folder:
        check_writable_folder(out)
    else:
        check_writable_file(out)
    produced = statutory_return.produce(year, out, progress=progress)
    record_export(
        acting_user=acting_user,
        export_name=f"{statutory_return.slug} {year.year}",
        subject_person_ids=produced.person_ids,
        extra={"files": [path.name for path in produced.files], "rows": produced.rows},
    )
    return produced
