"""``caseline returns``: produce the DfE's statutory returns from the record, and validate them."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from caseline.apps.returns.actions import produce_return
from caseline.apps.returns.files import WriteFailed
from caseline.apps.returns.registry import RETURNS, Period
from caseline.apps.returns.validation_command import VALIDATE, add_validate_parser, handle_validate
from caseline.apps.returns.years import ReturnInputError, parse_as_at, parse_collection_year

# Exit status for a request that cannot be carried out as asked (a bad year or path).
BAD_INPUT = 2


class Command(BaseCommand):
    help = (
        "Produce the CIN census or the SSDA903 for a collection year, or validate one; or "
        "Ofsted's Annex A for an as-at date."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = parser.add_subparsers(dest="return_slug", required=True, metavar="RETURN")
        for statutory_return in RETURNS.values():
            out_help = (
                "The folder to write the return's CSV tables into (created if missing)."
                if statutory_return.writes_folder
                else "The file to write."
            )
            sub = kinds.add_parser(
                statutory_return.slug,
                help=f"{statutory_return.title}.",
                formatter_class=argparse.ArgumentDefaultsHelpFormatter,
            )
            if statutory_return.as_at:
                sub.add_argument(
                    "--as-at",
                    required=True,
                    help="The as-at date, YYYY-MM-DD: the lists cover the six months to it "
                    "(twelve for lists 10 and 11).",
                )
            else:
                sub.add_argument(
                    "--year",
                    required=True,
                    help="The collection year: 2026 means 1 April 2025 to 31 March 2026.",
                )
            sub.add_argument("--out", required=True, type=Path, help=out_help)
            sub.add_argument("--quiet", action="store_true", help="Print no progress.")
        add_validate_parser(kinds)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["return_slug"] == VALIDATE:
            handle_validate(self, options)
            return
        statutory_return = RETURNS[options["return_slug"]]
        progress = None if options["quiet"] else self.stdout.write
        started = time.perf_counter()
        try:
            year: Period = (
                parse_as_at(options["as_at"])
                if statutory_return.as_at
                else parse_collection_year(
                    options["year"], supported=statutory_return.years, what=statutory_return.title
                )
            )
            produced = produce_return(
                statutory_return, year, options["out"], acting_user=None, progress=progress
            )
        except WriteFailed as error:
            raise CommandError(str(error), returncode=1) from error
        except ReturnInputError as error:
            raise CommandError(str(error), returncode=BAD_INPUT) from error
        seconds = time.perf_counter() - started
        rows = ", ".join(f"{table} {count}" for table, count in produced.rows.items())
        self.stdout.write(
            f"Wrote the {statutory_return.title} {year.key} ({year.label}) for "
            f"{len(produced.person_ids)} children in {seconds:.1f} s"
            + (f": {rows}." if rows else ".")
        )
        for path in produced.files:
            self.stdout.write(f"  {path}")
