"""A run whose worker stopped is given up after three missed heartbeats, and a worker that was
only slow and finishes afterwards keeps nothing."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from pytest_django.fixtures import Settings

from caseline.apps.accounts.permissions import Role
from caseline.apps.returns import actions
from caseline.apps.returns.models import ReturnRun
from caseline.apps.returns.registry import Produced
from caseline.apps.returns.runs import run_folder
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _run_heard_from(seconds_ago: int) -> ReturnRun:
    return ReturnRun.objects.create(
        return_slug="cin-census",
        year=2026,
        requested_by=UserFactory.create(roles=[Role.ANALYST]),
        status=ReturnRun.Status.VALIDATING,
        progress="Checking with the validator",
        started_at=timezone.now() - datetime.timedelta(minutes=5),
        heartbeat_at=timezone.now() - datetime.timedelta(seconds=seconds_ago),
    )


def test_a_run_silent_for_three_heartbeats_is_failed_and_its_files_removed(
    settings: Settings, tmp_path: Path
) -> None:
    settings.CASELINE_RETURNS_DIR = tmp_path
    settings.CASELINE_RUN_HEARTBEAT_SECONDS = 15
    alive, stopped = _run_heard_from(40), _run_heard_from(50)
    folder = run_folder(stopped)
    folder.mkdir()
    (folder / "cin_census_2026.xml").write_text("<Message/>")
    assert actions.fail_stopped_runs() == 1
    alive.refresh_from_db()
    stopped.refresh_from_db()
    assert alive.status == ReturnRun.Status.VALIDATING
    assert stopped.status == ReturnRun.Status.FAILED
    assert stopped.error.startswith(
        "The worker producing this return stopped before it finished (checking with the validator)"
    )
    assert not folder.exists()

    # The worker was only slow: what it finishes now is not kept.
    folder.mkdir()
    late = folder / "cin_census_2026.xml"
    late.write_text("<Message/>")
    actions.finish_run(stopped.pk, produced=Produced([late], [1]), folder=folder, report=None)
    stopped.refresh_from_db()
    assert stopped.status == ReturnRun.Status.FAILED
    assert stopped.files == []
    assert not folder.exists()
