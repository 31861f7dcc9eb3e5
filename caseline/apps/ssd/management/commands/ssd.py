"""``caseline ssd``: the record out as a Standard Safeguarding Dataset extract, and one in."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from caseline.apps.accounts.models import User
from caseline.apps.ssd.actions import export_extract
from caseline.apps.ssd.export import ExportError

# Exit status for a request that cannot be carried out as asked (a bad folder or user).
BAD_INPUT = 2


def user_named(username: str) -> User:
    """The active user the command acts as, or a one-line refusal."""
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"--user {username}: no active user has that name.", returncode=2)
    return user


class Command(BaseCommand):
    help = "Export the record as a Standard Safeguarding Dataset extract, or import one."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="COMMAND")
        export = commands.add_parser("export", help="Write every SSD table to a folder of CSVs.")
        export.add_argument("--out", required=True, type=Path, help="The folder to write.")
        export.add_argument(
            "--user", required=True, help="The user the export is made as (needs SSD export)."
        )
        export.add_argument("--quiet", action="store_true", help="Print no progress.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "export":
            self.export(options)

    def export(self, options: dict[str, Any]) -> None:
        user = user_named(options["user"])
        progress = None if options["quiet"] else self.stdout.write
        started = time.perf_counter()
        try:
            written = export_extract(acting_user=user, out=options["out"], progress=progress)
        except (ExportError, PermissionDenied) as error:
            raise CommandError(str(error), returncode=BAD_INPUT) from error
        seconds = time.perf_counter() - started
        held = sum(1 for count in written.rows.values() if count)
        self.stdout.write(
            f"Wrote the SSD extract (v{written.manifest['spec_version']}) to {written.folder} in "
            f"{seconds:.1f} s: {len(written.rows)} tables, {held} with rows, "
            f"{sum(written.rows.values())} rows."
        )
