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

from caseline.apps.plans.models import IdentityNeeds, SmartAction, SmartOutcome, SmartPlan


def open_on(as_at: datetime.date) -> Q:
    """Plans open on ``as_at``: started, not ended, and their episode not closed by then."""
    return (
        Q(start_date__lte=as_at)
        & (Q(end_date__isnull=True) | Q(end_date__gt=as_at))
        & (Q(referral__closed_on__isnull=True) | Q(referral__closed_on__gt=as_at))
    )


class CINPlan(SmartPlan, IdentityNeeds):
    """A child in need plan. Maps to ``ssd_cin_plans``: ``start_date`` and ``end_date`` are
    ``cinp_cin_plan_start_date`` and ``cinp_cin_plan_end_date``. ``identity_needs`` is what
    was last agreed: when the plan started, was changed or was reviewed."""

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
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)
    child_views = models.TextField("The child's views on the plan")
    family_views = models.TextField("The family's views on the plan", blank=True)

    class Meta(SmartPlan.Meta):
        verbose_name = "child in need plan"
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


class PlanOutcome(SmartOutcome):
    """What we want to be different for the child."""

    plan = models.ForeignKey(CINPlan, on_delete=models.CASCADE, related_name="outcomes")
    outcome = models.TextField("What we want to be different")

    class Meta(SmartOutcome.Meta):
        constraints = [
            models.UniqueConstraint(fields=["plan", "order"], name="cin_outcome_order_unique")
        ]


class PlanAction(SmartAction):
    """A SMART action towards an outcome of a child in need plan."""

    outcome = models.ForeignKey(PlanOutcome, on_delete=models.CASCADE, related_name="actions")


class PlanReview(IdentityNeeds):
    """A review of the plan with the child, family and professionals; ``identity_needs`` is
    how the plan meets the child's identity needs, as the review agreed."""

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


class PreProceedings(models.Model):
    """Pre-proceedings under the Public Law Outline, with the family group decision-making
    (FGDM) that goes with it: the CIN census's 2026-27 block ``PreProceedingsandFGDM``
    (module 5), one per period of pre-proceedings, within the child in need episode it
    started in. Each field is a fact the social worker records as it happens, through the
    actions in ``actions.py``; the census element each one is given beside it.

    ○ The DfE's CIN census guide for 2026-27 was not found among the reference documents:
    the elements, their order and the rules between them come from the Data to Insight
    validator's 2026-27 rules (9005 to 9015Q) and its sample file; what PPOutcome's codes
    mean is not checked (``codes`` list ``pre_proceedings_outcome``).
    """

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="pre_proceedings"
    )
    referral = models.ForeignKey(
        "frontdoor.Referral", on_delete=models.PROTECT, related_name="pre_proceedings"
    )
    # PPStartDate: the legal planning meeting (or other forum) that decided to start.
    start_date = models.DateField("Date of the decision to start pre-proceedings")
    start_reason = models.TextField("Why pre-proceedings started")
    letter_sent_on = models.DateField(  # LBPSentDate
        "Date the letter before proceedings was sent", null=True, blank=True
    )
    fgdm_offered = models.BooleanField(  # FGDMMeetingOffer
        "A family group decision-making meeting was offered in the letter",
        null=True,
        blank=True,
    )
    fgdm_facilitated = models.BooleanField(  # FGDMMeetingFac
        "A family group decision-making meeting was facilitated", null=True, blank=True
    )
    fgdm_held_on = models.DateField(  # not in the census: when the meeting was held
        "Date of the family group decision-making meeting", null=True, blank=True
    )
    fgdm_note = models.TextField("About the family group decision-making", blank=True)
    decided_on = models.DateField(  # StepDecisionDate: the end of pre-proceedings
        "Date of the decision to step up or down", null=True, blank=True
    )
    outcome = models.CharField(max_length=1, blank=True)  # PPOutcome: code list CS131
    outcome_note = models.TextField("Reasons for the decision", blank=True)
    court_application_on = models.DateField(  # CourtAppDate
        "Date the court application was made", null=True, blank=True
    )
    proceedings_letter_sent_on = models.DateField(  # LetterInitCPDate
        "Date the letter initiating care proceedings was sent", null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "pre-proceedings"
        verbose_name_plural = "pre-proceedings"
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["person", "start_date"], name="preproc_person_idx")]

    def __str__(self) -> str:
        return f"Pre-proceedings for {self.person} from {self.start_date:%d/%m/%Y}"

    @property
    def is_open(self) -> bool:
        return self.decided_on is None


class PreProceedingsMeeting(models.Model):
    """A pre-proceedings meeting with the parents and their lawyers: the first effective one
    (the census's InitialPPMeetingDate) and the reviews after it (ReviewMeetingsCount)."""

    class Kind(models.TextChoices):
        INITIAL = "initial", "First effective pre-proceedings meeting"
        REVIEW = "review", "Review meeting"

    proceedings = models.ForeignKey(
        PreProceedings, on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField(max_length=7, choices=Kind.choices)
    held_on = models.DateField("Date of the meeting")
    note = models.TextField("What was agreed", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proceedings"],
                condition=models.Q(kind="initial"),
                name="preproc_one_initial_meeting",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.held_on:%d/%m/%Y}"
