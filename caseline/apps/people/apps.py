"""People: children and the adults around them, identity, relationships, allocation, visibility."""

from __future__ import annotations

from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "caseline.apps.people"
    label = "people"
    verbose_name = "People and families"

    def ready(self) -> None:
        from caseline.apps.chronology.entries import register_chronology_provider
        from caseline.apps.people.chronology import family_chronology

        register_chronology_provider(family_chronology)
