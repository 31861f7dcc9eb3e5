"""Case recording: case notes, management oversight and supervision."""

from __future__ import annotations

from django.apps import AppConfig


class RecordingConfig(AppConfig):
    name = "caseline.apps.recording"
    label = "recording"
    verbose_name = "Case recording"
