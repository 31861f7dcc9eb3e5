"""Carrying out a requested run: produce the return, check it, keep both.

Runs in the worker (``caseline db_worker``), never in a web request.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.db import connection

from caseline.apps.returns import actions, validation
from caseline.apps.returns.models import ReturnRun
from caseline.apps.returns.registry import RETURNS, Period, StatutoryReturn
from caseline.apps.returns.years import AsAtDate, CollectionYear, ReturnInputError

logger = logging.getLogger(__name__)

PREVIOUS_YEAR_FOLDER = "previous-year"


def run_folder(run: ReturnRun) -> Path:
    """Where one run's files are kept."""
    return Path(settings.CASELINE_RETURNS_DIR) / str(run.pk)


def output_path(statutory_return: StatutoryReturn, year: Period, folder: Path) -> Path:
    """The file (or folder of tables) a return is written to inside a run's folder."""
    if statutory_return.writes_folder:
        return folder
    stem = statutory_return.slug.replace("-", "_")
    return folder / f"{stem}_{year.key}{statutory_return.suffix}"


def period_of(run: ReturnRun) -> Period:
    """The collection year, or the as-at date, a run is for."""
    if run.as_at is not None:
        return AsAtDate(run.as_at)
    return CollectionYear(run.year)


def carry_out_run(run_id: int) -> None:
    """Produce, validate and record one run; a failure is kept on the run for the analyst.

    Runs whose worker has stopped are marked failed first; while this one is produced, a
    heartbeat says its worker is alive.
    """
    actions.fail_stopped_runs()
    if not actions.start_run(run_id):
        return
    with heartbeat(run_id):
        _carry_out(run_id)


@contextlib.contextmanager
def heartbeat(run_id: int) -> Iterator[None]:
    """Note every ``CASELINE_RUN_HEARTBEAT_SECONDS``, from a thread, that the run's worker is
    alive, however long one step (the validator) takes."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(settings.CASELINE_RUN_HEARTBEAT_SECONDS):
                try:
                    actions.note_heartbeat(run_id)
                except Exception:  # a missed beat is not the run's failure
                    logger.warning("Return run %s: could not note its heartbeat", run_id)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=beat, name=f"return-run-{run_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _carry_out(run_id: int) -> None:
    run = ReturnRun.objects.select_related("requested_by").get(pk=run_id)
    statutory_return = RETURNS[run.return_slug]
    folder = run_folder(run)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        year = period_of(run)

        def progress(message: str) -> None:
            actions.note_progress(run_id, message)

        out = output_path(statutory_return, year, folder)
        produced = actions.produce_return(
            statutory_return, year, out, acting_user=run.requested_by, progress=progress
        )
        if run.return_slug not in validation.VALIDATED_RETURNS:
            actions.finish_run(run_id, produced=produced, folder=folder, report=None)
            return
        assert isinstance(year, CollectionYear)
        previous = _previous_year(statutory_return, year, folder, run)
        actions.note_progress(
            run_id, "Checking with the validator", status=ReturnRun.Status.VALIDATING
        )
        lists = statutory_return.validator_lists(out)
        report = validation.validate(
            run.return_slug,
            out,
            previous=previous,
            year=year.year,
            children_homes=lists.get("children_homes"),
            social_care_providers=lists.get("social_care_providers"),
        )
        actions.finish_run(run_id, produced=produced, folder=folder, report=report)
    except (ReturnInputError, validation.ValidatorFailed) as error:
        shutil.rmtree(folder, ignore_errors=True)  # no file of a failed run is kept
        actions.fail_run(run_id, str(error))
    except Exception as error:
        logger.exception("Return run %s failed", run_id)
        shutil.rmtree(folder, ignore_errors=True)
        actions.fail_run(run_id, f"Caseline could not finish this run: {error}")


def _previous_year(
    statutory_return: StatutoryReturn, year: CollectionYear, folder: Path, run: ReturnRun
) -> Path | None:
    """The previous year's return, produced beside this one, when its validator needs it."""
    previous_year = CollectionYear(year.year - 1)
    if not statutory_return.validated_with_previous_year:
        return None
    if previous_year.year not in statutory_return.years:
        return None
    target = folder / PREVIOUS_YEAR_FOLDER
    if target.exists():
        shutil.rmtree(target)
    actions.note_progress(run.pk, f"Producing {previous_year.label} for the validator")
    out = output_path(statutory_return, previous_year, target)
    target.mkdir()
    actions.produce_return(statutory_return, previous_year, out, acting_user=run.requested_by)
    return out


def report_of(run: ReturnRun) -> validation.ValidationReport | None:
    """The run's validation report, read back, or None before it is checked."""
    if run.report is None:
        return None
    return validation.report_from_document(run.return_slug, run.report)
