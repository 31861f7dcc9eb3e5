"""``caseline generate``: build a synthetic local authority in the configured database."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from caseline.apps.people.models import Person
from caseline.apps.synthetic.demo import attach_demo_users
from caseline.apps.synthetic.generator import Builder, Parameters

DEMO_CHILDREN = 300
DEMO_YEARS = 3
DEMO_SEED = 2026
MAX_YEARS = 30


class Command(BaseCommand):
    help = "Build a synthetic local authority (fake families and casework) for demos and tests."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--children", type=int, default=1000, help="Children on record.")
        parser.add_argument("--years", type=int, default=5, help="Years of history (1-30).")
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same authority.")
        parser.add_argument(
            "--as-at", dest="as_at", help="The last day of the history, YYYY-MM-DD (today)."
        )
        parser.add_argument(
            "--demo-if-empty",
            action="store_true",
            help=f"If there are no people yet, build a small authority ({DEMO_CHILDREN} "
            "children) and give the demo users work; otherwise do nothing.",
        )
        parser.add_argument("--quiet", action="store_true", help="Print no progress.")

    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "CASELINE_ENVIRONMENT", "") == "production":
            raise CommandError("Refusing to generate synthetic data in production.")
        as_at = self.parse_as_at(options["as_at"])
        progress = None if options["quiet"] else self.stdout.write
        if options["demo_if_empty"]:
            if Person.objects.exists():
                self.stdout.write("People already exist: no synthetic authority generated.")
                return
            params = Parameters(DEMO_CHILDREN, DEMO_YEARS, DEMO_SEED, as_at)
            Builder(params, progress=progress).run()
            attach_demo_users()
            self.stdout.write(
                f"Generated a demo authority of {DEMO_CHILDREN} children over {DEMO_YEARS} "
                "years and gave the demo users their caseloads."
            )
            return
        children, years = options["children"], options["years"]
        if children <= 0:
            raise CommandError("--children must be a whole number above 0.")
        if not 0 < years <= MAX_YEARS:
            raise CommandError(f"--years must be between 1 and {MAX_YEARS}.")
        if Person.objects.exists():
            raise CommandError(
                "This database already holds people. Generate into an empty database."
            )
        Builder(Parameters(children, years, options["seed"], as_at), progress=progress).run()

    @staticmethod
    def parse_as_at(value: str | None) -> datetime.date:
        if not value:
            return timezone.localdate()
        try:
            return datetime.date.fromisoformat(value)
        except ValueError as error:
            raise CommandError(f"--as-at must be a date like 2025-03-31, not {value!r}.") from error
