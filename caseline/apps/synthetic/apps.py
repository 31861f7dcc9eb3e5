"""Synthetic authority: generates realistic fake data for demos, tests and benchmarks (dev only)."""

from __future__ import annotations

from django.apps import AppConfig


class SyntheticConfig(AppConfig):
    name = "caseline.apps.synthetic"
    label = "synthetic"
    verbose_name = "Synthetic authority"
