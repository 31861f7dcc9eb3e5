"""Core: the page shell, access control for views, GOV.UK form rendering, the home page."""

from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "caseline.apps.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from caseline.apps.core import lookups
        from caseline.apps.core.postgres import use_fast_timestamp_loader

        lookups.register()
        connection_created.connect(use_fast_timestamp_loader, dispatch_uid="fast-timestamps")
