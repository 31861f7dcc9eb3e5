"""A subject access request: who asked, about whose record, when, and its deadline."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models

from caseline.apps.people.models import Person
from caseline.apps.subjectaccess.deadline import clock_start, response_due


class SubjectAccessRequest(models.Model):
    """A request for what the council holds about a person on the record (a child, a care
    leaver returning as an adult, a parent), handled by a named member of staff."""

    class Requester(models.TextChoices):
        SELF = "self", "The person themselves"
        PARENT = "parent", "A parent or carer, for a child"
        REPRESENTATIVE = "representative", "A representative with the person's authority"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="access_requests")
    requester = models.CharField(max_length=20, choices=Requester.choices)
    received_on = models.DateField()
    identity_confirmed_on = models.DateField(null=True, blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    extension_months = models.PositiveSmallIntegerField(default=0)
    extension_reason = models.TextField(blank=True)
    extended_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_on", "id"]
        indexes = [
            models.Index(
                fields=["handler", "received_on"],
                condition=models.Q(completed_on__isnull=True),
                name="sar_open_handler_idx",
            )
        ]

    def __str__(self) -> str:
        return f"Subject access request {self.pk}"

    @property
    def starts_on(self) -> datetime.date:
        return clock_start(self.received_on, self.identity_confirmed_on)

    @property
    def first_due(self) -> datetime.date:
        """The deadline without any extension (an extension must be made by then)."""
        return response_due(self.starts_on)

    @property
    def due(self) -> datetime.date:
        return response_due(self.starts_on, self.extension_months)


class AccessPack(models.Model):
    """The pack answering a request: the entries found, as they stood when it was assembled
    (a snapshot, so what is approved is what is produced), its redactions and its approval."""

    request = models.OneToOneField(
        SubjectAccessRequest, on_delete=models.CASCADE, related_name="pack"
    )
    # Each entry: date, time, category, source, what_happened, why_it_matters, recorded_by,
    # found_in (the requester's own record, or a related person's, by relationship only).
    entries = models.JSONField(default=list)
    # What the search covered and what it could not, for the cover sheet.
    searched = models.JSONField(default=dict)
    assembled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assembled_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Subject access pack {self.pk}"

    @property
    def approved(self) -> bool:
        return self.approved_at is not None


class Redaction(models.Model):
    """A piece of third-party information blanked out wherever it appears in the pack (whole
    words, any case): proposed by Caseline or added by the worker, each with its reason;
    a removed one stays, with who removed it and why."""

    class Origin(models.TextChoices):
        PROPOSED = "proposed", "Proposed by Caseline"
        ADDED = "added", "Added by a worker"

    pack = models.ForeignKey(AccessPack, on_delete=models.CASCADE, related_name="redactions")
    text = models.CharField(max_length=200)
    reason = models.CharField(max_length=500)
    origin = models.CharField(max_length=10, choices=Origin.choices)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    removed_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["text", "id"]

    def __str__(self) -> str:
        return f"Redaction {self.pk}"

    @property
    def active(self) -> bool:
        return self.removed_by_id is None
