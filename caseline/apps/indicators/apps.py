"""Indicators: the DfE's and Ofsted's measures computed from the record as at any date."""

from __future__ import annotations

from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "caseline.apps.indicators"
    label = "indicators"
    verbose_name = "Indicators"
