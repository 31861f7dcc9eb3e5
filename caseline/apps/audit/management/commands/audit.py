"""``caseline audit verify``: check that no audit event was rewritten, removed or reordered."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from caseline.apps.audit.chain import verify

# Exit status when the chain is broken (2 is kept for bad arguments).
BROKEN = 1


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="COMMAND")
        sub.add_parser(
            "verify",
            help="Recompute every event's hash; exit 1 and name each event where the chain "
            "is broken.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify()
        if result.intact:
            self.stdout.write(f"The audit chain is intact: {result.events} events verified.")
            return
        for problem in result.breaks:
            self.stderr.write(f"Broken at {problem}")
        raise CommandError(
            f"The audit chain is broken in {len(result.breaks)} place"
            f"{'s' if len(result.breaks) != 1 else ''} ({result.events} events read).",
            returncode=BROKEN,
        )
