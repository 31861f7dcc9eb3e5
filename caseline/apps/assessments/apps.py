"""Assessments: single assessments, their sections and sign-off."""

from __future__ import annotations

from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "caseline.apps.assessments"
    label = "assessments"
    verbose_name = "Assessments"

    def ready(self) -> None:
        from caseline.apps.assessments.providers import CONTRIBUTION
        from caseline.apps.people.contribution import register_contribution

        register_contribution(CONTRIBUTION)
