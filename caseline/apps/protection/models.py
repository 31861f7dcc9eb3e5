"""Child protection (Children Act 1989 s47): strategy discussions, section 47 enquiries,
conferences, child protection plans, core groups, review conferences and visits.

Maps to the Standard Safeguarding Dataset's ``ssd_s47_enquiry``, ``ssd_initial_cp_conference``,
``ssd_cp_plans``, ``ssd_cp_visits`` and ``ssd_cp_reviews``. A plan belongs to the child's child
in need episode (``frontdoor.Referral``), as in the CIN census. A child on a plan in another
authority who moves here is recorded as a :class:`TransferIn` when we are told; a transfer-in
conference is then due. Categories of abuse hold the DfE
code only (``codes.CodeListName.CP_CATEGORY``). Due dates, lateness, the number of previous
plans in Caseline and whether a strategy discussion met the multi-agency minimum are derived in
``queries.py``, never stored. What Caseline cannot derive is recorded: that an initial
conference is not required after an enquiry (``Section47Enquiry.icpc_not_required``) and how
many plans a child had before Caseline (:class:`ProtectionHistory`).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from caseline.apps.plans.models import IdentityNeeds, SmartAction, SmartOutcome, SmartPlan


class Agency(models.TextChoices):
    SOCIAL_CARE = "social-care", "Children's social care"
    POLICE = "police", "Police"
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    OTHER = "other", "Other agency"


class Participation(models.TextChoices):
    ATTENDED = "attended", "Attended"
    SENT_INFORMATION = "sent-information", "Sent information"
    ABSENT = "absent", "Invited but absent"
    NOT_INVITED = "not-invited", "Not invited"


# Ways of taking part: an agency that only sent apologies, or was never asked, took no part.
TOOK_PART = frozenset({Participation.ATTENDED, Participation.SENT_INFORMATION})


class StrategyDiscussion(models.Model):
    """A strategy discussion or meeting, held when there is reasonable cause to suspect
    significant harm. Working Together expects the local authority, police and health."""

    class Kind(models.TextChoices):
        DISCUSSION = "discussion", "Strategy discussion (for example by phone or video)"
        MEETING = "meeting", "Strategy meeting"

    class S47Decision(models.TextChoices):
        NONE = "none", "No section 47 enquiry"
        SINGLE = "single", "Section 47 enquiry by children's social care"
        JOINT = "joint", "Section 47 enquiry jointly with the police"

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="strategy_discussions"
    )
    referral = models.ForeignKey(
        "frontdoor.Referral",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="strategy_discussions",
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    held_at = models.DateTimeField("Date and time")
    information_shared = models.TextField("Information shared")
    decision = models.TextField("Decision")
    rationale = models.TextField("Reasons for the decision")
    s47_decision = models.CharField(max_length=6, choices=S47Decision.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_at", "-id"]
        indexes = [models.Index(fields=["held_at"], name="strategy_held_idx")]

    def __str__(self) -> str:
        return f"Strategy {self.kind} for {self.person} on {self.held_on:%d/%m/%Y}"

    @property
    def held_on(self) -> datetime.date:
        return timezone.localdate(self.held_at)


class StrategyParticipant(models.Model):
    """How one agency took part in a strategy discussion."""

    discussion = models.ForeignKey(
        StrategyDiscussion, on_delete=models.CASCADE, related_name="participants"
    )
    agency = models.CharField(max_length=12, choices=Agency.choices)
    name = models.CharField("Name and role", max_length=200, blank=True)
    participation = models.CharField(max_length=16, choices=Participation.choices)

    class Meta:
        ordering = ["discussion", "id"]
        constraints = [
            models.UniqueConstraint(fields=["discussion", "agency"], name="strategy_agency_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_agency_display()}: {self.get_participation_display()}"

    @property
    def took_part(self) -> bool:
        return self.participation in TOOK_PART


class Section47Enquiry(models.Model):
    """A section 47 enquiry. It starts at the strategy discussion that decided on it.

    ``icpc_not_required`` is the CIN census's ``ICPCnotRequired`` for the enquiry, kept as the
    record of a decision, never worked out at export: it is set when the enquiry is completed
    with an outcome that needs no conference (no further action, or continuing as a child in
    need), or later, when a conference the enquiry called for is decided against
    (``actions.decide_icpc_not_required``: the date and reasons in ``icpc_not_required_on``
    and ``icpc_not_required_reason``). An enquiry never has both it and an initial conference
    (DfE CIN census rule 8868)."""

    class Outcome(models.TextChoices):
        CONFERENCE = "conference", "Concerns substantiated: a child protection conference is needed"
        NFA = "nfa", "No further action: a child protection conference is not required"
        CHILD_IN_NEED = (
            "cin",
            "Continue as a child in need: a child protection conference is not required",
        )

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="s47s")
    referral = models.ForeignKey(
        "frontdoor.Referral", on_delete=models.PROTECT, null=True, blank=True, related_name="s47s"
    )
    # None only for an enquiry recorded in another system (``record_enquiry_elsewhere``):
    # who took part in its strategy discussion is not known to Caseline.
    strategy_discussion = models.OneToOneField(
        StrategyDiscussion, on_delete=models.PROTECT, null=True, blank=True, related_name="enquiry"
    )
    start_date = models.DateField()  # s47e_s47_start_date: the strategy discussion's date
    joint_with_police = models.BooleanField(default=False)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField("Reasons for the outcome", blank=True)
    completed_on = models.DateField(null=True, blank=True)  # s47e_s47_end_date
    # CIN census ICPCnotRequired: recorded by an action, never derived at export.
    icpc_not_required = models.BooleanField(
        "Initial child protection conference not required", default=False
    )
    icpc_not_required_on = models.DateField(
        "Date it was decided a conference is not required", null=True, blank=True
    )
    icpc_not_required_reason = models.TextField("Why a conference is not required", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "section 47 enquiry"
        verbose_name_plural = "section 47 enquiries"
        ordering = ["-start_date", "-id"]

    def __str__(self) -> str:
        return f"Section 47 enquiry for {self.person} from {self.start_date:%d/%m/%Y}"

    @property
    def is_open(self) -> bool:
        return self.completed_on is None

    @property
    def recorded_elsewhere(self) -> bool:
        """Whether the enquiry was recorded in another system (no strategy discussion here)."""
        return self.strategy_discussion_id is None

    @property
    def awaits_conference(self) -> bool:
        """Whether the enquiry called for an initial conference that is neither held nor
        decided against (uses ``conference`` when it was selected with the enquiry)."""
        return (
            self.outcome == self.Outcome.CONFERENCE
            and not self.icpc_not_required
            and getattr(self, "conference", None) is None
        )


# No initial conference is awaited for these enquiries (in a query on enquiries).
AWAITING_CONFERENCE = models.Q(
    outcome=Section47Enquiry.Outcome.CONFERENCE, icpc_not_required=False, conference__isnull=True
)


class PoliceDecision(models.Model):
    """A decision in the police investigation running alongside the enquiry, recorded so the
    two are planned together (for example an achieving best evidence interview)."""

    enquiry = models.ForeignKey(
        Section47Enquiry, on_delete=models.CASCADE, related_name="police_decisions"
    )
    decided_on = models.DateField("Date of the decision")
    decision = models.TextField("Decision and the reasons for it")
    abe_interview = models.BooleanField("An achieving best evidence interview is planned")
    abe_interview_on = models.DateField("Date of the interview", null=True, blank=True)
    officer = models.CharField("Police officer", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["decided_on", "id"]

    def __str__(self) -> str:
        return f"Police decision on {self.decided_on:%d/%m/%Y}"


class TransferIn(models.Model):
    """Notice that a child subject to a child protection plan in another local authority has
    moved here permanently. A transfer-in conference is due from the day we were told
    (``timescales.TRANSFER_IN_CONFERENCE``) until one is held (its ``conference``)."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="cp_transfers_in"
    )
    referral = models.ForeignKey(
        "frontdoor.Referral",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cp_transfers_in",
    )
    notified_on = models.DateField("Date we were told the child had moved here")
    from_authority = models.CharField("Local authority the child moved from", max_length=100)
    notes = models.TextField("What we were told", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "transfer in"
        verbose_name_plural = "transfers in"
        ordering = ["-notified_on", "-id"]
        indexes = [models.Index(fields=["person", "notified_on"], name="cptransfer_person_idx")]

    def __str__(self) -> str:
        return f"Transfer in of {self.person} notified {self.notified_on:%d/%m/%Y}"


class Conference(IdentityNeeds):
    """A child protection conference: initial, transfer-in or review. One that starts or
    continues a plan says how the plan meets the child's identity needs
    (``identity_needs``)."""

    class Kind(models.TextChoices):
        INITIAL = "initial", "Initial child protection conference"
        TRANSFER_IN = "transfer-in", "Transfer-in conference"
        REVIEW = "review", "Review child protection conference"

    class Decision(models.TextChoices):
        PLAN = "plan", "The child needs a child protection plan"
        NO_PLAN = "no-plan", "The child does not need a child protection plan"
        CONTINUE = "continue", "Continue the child protection plan"
        END = "end", "End the child protection plan"

    class ReportsShared(models.TextChoices):
        YES = "yes", "Yes, before the conference"
        NO = "no", "No"
        AT_CONFERENCE = "at-conference", "Only at the conference"

    class Progress(models.TextChoices):
        GOOD = "good", "Good progress"
        SOME = "some", "Some progress"
        NONE = "none", "No progress"
        WORSE = "worse", "Things are worse"

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="cp_conferences"
    )
    referral = models.ForeignKey(
        "frontdoor.Referral",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cp_conferences",
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    enquiry = models.OneToOneField(
        Section47Enquiry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conference",
    )
    plan = models.ForeignKey(
        "ProtectionPlan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="review_conferences",
    )
    transfer_in = models.OneToOneField(
        TransferIn,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conference",
    )
    # The transfer in's ``notified_on``, kept for conferences recorded before transfers in
    # were (to be dropped once every transfer-in conference has its ``transfer_in``).
    transfer_notified_on = models.DateField(
        "Date we were told the child had moved here", null=True, blank=True
    )
    conference_date = models.DateField()
    # None only for a conference recorded in another system (``record_conference_elsewhere``,
    # ``record_review_elsewhere``): its chair is not a Caseline user, and neither its
    # attendance nor whether reports were shared is known (``reports_shared`` empty).
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The team the other system named as responsible for a conference recorded there (a
    # conference held in Caseline is its chair's team's).
    team_elsewhere = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reports_shared = models.CharField(max_length=14, choices=ReportsShared.choices, blank=True)
    child_participation = models.TextField("How the child took part")
    family_participation = models.TextField("How the family took part")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    rationale = models.TextField("Reasons for the decision")
    category = models.CharField(max_length=3, blank=True)  # DfE cp_category code
    progress = models.CharField(max_length=6, choices=Progress.choices, blank=True)
    lead_social_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    outline_plan = models.TextField("Outline plan", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-conference_date", "-id"]
        indexes = [models.Index(fields=["person", "conference_date"], name="cpconf_person_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.person} on {self.conference_date:%d/%m/%Y}"

    @property
    def recorded_elsewhere(self) -> bool:
        """Whether the conference was held and recorded in another system (no Caseline chair)."""
        return self.chair_id is None


class ConferenceAttendee(models.Model):
    """How one agency took part in a conference."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="attendees")
    agency = models.CharField(max_length=12, choices=Agency.choices)
    name = models.CharField("Name and role", max_length=200, blank=True)
    participation = models.CharField(max_length=16, choices=Participation.choices)
    knows_child = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["conference", "id"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "agency"], name="conference_agency_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_agency_display()}: {self.get_participation_display()}"


class ProtectionPlan(SmartPlan, IdentityNeeds):
    """A child protection plan. Maps to ``ssd_cp_plans`` (``start_date`` and ``end_date`` are
    ``cppl_cp_plan_start_date`` and ``cppl_cp_plan_end_date``); starts at the conference that
    decided on it. The latest category, and how the plan meets the child's identity needs,
    change at review conferences."""

    class EndReason(models.TextChoices):
        REVIEW = "review", "A review conference decided the child is no longer at risk"
        MOVED = "moved", "The child moved permanently to another local authority"
        EIGHTEEN = "eighteen", "The child reached 18"
        DIED = "died", "The child died"
        LEFT_UK = "left-uk", "The child left the UK permanently"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="cp_plans")
    referral = models.ForeignKey(
        "frontdoor.Referral",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cp_plans",
    )
    conference = models.OneToOneField(
        Conference, on_delete=models.PROTECT, related_name="started_plan"
    )
    initial_category = models.CharField(max_length=3)  # cppl_cp_plan_initial_category
    latest_category = models.CharField(max_length=3)  # cppl_cp_plan_latest_category
    lead_social_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    worries = models.TextField("What we are worried about", blank=True)
    contingency = models.TextField("Contingency plan", blank=True)
    child_views = models.TextField("The child's views", blank=True)
    core_group_every_weeks = models.PositiveSmallIntegerField(
        "Core group every (weeks)", null=True, blank=True
    )
    visit_every_working_days = models.PositiveSmallIntegerField(
        "Visit every (working days)", null=True, blank=True
    )
    end_reason = models.CharField(max_length=10, choices=EndReason.choices, blank=True)

    class Meta(SmartPlan.Meta):
        verbose_name = "child protection plan"
        indexes = [models.Index(fields=["person", "end_date"], name="cpplan_person_end_idx")]

    def __str__(self) -> str:
        return f"Child protection plan for {self.person} from {self.start_date:%d/%m/%Y}"

    @property
    def effective_end_date(self) -> datetime.date | None:
        """When the plan ended: a child protection plan ends only on its own end date."""
        return self.end_date

    def is_open_on(self, as_at: datetime.date) -> bool:
        return self.start_date <= as_at and (self.end_date is None or self.end_date > as_at)


class ProtectionOutcome(SmartOutcome):
    """What needs to change for the child to be safe."""

    plan = models.ForeignKey(ProtectionPlan, on_delete=models.CASCADE, related_name="outcomes")
    outcome = models.TextField("What needs to change")

    class Meta(SmartOutcome.Meta):
        constraints = [
            models.UniqueConstraint(fields=["plan", "order"], name="cp_outcome_order_unique")
        ]


class ProtectionAction(SmartAction):
    """A SMART action towards an outcome of a child protection plan; its progress is heard
    at core groups."""

    outcome = models.ForeignKey(ProtectionOutcome, on_delete=models.CASCADE, related_name="actions")
    status_note = models.TextField("Progress", blank=True)


class CoreGroup(models.Model):
    """A core group meeting: the professionals and family who put the plan into practice."""

    plan = models.ForeignKey(ProtectionPlan, on_delete=models.PROTECT, related_name="core_groups")
    meeting_date = models.DateField()
    attendees = models.TextField("Who came")
    progress = models.CharField(max_length=6, choices=Conference.Progress.choices)
    progress_note = models.TextField("Progress against the plan")
    plan_changes = models.TextField("Changes to the plan", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-meeting_date", "-id"]

    def __str__(self) -> str:
        return f"Core group on {self.meeting_date:%d/%m/%Y}"


class ProtectionVisit(models.Model):
    """A child protection visit. Maps to ``ssd_cp_visits``."""

    plan = models.ForeignKey(ProtectionPlan, on_delete=models.PROTECT, related_name="visits")
    visit_date = models.DateField()  # cppv_cp_visit_date
    child_seen = models.BooleanField()  # cppv_cp_visit_seen
    child_seen_alone = models.BooleanField()  # cppv_cp_visit_seen_alone
    observations = models.TextField("What was observed")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "child protection visit"
        ordering = ["-visit_date", "-id"]

    def __str__(self) -> str:
        return f"Child protection visit on {self.visit_date:%d/%m/%Y}"


class ProtectionHistory(models.Model):
    """What is known of a child's child protection history before Caseline: for a child
    whose record was brought in from another system, how many child protection plans they
    had before their first plan in Caseline (or, before plans, how often they were on this
    council's child protection register). The CIN census's ``NumberOfPreviousCPP`` for a plan
    is this number plus the child's earlier plans in Caseline
    (``queries.previous_plan_count``).

    One row per child, made and changed only by ``actions.record_plans_before_caseline``
    (a team manager's decision, audited with the old and new numbers): a migration or import
    calls the same action. A child with no row had no plans before Caseline.

    Kept beside the plans (not on ``people.Person``): it is part of the child protection
    record, read only with it. ○ Whether plans in another authority count towards
    ``NumberOfPreviousCPP`` is not checked against the CIN census guide; the hint on the form
    asks for the plans this council knows of.
    """

    person = models.OneToOneField(
        "people.Person", on_delete=models.PROTECT, related_name="protection_history"
    )
    plans_before_caseline = models.PositiveSmallIntegerField(
        "Child protection plans before Caseline"
    )
    source_note = models.TextField("Where the number comes from")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "child protection history"
        verbose_name_plural = "child protection histories"

    def __str__(self) -> str:
        return f"{self.plans_before_caseline} plans before Caseline for {self.person}"
