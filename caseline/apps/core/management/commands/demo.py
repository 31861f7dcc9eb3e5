"""Set up and serve the demo on http://127.0.0.1:8000 (embedded SQLite, synthetic data)."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from caseline.apps.accounts.demo import DEMO_PASSWORD, ensure_demo_users

DEMO_ADDRESS = "127.0.0.1"


class Command(BaseCommand):
    help = "Migrate, create the demo users and synthetic authority, then serve on 127.0.0.1."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--port", type=int, default=8000, help="Port on 127.0.0.1 (default 8000)"
        )
        parser.add_argument("--no-serve", action="store_true", help="Set up only; do not serve")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.CASELINE_ENVIRONMENT == "production":
            raise CommandError(
                "The demo cannot run with production settings: it creates known passwords."
            )
        port = options["port"]
        if not 1 <= port <= 65535:
            raise CommandError(f"--port must be between 1 and 65535 (got {port}).")
        call_command("migrate", interactive=False, verbosity=0)
        users = ensure_demo_users()
        self._load_synthetic_authority()
        self.stdout.write(
            self.style.SUCCESS(f"Caseline demo is ready. Demo users (password: {DEMO_PASSWORD}):")
        )
        width = max(len(u.username) for u in users)
        for user in users:
            self.stdout.write(f"  {user.username.ljust(width)}  {user.role.value}")
        if options["no_serve"]:
            return
        self.stdout.write(
            f"Serving on http://{DEMO_ADDRESS}:{port}/ (loopback only). Press Ctrl+C to stop."
        )
        worker = self._start_worker()
        try:
            call_command("runserver", f"{DEMO_ADDRESS}:{port}", use_reloader=False)
        finally:
            worker.terminate()
            worker.wait(timeout=10)

    def _start_worker(self) -> subprocess.Popen[bytes]:
        """The background worker that produces returns (ADR 0020), beside the web server."""
        self.stdout.write("Starting the background worker (caseline db_worker).")
        environment = {**os.environ, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE}
        return subprocess.Popen(
            [sys.executable, "-m", "django", "db_worker", "--no-startup-delay"],
            env=environment,
        )

    def _load_synthetic_authority(self) -> None:
        """Generate a small synthetic authority once, if the generator is installed."""
        from django.core.management import get_commands

        if "generate" not in get_commands():
            self.stdout.write(
                "The synthetic authority generator is not built yet; the demo has users only."
            )
            return
        call_command("generate", "--demo-if-empty", stdout=self.stdout)
        call_command("demo_audits", stdout=self.stdout)
