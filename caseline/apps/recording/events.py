"""Audit event types for case recording. Values are stored: never rename one."""

from __future__ import annotations

from enum import StrEnum


class RecordingEvent(StrEnum):
    NOTE_RECORDED = "recording.note-recorded"
    NOTE_AMENDED = "recording.note-amended"
    OVERSIGHT_RECORDED = "recording.oversight-recorded"
    SUPERVISION_RECORDED = "recording.supervision-recorded"
    SUPERVISION_ACTION_COMPLETED = "recording.supervision-action-completed"
    CHILD_VOICE_RECORDED = "recording.child-voice-recorded"
