"""My work: each role's due and overdue work, computed from the current record."""

from __future__ import annotations

from django.apps import AppConfig


class MyworkConfig(AppConfig):
    name = "caseline.apps.mywork"
    label = "mywork"
    verbose_name = "My work"
