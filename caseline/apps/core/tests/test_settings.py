"""Settings come from the environment once; production refuses to start unsafely."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from caseline.settings.base import database_from_url
from caseline.settings.env import INSECURE_DEVELOPMENT_KEY, Environment, EnvironmentError_
from caseline.settings.safety import production_problems

GOOD_KEY = "k" * 60


def _env(**values: str) -> Environment:
    return Environment.from_mapping(values)


def test_sqlite_is_the_default_and_runs_in_wal_with_immediate_transactions() -> None:
    env = _env()
    assert env.uses_sqlite
    config = database_from_url(env.database_url)
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_postgres_urls_are_understood() -> None:
    config = database_from_url("postgres://caseline@127.0.0.1:5432/caseline")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "caseline"


def test_postgres_prepares_repeated_statements_unless_told_not_to() -> None:
    url = "postgres://caseline@127.0.0.1:5432/caseline"
    prepared = database_from_url(url)["OPTIONS"]
    assert prepared == {"server_side_binding": True, "prepare_threshold": 5}
    assert "OPTIONS" not in database_from_url(url, prepared_statements=False)
    assert _env().prepared_statements is True
    assert _env(CASELINE_PREPARED_STATEMENTS="off").prepared_statements is False


def test_the_indicators_are_counted_in_two_processes_unless_told_one() -> None:
    assert _env().indicator_processes == 2
    assert _env(CASELINE_INDICATOR_PROCESSES="1").indicator_processes == 1


def test_hosts_and_debug_are_parsed() -> None:
    env = _env(ALLOWED_HOSTS="a.example, b.example", DEBUG="false")
    assert env.allowed_hosts == ("a.example", "b.example")
    assert env.debug is False


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG must be true or false"),
        ({"CASELINE_SESSION_IDLE_MINUTES": "soon"}, "must be a whole number"),
        ({"CASELINE_SESSION_IDLE_MINUTES": "1"}, "at least 2"),
        ({"CASELINE_PREPARED_STATEMENTS": "sometimes"}, "CASELINE_PREPARED_STATEMENTS must be"),
        ({"CASELINE_LA_NUMBER": "34"}, "three-digit LA number"),
        ({"CASELINE_LA_NUMBER": "E08"}, "three-digit LA number"),
        ({"CASELINE_ONS_CODE": "W06000011"}, "ONS code of an English authority"),
        ({"CASELINE_ONS_CODE": "E0800001"}, "ONS code of an English authority"),
        ({"CASELINE_RUN_HEARTBEAT_SECONDS": "0"}, "CASELINE_RUN_HEARTBEAT_SECONDS must be"),
        ({"CASELINE_RUN_HEARTBEAT_SECONDS": "often"}, "CASELINE_RUN_HEARTBEAT_SECONDS must be"),
        ({"CASELINE_INDICATOR_PROCESSES": "4"}, "CASELINE_INDICATOR_PROCESSES must be 1"),
        ({"CASELINE_INDICATOR_PROCESSES": "two"}, "CASELINE_INDICATOR_PROCESSES must be 1"),
    ],
)
def test_malformed_values_are_refused(values: dict[str, str], message: str) -> None:
    with pytest.raises(EnvironmentError_, match=message):
        Environment.from_mapping(values)


SAFE = {
    "DATABASE_URL": "postgres://caseline@db/caseline",
    "SECRET_KEY": GOOD_KEY,
    "ALLOWED_HOSTS": "caseline.example",
    "DEBUG": "false",
    "CASELINE_LA_NUMBER": "344",
    "CASELINE_ONS_CODE": "e08000015",
}


def test_the_authority_is_named_by_its_dfe_number_and_ons_code() -> None:
    env = _env(**SAFE)
    assert (env.la_number, env.ons_code) == ("344", "E08000015")


def test_security_keys_are_bound_to_the_origin_people_reach_caseline_at() -> None:
    assert _env().webauthn_origin == "http://localhost:8000"
    env = _env(CASELINE_WEBAUTHN_ORIGIN=" https://caseline.example.gov.uk/ ")
    assert env.webauthn_origin == "https://caseline.example.gov.uk"


def test_a_safe_production_environment_has_no_problems() -> None:
    assert production_problems(_env(**SAFE), insecure_key=INSECURE_DEVELOPMENT_KEY) == []


@pytest.mark.parametrize(
    ("override", "problem"),
    [
        ({"DATABASE_URL": "sqlite:///x.sqlite3"}, "SQLite is for the demo only"),
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": INSECURE_DEVELOPMENT_KEY}, "not the development default"),
        ({"SECRET_KEY": "short"}, "at least 50"),
        ({"DEBUG": "true"}, "DEBUG must be off"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
        ({"CASELINE_LA_NUMBER": ""}, "CASELINE_LA_NUMBER and CASELINE_ONS_CODE"),
        ({"CASELINE_ONS_CODE": ""}, "CASELINE_LA_NUMBER and CASELINE_ONS_CODE"),
    ],
)
def test_each_unsafe_value_is_named(override: dict[str, str], problem: str) -> None:
    problems = production_problems(
        _env(**{**SAFE, **override}), insecure_key=INSECURE_DEVELOPMENT_KEY
    )
    assert len(problems) == 1
    assert problem in problems[0]


def _import_production(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "SECRET_KEY",
            "DEBUG",
            "ALLOWED_HOSTS",
            "CASELINE_LA_NUMBER",
            "CASELINE_ONS_CODE",
        }
    }
    return subprocess.run(
        [sys.executable, "-c", "import caseline.settings.production"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_refuse_to_load_on_sqlite_without_a_key() -> None:
    result = _import_production(DEBUG="true")
    assert result.returncode != 0
    assert "refuses to start with production settings" in result.stderr
    assert "SQLite is for the demo only" in result.stderr
    assert "SECRET_KEY must be set" in result.stderr
    assert "DEBUG must be off" in result.stderr


def test_production_settings_load_when_safe() -> None:
    result = _import_production(**SAFE)
    assert result.returncode == 0, result.stderr


def test_gunicorn_workers_freeze_what_they_loaded_and_collect_less_often() -> None:
    # In a child process: freezing and thresholds are process-wide.
    config_file = Path(__file__).resolve().parents[3] / "gunicorn.conf.py"
    script = (
        "import gc, runpy, sys; "
        "config = runpy.run_path(sys.argv[1]); "
        "before = gc.get_freeze_count(); "
        "config['post_worker_init'](None); "
        "print(before, gc.get_freeze_count(), *gc.get_threshold())"
    )
    env = {**os.environ, "CASELINE_GC_THRESHOLD": "12345"}
    result = subprocess.run(
        [sys.executable, "-c", script, str(config_file)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    before, frozen, youngest, middle, oldest = map(int, result.stdout.split())
    assert before == 0
    assert frozen > 1000
    assert (youngest, middle, oldest) == (12345, 10, 10)


@pytest.mark.django_db
def test_system_checks_on_the_database_in_use_raise_nothing() -> None:
    """`caseline migrate` and `check --database` print nothing to worry an administrator,
    on SQLite (where covering indexes lose their extra columns) as on PostgreSQL."""
    from django.core import checks

    messages = checks.run_checks(databases=["default"], include_deployment_checks=False)
    assert [message for message in messages if not message.is_silenced()] == []
