"""Assessments: single assessments, their sections and sign-off."""

from __future__ import annotations

from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "caseline.apps.assessments"
    label = "assessments"
    verbose_name = "Assessments"

    def ready(self) -> None:
        from caseline.apps.assessments import providers
        from caseline.apps.people.summary import (
            register_due_provider,
            register_summary_provider,
            register_work_provider,
        )

        register_summary_provider(providers.summary_blocks)
        register_due_provider(providers.due_items)

        from caseline.apps.assessments.chronology import assessment_chronology
        from caseline.apps.chronology.entries import register_chronology_provider

        register_chronology_provider(assessment_chronology)
        register_work_provider(providers.work_items, replaces=providers.due_items)
