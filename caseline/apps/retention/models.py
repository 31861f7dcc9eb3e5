"""Legal holds, and the reviews of records that have reached the end of their retention.

A review outlives the record it was about: it names the person only by number (no foreign
key, as the audit trail does), so destroying the record leaves the review as the proof that
a record existed and was destroyed under which rule, with none of its content.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from caseline.apps.people.models import Person


class LegalHold(models.Model):
    """A stop on destroying a child's record (litigation, an inquiry, a complaint), until
    lifted. While any hold is open the record is neither listed nor destroyed."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="legal_holds")
    reason = models.TextField()
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField(auto_now_add=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-placed_at", "-id"]
        indexes = [
            models.Index(
                fields=["person"],
                condition=models.Q(lifted_at__isnull=True),
                name="legal_hold_open_idx",
            )
        ]

    def __str__(self) -> str:
        return f"Legal hold {self.pk}"


class RetentionReview(models.Model):
    """A record that reached the end of its retention, listed for a named person to review.

    Destroyed, it keeps the person's number, the rule and version it was destroyed under, its
    date, who approved it, and how many rows each table held: never a name or any content.
    """

    class Status(models.TextChoices):
        DUE = "due", "Awaiting review"
        DESTROYED = "destroyed", "Destroyed"
        WITHDRAWN = "withdrawn", "No longer due"

    subject_person_id = models.BigIntegerField(
        db_index=True, help_text="The person's number: no foreign key, as it outlives them."
    )
    rule_code = models.CharField(max_length=20)
    rule_version = models.PositiveSmallIntegerField()
    keep_until = models.DateField()
    listed_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DUE)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    rows_destroyed = models.JSONField(
        default=dict, blank=True, help_text="Rows destroyed in each table: counts only."
    )

    class Meta:
        ordering = ["keep_until", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_person_id"],
                condition=models.Q(status="due"),
                name="retention_review_due_once",
            )
        ]

    def __str__(self) -> str:
        return f"Retention review {self.pk} ({self.rule_code} v{self.rule_version})"
