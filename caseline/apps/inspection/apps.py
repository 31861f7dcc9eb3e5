"""Inspection: Ofsted's reports read and confirmed, the improvement plan, the committee's
progress report, monitoring visits and the annual self-evaluation."""

from __future__ import annotations

from django.apps import AppConfig


class InspectionConfig(AppConfig):
    name = "caseline.apps.inspection"
    label = "inspection"
    verbose_name = "Inspection"
