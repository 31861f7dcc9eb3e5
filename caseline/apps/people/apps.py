"""People: children and the adults around them, identity, relationships, allocation, visibility."""

from __future__ import annotations

from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "caseline.apps.people"
    label = "people"
    verbose_name = "People and families"

    def ready(self) -> None:
        from caseline.apps.people.contribution import register_contribution
        from caseline.apps.people.providers import CONTRIBUTION

        register_contribution(CONTRIBUTION)
