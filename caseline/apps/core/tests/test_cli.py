"""The ``caseline`` command lists the project's commands and guards the demo."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings


def _caseline(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "caseline.cli", *args], capture_output=True, text=True, check=False
    )


def test_help_lists_the_project_commands_with_one_line_each() -> None:
    result = _caseline("--help")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    demo = next(line for line in lines if line.strip().startswith("demo "))
    serve = next(line for line in lines if line.strip().startswith("serve "))
    assert "127.0.0.1" in demo
    assert "loopback" in serve
    assert not any(line.strip().startswith("migrate ") for line in lines)


def test_django_commands_still_run_through_it() -> None:
    result = _caseline("check")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
@override_settings(CASELINE_ENVIRONMENT="production")
def test_the_demo_is_refused_under_production_settings() -> None:
    with pytest.raises(CommandError, match="cannot run with production settings"):
        call_command("demo", "--no-serve")


@pytest.mark.parametrize(
    "address", ["0.0.0.0:8000", "192.168.1.4:80", "caseline.example:80", "[::]:8000"]
)
def test_serve_binds_to_loopback_only(address: str) -> None:
    with pytest.raises(CommandError, match="loopback"):
        call_command("serve", address)


@pytest.mark.django_db
def test_demo_set_up_prints_the_demo_users(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("demo", "--no-serve")
    out = capsys.readouterr().out
    for username in ("front.door", "social.worker", "admin"):
        assert username in out
    assert "caseline-demo" in out


def test_main_prints_the_project_commands_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    from caseline.cli import main

    main(["caseline", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("Usage: caseline <command>")
    assert "  demo " in out


def test_main_hands_other_commands_to_django(capsys: pytest.CaptureFixture[str]) -> None:
    from caseline.cli import main

    main(["caseline", "check"])
    assert "no issues" in capsys.readouterr().out
