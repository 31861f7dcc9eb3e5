"""Loading the extract into a PostgreSQL schema made to the spec's types and keys (skipped
where no PostgreSQL server answers at SSD_TEST_POSTGRES)."""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.ssd.database import database_name, postgres_type
from caseline.apps.ssd.spec import spec
from caseline.apps.synthetic.generator import Builder, Parameters

pytestmark = pytest.mark.django_db

SERVER = os.environ.get("SSD_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432")
TARGET = "caseline_ssd_load_test"


@pytest.fixture
def target() -> Iterator[str]:
    try:
        admin = psycopg.connect(f"{SERVER}/postgres", autocommit=True, connect_timeout=3)
    except psycopg.Error:
        pytest.skip("no PostgreSQL server to load into")
    admin.execute(f"DROP DATABASE IF EXISTS {TARGET}")
    admin.execute(f"CREATE DATABASE {TARGET}")
    yield f"{SERVER}/{TARGET}"
    admin.execute(f"DROP DATABASE IF EXISTS {TARGET} WITH (FORCE)")
    admin.close()


def test_types_follow_the_spec() -> None:
    person = spec().tables["ssd_person"]
    types = {c.name: postgres_type(c) for c in person.columns}
    assert types["pers_person_id"] == "varchar(48)"
    assert types["pers_dob"] == "timestamp"
    assert types["pers_is_mother"] == "char(1)"
    assert database_name("postgres://me:secret@db.example:5433/ssd") == "db.example:5433/ssd"


def test_the_extract_is_loaded_with_its_keys(
    target: str, make_user: Callable[..., User], tmp_path: Path
) -> None:
    make_user(Role.ANALYST, username="analyst")
    Builder(Parameters(children=30, years=2, seed=5, as_at=datetime.date(2026, 11, 2))).run()
    call_command(
        "ssd",
        "export",
        "--out",
        str(tmp_path / "x"),
        "--user",
        "analyst",
        "--database",
        target,
        "--schema",
        "la_one",
        "--quiet",
    )
    with psycopg.connect(target) as connection:
        people = connection.execute("SELECT count(*) FROM la_one.ssd_person").fetchone()
        keys = connection.execute(
            "SELECT count(*) FROM information_schema.table_constraints "
            "WHERE table_schema = 'la_one' AND constraint_type IN ('PRIMARY KEY', 'FOREIGN KEY')"
        ).fetchone()
        kind = connection.execute(
            "SELECT data_type FROM information_schema.columns WHERE table_schema = 'la_one' "
            "AND table_name = 'ssd_cin_episodes' AND column_name = 'cine_referral_date'"
        ).fetchone()
    assert people is not None
    assert people[0] > 0
    assert keys is not None
    assert keys[0] > 40
    assert kind == ("timestamp without time zone",)


def test_a_bad_database_url_exits_2(make_user: Callable[..., User], tmp_path: Path) -> None:
    make_user(Role.ANALYST, username="analyst")
    with pytest.raises(CommandError, match="PostgreSQL URL") as refused:
        call_command(
            "ssd",
            "export",
            "--out",
            str(tmp_path / "x"),
            "--user",
            "analyst",
            "--database",
            "mysql://x/y",
        )
    assert refused.value.returncode == 2
    assert not (tmp_path / "x").exists()
