"""Child protection: strategy discussions, section 47 enquiries, conferences, plans, core
groups, reviews, visits and the plan the family can read."""

from __future__ import annotations

from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    name = "caseline.apps.protection"
    label = "protection"
    verbose_name = "Child protection"

    def ready(self) -> None:
        from caseline.apps.people.summary import (
            register_badge_provider,
            register_due_provider,
            register_summary_provider,
        )
        from caseline.apps.protection import timescales  # noqa: F401 - registers the rules
        from caseline.apps.protection.providers import (
            protection_badge,
            protection_due_items,
            protection_summary,
        )

        register_summary_provider(protection_summary)
        register_badge_provider(protection_badge)
        register_due_provider(protection_due_items)

        from caseline.apps.chronology.entries import register_chronology_provider
        from caseline.apps.protection.chronology import protection_chronology

        register_chronology_provider(protection_chronology, only_with_records_in="protection")

        from caseline.apps.people.summary import register_work_provider
        from caseline.apps.protection.work import protection_work_items

        register_work_provider(protection_work_items, replaces=protection_due_items)
