"""Audit event types written by core: backups and restores. Values are stored: never rename."""

from __future__ import annotations

from enum import StrEnum


class CoreEvent(StrEnum):
    BACKUP_MADE = "core.backup-made"
    DATABASE_RESTORED = "core.database-restored"
