"""Retention: how long each child's record is kept, what has reached its date, and the
approved destruction that keeps only the fact that a record existed."""

from __future__ import annotations

from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "caseline.apps.retention"
    label = "retention"
    verbose_name = "Retention"
