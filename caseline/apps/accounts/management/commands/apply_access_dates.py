"""``caseline apply_access_dates``: give and take away the roles and teams whose dates begin or
end by today (run daily, after midnight)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from caseline.apps.accounts.actions import apply_access_dates


class Command(BaseCommand):
    help = "Apply dated roles and team memberships as at today (or --on YYYY-MM-DD)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", default=None, help="The day, YYYY-MM-DD (today).")

    def handle(self, *args: Any, **options: Any) -> None:
        on = _day(options["on"]) if options["on"] else timezone.localdate()
        changed = apply_access_dates(on=on)
        self.stdout.write(f"{changed} users' roles or teams changed as at {on:%Y-%m-%d}.")


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--on must be a date like 2026-03-31, not {value!r}.") from error
