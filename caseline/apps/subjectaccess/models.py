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
