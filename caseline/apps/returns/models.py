"""A return produced in the background: who asked, how far it has got, what it found."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ReturnRun(models.Model):
    """One production of a return for a year, with its validation report."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        PRODUCING = "producing", "Being produced"
        VALIDATING = "validating", "Being checked"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    return_slug = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    # The as-at date of a return made for any day (Annex A); its ``year`` is that day's year.
    as_at = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    progress = models.CharField(max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Set by the worker while it produces the run; a run in progress not heard from for a
    # while has lost its worker (``actions.fail_stopped_runs``).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    files = models.JSONField(default=list, blank=True)  # names inside the run's folder
    rows = models.JSONField(default=dict, blank=True)  # rows per table
    person_ids = models.JSONField(default=list, blank=True)  # the children the return holds
    report = models.JSONField(null=True, blank=True)  # the validator's findings
    error = models.TextField(blank=True)  # why it failed, for the analyst

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["return_slug", "year", "-requested_at"])]

    def __str__(self) -> str:
        return f"{self.return_slug} {self.period_label} ({self.get_status_display()})"

    @property
    def period_label(self) -> str:
        """What the run covers: "2026", or "as at 30 November 2026"."""
        if self.as_at is not None:
            return f"as at {self.as_at.day} {self.as_at:%B %Y}"
        return str(self.year)

    @property
    def title(self) -> str:
        """The return's name: "Children in need census"."""
        from caseline.apps.returns.registry import RETURNS

        statutory_return = RETURNS.get(self.return_slug)
        return statutory_return.title if statutory_return else self.return_slug

    @property
    def in_progress(self) -> bool:
        """Whether the worker has yet to finish it."""
        return self.status in {self.Status.QUEUED, self.Status.PRODUCING, self.Status.VALIDATING}


class ReturnFinding(models.Model):
    """One rule one child failed in a run: the record page and the analyst's list read these."""

    run = models.ForeignKey(ReturnRun, on_delete=models.CASCADE, related_name="findings")
    person_id = models.BigIntegerField(null=True, blank=True)  # None: not about one child
    child_reference = models.CharField(max_length=20, blank=True)
    code = models.CharField(max_length=12)
    is_error = models.BooleanField()
    message = models.TextField()

    class Meta:
        indexes = [models.Index(fields=["person_id", "run"])]

    def __str__(self) -> str:
        return f"{self.code} for {self.child_reference or 'the return'}"
