"""A full disk while a return is written: a clear error naming the file, and no file left.

The disk is made full for real: an 8 KB tmpfs where this runs as root (as the CI container
does), and, for the census on PostgreSQL, an 8 KB file-size limit on the process
(``RLIMIT_FSIZE``), under which a write past the limit fails with EFBIG as it would on a
full disk.
"""

from __future__ import annotations

import datetime
import resource
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection
from pytest_django.fixtures import Settings

from caseline.apps.accounts.permissions import Role
from caseline.apps.returns import actions as returns_actions
from caseline.apps.returns.models import ReturnRun
from caseline.apps.returns.runs import carry_out_run
from caseline.apps.synthetic.generator import Builder, Parameters
from tests.factories import UserFactory
from tests.faults.conftest import Processes, SharedDatabase

AUTHORITY = Parameters(children=100, years=2, seed=21, as_at=datetime.date(2026, 11, 2))
LIMIT_BYTES = 8 * 1024
RETURNS = {
    "cin-census": ("--year", "2026", "cin_census_2026.xml", "Children in need census"),
    "ssda903": ("--year", "2026", "ssda903", "SSDA903 (children looked after)"),
    "annex-a": ("--as-at", "2026-11-01", "annex_a.xlsx", "Ofsted Annex A"),
}


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A folder on an 8 KB tmpfs; skipped where mounting is not allowed (not root)."""
    folder = tmp_path / "tiny"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={LIMIT_BYTES}", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def _limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT_BYTES, LIMIT_BYTES))


def _produce(processes: Processes, slug: str, folder: Path, **kwargs: object) -> str:
    flag, value, name, title = RETURNS[slug]
    out = folder / name
    done = processes.run_caseline("returns", slug, flag, value, "--out", str(out), **kwargs)  # type: ignore[arg-type]
    assert done.returncode == 1, done.stdout + done.stderr
    error = done.stderr.strip()
    assert error.startswith(f"CommandError: Could not write the {title} to {out}"), error
    assert "make room and produce it again" in error
    assert "Traceback" not in error
    return error


@pytest.mark.parametrize("slug", list(RETURNS))
def test_a_return_written_to_a_full_disk_is_a_clear_error_and_leaves_no_file(
    shared_database: SharedDatabase, processes: Processes, tiny_disk: Path, slug: str
) -> None:
    Builder(AUTHORITY).run()
    shared_database.publish()
    error = _produce(processes, slug, tiny_disk)
    assert "No space left on device (the disk is full" in error
    left = [p.name for p in tiny_disk.rglob("*") if p.is_file()]
    assert left == [], left


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the limit would stop the command writing the SQLite database too",
)
def test_a_census_past_the_file_size_limit_is_a_clear_error_and_leaves_no_file(
    shared_database: SharedDatabase, processes: Processes, tmp_path: Path
) -> None:
    Builder(AUTHORITY).run()
    shared_database.publish()
    out = tmp_path / "census"
    out.mkdir()
    error = _produce(processes, "cin-census", out, preexec_fn=_limit_file_size)
    assert "File too large (the disk is full" in error
    assert list(out.iterdir()) == []


def test_a_run_on_a_full_disk_fails_saying_why_and_keeps_no_file(
    transactional_db: None, tiny_disk: Path, settings: Settings
) -> None:
    settings.CASELINE_RETURNS_DIR = tiny_disk
    Builder(AUTHORITY).run()
    analyst = UserFactory.create(username="analyst", roles=[Role.ANALYST])
    run = returns_actions.request_return_run(
        acting_user=analyst, return_slug="annex-a", as_at=datetime.date(2026, 11, 1)
    )
    carry_out_run(run.pk)  # as the worker does
    run.refresh_from_db()
    assert run.status == ReturnRun.Status.FAILED
    assert run.error.startswith("Could not write the Ofsted Annex A to ")
    assert "No space left on device" in run.error
    assert list(tiny_disk.iterdir()) == []
