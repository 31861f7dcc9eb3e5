"""Chronology: the child's story in date order, generated from the record."""

from __future__ import annotations

from django.apps import AppConfig


class ChronologyConfig(AppConfig):
    name = "caseline.apps.chronology"
    label = "chronology"
    verbose_name = "Chronology"

    def ready(self) -> None:
        from caseline.apps.chronology.providers import CONTRIBUTION
        from caseline.apps.people.contribution import register_contribution

        register_contribution(CONTRIBUTION)
