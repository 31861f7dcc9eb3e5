"""``caseline retention review``: the daily retention job, for a scheduler (cron, a systemd
timer) to run once a day."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from caseline.apps.retention.actions import list_due_records

# Exit status for a request that cannot be carried out as asked.
BAD_INPUT = 2


class Command(BaseCommand):
    help = "List for review every record whose retention has ended (the daily job)."

    def add_arguments(self, parser: CommandParser) -> None:
        jobs = parser.add_subparsers(dest="job", required=True, metavar="JOB")
        review = jobs.add_parser(
            "review", help="List records whose retention has ended; withdraw those no longer due."
        )
        review.add_argument("--date", help="Review as on this day, YYYY-MM-DD (default: today).")

    def handle(self, *args: Any, **options: Any) -> None:
        raw = options.get("date")
        if raw:
            try:
                as_at = datetime.date.fromisoformat(raw)
            except ValueError:
                raise CommandError(
                    f"--date must be a day as YYYY-MM-DD, like 2026-04-01 (got {raw!r}).",
                    returncode=BAD_INPUT,
                ) from None
        else:
            as_at = timezone.localdate()
        run = list_due_records(as_at=as_at)
        self.stdout.write(
            f"Retention review on {as_at:%-d %B %Y}: {run.listed} newly due, "
            f"{run.withdrawn} no longer due, {run.held} held by a legal hold."
        )
