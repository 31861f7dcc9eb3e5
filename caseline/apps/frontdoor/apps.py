"""Front door: contacts, referrals (child in need episodes), early help, allocation."""

from __future__ import annotations

from django.apps import AppConfig


class FrontdoorConfig(AppConfig):
    name = "caseline.apps.frontdoor"
    label = "frontdoor"
    verbose_name = "Front door"

    def ready(self) -> None:
        from caseline.apps.frontdoor.providers import CONTRIBUTION
        from caseline.apps.people.contribution import register_contribution

        register_contribution(CONTRIBUTION)
