"""The SSD app's background task (ADR 0020): the worker runs it, the action enqueues it."""

from __future__ import annotations

from django_tasks import task

from caseline.apps.ssd.runs import carry_out_export


@task()
def export_run(run_id: int) -> None:
    """Write the SSD extract for one requested run."""
    carry_out_export(run_id)
