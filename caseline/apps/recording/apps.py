"""Case recording: case notes, management oversight and supervision."""

from __future__ import annotations

from django.apps import AppConfig


class RecordingConfig(AppConfig):
    name = "caseline.apps.recording"
    label = "recording"
    verbose_name = "Case recording"

    def ready(self) -> None:
        from caseline.apps.people.contribution import register_contribution
        from caseline.apps.recording.providers import CONTRIBUTION

        register_contribution(CONTRIBUTION)
