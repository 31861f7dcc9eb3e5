"""People: children and the adults around them, identity, relationships, allocation, visibility."""

from __future__ import annotations

from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "caseline.apps.people"
    label = "people"
    verbose_name = "People and families"
