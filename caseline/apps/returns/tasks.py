"""The background tasks of returns (ADR 0020): the worker runs them, the actions enqueue them."""

from __future__ import annotations

from django_tasks import task

from caseline.apps.returns.runs import carry_out_run


@task()
def produce_run(run_id: int) -> None:
    """Produce and check one requested run."""
    carry_out_run(run_id)
