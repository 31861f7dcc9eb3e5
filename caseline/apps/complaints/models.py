"""Complaints under the Children Act 1989 Representations Procedure (England) Regulations
2006: the complaint about a child, its stages (local resolution, investigation, review panel)
with their dates and extensions, the findings, and the lessons learned with their actions."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Complainant(models.TextChoices):
    """Who may complain (section 26(3) of the Children Act 1989)."""

    CHILD = "child", "The child or young person"
    PARENT = "parent", "A parent"
    CARER = "carer", "A foster carer or other carer"
    REPRESENTATIVE = "representative", "Someone acting for the child (an advocate, a relative)"


class Theme(models.TextChoices):
    """What the complaint is about (a local list, for the annual report)."""

    COMMUNICATION = "communication", "Communication"
    DECISIONS = "decisions", "Decisions about the child"
    QUALITY = "quality", "Quality of service"
    DELAY = "delay", "Delay or failure to act"
    STAFF = "staff", "Staff conduct"
    PLACEMENT = "placement", "Placement"
    CONTACT = "contact", "Family time (contact)"
    FINANCE = "finance", "Money and allowances"
    OTHER = "other", "Other"


class Stage(models.IntegerChoices):
    LOCAL_RESOLUTION = 1, "Stage 1: local resolution"
    INVESTIGATION = 2, "Stage 2: investigation"
    REVIEW_PANEL = 3, "Stage 3: review panel"


class StageOutcome(models.TextChoices):
    UPHELD = "upheld", "Upheld"
    PARTLY_UPHELD = "partly-upheld", "Partly upheld"
    NOT_UPHELD = "not-upheld", "Not upheld"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Complaint(models.Model):
    """One complaint about the service a child received."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="complaints")
    received_date = models.DateField()
    complainant = models.CharField(max_length=20, choices=Complainant.choices)
    complainant_name = models.CharField(max_length=200)
    theme = models.CharField(max_length=20, choices=Theme.choices)
    summary = models.TextField()
    advocacy_offered = models.BooleanField()
    advocacy_taken_up = models.BooleanField()
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="complaints_held"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_date", "-pk"]
        indexes = [
            models.Index(fields=["person", "received_date"], name="complaint_person_idx"),
            models.Index(fields=["received_date"], name="complaint_received_idx"),
        ]

    def __str__(self) -> str:
        return f"Complaint {self.pk} received {self.received_date:%d/%m/%Y}"

    @property
    def reference(self) -> str:
        return f"CMP-{self.pk:05d}"


class ComplaintStage(models.Model):
    """One stage of the procedure: started (received or requested), perhaps extended, and
    completed (the response sent; for stage 3, the panel met) with its outcome."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="stages")
    stage = models.PositiveSmallIntegerField(choices=Stage.choices)
    started_date = models.DateField()
    extended = models.BooleanField(default=False)
    extension_reason = models.TextField(blank=True)
    completed_date = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=StageOutcome.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["stage"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "stage"], name="complaint_stage_once")
        ]
        indexes = [
            models.Index(
                fields=["started_date"],
                name="complaint_stage_open_idx",
                condition=models.Q(completed_date__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} of complaint {self.complaint_id}"


class Finding(models.Model):
    """One finding of a stage, upheld or not."""

    stage = models.ForeignKey(ComplaintStage, on_delete=models.CASCADE, related_name="findings")
    finding = models.TextField()
    upheld = models.BooleanField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Finding {self.pk} ({'upheld' if self.upheld else 'not upheld'})"


class Lesson(models.Model):
    """A lesson learned from the complaint, with the action taken on it."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="lessons")
    lesson = models.TextField()
    action = models.TextField()
    action_due = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Lesson {self.pk} from complaint {self.complaint_id}"
