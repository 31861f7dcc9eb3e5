"""An authority's inspections and what follows them: the report's judgements and areas for
improvement, the improvement plan with its dated progress, monitoring visits and the annual
self-evaluation.

A plan action's status and target date on any day come from its dated progress entries
(:mod:`caseline.apps.inspection.plan`), never from a field overwritten in place, so the
committee's report for any past date reads as it would have then.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from caseline.apps.inspection.reader import FRAMEWORK_LABELS, GRADE_LABELS, Framework, Grade


class ReportImport(models.Model):
    """A report's text and what the reader made of it, waiting for someone to review it.

    Nothing of the inspection is saved until the import is confirmed; then ``inspection``
    names the record it made.
    """

    file_name = models.CharField(max_length=200)
    text = models.TextField()
    reading = models.JSONField()  # reader.Reading.as_json()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)
    inspection = models.OneToOneField(
        "Inspection", null=True, blank=True, on_delete=models.SET_NULL, related_name="report_import"
    )

    class Meta:
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"Import of {self.file_name}"


class Inspection(models.Model):
    """One inspection of the authority's children's services, as its report records it."""

    framework = models.CharField(max_length=30)  # a reader.Framework value
    authority = models.CharField(max_length=200)
    start_date = models.DateField()
    end_date = models.DateField()
    published_date = models.DateField(null=True, blank=True)
    report_text = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-id"]

    def __str__(self) -> str:
        start, end = self.start_date, self.end_date
        return f"{self.authority}: inspection {start.day} {start:%B %Y} to {end.day} {end:%B %Y}"

    @property
    def framework_label(self) -> str:
        return FRAMEWORK_LABELS.get(Framework(self.framework), self.framework)

    @property
    def judged_inadequate(self) -> bool:
        """Whether any judgement of the inspection was inadequate (monitoring visits follow)."""
        return self.judgements.filter(grade=Grade.INADEQUATE).exists()


class Judgement(models.Model):
    """One judgement of an inspection: the part of the report, the area and its grade."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="judgements")
    position = models.PositiveSmallIntegerField()
    section = models.CharField(max_length=100, blank=True)  # "Safeguarding services"; "" in ILACS
    area = models.CharField(max_length=200)
    grade = models.CharField(max_length=40)  # a reader.Grade value

    class Meta:
        ordering = ["inspection", "position"]

    def __str__(self) -> str:
        return f"{self.area}: {self.grade_label}"

    @property
    def grade_label(self) -> str:
        return GRADE_LABELS.get(Grade(self.grade), self.grade)


class ImprovementArea(models.Model):
    """A heading of the improvement plan: an area for improvement the report set, one of its
    recommendations, or the actions the council drew from the body of the report."""

    class Kind(models.TextChoices):
        AREA = "area", "Area for improvement"
        RECOMMENDATION = "recommendation", "Recommendation"
        COUNCIL = "council", "Actions from the body of the report"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="areas")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    position = models.PositiveSmallIntegerField()
    section = models.CharField(max_length=100, blank=True)
    text = models.TextField()
    timescale = models.CharField(max_length=30, blank=True)  # a reader.Timescale value, or ""

    class Meta:
        ordering = ["inspection", "position"]

    def __str__(self) -> str:
        return self.text[:80]


class PlanAction(models.Model):
    """A numbered action of the improvement plan under one of its areas.

    ``target_date`` is the date first set; revisions, the status and notes are
    :class:`ActionProgress` entries, each dated.
    """

    class Status(models.TextChoices):
        NOT_STARTED = "not-started", "Not started"
        ON_TRACK = "on-track", "On track"
        DELAYED = "delayed", "Delayed"
        ACHIEVED = "achieved", "Achieved"

    area = models.ForeignKey(ImprovementArea, on_delete=models.CASCADE, related_name="actions")
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="actions")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    owner = models.CharField(max_length=200)
    target_date = models.DateField()
    created_on = models.DateField()  # the day it entered the plan
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["inspection", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "number"], name="plan_action_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Action {self.number}: {self.text[:60]}"


class ActionProgress(models.Model):
    """A dated entry on an action: a progress note, a change of status, a revised target date
    with its reason, or several at once."""

    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="progress")
    entry_date = models.DateField()
    status = models.CharField(max_length=20, blank=True)  # a PlanAction.Status, "" if unchanged
    revised_target_date = models.DateField(null=True, blank=True)
    revision_reason = models.TextField(blank=True)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["action", "entry_date", "id"]
        indexes = [models.Index(fields=["action", "entry_date"])]

    def __str__(self) -> str:
        return f"{self.action} on {self.entry_date}"

    @property
    def status_label(self) -> str:
        return PlanAction.Status(self.status).label if self.status else ""


class MonitoringVisit(models.Model):
    """An Ofsted monitoring visit after an inadequate judgement, as its letter records it."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="monitoring_visits"
    )
    start_date = models.DateField()
    end_date = models.DateField()
    letter_date = models.DateField(null=True, blank=True)
    inspectors = models.CharField(max_length=300, blank=True)
    areas_examined = models.TextField()
    summary = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["inspection", "start_date", "id"]

    def __str__(self) -> str:
        return f"Monitoring visit {self.start_date.day} {self.start_date:%B %Y}"


class VisitFinding(models.Model):
    """One finding of a monitoring visit, linked to the plan actions it bears on."""

    visit = models.ForeignKey(MonitoringVisit, on_delete=models.CASCADE, related_name="findings")
    area = models.CharField(max_length=200)
    finding = models.TextField()
    actions = models.ManyToManyField(PlanAction, blank=True, related_name="visit_findings")

    class Meta:
        ordering = ["visit", "id"]

    def __str__(self) -> str:
        return f"{self.area}: {self.finding[:60]}"


class SelfEvaluation(models.Model):
    """The annual self-evaluation of social work practice, by ILACS judgement area."""

    title = models.CharField(max_length=200)
    as_at = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-as_at", "-id"]

    def __str__(self) -> str:
        return self.title


class SelfEvaluationEntry(models.Model):
    """What we know about one judgement area, how we know it, and what we are doing about it."""

    self_evaluation = models.ForeignKey(
        SelfEvaluation, on_delete=models.CASCADE, related_name="entries"
    )
    judgement_area = models.CharField(max_length=200)  # one of reader.ILACS_AREAS
    what_we_know = models.TextField()
    how_we_know = models.TextField(blank=True)
    what_we_are_doing = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["self_evaluation", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["self_evaluation", "judgement_area"], name="self_evaluation_area_unique"
            )
        ]

    def __str__(self) -> str:
        return self.judgement_area


class EvidenceLink(models.Model):
    """A link to evidence (an indicator, an audit, a document) for a plan action or for a
    self-evaluation entry: exactly one of the two."""

    action = models.ForeignKey(
        PlanAction, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    entry = models.ForeignKey(
        SelfEvaluationEntry,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    title = models.CharField(max_length=200)
    url = models.CharField(max_length=500)  # an absolute URL or a path in Caseline
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__isnull=False, entry__isnull=True)
                | models.Q(action__isnull=True, entry__isnull=False),
                name="evidence_link_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.title
