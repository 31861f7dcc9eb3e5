"""``caseline demo_audits``: add an audit round and an IRO challenge to the demo."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from caseline.apps.quality.demo import add_demo_audits


class Command(BaseCommand):
    help = "Add a demo audit round (one audit moderated) and an IRO challenge, once."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.CASELINE_ENVIRONMENT == "production":
            raise CommandError("Demo audits cannot be made with production settings.")
        self.stdout.write(add_demo_audits())
