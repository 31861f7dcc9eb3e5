"""The audit event: append-only, written in the same transaction as the change it records."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from caseline.apps.audit.events import NOT_CHANGING_RECORDS, READ_EVENT_TYPES


class AuditTrailIsAppendOnly(Exception):
    """Raised on any attempt to change or delete an audit event."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """Audit events can be added and read; the bulk change and delete paths are closed."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditTrailIsAppendOnly("Audit events cannot be changed.")

    def delete(self) -> NoReturn:
        raise AuditTrailIsAppendOnly("Audit events cannot be deleted.")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditTrailIsAppendOnly("Audit events cannot be changed.")

    def for_subject(self, person_id: int) -> AuditEventQuerySet:
        """Events about one person's record, newest first."""
        return self.filter(subject_person_id=person_id).order_by("-occurred_at", "-id")


class AuditEvent(models.Model):
    """Who did what, to which object, when, with the values before and after.

    The user foreign key has no database constraint and never cascades, so the trail
    outlives any account. The username is copied for the same reason.
    """

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    acting_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for events the system records itself.",
    )
    acting_username = models.CharField(max_length=150, blank=True)
    event_type = models.CharField(max_length=64, db_index=True)
    target_type = models.ForeignKey(
        ContentType,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(max_length=200, blank=True)
    subject_person_id = models.BigIntegerField(
        null=True,
        blank=True,
        db_index=True,
        help_text="The person whose record this event is about, for 'who has viewed this record'.",
    )
    old_values = models.JSONField(default=dict, blank=True)
    new_values = models.JSONField(default=dict, blank=True)
    extra = models.JSONField(default=dict, blank=True)
    request_uuid = models.UUIDField(db_index=True)
    # The hash chain (audit.chain): this event's place in it, the hash of the event before,
    # the hash of its content (kept when destruction erases the content) and this event's own
    # hash over its other fields, its content hash and the hash before.
    chain_position = models.BigIntegerField(null=True, blank=True, unique=True)
    previous_hash = models.CharField(max_length=64, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    event_hash = models.CharField(max_length=64, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
            # A child's newest change, and the newest change about no child: what decides
            # whether a child's kept due work still holds (ADR 0043), each one index lookup
            # however many times the records were read.
            models.Index(
                fields=["subject_person_id", "id"],
                condition=~models.Q(event_type__in=READ_EVENT_TYPES),
                name="audit_child_change_idx",
            ),
            models.Index(
                fields=["id"],
                condition=models.Q(subject_person_id__isnull=True)
                & ~models.Q(event_type__in=NOT_CHANGING_RECORDS),
                name="audit_general_change_idx",
            ),
        ]

    def __str__(self) -> str:
        who = self.acting_username or "system"
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {who} {self.event_type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise AuditTrailIsAppendOnly("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditTrailIsAppendOnly("Audit events cannot be deleted.")

    @property
    def changes(self) -> list[tuple[str, Any, Any]]:
        """Each changed field with its old and new value."""
        return [(key, self.old_values.get(key), new) for key, new in self.new_values.items()]


class AuditChainHead(models.Model):
    """The one row at the end of the audit chain: its last position and hash.

    Appending reads it ``FOR UPDATE``, which serialises appends to the chain.
    """

    position = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"Audit chain at {self.position}"
