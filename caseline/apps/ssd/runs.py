"""Carrying out an export asked for on the analyst's page, in the worker (never in a request).

The returns' run machinery does the bookkeeping: a ``ReturnRun`` holds the status, progress and
files, ``returns.actions`` starts and fails it, and its folder is ``returns.runs.run_folder``.
"""

from __future__ import annotations

import logging

from caseline.apps.returns import actions as returns_actions
from caseline.apps.returns.models import ReturnRun
from caseline.apps.returns.runs import heartbeat, run_folder
from caseline.apps.ssd.actions import export_extract, finish_export_run
from caseline.apps.ssd.export import ExportError

logger = logging.getLogger(__name__)
EXTRACT_FOLDER = "extract"


def carry_out_export(run_id: int) -> None:
    """Write the extract into the run's folder; a failure is kept on the run for the analyst.

    As for a return, the worker notes a heartbeat while it writes (``returns.runs``).
    """
    returns_actions.fail_stopped_runs()
    if not returns_actions.start_run(run_id):
        return
    with heartbeat(run_id):
        _carry_out(run_id)


def _carry_out(run_id: int) -> None:
    run = ReturnRun.objects.select_related("requested_by").get(pk=run_id)
    folder = run_folder(run)
    try:
        folder.mkdir(parents=True, exist_ok=True)

        def progress(message: str) -> None:
            returns_actions.note_progress(run_id, message)

        written = export_extract(
            acting_user=run.requested_by, out=folder / EXTRACT_FOLDER, progress=progress
        )
        finish_export_run(run_id, written=written, folder=folder / EXTRACT_FOLDER)
    except ExportError as error:
        returns_actions.fail_run(run_id, str(error))
    except Exception as error:
        logger.exception("SSD export run %s failed", run_id)
        returns_actions.fail_run(run_id, f"Caseline could not finish this export: {error}")
