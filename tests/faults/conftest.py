"""Fault tests: Caseline's real processes (gunicorn, the worker, its commands) on the test
database, killed or starved part way, and the database read afterwards.

The processes share the test database: PostgreSQL's by its name; SQLite's in-memory one is
copied to a file for them (:meth:`SharedDatabase.publish`) and copied back once they have
stopped (:meth:`SharedDatabase.take_back`), so the test reads what they left with the ORM.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.db import connection
from django.test import Client

from caseline.apps.accounts.models import User

REPO = Path(__file__).resolve().parents[2]


@dataclass
class SharedDatabase:
    """The test database, as the URL another process reaches it by."""

    url: str
    sqlite_file: Path | None = None

    def publish(self) -> None:
        """Make what the test has written so far visible to other processes."""
        if self.sqlite_file is None:
            return
        connection.ensure_connection()
        self.sqlite_file.unlink(missing_ok=True)
        target = sqlite3.connect(self.sqlite_file)
        try:
            connection.connection.backup(target)
        finally:
            target.close()

    def take_back(self) -> None:
        """Read, in the test, what the other processes left (they must have stopped)."""
        if self.sqlite_file is None:
            return
        source = sqlite3.connect(self.sqlite_file)
        try:
            source.backup(connection.connection)
        finally:
            source.close()


@pytest.fixture
def shared_database(transactional_db: None, tmp_path: Path) -> SharedDatabase:
    if connection.vendor == "sqlite":
        path = tmp_path / "shared.sqlite3"
        return SharedDatabase(url=f"sqlite:///{path}", sqlite_file=path)
    s = connection.settings_dict
    credentials = quote(s["USER"] or "") + (f":{quote(s['PASSWORD'])}" if s["PASSWORD"] else "")
    return SharedDatabase(
        url=f"postgres://{credentials}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    )


@dataclass
class Processes:
    """Caseline's processes a test starts, each in its own process group; any still running
    at the end of the test is killed."""

    database: SharedDatabase
    tmp_path: Path
    started: list[subprocess.Popen[str]] = field(default_factory=list)

    def environment(self, **extra: str) -> dict[str, str]:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "caseline.settings.test",
            "DATABASE_URL": self.database.url,
            "PYTHONPATH": str(REPO),
            "CASELINE_RETURNS_DIR": str(self.tmp_path / "returns"),
            "PYTHONUNBUFFERED": "1",
        }
        env.update(extra)
        return env

    def start(self, *args: str, **env: str) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            args,
            cwd=REPO,
            env=self.environment(**env),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.started.append(process)
        return process

    def caseline(self, *args: str, **env: str) -> subprocess.Popen[str]:
        """``caseline ARGS`` (the project's command-line entry point)."""
        code = "from caseline.cli import main; main()"
        return self.start(sys.executable, "-c", code, *args, **env)

    def run_caseline(
        self, *args: str, preexec_fn: Callable[[], None] | None = None, **env: str
    ) -> subprocess.CompletedProcess[str]:
        """Run ``caseline ARGS`` to its end (``preexec_fn`` runs in the child first)."""
        code = "from caseline.cli import main; main()"
        return subprocess.run(
            [sys.executable, "-c", code, *args],
            cwd=REPO,
            env=self.environment(**env),
            preexec_fn=preexec_fn,  # sets a resource limit in the child before it runs
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    def serve(self) -> Server:
        """The app under gunicorn with Caseline's own settings, one worker."""
        port = free_port()
        process = self.start(
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "caseline/gunicorn.conf.py",
            "caseline.wsgi:application",
            CASELINE_BIND=f"127.0.0.1:{port}",
            CASELINE_WORKERS="1",
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"gunicorn stopped: {process.stdout.read() if process.stdout else ''}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return Server(process, port)
            except OSError:
                time.sleep(0.1)
        pytest.fail("gunicorn did not start listening within 30 s")

    @staticmethod
    def kill(process: subprocess.Popen[str]) -> None:
        """SIGKILL the process and everything it started; no clean-up runs."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def kill_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                self.kill(process)
            if process.stdout:
                process.stdout.close()


@pytest.fixture
def processes(shared_database: SharedDatabase, tmp_path: Path) -> Iterator[Processes]:
    started = Processes(shared_database, tmp_path)
    yield started
    started.kill_all()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Server:
    process: subprocess.Popen[str]
    port: int


class ServerGone(Exception):
    """The server closed the connection, or refused it: it is not there any more."""


@dataclass
class Session:
    """A signed-in user's browser, reduced to cookies and form posts over HTTP."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self, method: str, path: str, data: dict[str, str] | None = None
    ) -> tuple[int, str, str]:
        """Send; return the status, the Location header and the body."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode()
        except (ConnectionError, http.client.HTTPException, TimeoutError) as error:
            raise ServerGone(str(error)) from error
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.headers.get("Location", ""), text

    def form(self, path: str) -> dict[str, str]:
        """The hidden fields of the form page at ``path`` (the CSRF and one-time tokens)."""
        status, _, page = self.request("GET", path)
        assert status == 200, (path, status)
        return dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', page)) | dict(
            re.findall(r'name="(csrfmiddlewaretoken|submission_token)" value="([^"]*)"', page)
        )


def signed_in(user: User) -> str:
    """A session cookie for ``user``, made in the test database (publish it afterwards)."""
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value
