"""Private fostering, young carers and children's participation: the wider service."""

from __future__ import annotations

from django.apps import AppConfig


class PrivateFosteringConfig(AppConfig):
    name = "caseline.apps.privatefostering"
    label = "privatefostering"
    verbose_name = "Private fostering, young carers and participation"

    def ready(self) -> None:
        from caseline.apps.people.contribution import register_contribution
        from caseline.apps.privatefostering.providers import CONTRIBUTION

        register_contribution(CONTRIBUTION)
