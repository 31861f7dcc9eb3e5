"""Children in need: plans with SMART actions, reviews, visits, closure."""

from __future__ import annotations

from django.apps import AppConfig


class CinConfig(AppConfig):
    name = "caseline.apps.cin"
    label = "cin"
    verbose_name = "Children in need"

    def ready(self) -> None:
        from caseline.apps.cin.providers import CONTRIBUTION
        from caseline.apps.people.contribution import register_contribution

        register_contribution(CONTRIBUTION)
