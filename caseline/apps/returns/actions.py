"""Producing a return, and the analyst's runs of it in the background.

:func:`produce_return` is the one path the command and the worker share. The other functions
here record a run's request and its progress; :mod:`caseline.apps.returns.runs` does the work.
"""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.audit.record import record_event, record_export
from caseline.apps.core.access import require_permission
from caseline.apps.returns.events import ReturnsEvent
from caseline.apps.returns.files import (
    check_writable_file,
    check_writable_folder,
    write_failed,
)
from caseline.apps.returns.models import ReturnFinding, ReturnRun
from caseline.apps.returns.registry import RETURNS, Period, Produced, Progress, StatutoryReturn
from caseline.apps.returns.validation import Level, ValidationReport


def produce_return(
    statutory_return: StatutoryReturn,
    year: Period,
    out: Path,
    *,
    acting_user: Any,
    progress: Progress | None = None,
) -> Produced:
    """Write ``statutory_return`` for ``year`` to ``out`` and audit it as an export.

    The export is audited once the files are in place, naming every child the return holds;
    if the audit cannot be written, the files are removed.
    Raises ``ReturnInputError`` before writing anything when ``out`` cannot be written, and
    ``files.WriteFailed`` when writing fails part way (a full disk), with no file half-written.
    """
    if statutory_return.writes_folder:
        check_writable_folder(out)
    else:
        check_writable_file(out)
    try:
        produced = statutory_return.produce(year, out, progress=progress)
    except OSError as error:
        raise write_failed(statutory_return.title, out, error) from error
    try:
        record_export(
            acting_user=acting_user,
            export_name=f"{statutory_return.slug} {year.key}",
            subject_person_ids=produced.person_ids,
            extra={"files": [path.name for path in produced.files], "rows": produced.rows},
        )
    except BaseException:
        # An export that could not be audited is not kept.
        for path in produced.files:
            path.unlink(missing_ok=True)
        raise
    return produced


@transaction.atomic(durable=True)
def request_return_run(
    *,
    acting_user: User,
    return_slug: str,
    year: int | None = None,
    as_at: datetime.date | None = None,
) -> ReturnRun:
    """Ask for a return to be produced and checked in the background: for a collection
    ``year``, or for an ``as_at`` date (Annex A)."""
    require_permission(acting_user, Permission.RETURNS_EXPORT)
    statutory_return = RETURNS.get(return_slug)
    if statutory_return is None:
        raise ValidationError({"return_slug": "Select a return"})
    if statutory_return.as_at:
        if as_at is None:
            raise ValidationError(
                {"as_at": f"Enter the date the {statutory_return.title} is as at"}
            )
        if as_at > timezone.localdate():
            raise ValidationError({"as_at": "The as-at date must be today or in the past"})
        year = as_at.year
    elif year not in statutory_return.years:
        raise ValidationError(
            {"year": f"Select a collection year the {statutory_return.title} can be made for"}
        )
    else:
        as_at = None
    assert year is not None
    run = ReturnRun.objects.create(
        return_slug=return_slug, year=year, as_at=as_at, requested_by=acting_user
    )
    record_event(
        acting_user=acting_user,
        event_type=ReturnsEvent.RUN_REQUESTED,
        target=run,
        new_values={"return": return_slug, "year": year}
        | ({"as_at": as_at.isoformat()} if as_at else {}),
    )
    from caseline.apps.returns.tasks import produce_run

    transaction.on_commit(lambda: produce_run.enqueue(run.pk))
    return run


def start_run(run_id: int) -> bool:
    """Mark a queued run as being produced; False if another worker took it first."""
    return bool(
        ReturnRun.objects.filter(pk=run_id, status=ReturnRun.Status.QUEUED).update(
            status=ReturnRun.Status.PRODUCING,
            started_at=timezone.now(),
            heartbeat_at=timezone.now(),
            progress="Starting",
        )
    )


def note_heartbeat(run_id: int) -> None:
    """Say the worker producing the run is still alive."""
    ReturnRun.objects.filter(pk=run_id).update(heartbeat_at=timezone.now())


STOPPED = (
    "The worker producing this return stopped before it finished ({progress}): nothing it "
    "was writing was kept. Ask for the return again."
)


IN_PROGRESS_RUNNING = (ReturnRun.Status.PRODUCING, ReturnRun.Status.VALIDATING)


def fail_stopped_runs() -> int:
    """Mark failed every run whose worker has stopped (killed, or its machine restarted):
    being produced or checked, yet not heard from for three heartbeats. Returns how many."""
    stale = timezone.now() - datetime.timedelta(seconds=3 * settings.CASELINE_RUN_HEARTBEAT_SECONDS)
    stopped = ReturnRun.objects.filter(status__in=IN_PROGRESS_RUNNING).filter(
        Q(heartbeat_at__lt=stale) | Q(heartbeat_at__isnull=True, started_at__lt=stale)
    )
    from caseline.apps.returns.runs import run_folder

    failed = 0
    for run in stopped.only("pk", "progress"):
        given_up = ReturnRun.objects.filter(pk=run.pk, status__in=IN_PROGRESS_RUNNING).update(
            status=ReturnRun.Status.FAILED,
            finished_at=timezone.now(),
            error=STOPPED.format(progress=(run.progress or "starting").lower()),
        )
        if given_up:
            # What the worker had written (finished tables, hidden temporary files) goes: the
            # run offers no files, and children's data is not left on disk for nobody.
            shutil.rmtree(run_folder(run), ignore_errors=True)
        failed += given_up
    return failed


def note_progress(run_id: int, message: str, *, status: str | None = None) -> None:
    """Show how far the run has got."""
    values: dict[str, Any] = {"progress": message[:200]}
    if status:
        values["status"] = status
    ReturnRun.objects.filter(pk=run_id).update(**values)


@transaction.atomic
def finish_run(
    run_id: int, *, produced: Produced, folder: Path, report: ValidationReport | None
) -> None:
    """Keep what the run produced and what the validator found, child by child (``report``
    is None for a return no validator checks: Annex A)."""
    finished = ReturnRun.objects.filter(pk=run_id, status__in=IN_PROGRESS_RUNNING).update(
        status=ReturnRun.Status.DONE,
        finished_at=timezone.now(),
        progress="",
        files=[str(path.relative_to(folder)) for path in produced.files],
        rows=produced.rows,
        person_ids=sorted(set(produced.person_ids)),
        report=dict(report.document) if report is not None else None,
    )
    if not finished:  # given up as stopped meanwhile (``fail_stopped_runs``): keep nothing
        shutil.rmtree(folder, ignore_errors=True)
        return
    if report is None:
        return
    findings = [
        ReturnFinding(
            run_id=run_id,
            person_id=child.person_id,
            child_reference=child.child_reference[:20],
            code=failure.code,
            is_error=failure.level is Level.ERROR,
            message=failure.message,
        )
        for child in report.children().values()
        for failure in child.failures
    ]
    findings += [
        ReturnFinding(
            run_id=run_id,
            code=failure.code,
            is_error=failure.level is Level.ERROR,
            message=failure.message,
        )
        for failure in report.failures
        if failure.whole_return
    ]
    ReturnFinding.objects.bulk_create(findings, batch_size=2000)


def fail_run(run_id: int, error: str) -> None:
    """Say why the run could not finish."""
    ReturnRun.objects.filter(pk=run_id).update(
        status=ReturnRun.Status.FAILED, finished_at=timezone.now(), error=error[:2000]
    )
