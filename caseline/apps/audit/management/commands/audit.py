"""``caseline audit verify``: check that no audit event was rewritten, removed or reordered.
``caseline audit roles``: print the SQL that sets up the PostgreSQL roles (owner and app)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from caseline.apps.audit.chain import verify
from caseline.apps.audit.dbroles import BadRoleName, roles_sql

# Exit status when the chain is broken; 2 is for bad arguments.
BROKEN = 1
BAD_INPUT = 2


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain, or print the database roles' set-up."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="COMMAND")
        sub.add_parser(
            "verify",
            help="Recompute every event's hash; exit 1 and name each event where the chain "
            "is broken.",
        )
        roles = sub.add_parser(
            "roles",
            help="Print the SQL (for psql, as a superuser) that creates the owner and "
            "application roles and their grants (PostgreSQL).",
        )
        roles.add_argument("--owner", default="caseline_owner", help="The role migrations use.")
        roles.add_argument("--app", default="caseline_app", help="The role the application uses.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "roles":
            try:
                self.stdout.write(roles_sql(owner=options["owner"], app=options["app"]))
            except BadRoleName as error:
                raise CommandError(str(error), returncode=BAD_INPUT) from error
            return
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
