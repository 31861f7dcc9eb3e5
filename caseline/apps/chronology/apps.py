"""Chronology: the child's story in date order, generated from the record."""

from __future__ import annotations

from django.apps import AppConfig


class ChronologyConfig(AppConfig):
    name = "caseline.apps.chronology"
    label = "chronology"
    verbose_name = "Chronology"

    def ready(self) -> None:
        from caseline.apps.chronology.entries import register_chronology_provider
        from caseline.apps.chronology.queries import agency_event_entries

        register_chronology_provider(agency_event_entries, only_with_records_in="chronology")
