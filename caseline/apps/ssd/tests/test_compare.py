"""The docs' comparison of two authorities, run: the page's PostgreSQL query over two loaded
schemas and its DuckDB query over the two CSV extracts give the same answer (skipped where no
PostgreSQL server answers at SSD_TEST_POSTGRES)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import transaction

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.ssd.actions import export_extract
from caseline.apps.ssd.tests.test_database import target  # noqa: F401 - the fixture
from caseline.apps.synthetic.generator import Builder, Parameters
from tools.ssd_compare import queries, run_duckdb, run_postgres

pytestmark = pytest.mark.django_db


def test_the_page_gives_both_engines_a_query() -> None:
    postgres, duck = queries()
    assert "la_a.ssd_cin_episodes" in postgres
    assert "read_csv('extract_a/ssd_cin_episodes.csv'" in duck


def test_postgresql_and_duckdb_agree_over_two_authorities(
    target: str,  # noqa: F811 - the fixture
    make_user: Callable[..., User],
    tmp_path: Path,
) -> None:
    analyst = make_user(Role.ANALYST, username="analyst")
    for la, seed in (("a", 11), ("b", 12)):
        with transaction.atomic():  # each authority alone on the record, then rolled back
            Builder(
                Parameters(children=40, years=3, seed=seed, as_at=datetime.date(2026, 11, 2))
            ).run()
            export_extract(
                acting_user=analyst,
                out=tmp_path / f"extract_{la}",
                database=target,
                schema=f"la_{la}",
            )
            transaction.set_rollback(True)
    postgres = run_postgres(target)
    duck = run_duckdb(tmp_path)
    assert [row[0] for row in postgres] == ["A", "B"]
    assert all(row[1] > 0 for row in postgres)
    assert postgres != [("A", 0, 0.0, 0.0), ("B", 0, 0.0, 0.0)]
    assert duck == postgres
