"""Complaints and representations: the statutory children's social care complaints procedure."""

from __future__ import annotations

from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "caseline.apps.complaints"
    label = "complaints"
    verbose_name = "Complaints and representations"

    def ready(self) -> None:
        from caseline.apps.complaints.providers import CONTRIBUTION
        from caseline.apps.people.contribution import register_contribution

        register_contribution(CONTRIBUTION)
