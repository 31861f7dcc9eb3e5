"""``caseline inspection``: read an Ofsted report (printing what was read, saving nothing), or
load the Wirral 2011 inspection and action plan as demo data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from caseline.apps.accounts.models import User
from caseline.apps.inspection.reader import ReportUnreadable, read_report, report_text

# Exit status for a request that cannot be carried out as asked (a bad file or user).
BAD_INPUT = 2


def _text(path: Path) -> str:
    if not path.is_file():
        raise CommandError(f"{path}: no such file", returncode=BAD_INPUT)
    try:
        return report_text(path)
    except ReportUnreadable as error:
        raise CommandError(str(error), returncode=BAD_INPUT) from error


class Command(BaseCommand):
    help = "Read an Ofsted inspection report, or load the Wirral 2011 demo inspection and plan."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
        read = commands.add_parser(
            "read", help="Print what the reader reads from a report (text or PDF) as JSON."
        )
        read.add_argument("file", type=Path, help="The report: a PDF or a UTF-8 text file.")
        demo = commands.add_parser(
            "load-wirral-demo",
            help="Import the Wirral 2011 report and enter its action plan up to 31 August 2011.",
        )
        demo.add_argument("file", type=Path, help="The Wirral 2011 report's text.")
        demo.add_argument(
            "--user", required=True, help="The username to record it as (needs INSPECTION_MANAGE)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["command"] == "read":
            reading = read_report(_text(options["file"]))
            self.stdout.write(json.dumps(reading.as_json(), indent=2, ensure_ascii=False))
            return
        text = _text(options["file"])
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No user is called {options['user']!r}", returncode=BAD_INPUT)
        from caseline.apps.inspection.wirral import load_wirral_2011

        try:
            inspection = load_wirral_2011(acting_user=user, report_text=text)
        except PermissionDenied as error:
            raise CommandError(str(error), returncode=BAD_INPUT) from error
        except (ValueError, ValidationError) as error:
            raise CommandError(f"Nothing loaded: {error}", returncode=BAD_INPUT) from error
        self.stdout.write(
            f"Loaded {inspection} with {inspection.actions.count()} plan actions "
            f"(inspection {inspection.pk})."
        )
