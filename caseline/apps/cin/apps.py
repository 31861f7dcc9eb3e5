"""Children in need: plans with SMART actions, reviews, visits, closure."""

from __future__ import annotations

from django.apps import AppConfig


class CinConfig(AppConfig):
    name = "caseline.apps.cin"
    label = "cin"
    verbose_name = "Children in need"

    def ready(self) -> None:
        from caseline.apps.cin import timescales  # noqa: F401 - registers the local standards
        from caseline.apps.cin.providers import (
            plan_badge,
            plan_due_items,
            plan_summary,
            plan_work_items,
        )
        from caseline.apps.people.summary import (
            register_badge_provider,
            register_due_provider,
            register_summary_provider,
            register_work_provider,
        )

        register_summary_provider(plan_summary)
        register_badge_provider(plan_badge)
        register_due_provider(plan_due_items)

        from caseline.apps.chronology.entries import register_chronology_provider
        from caseline.apps.cin.chronology import cin_chronology

        register_chronology_provider(cin_chronology, only_with_records_in="cin")
        register_work_provider(plan_work_items, replaces=plan_due_items)
