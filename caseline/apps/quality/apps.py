"""Quality assurance: case audits and IRO challenges."""

from __future__ import annotations

from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "caseline.apps.quality"
    label = "quality"
    verbose_name = "Quality assurance"

    def ready(self) -> None:
        from caseline.apps.people.contribution import register_contribution
        from caseline.apps.quality.providers import CONTRIBUTION

        register_contribution(CONTRIBUTION)
