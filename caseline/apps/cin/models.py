"""Child in need plans (s17): SMART actions under outcomes, reviews and visits.

Maps to the Standard Safeguarding Dataset's ``ssd_cin_plans`` and ``ssd_cin_visits``. A plan
belongs to one child in need episode (``frontdoor.Referral``). It ends on its own ``end_date``
(the ``end_plan`` action) or when the episode is closed, whichever comes first: the effective
end is derived, never stored twice.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from caseline.apps.core.models import VersionedModel


def open_on(as_at: datetime.date) -> Q:
    """Plans open on ``as_at``: started, not ended, and their episode not closed by then."""
    return (
        Q(start_date__lte=as_at)
        & (Q(end_date__isnull=True) | Q(end_date__gt=as_at))
        & (Q(referral__closed_on__isnull=True) | Q(referral__closed_on__gt=as_at))
    )


class CINPlan(VersionedModel):
    """A child in need plan. Maps to ``ssd_cin_plans``."""

    class EndReason(models.TextChoices):
        OUTCOMES_ACHIEVED = "achieved", "The plan's outcomes were achieved"
        STEP_DOWN = "step-down", "Stepped down to early help or universal services"
        CHILD_PROTECTION = "child-protection", "A child protection plan started"
        LOOKED_AFTER = "looked-after", "The child became looked after"
        MOVED = "moved", "The child moved to another local authority"
        FAMILY_DECLINED = "declined", "The family withdrew consent"
        OTHER = "other", "Another reason"

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="cin_plans"
    )  # cinp_person_id
    referral = models.ForeignKey(
        "frontdoor.Referral", on_delete=models.PROTECT, related_name="cin_plans"
    )  # cinp_referral_id
    start_date = models.DateField()  # cinp_cin_plan_start_date
    end_date = models.DateField(null=True, blank=True)  # cinp_cin_plan_end_date
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)
    end_note = models.TextField(blank=True)
    child_views = models.TextField("The child's views on the plan")
    family_views = models.TextField("The family's views on the plan", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "child in need plan"
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["person", "end_date"], name="cinplan_person_end_idx")]

    def __str__(self) -> str:
        return f"Child in need plan for {self.person} from {self.start_date:%d/%m/%Y}"

    @property
    def effective_end_date(self) -> datetime.date | None:
        """When the plan ended: its own end date, or the episode's closure if earlier."""
        ends = [d for d in (self.end_date, self.referral.closed_on) if d is not None]
        return min(ends) if ends else None

    @property
    def ended_by_episode(self) -> bool:
        closed_on = self.referral.closed_on
        return closed_on is not None and (self.end_date is None or closed_on < self.end_date)

    def is_open_on(self, as_at: datetime.date) -> bool:
        end = self.effective_end_date
        return self.start_date <= as_at and (end is None or end > as_at)


class PlanOutcome(models.Model):
    """What we want to be different for the child."""

    plan = models.ForeignKey(CINPlan, on_delete=models.CASCADE, related_name="outcomes")
    order = models.PositiveSmallIntegerField()
    outcome = models.TextField("What we want to be different")

    class Meta:
        ordering = ["plan", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "order"], name="cin_outcome_order_unique")
        ]

    def __str__(self) -> str:
        return self.outcome[:80]


class PlanAction(models.Model):
    """A SMART action towards an outcome: what, who, by when, how we will know."""

    class Status(models.TextChoices):
        NOT_STARTED = "not-started", "Not started"
        IN_PROGRESS = "in-progress", "In progress"
        DONE = "done", "Done"
        NOT_DONE = "not-done", "Not done"

    outcome = models.ForeignKey(PlanOutcome, on_delete=models.CASCADE, related_name="actions")
    what = models.TextField("What will happen")
    who = models.CharField("Who will do it", max_length=200)
    by_when = models.DateField("By when")
    how_we_will_know = models.TextField("How we will know it has worked")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    status_note = models.TextField(blank=True)
    status_updated_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["outcome", "by_when", "id"]

    def __str__(self) -> str:
        return f"{self.what[:60]} ({self.who})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.NOT_DONE}

    @property
    def status_colour(self) -> str:
        """The govuk-tag colour for the status (always shown with its words)."""
        return _STATUS_COLOURS[self.status]

    def is_overdue(self, as_at: datetime.date) -> bool:
        return not self.is_finished and self.by_when < as_at


_STATUS_COLOURS: dict[str, str] = {
    PlanAction.Status.NOT_STARTED: "grey",
    PlanAction.Status.IN_PROGRESS: "blue",
    PlanAction.Status.DONE: "green",
    PlanAction.Status.NOT_DONE: "orange",
}


class PlanReview(models.Model):
    """A review of the plan with the child, family and professionals."""

    class Decision(models.TextChoices):
        CONTINUE = "continue", "Continue the plan as it is"
        CHANGE = "change", "Continue with changes to the plan"
        STEP_DOWN = "step-down", "Step down to early help or universal services"
        END = "end", "End the plan: the outcomes have been achieved"
        ESCALATE = "escalate", "Escalate to child protection"

    plan = models.ForeignKey(CINPlan, on_delete=models.CASCADE, related_name="reviews")
    review_date = models.DateField()
    progress = models.TextField("Progress since the plan started or was last reviewed")
    child_views = models.TextField("The child's views")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    next_review_due = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-review_date", "-id"]

    def __str__(self) -> str:
        return f"Review of {self.plan} on {self.review_date:%d/%m/%Y}"


# Review decisions that end the plan on the review date, with the plan's end reason.
ENDING_DECISIONS: dict[str, str] = {
    PlanReview.Decision.STEP_DOWN: CINPlan.EndReason.STEP_DOWN,
    PlanReview.Decision.END: CINPlan.EndReason.OUTCOMES_ACHIEVED,
    PlanReview.Decision.ESCALATE: CINPlan.EndReason.CHILD_PROTECTION,
}


class CINVisit(models.Model):
    """A visit to a child in need. Maps to ``ssd_cin_visits``."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="cin_visits"
    )  # cinv_person_id
    plan = models.ForeignKey(
        CINPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="visits"
    )
    visit_date = models.DateField()  # cinv_cin_visit_date
    child_seen = models.BooleanField()  # cinv_cin_visit_seen
    child_seen_alone = models.BooleanField()  # cinv_cin_visit_seen_alone
    seen_bedroom = models.BooleanField(null=True, blank=True)  # cinv_cin_visit_bedroom
    not_seen_reason = models.TextField(blank=True)
    purpose = models.TextField("Purpose of the visit")
    observations = models.TextField("What was observed")
    child_views = models.TextField("The child's views", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "child in need visit"
        ordering = ["-visit_date", "-id"]
        indexes = [models.Index(fields=["person", "visit_date"], name="cinvisit_person_date_idx")]

    def __str__(self) -> str:
        return f"Visit to {self.person} on {self.visit_date:%d/%m/%Y}"
