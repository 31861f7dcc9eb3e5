"""Single (child and family) assessments and their sign-off.

Maps to ``ssd_cin_assessments`` (cina_assessment_start_date = start_date,
cina_assessment_child_seen = child_seen, cina_assessment_auth_date = authorised_on,
cina_assessment_outcome_json = outcome, cina_assessment_team / worker from the allocation)
and ``ssd_assessment_factors`` (factors: CIN census factor codes 1A..24A, the code only).
Timeliness (45 working days from the referral) and DfE duration (start to authorisation) are
derived in ``queries.py``, never stored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from caseline.apps.core.models import VersionedModel
from caseline.apps.frontdoor.models import Referral
from caseline.apps.people.models import Person


class Assessment(VersionedModel):
    """One single assessment of a child, within a referral (child in need episode)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted for authorisation"
        RETURNED = "returned", "Returned to the social worker"
        AUTHORISED = "authorised", "Authorised"

    class ViewsMethod(models.TextChoices):
        CONVERSATION = "conversation", "Conversation with the child"
        PLAY = "play", "Play"
        DRAWING = "drawing", "Drawing, or three houses or similar tools"
        OBSERVATION = "observation", "Observation (for a baby or a child who does not speak yet)"
        COMMUNICATION_AID = "communication-aid", "Communication aid or interpreter"
        OTHER = "other", "Another way"

    class Outcome(models.TextChoices):
        NO_FURTHER_ACTION = "nfa", "No further action"
        CIN_PLAN = "cin-plan", "Child in need plan"
        STRATEGY = "strategy", "Strategy discussion (section 47 enquiry)"
        EARLY_HELP = "early-help", "Step down to early help"
        LOOKED_AFTER = "looked-after", "Child to be looked after"
        OTHER = "other", "Other"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="assessments")
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="assessments")
    start_date = models.DateField()  # cina_assessment_start_date
    child_seen = models.BooleanField(null=True, blank=True)  # cina_assessment_child_seen
    child_seen_alone = models.BooleanField(null=True, blank=True)
    date_child_seen = models.DateField(null=True, blank=True)
    child_views = models.TextField("The child's views and wishes", blank=True)
    child_views_method = models.CharField(
        "How the child's views were gathered",
        max_length=20,
        choices=ViewsMethod.choices,
        blank=True,
    )
    child_views_method_other = models.CharField(
        "Describe how the child's views were gathered", max_length=200, blank=True
    )
    parents_views = models.TextField("Parents' and carers' views", blank=True)
    identity = models.TextField("Identity, culture, religion, language and heritage", blank=True)
    family_history = models.TextField("Family history and functioning", blank=True)
    risk_factors = models.TextField("Risks and concerns", blank=True)
    protective_factors = models.TextField("Strengths and protective factors", blank=True)
    analysis = models.TextField("Analysis", blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    recommendation = models.TextField(blank=True)
    factors = models.JSONField(default=list, blank=True)  # ssd_assessment_factors codes
    late_reason = models.TextField(
        "Reason the assessment took longer than 45 working days", blank=True
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    authorised_on = models.DateField(null=True, blank=True)  # cina_assessment_auth_date
    authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Management oversight of the decision: what the manager who authorised it made of the
    # assessment and its outcome (blank only on assessments authorised before it was asked).
    manager_comment = models.TextField(
        "The manager's comment on the assessment and its decision", blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        indexes = [
            models.Index(fields=["person", "start_date"], name="assessment_person_idx"),
            models.Index(fields=["status", "submitted_at"], name="assessment_status_idx"),
            # One child's assessments by status and outcome (a plan due to start): without it
            # SQLite reads every authorised assessment through the status index.
            models.Index(
                fields=["person", "status", "outcome"], name="assessment_person_status_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"Assessment of {self.person} started {self.start_date:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.AUTHORISED

    @property
    def status_colour(self) -> str:
        """The GOV.UK tag colour for the status (always shown with its words)."""
        return {
            self.Status.DRAFT: "grey",
            self.Status.SUBMITTED: "blue",
            self.Status.RETURNED: "orange",
            self.Status.AUTHORISED: "green",
        }[Assessment.Status(self.status)]

    @property
    def is_editable(self) -> bool:
        return self.status in {self.Status.DRAFT, self.Status.RETURNED}


class AssessmentReturn(models.Model):
    """A manager sending an assessment back to the worker, with the reasons. Kept as history."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="returns")
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    returned_at = models.DateTimeField(default=timezone.now)
    reasons = models.TextField()

    class Meta:
        ordering = ["-returned_at", "-id"]

    def __str__(self) -> str:
        return f"{self.assessment} returned {self.returned_at:%Y-%m-%d}"
