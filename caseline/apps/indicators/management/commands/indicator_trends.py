"""``caseline indicator_trends``: the daily job that counts the director's page's monthly
trends (ADR 0038), for a scheduler (cron, a systemd timer) to run once a day."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from caseline.apps.indicators.actions import count_trends, scopes_counted_daily
from caseline.apps.indicators.periods import IndicatorInputError, parse_date
from caseline.apps.indicators.trends import TREND_MONTHS, month_ends

# Exit status for arguments that cannot be carried out as asked.
BAD_INPUT = 2


class Command(BaseCommand):
    help = (
        "Count and keep the headline measures' monthly trends for the authority, each service "
        "area and each team (the daily job behind the director's page)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as-at",
            help="Count the month ends on or before this day, YYYY-MM-DD (default: today).",
        )
        parser.add_argument(
            "--months",
            type=int,
            default=TREND_MONTHS,
            help=f"How many month ends, newest first ({TREND_MONTHS} by default).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            as_at = (
                parse_date(options["as_at"], "--as-at")
                if options["as_at"]
                else timezone.localdate()
            )
            if not 1 <= options["months"] <= 120:
                raise IndicatorInputError(f"--months must be 1 to 120, not {options['months']}.")
        except IndicatorInputError as error:
            raise CommandError(str(error), returncode=BAD_INPUT) from error
        ends = month_ends(as_at, options["months"])
        done = count_trends(scopes=scopes_counted_daily(), month_ends=ends)
        self.stdout.write(
            f"Counted {done.figures:,} figures: {done.scopes} scopes, {done.month_ends} month "
            f"ends from {ends[0]:%-d %B %Y} to {ends[-1]:%-d %B %Y}, in {done.seconds:.1f} s."
        )
