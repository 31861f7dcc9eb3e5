"""Model building blocks shared by every domain app."""

from __future__ import annotations

from django.db import models


class VersionedModel(models.Model):
    """Optimistic locking: a form carries the version it was read at, and the action that
    saves it refuses when someone else has saved since (see ``core.concurrency``)."""

    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


class FormSubmission(models.Model):
    """A form page's one-time token, claimed when the form is first sent: the same form sent
    twice (a double click, a resent page) is saved once (``core.submissions``)."""

    user_id = models.BigIntegerField()
    token = models.UUIDField()
    submitted_at = models.DateTimeField(auto_now_add=True)
    result_url = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user_id", "token"], name="form_submission_once")
        ]

    def __str__(self) -> str:
        return f"Form sent by user {self.user_id} ({self.token})"
