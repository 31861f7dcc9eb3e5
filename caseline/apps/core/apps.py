"""Core: the page shell, access control for views, GOV.UK form rendering, the home page."""

from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "caseline.apps.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from caseline.apps.core import lookups

        lookups.register()
