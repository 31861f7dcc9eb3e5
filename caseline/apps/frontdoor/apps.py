"""Front door: contacts, referrals (child in need episodes), early help, allocation."""

from __future__ import annotations

from django.apps import AppConfig


class FrontdoorConfig(AppConfig):
    name = "caseline.apps.frontdoor"
    label = "frontdoor"
    verbose_name = "Front door"

    def ready(self) -> None:
        from caseline.apps.frontdoor.providers import (
            contact_decisions_due,
            contact_decisions_work,
            open_episode_badge,
            why_involved,
        )
        from caseline.apps.people.summary import (
            register_badge_provider,
            register_due_provider,
            register_summary_provider,
            register_work_provider,
        )

        register_summary_provider(why_involved)
        register_badge_provider(open_episode_badge)
        register_due_provider(contact_decisions_due)

        from caseline.apps.chronology.entries import register_chronology_provider
        from caseline.apps.frontdoor.chronology import frontdoor_chronology

        register_chronology_provider(frontdoor_chronology)
        register_work_provider(contact_decisions_work, replaces=contact_decisions_due)
