"""Audit: the append-only trail of every write, every read of a child's record and every export."""

from __future__ import annotations

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "caseline.apps.audit"
    label = "audit"
    verbose_name = "Audit trail"
