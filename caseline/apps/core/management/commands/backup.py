"""``caseline backup --out DIR``: back the database up with its own tools, with a checksum."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from caseline.apps.core.backup import BackupError, make_backup

# Exit status for a request that cannot be carried out as asked.
BAD_INPUT = 2


class Command(BaseCommand):
    help = "Back the database up into a folder, with a SHA-256 checksum file beside it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out", required=True, type=Path, help="The folder to write the backup into."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            backup = make_backup(options["out"])
        except BackupError as error:
            raise CommandError(str(error), returncode=BAD_INPUT) from error
        self.stdout.write(f"Backed up to {backup.path} ({backup.size:,} bytes).")
        self.stdout.write(f"SHA-256 {backup.sha256} in {backup.checksum_path.name}.")
