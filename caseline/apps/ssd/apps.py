"""The Standard Safeguarding Dataset: the record out as an SSD extract, and an extract in."""

from __future__ import annotations

from django.apps import AppConfig


class SsdConfig(AppConfig):
    name = "caseline.apps.ssd"
    label = "ssd"
    verbose_name = "Standard Safeguarding Dataset"

    def ready(self) -> None:
        from caseline.apps.people.contribution import register_contribution
        from caseline.apps.ssd.providers import CONTRIBUTION

        register_contribution(CONTRIBUTION)
