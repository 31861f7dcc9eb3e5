"""``caseline restore FILE``: restore a backup made by ``caseline backup``, checksum first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from caseline.apps.core.backup import BackupError, restore_backup

# Exit status for a request that cannot be carried out as asked.
BAD_INPUT = 2


class Command(BaseCommand):
    help = "Restore a backup into the database, after checking its checksum."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The backup file (its .sha256 beside it).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a database that already holds data.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            digest = restore_backup(options["file"], force=options["force"])
        except BackupError as error:
            raise CommandError(str(error), returncode=BAD_INPUT) from error
        self.stdout.write(f"Restored {options['file']} (SHA-256 {digest} checked).")
