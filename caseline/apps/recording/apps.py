"""Case recording: case notes, management oversight and supervision."""

from __future__ import annotations

from django.apps import AppConfig


class RecordingConfig(AppConfig):
    name = "caseline.apps.recording"
    label = "recording"
    verbose_name = "Case recording"

    def ready(self) -> None:
        from caseline.apps.chronology.entries import register_chronology_provider
        from caseline.apps.people.summary import (
            register_due_provider,
            register_summary_provider,
            register_work_provider,
        )
        from caseline.apps.recording import timescales  # noqa: F401 - registers the rules
        from caseline.apps.recording.providers import (
            recording_chronology,
            recording_due,
            recording_summary,
            recording_work,
        )

        register_summary_provider(recording_summary)
        register_due_provider(recording_due)
        register_work_provider(recording_work, replaces=recording_due)
        register_chronology_provider(recording_chronology)
