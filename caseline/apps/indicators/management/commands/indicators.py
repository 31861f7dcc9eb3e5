"""``caseline indicators``: every indicator for the authority as at a date, written as CSV."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from caseline.apps.indicators.catalogue import INDICATORS
from caseline.apps.indicators.engine import Context, compute_all
from caseline.apps.indicators.export import SUMMARY_COLUMNS, summary_rows, write_csv
from caseline.apps.indicators.periods import (
    AUTHORITY,
    IndicatorInputError,
    PeriodKind,
    make_period,
    parse_date,
)
from caseline.apps.returns.files import atomic_output

# Exit status for arguments that cannot be carried out as asked.
BAD_INPUT = 2


class Command(BaseCommand):
    help = (
        "Write every indicator for the authority (code, name, numerator, denominator, value, "
        "period start and end) as at a date, as CSV."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-at", help="The date the figures are as at: 2026-03-31.")
        parser.add_argument(
            "--period",
            default=PeriodKind.COLLECTION_YEAR.value,
            help="collection-year (default), last-12-months or range (with --from, --to).",
        )
        parser.add_argument("--from", dest="start", help="A range's first day (with range).")
        parser.add_argument("--to", dest="end", help="A range's last day (default: --as-at).")
        parser.add_argument("--out", help="The CSV file to write.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if not options["as_at"]:
                raise IndicatorInputError("--as-at is required (a date like 2026-03-31).")
            if not options["out"]:
                raise IndicatorInputError("--out is required (the CSV file to write).")
            as_at = parse_date(options["as_at"], "--as-at")
            start = parse_date(options["start"], "--from") if options["start"] else None
            end = parse_date(options["end"], "--to") if options["end"] else None
            period = make_period(options["period"], as_at, start, end)
            out = Path(options["out"])
            if not out.parent.is_dir():
                raise IndicatorInputError(f"--out: the folder {out.parent} does not exist.")
        except IndicatorInputError as error:
            raise CommandError(str(error), returncode=BAD_INPUT) from error
        started = time.perf_counter()
        results = compute_all(INDICATORS, Context(as_at, period), AUTHORITY)
        with atomic_output(out, newline="") as stream:
            write_csv(stream, SUMMARY_COLUMNS, summary_rows(results))
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Wrote {len(results)} indicators as at {as_at:%-d %B %Y} ({period.label}) "
            f"to {out} in {seconds:.1f} s."
        )
