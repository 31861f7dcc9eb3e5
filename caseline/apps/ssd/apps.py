"""The Standard Safeguarding Dataset: the record out as an SSD extract, and an extract in."""

from __future__ import annotations

from django.apps import AppConfig


class SsdConfig(AppConfig):
    name = "caseline.apps.ssd"
    label = "ssd"
    verbose_name = "Standard Safeguarding Dataset"
