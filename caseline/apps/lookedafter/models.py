"""Children looked after and care leavers: dated records in the SSDA903 shape.

An :class:`Episode` is one combination of legal status and placement from a start date, as
in the 903 Episodes table. Periods of care and placements are *derived* from consecutive
episodes (``caseline.apps.lookedafter.periods``), never typed. Coded fields hold the code
only; forms offer ``code_list(...).choices(year)`` and actions validate with ``is_valid``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from caseline.apps.codes.lists import CodeListName, code_list
from caseline.apps.core.models import VersionedModel
from caseline.apps.people.models import Person
from caseline.apps.plans.models import IdentityNeeds

# Legal statuses for an agreed series of short breaks (CPPCR reg 48).
SHORT_BREAK_STATUSES = frozenset({"V3", "V4"})
# The reason-for-new-episode code that starts a period of care.
STARTED = "S"
# The reason-episode-ceased code for "a new episode begins on the same day".
NEW_EPISODE_FOLLOWS = "X1"
PLACED_WITH_PARENTS = "P1"
# The 903 URN of a provider with no Ofsted URN of its own: from 2025-26 only a regional
# adoption agency (903 rule 242); before that, also a provider inspected by the CQC or ISI
# rather than Ofsted (SSD spec item CLAP, "clap_cla_placement_urn", quoting the 903 guide).
NO_OFSTED_URN = "XXXXXXX"


class Recorded(models.Model):
    """Who recorded a row and when (every dated record carries it)."""

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class PlacementProvider(Recorded, VersionedModel):
    """An entry in the council's register of placement providers: a children's home, a
    fostering service or agency, an adoption agency, a school or hospital a child may live in.

    An episode names its provider from here (``Episode.provider``), and takes the 903 provider
    code (``PLACE_PROVIDER``), Ofsted URN (``URN``) and, for a placement at the provider's own
    premises, the placement postcode (``PL_POST``) from it. ``ofsted_urn`` is the 903 value:
    the Ofsted URN, :data:`NO_OFSTED_URN` (``XXXXXXX``) for a provider with none (a regional
    adoption agency), or blank where no URN is expected (a hospital, a young offender
    institution, a provider outside England). ``placement_types`` lists the 903 placement
    codes the provider offers; empty means the register does not limit them. A provider no
    longer used is made inactive, never deleted: earlier episodes still name it.
    """

    name = models.CharField(max_length=200)
    ofsted_urn = models.CharField("Ofsted URN", max_length=8, blank=True)  # 903 URN
    postcode = models.CharField(max_length=10, blank=True)
    provider_type = models.CharField(max_length=3)  # 903 PLACE_PROVIDER, PR1-PR5
    placement_types = models.JSONField(default=list, blank=True)  # 903 PLACE codes offered
    outside_england = models.BooleanField(
        "Its premises are outside England", default=False
    )  # 903 PL_LA CON/NIR/SCO/WAL/NUK: no URN (rule 243), none needed (rule 218)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ofsted_urn"],
                condition=~models.Q(ofsted_urn="") & ~models.Q(ofsted_urn=NO_OFSTED_URN),
                name="la_provider_urn_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.ofsted_urn})" if self.ofsted_urn else self.name


class Episode(Recorded):
    """A legal status and placement from ``start_date`` (903 Episodes; SSD ssd_cla_episodes).

    ``end_date`` and ``reason_episode_ceased`` are blank while the episode is open. When the
    legal status or placement changes, the episode ends with ``X1`` and a new one starts on
    the same day with the derived reason for new episode.
    """

    class Area(models.TextChoices):
        IN = "IN", "Inside the local authority's area"
        OUT = "OUT", "Outside the local authority's area"

    class Arrangement(models.TextChoices):
        # Which regulation 28 visiting frequency applies beyond the placement type.
        STANDARD = "standard", "None of these"
        PARENT_BEFORE_ASSESSMENT = (
            "parent-before-assessment",
            "Placed with a parent before the assessment is complete (regulation 19)",
        )
        CONNECTED_TEMPORARY = (
            "connected-temporary",
            "Placed with a connected person under temporary approval (regulation 24)",
        )

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="care_episodes")
    start_date = models.DateField()  # DECOM
    reason_new_episode = models.CharField(max_length=1)  # RNE, code list reason_new_episode
    legal_status = models.CharField(max_length=2)  # LS, code list legal_status
    placement_type = models.CharField(max_length=3)  # PLACE, versioned code list
    # The provider from the register; blank for a placement with parents, a temporary
    # placement, or an episode recorded before the register (whose columns below were typed).
    # When set, PLACE_PROVIDER and URN (and for some types PL_POST) below are copied from it.
    provider = models.ForeignKey(
        PlacementProvider,
        on_delete=models.PROTECT,
        related_name="episodes",
        null=True,
        blank=True,
    )
    placement_provider = models.CharField(max_length=3, blank=True)  # PLACE_PROVIDER
    placement_postcode = models.CharField(max_length=10, blank=True)  # PL_POST
    carer_name = models.CharField("Carer or provider", max_length=200, blank=True)
    ofsted_urn = models.CharField("Ofsted URN", max_length=8, blank=True)  # URN
    # Typed by the worker in miles (the 903 PL_DISTANCE is derived from postcodes; Caseline
    # has no postcode geography yet, so the worker's figure is kept as given).
    distance_from_home = models.DecimalField(
        "Distance from home in miles", max_digits=5, decimal_places=1, null=True, blank=True
    )
    area = models.CharField(max_length=3, choices=Area.choices, blank=True)  # PL_LOCATION
    arrangement = models.CharField(
        max_length=30, choices=Arrangement.choices, default=Arrangement.STANDARD
    )
    intended_until_18 = models.BooleanField(
        "Placement intended to last until the child is 18", default=False
    )
    # Placement with parents (reg 19/22D): a senior manager's approval, with date and rationale.
    parent_placement_approver = models.CharField(max_length=200, blank=True)
    parent_placement_approved_on = models.DateField(null=True, blank=True)
    parent_placement_rationale = models.TextField(blank=True)
    end_date = models.DateField(null=True, blank=True)  # DEC
    reason_episode_ceased = models.CharField(max_length=3, blank=True)  # REC
    reason_place_change = models.CharField(max_length=6, blank=True)  # REASON_PLACE_CHANGE
    # The latest correction of a mistyped episode: who, when and why (every correction, with
    # its old and new values, is in the audit trail).
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    corrected_at = models.DateTimeField(null=True, blank=True)
    correction_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["start_date", "id"]
        indexes = [models.Index(fields=["person", "start_date"], name="la_episode_person_idx")]

    def __str__(self) -> str:
        return f"{self.legal_status} / {self.placement_type} from {self.start_date:%d/%m/%Y}"

    @property
    def is_short_break(self) -> bool:
        return self.legal_status in SHORT_BREAK_STATUSES


class IROAllocation(Recorded):
    """The independent reviewing officer appointed for the child (CA1989 s25A)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="iro_allocations")
    iro = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-start_date", "-id"]

    def __str__(self) -> str:
        return f"{self.iro} for {self.person}"


class CarePlan(IdentityNeeds, Recorded):
    """A version of the care plan (CPPCR reg 5), with its permanence and placement plans and
    how it meets the child's identity needs (``identity_needs``: as the version agreed, or as
    a review since changed it)."""

    class Permanence(models.TextChoices):
        RETURN_HOME = "return-home", "Return home"
        ADOPTION = "adoption", "Adoption"
        SPECIAL_GUARDIANSHIP = "sgo", "Special guardianship order"
        CHILD_ARRANGEMENTS = "cao", "Child arrangements order"
        LONG_TERM_FOSTERING = "long-term-fostering", "Long-term fostering"
        RESIDENTIAL = "residential", "Long-term residential care"
        SUPPORTED_LIVING = "supported-living", "Supported living"
        OTHER = "other", "Other"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="care_plans")
    plan_date = models.DateField()
    permanence_plan = models.CharField(max_length=20, choices=Permanence.choices)
    plan_summary = models.TextField("What the plan is and why")
    placement_plan = models.TextField(
        help_text="How the placement will meet the child's needs (regulation 9)"
    )
    child_views = models.TextField()

    class Meta:
        ordering = ["-plan_date", "-id"]

    def __str__(self) -> str:
        return f"Care plan of {self.plan_date:%d/%m/%Y}"


# How the child took part (903 REVIEW_CODE) says whether they were there, except under 4.
ATTENDING = frozenset({"PN1", "PN2", "PN3", "PN4"})
NOT_ATTENDING = frozenset({"PN5", "PN6", "PN7"})


class LACReview(IdentityNeeds, Recorded, VersionedModel):
    """A looked-after review (CPPCR reg 33), chaired by the child's IRO. 903 Reviews.

    The review is recorded after the meeting and written up until its minutes are complete
    (``minutes_completed_on``, which the timescale reads). A complete review has the child's
    views (or why they were not obtained), the IRO's view of the care plan, how the plan
    meets the child's identity needs as the review agreed (``identity_needs``, which the care
    plan then says too) and the minutes.
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="lac_reviews")
    review_date = models.DateField()  # REVIEW
    # None only for a review held in another system (ADR 0036): its chair is not a user here.
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # Recorded from another system's extract: no chair, and its minutes are kept there.
    recorded_elsewhere = models.BooleanField(default=False)
    participation = models.CharField(max_length=3)  # REVIEW_CODE, PN0-PN7
    # Whether a child under 4 (PN0) was there; an older child's code says it (PN1-PN4 attend).
    child_attended = models.BooleanField(null=True, blank=True)
    child_views = models.TextField(blank=True)
    child_views_not_obtained = models.TextField(
        "Why the child's views were not obtained", blank=True
    )
    parents_views = models.TextField("The parents' views", blank=True)
    iro_view_of_plan = models.TextField("The IRO's view of the care plan", blank=True)
    iro_view_of_progress = models.TextField("The IRO's view of the child's progress", blank=True)
    minutes = models.TextField(blank=True)
    minutes_completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-review_date", "-id"]
        verbose_name = "review"

    def __str__(self) -> str:
        return f"Review on {self.review_date:%d/%m/%Y}"

    @property
    def is_complete(self) -> bool:
        return self.minutes_completed_on is not None

    @property
    def child_was_there(self) -> bool | None:
        """Whether the child attended: from how they took part (PN1-PN4 attend, PN5-PN7 do
        not), or as recorded for a child under 4 (PN0). ``None`` when not known."""
        if self.participation in ATTENDING:
            return True
        if self.participation in NOT_ATTENDING:
            return False
        return self.child_attended


class ReviewAttendee(models.Model):
    """Someone invited to a review other than the child, and whether they came."""

    class Role(models.TextChoices):
        PARENT = "parent", "Parent, or holds parental responsibility"
        CARER = "carer", "Carer"
        SOCIAL_WORKER = "social-worker", "Social worker"
        OTHER = "other", "Other"

    review = models.ForeignKey(LACReview, on_delete=models.CASCADE, related_name="attendees")
    role = models.CharField(max_length=15, choices=Role.choices)
    name = models.CharField("Name", max_length=200)
    attended = models.BooleanField()

    class Meta:
        ordering = ["review", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class ReviewRecommendation(models.Model):
    """A SMART recommendation of a review: what, who, by when, how we will know."""

    review = models.ForeignKey(LACReview, on_delete=models.CASCADE, related_name="recommendations")
    what = models.TextField()
    who = models.CharField(max_length=200)
    by_when = models.DateField()
    how_we_will_know = models.TextField()

    class Meta:
        ordering = ["by_when", "id"]

    def __str__(self) -> str:
        return self.what[:60]


class RecommendationProgress(models.Model):
    """How far an earlier review's recommendation had got, as reported at a later review."""

    class Status(models.TextChoices):
        DONE = "done", "Done"
        IN_PROGRESS = "in-progress", "In progress"
        NOT_DONE = "not-done", "Not done"

    review = models.ForeignKey(LACReview, on_delete=models.CASCADE, related_name="progress")
    recommendation = models.ForeignKey(
        ReviewRecommendation, on_delete=models.PROTECT, related_name="progress_reports"
    )
    status = models.CharField(max_length=12, choices=Status.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["review", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "recommendation"], name="la_progress_once_a_review"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()}: {self.recommendation}"


class EarlierReviewRequest(Recorded):
    """The IRO asks for the next review to be held sooner than the rule's date (CPPCR reg 33:
    the IRO may bring a review forward)."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="earlier_review_requests"
    )
    requested_on = models.DateField()
    review_by = models.DateField()
    reason = models.TextField()

    class Meta:
        ordering = ["-requested_on", "-id"]

    def __str__(self) -> str:
        return f"Review asked for by {self.review_by:%d/%m/%Y}"


class LACVisit(Recorded):
    """A statutory visit to a looked-after child (CPPCR reg 28)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="lac_visits")
    visit_date = models.DateField()
    child_seen = models.BooleanField()
    seen_alone = models.BooleanField()
    note = models.TextField()

    class Meta:
        ordering = ["-visit_date", "-id"]

    def __str__(self) -> str:
        return f"Visit on {self.visit_date:%d/%m/%Y}"


class HealthRecord(Recorded):
    """A dated health event, the source of the 903 OC2 columns for the year:

    - ``HEALTH_ASSESSMENT``: an initial or review health assessment (``iha``, ``rha``);
    - ``TEETH_CHECK``: a dental check (``dental``);
    - ``IMMUNISATIONS``: an immunisations check, with ``immunisations_up_to_date``;
    - ``HEALTH_CHECK``: a development check of a child under 5 (``development``);
    - ``SDQ_SCORE`` / ``SDQ_REASON``: a strengths and difficulties questionnaire (``sdq``),
      with ``sdq_score`` or, when there is none, ``sdq_reason`` (code list ``sdq_reason``);
    - ``CONVICTED``: a conviction (``conviction``), dated the day of the conviction;
    - ``SUBSTANCE_MISUSE``: ``substance_misuse`` is true, on a ``substance-misuse`` record or
      as found at a health assessment; ``INTERVENTION_RECEIVED`` is
      ``intervention_received``; ``INTERVENTION_OFFERED`` is ``intervention_offered``, asked
      only when none was received (an intervention offered and not taken up; 903 rules
      158, 159).
    """

    class Kind(models.TextChoices):
        INITIAL_ASSESSMENT = "iha", "Initial health assessment"
        REVIEW_ASSESSMENT = "rha", "Review health assessment"
        DENTAL = "dental", "Dental check"
        IMMUNISATIONS = "immunisations", "Immunisations check"
        SDQ = "sdq", "Strengths and difficulties questionnaire"
        DEVELOPMENT = "development", "Development check (under 5)"
        SUBSTANCE_MISUSE = "substance-misuse", "Substance misuse identified"
        CONVICTION = "conviction", "Conviction"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="health_records")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    event_date = models.DateField()
    immunisations_up_to_date = models.BooleanField(null=True, blank=True)  # OC2 IMMUNISATIONS
    sdq_score = models.PositiveSmallIntegerField("SDQ score", null=True, blank=True)
    sdq_reason = models.CharField("Why there is no SDQ score", max_length=4, blank=True)
    substance_misuse = models.BooleanField(
        "Substance misuse identified", null=True, blank=True
    )  # OC2 SUBSTANCE_MISUSE
    intervention_received = models.BooleanField(
        "Intervention received for substance misuse", null=True, blank=True
    )  # OC2 INTERVENTION_RECEIVED
    intervention_offered = models.BooleanField(
        "Intervention offered (not received) for substance misuse", null=True, blank=True
    )  # OC2 INTERVENTION_OFFERED
    health_plan = models.TextField(blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-event_date", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.event_date:%d/%m/%Y}"

    @property
    def sdq_reason_label(self) -> str:
        """Why there is no SDQ score, in words (blank if there is a score)."""
        if not self.sdq_reason:
            return ""
        return f"{self.sdq_reason} - {code_list(CodeListName.SDQ_REASON).label(self.sdq_reason)}"


class PersonalEducationPlan(Recorded):
    """A personal education plan meeting (part of the care plan, CPPCR reg 5)."""

    class Quality(models.TextChoices):
        GOOD = "good", "Good"
        REQUIRES_IMPROVEMENT = "requires-improvement", "Requires improvement"
        INADEQUATE = "inadequate", "Inadequate"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="peps")
    pep_date = models.DateField()
    school = models.CharField(max_length=200)
    virtual_school_contact = models.CharField(max_length=200)
    quality = models.CharField(max_length=20, choices=Quality.choices)
    attainment = models.TextField("Attainment and progress")
    child_views = models.TextField()

    class Meta:
        ordering = ["-pep_date", "-id"]

    def __str__(self) -> str:
        return f"PEP on {self.pep_date:%d/%m/%Y}"


class MissingEpisode(Recorded):
    """Missing from care or away from placement without authorisation (903 Missing)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="missing_episodes")
    missing_type = models.CharField(max_length=1)  # MISSING: M or A
    start_date = models.DateField()  # MIS_START
    end_date = models.DateField(null=True, blank=True)  # MIS_END
    return_interview_offered = models.BooleanField(null=True, blank=True)
    return_interview_accepted = models.BooleanField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-start_date", "-id"]

    def __str__(self) -> str:
        return f"{self.missing_type} from {self.start_date:%d/%m/%Y}"


class PersonalAdviser(Recorded):
    """The care leaver's personal adviser (CA1989 s23CZB; to 25 on request)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="personal_advisers")
    name = models.CharField(max_length=200)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-start_date", "-id"]

    def __str__(self) -> str:
        return self.name


class PathwayPlan(IdentityNeeds, Recorded):
    """A needs assessment, pathway plan or pathway plan review (Care Leavers Regs, reg 42).
    A plan and a review say how the plan meets the young person's identity needs
    (``identity_needs``); a needs assessment may."""

    class Kind(models.TextChoices):
        NEEDS_ASSESSMENT = "needs-assessment", "Needs assessment"
        PLAN = "plan", "Pathway plan"
        REVIEW = "review", "Pathway plan review"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="pathway_plans")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    plan_date = models.DateField()
    summary = models.TextField()
    young_person_views = models.TextField()

    class Meta:
        ordering = ["-plan_date", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.plan_date:%d/%m/%Y}"


class CareLeaverContact(Recorded):
    """Keeping in touch around the birthday (903 OC3): in touch, accommodation, activity."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="care_leaver_contacts"
    )
    contact_date = models.DateField()
    in_touch = models.CharField(max_length=4)  # IN_TOUCH
    accommodation = models.CharField(max_length=1, blank=True)  # ACCOM letter
    accommodation_suitable = models.BooleanField(null=True, blank=True)  # ACCOM suffix 1/2
    activity = models.CharField(max_length=2, blank=True)  # ACTIV
    staying_put = models.BooleanField(default=False)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-contact_date", "-id"]

    def __str__(self) -> str:
        return f"Contact on {self.contact_date:%d/%m/%Y}"

    @property
    def accom_code(self) -> str:
        """The 903 ACCOM value: the letter plus 1 (suitable) or 2 (unsuitable)."""
        if not self.accommodation or self.accommodation_suitable is None:
            return ""
        return f"{self.accommodation}{1 if self.accommodation_suitable else 2}"


class PenPicture(VersionedModel):
    """Who the child is, in a few paragraphs kept up to date (one per child)."""

    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="pen_picture")
    who_they_are = models.TextField()
    what_matters = models.TextField()
    story_so_far = models.TextField()
    big_decisions = models.TextField("Why the big decisions were made")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Pen picture of {self.person}"


class UASCDetails(VersionedModel):
    """Details of an unaccompanied asylum-seeking child (903 UASC module; Annex A list 8).

    Whether the child *is* unaccompanied and asylum-seeking is the person's own flag
    (``Person.is_uasc``), not kept again here.
    """

    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="uasc_details")
    arrived_on = models.DateField("Date the child arrived in the UK", null=True, blank=True)
    national_transfer_scheme = models.BooleanField(
        "Transferred under the National Transfer Scheme", default=False
    )
    age_assessment_on = models.DateField("Date of the age assessment", null=True, blank=True)
    age_assessment_outcome = models.TextField(blank=True)
    ceased_on = models.DateField(
        "Date the child stopped being UASC", null=True, blank=True
    )  # 903 DUC
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"UASC details of {self.person}"


class PlacementPlan(Recorded):
    """A placement plan agreed for one placement (CPPCR reg 9): before the placement or within
    five working days of its start, agreed with and signed by the carer or provider.

    ``episode`` is the episode that began the placement (placements are derived from the
    episodes, never stored).
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="placement_plans")
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="+")
    agreed_on = models.DateField("Date the placement plan was agreed")
    agreed_with = models.CharField("Who agreed and signed it", max_length=200)
    summary = models.TextField("How the placement will meet the child's needs")

    class Meta:
        ordering = ["-agreed_on", "-id"]

    def __str__(self) -> str:
        return f"Placement plan agreed {self.agreed_on:%d/%m/%Y}"


class PlacementNotice(Recorded):
    """Written notice of one placement's arrangements (CPPCR reg 13): before the placement, or
    within five working days of its start if it was made in an emergency.

    ``episode`` is the episode that began the placement; ``given_to`` holds the
    :class:`Recipient` values of those notified, ``given_to_other`` anyone else.
    """

    class Recipient(models.TextChoices):
        # CPPCR regulation 13(2)(a) to (i), and 13(4) for a placement out of area.
        CHILD = "child", "The child"
        PARENTS = "parents", "Parents and others with parental responsibility"
        CONTACT = "contact", "People who have contact with the child by order or agreement"
        PREVIOUS_CARER = "previous-carer", "Whoever cared for the child just before"
        HEALTH_BODY = "health-body", "The NHS body for the area (integrated care board)"
        GP = "gp", "The child's GP"
        EDUCATION = "education", "The child's school or education provider"
        IRO = "iro", "The independent reviewing officer"
        AREA_AUTHORITY = "area-authority", "The council for the area (a placement out of area)"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="placement_notices")
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="+")
    emergency = models.BooleanField("The placement was made in an emergency")
    given_on = models.DateField("Date notice was given")
    given_to = models.JSONField(default=list, blank=True)
    given_to_other = models.CharField("Anyone else given notice", max_length=200, blank=True)

    class Meta:
        ordering = ["-given_on", "-id"]

    def __str__(self) -> str:
        return f"Notice of the placement given {self.given_on:%d/%m/%Y}"

    @property
    def recipients(self) -> list[str]:
        """Who was given notice, in words."""
        labels = dict(self.Recipient.choices)
        named = [labels.get(value, value) for value in self.given_to]
        return [*named, self.given_to_other] if self.given_to_other else named


# --- Adoption, previous permanence and deprivation of liberty -------------------------------
# The 903 AD1, PlacedAdoption, PrevPerm and DoLo tables, kept as the adoption social worker
# keeps them: one row a decision, one row a period of care, one row an order.

# Adopters' sex codes (903 SEX_ADOPTR) that mean one adopter; the others are couples.
SINGLE_ADOPTER = frozenset({"M1", "F1"})


class AdoptionDecision(Recorded):
    """The local authority's decision that the child should be placed for adoption (the agency
    decision maker's endorsement of the adoption plan), and what followed it: the match with
    prospective adopters, who they are, or the decision ceasing.

    Each row is one 903 PlacedAdoption row (DATE_PLACED is the date of this *decision*, not of
    a move). A child adopted in the year has one AD1 row, made from the decision that led to the
    adoption (the one that did not cease): DATE_INT is ``decided_on`` too (903 rule 523: the two
    dates are the same). Decisions do not overlap (903 rule 579): a new one follows the ceasing
    of the one before.
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="adoption_decisions")
    # PlacedAdoption DATE_PLACED, and AD1 DATE_INT.
    decided_on = models.DateField(
        "Date of the decision that the child should be placed for adoption"
    )
    decided_by = models.CharField("Agency decision maker", max_length=200)
    matched_on = models.DateField(  # AD1 DATE_MATCH
        "Date the child was matched with prospective adopters", null=True, blank=True
    )
    adopters_sex = models.CharField(max_length=2, blank=True)  # AD1 SEX_ADOPTR, adopter_sex
    adopters_legal_status = models.CharField(  # AD1 LS_ADOPTR, adopter_legal_status
        max_length=3, blank=True
    )
    adopted_by_foster_carers = models.BooleanField(  # AD1 FOSTER_CARE (1 true, 0 false)
        "Adopted by the child's foster carers", null=True, blank=True
    )
    ceased_on = models.DateField(  # PlacedAdoption DATE_PLACED_CEASED
        "Date of the decision that the child should no longer be placed for adoption",
        null=True,
        blank=True,
    )
    reason_ceased = models.CharField(  # PlacedAdoption REASON_PLACED_CEASED
        max_length=3, blank=True
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"Decision to place for adoption of {self.decided_on:%d/%m/%Y}"

    @property
    def is_open(self) -> bool:
        return self.ceased_on is None

    @property
    def number_of_adopters(self) -> int | None:
        """903 AD1 NB_ADOPTR, from the adopters' sex code: 1 for M1 or F1, 2 for a couple."""
        if not self.adopters_sex:
            return None
        return 1 if self.adopters_sex in SINGLE_ADOPTER else 2


class PreviousPermanence(Recorded):
    """Whether the child, before the period of care that ``episode`` began, had left care under
    an adoption, special guardianship, residence or child arrangements order (903 PrevPerm),
    with the authority that arranged it and the date of the order.

    One row a period of care, rewritten when more comes to light. The order's date may be known
    only in part: ``order_year``, ``order_month`` and ``order_day`` are each blank when not
    known, and :attr:`date_perm` writes them as the 903 does (``ZZ`` for what is not known).
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="previous_permanence")
    episode = models.OneToOneField(Episode, on_delete=models.PROTECT, related_name="+")
    option = models.CharField(max_length=2)  # PREV_PERM, code list previous_permanence
    arranged_by = models.CharField(  # LA_PERM: the DfE's three-digit local authority number
        "Local authority that arranged it", max_length=3, blank=True
    )
    order_year = models.PositiveSmallIntegerField(null=True, blank=True)  # DATE_PERM year
    order_month = models.PositiveSmallIntegerField(null=True, blank=True)  # DATE_PERM month
    order_day = models.PositiveSmallIntegerField(null=True, blank=True)  # DATE_PERM day

    class Meta:
        ordering = ["-episode__start_date", "-id"]
        verbose_name_plural = "previous permanence"

    def __str__(self) -> str:
        return f"Previous permanence {self.option}"

    @property
    def date_perm(self) -> str:
        """903 DATE_PERM: dd/mm/yyyy with ``ZZ`` (``ZZZZ`` for the year) for a part not known;
        blank when the child had no previous permanence option (Z1) or it is not known (P4).

        Upper case, as the DfE validator's reading of the date (csc-validator-be-903
        ``rule_utils.valid_date``) expects; the SSD guidance quoting the 903 guide writes
        ``zz``. Not checked against the 903 guide itself."""
        if self.option in NO_ORDER:
            return ""
        day = f"{self.order_day:02d}" if self.order_day else "ZZ"
        month = f"{self.order_month:02d}" if self.order_month else "ZZ"
        year = f"{self.order_year:04d}" if self.order_year else "ZZZZ"
        return f"{day}/{month}/{year}"

    @property
    def order_date_known(self) -> str:
        """The date of the order, as much of it as is known, in words ("June 2019")."""
        if not self.order_year:
            return ""
        if not self.order_month:
            return str(self.order_year)
        month = MONTHS[self.order_month - 1]
        if not self.order_day:
            return f"{month} {self.order_year}"
        return f"{self.order_day} {month} {self.order_year}"


MONTHS = (
    *("January", "February", "March", "April", "May", "June", "July"),
    *("August", "September", "October", "November", "December"),
)
# Previous permanence codes with no order behind them: not known (P4), none (Z1).
NO_ORDER = frozenset({"P4", "Z1"})


class DeprivationOfLibertyOrder(Recorded):
    """A court order authorising the deprivation of the child's liberty while looked after
    (903 DoLo, collected from 2026-27): from ``start_date`` until ``end_date``, blank while it
    is in force."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="deprivation_of_liberty_orders"
    )
    start_date = models.DateField("Date the order started")  # DOLO_START
    end_date = models.DateField("Date the order ended", null=True, blank=True)  # DOLO_END
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = "deprivation of liberty order"

    def __str__(self) -> str:
        return f"Deprivation of liberty order from {self.start_date:%d/%m/%Y}"


class PlacementCost(Recorded):
    """What a placement costs the council a week from a day (SSD ``ssd_s251_finance``, for the
    section 251 outturn): one row per rate, the latest open one in force."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="costs")
    weekly_cost = models.DecimalField(max_digits=9, decimal_places=2)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["episode", "start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weekly_cost__gte=0), name="placementcost_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"£{self.weekly_cost} a week from {self.start_date}"
