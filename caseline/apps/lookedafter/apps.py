"""Children looked after and care leavers: episodes, legal status, placements, reviews,
visits, health, education, missing episodes, pathway plans and the pen picture."""

from __future__ import annotations

from django.apps import AppConfig


class LookedafterConfig(AppConfig):
    name = "caseline.apps.lookedafter"
    label = "lookedafter"
    verbose_name = "Children looked after"

    def ready(self) -> None:
        from caseline.apps.lookedafter import timescales  # noqa: F401 - registers the rules
        from caseline.apps.lookedafter.providers import care_badges, care_due_items, care_summary
        from caseline.apps.people.summary import (
            register_badge_provider,
            register_due_provider,
            register_summary_provider,
        )

        register_summary_provider(care_summary)
        register_badge_provider(care_badges)
        register_due_provider(care_due_items)

        from caseline.apps.chronology.entries import register_chronology_provider
        from caseline.apps.lookedafter.chronology import care_chronology

        register_chronology_provider(care_chronology, only_with_records_in="lookedafter")

        from caseline.apps.lookedafter.work import care_work_items
        from caseline.apps.people.summary import register_work_provider

        register_work_provider(care_work_items, replaces=care_due_items)
