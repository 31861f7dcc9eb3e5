"""Children looked after and care leavers: episodes, legal status, placements, reviews,
visits, health, education, missing episodes, pathway plans and the pen picture."""

from __future__ import annotations

from django.apps import AppConfig


class LookedafterConfig(AppConfig):
    name = "caseline.apps.lookedafter"
    label = "lookedafter"
    verbose_name = "Children looked after"

    def ready(self) -> None:
        from caseline.apps.lookedafter.providers import CONTRIBUTION
        from caseline.apps.people.contribution import register_contribution

        register_contribution(CONTRIBUTION)
