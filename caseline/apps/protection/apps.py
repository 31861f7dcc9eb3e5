"""Child protection: strategy discussions, section 47 enquiries, conferences, plans, core
groups, reviews, visits and the plan the family can read."""

from __future__ import annotations

from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    name = "caseline.apps.protection"
    label = "protection"
    verbose_name = "Child protection"

    def ready(self) -> None:
        from caseline.apps.people.contribution import register_contribution
        from caseline.apps.protection.providers import CONTRIBUTION

        register_contribution(CONTRIBUTION)
