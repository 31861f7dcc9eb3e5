"""SMART plans: the outcomes and actions every kind of plan shares (abstract, no tables)."""

from __future__ import annotations

from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "caseline.apps.plans"
    label = "plans"
    verbose_name = "SMART plans"
