"""Timescales: the working-day calendar, the rule catalogue and local standards."""

from __future__ import annotations

from django.apps import AppConfig


class TimescalesConfig(AppConfig):
    name = "caseline.apps.timescales"
    label = "timescales"
    verbose_name = "Timescales"
