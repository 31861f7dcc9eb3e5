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
            "--as-at",
            dest="as_at",
            help="The last day of the history, YYYY-MM-DD (today, and nothing is timed later "
            "than the moment the command starts).",
        )
        parser.add_argument(
            "--demo-if-empty",
            action="store_true",
            help=f"If there are no people yet, build a small authority ({DEMO_CHILDREN} "
            "children) and give the demo users work; otherwise do nothing.",
        )
        parser.add_argument(
            "--la-number",
            dest="la_number",
            help="The authority's DfE three-digit LA number, in UPNs (CASELINE_LA_NUMBER).",
        )
        parser.add_argument(
            "--ons-code",
            dest="ons_code",
            help="The authority's ONS code, whose postcodes addresses use (CASELINE_ONS_CODE).",
        )
        parser.add_argument("--quiet", action="store_true", help="Print no progress.")

    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "CASELINE_ENVIRONMENT", "") == "production":
            raise CommandError("Refusing to generate synthetic data in production.")
        as_at = self.parse_as_at(options["as_at"])
        # As at today: as at now, so that nothing generated is later than now.
        now = timezone.now() if as_at == timezone.localdate() else None
        la_number = (options["la_number"] or settings.CASELINE_LA_NUMBER).strip()
        ons_code = (options["ons_code"] or settings.CASELINE_ONS_CODE).strip().upper()
        if not (len(la_number) == 3 and la_number.isdigit()):
            raise CommandError(f"--la-number must be three digits, like 344 (not {la_number!r}).")
        if not (len(ons_code) == 9 and ons_code[0] == "E" and ons_code[1:].isdigit()):
            raise CommandError(
                f"--ons-code must be E and eight digits, like E08000015 (not {ons_code!r})."
            )
        progress = None if options["quiet"] else self.stdout.write
        if options["demo_if_empty"]:
            if Person.objects.exists():
                self.stdout.write("People already exist: no synthetic authority generated.")
                return
            params = Parameters(
                DEMO_CHILDREN, DEMO_YEARS, DEMO_SEED, as_at, la_number, ons_code, now
            )
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
        params = Parameters(children, years, options["seed"], as_at, la_number, ons_code, now)
        Builder(params, progress=progress).run()

    @staticmethod
    def parse_as_at(value: str | None) -> datetime.date:
        today = timezone.localdate()
        if not value:
            return today
        try:
            as_at = datetime.date.fromisoformat(value)
        except ValueError as error:
            raise CommandError(f"--as-at must be a date like 2025-03-31, not {value!r}.") from error
        if as_at > today:
            raise CommandError(f"--as-at must not be later than today ({today}), not {value}.")
        return as_at
