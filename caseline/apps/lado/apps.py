"""Allegations against adults who work with children: the designated officer's (LADO) work."""

from __future__ import annotations

from django.apps import AppConfig


class LadoConfig(AppConfig):
    name = "caseline.apps.lado"
    label = "lado"
    verbose_name = "Allegations against adults (LADO)"

    def ready(self) -> None:
        from caseline.apps.lado.providers import CONTRIBUTION
        from caseline.apps.people.contribution import register_contribution

        register_contribution(CONTRIBUTION)
