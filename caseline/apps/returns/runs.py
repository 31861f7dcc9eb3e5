"""Carrying out a requested run: produce the return, check it, keep both.

Runs in the worker (``caseline db_worker``), never in a web request.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from django.conf import settings

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
    """Produce, validate and record one run; a failure is kept on the run for the analyst."""
    if not actions.start_run(run_id):
        return
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
        actions.fail_run(run_id, str(error))
    except Exception as error:
        logger.exception("Return run %s failed", run_id)
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
