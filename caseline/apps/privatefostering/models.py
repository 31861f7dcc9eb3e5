"""Private fostering arrangements and their visits; young carers' needs assessments and the
support that follows; what a looked-after child or care leaver has been told about having a
say (participation).

Current state is derived: an arrangement is open until it has an end date; its next visit is
worked out from its visits (``timescales``), never stored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Notifier(models.TextChoices):
    """Who told the authority about the arrangement (regulations 3 and 5 name who must)."""

    CARER = "carer", "The private foster carer"
    PARENT = "parent", "A parent or someone with parental responsibility"
    ARRANGER = "arranger", "Someone involved in arranging it"
    PROFESSIONAL = "professional", "A professional (school, health, police or other)"
    CHILD = "child", "The child"
    OTHER = "other", "Someone else"


class Decision(models.TextChoices):
    """The outcome of the assessment of the arrangement."""

    SUITABLE = "suitable", "Suitable: the arrangement may continue"
    SUITABLE_WITH_REQUIREMENTS = "requirements", "Suitable with requirements"
    NOT_SUITABLE = "not-suitable", "Not suitable: the arrangement should end"


class Arrangement(models.Model):
    """A private fostering arrangement the authority was told about (Children Act 1989
    Part 9; Children (Private Arrangements for Fostering) Regulations 2005)."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="private_fostering"
    )
    notified_on = models.DateField("Date the authority was notified")
    notified_by = models.CharField(max_length=20)  # a Notifier
    notifier_name = models.CharField(max_length=200, blank=True)
    proposed = models.BooleanField(default=False)  # notified before it began (regulation 3)
    started_on = models.DateField(null=True, blank=True)
    carer_name = models.CharField("Private foster carer", max_length=200)
    carer_address = models.TextField(blank=True)
    carer_relationship = models.CharField(max_length=200, blank=True)
    parent_name = models.CharField(max_length=200, blank=True)
    parent_address = models.TextField(blank=True)
    reason = models.TextField("Why the child lives with the carer", blank=True)
    decision = models.CharField(max_length=20, blank=True)  # a Decision
    decision_date = models.DateField(null=True, blank=True)
    decision_reasons = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "private fostering arrangement"
        ordering = ["-notified_on", "-id"]
        indexes = [
            models.Index(
                fields=["person", "notified_on"],
                name="pfarr_open_person_idx",
                condition=Q(ended_on__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"Private fostering of {self.person} notified {self.notified_on:%d/%m/%Y}"

    @property
    def notifier_label(self) -> str:
        return Notifier(self.notified_by).label if self.notified_by in Notifier.values else ""

    @property
    def decision_label(self) -> str:
        return Decision(self.decision).label if self.decision in Decision.values else ""


class ArrangementVisit(models.Model):
    """A visit by an officer of the authority to a privately fostered child: the first
    (regulation 4 or 7) or a later one (regulation 8)."""

    arrangement = models.ForeignKey(Arrangement, on_delete=models.PROTECT, related_name="visits")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    visit_date = models.DateField()
    child_seen = models.BooleanField()
    child_seen_alone = models.BooleanField()
    observations = models.TextField()
    child_views = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "private fostering visit"
        ordering = ["-visit_date", "-id"]
        indexes = [models.Index(fields=["arrangement", "visit_date"], name="pfvisit_arr_date_idx")]

    def __str__(self) -> str:
        return f"Private fostering visit to {self.person} on {self.visit_date:%d/%m/%Y}"


class YoungCarerAssessment(models.Model):
    """A young carer's needs assessment (Children Act 1989 s.17ZA, inserted by the Children
    and Families Act 2014 s.96): who the child cares for, what they do, the outcome."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    identified_on = models.DateField()  # when the authority learned of the caring role
    cares_for = models.CharField(max_length=200)  # "Mum", "Younger brother"
    caring_role = models.TextField()  # what the child does
    assessed_on = models.DateField(null=True, blank=True)
    needs_support = models.BooleanField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "young carer's needs assessment"
        ordering = ["-identified_on", "-id"]
        indexes = [models.Index(fields=["person", "identified_on"], name="ycassess_person_idx")]

    def __str__(self) -> str:
        return f"Young carer's assessment of {self.person} ({self.identified_on:%d/%m/%Y})"


class YoungCarerSupport(models.Model):
    """Support given after a young carer's needs assessment."""

    assessment = models.ForeignKey(
        YoungCarerAssessment, on_delete=models.PROTECT, related_name="support"
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    support = models.CharField(max_length=200)  # "Young carers' group", "Respite for mum"
    provider = models.CharField(max_length=200, blank=True)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "young carer support"
        ordering = ["-started_on", "-id"]

    def __str__(self) -> str:
        return f"{self.support} for {self.person} from {self.started_on:%d/%m/%Y}"


class Told(models.TextChoices):
    """What a looked-after child or care leaver may be told about having a say."""

    CICC = "cicc", "The Children in Care Council"
    ADVOCACY = "advocacy", "Independent advocacy"
    INDEPENDENT_VISITOR = "visitor", "Independent visitors"
    COMPLAINTS = "complaints", "How to complain"

    @property
    def mid_sentence(self) -> str:
        """The label as it reads after "told about" ("the Children in Care Council")."""
        return str(self.label[0].lower() + self.label[1:])


class ParticipationKind(models.TextChoices):
    TOLD = "told", "Told about"
    ADVOCACY_REFERRAL = "advocacy-referral", "Referred for independent advocacy"
    VISITOR_MATCH = "visitor-match", "Matched with an independent visitor"


class ParticipationRecord(models.Model):
    """One dated fact about a child's participation: they were told about a way of having a
    say (``subject`` a Told), referred to an advocate, or matched with an independent visitor
    (``kind``)."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20)  # a ParticipationKind
    subject = models.CharField(max_length=20, blank=True)  # a Told, for "told"
    on = models.DateField()
    who = models.CharField(max_length=200, blank=True)  # the advocate or visitor, the service
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "participation record"
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["person", "kind", "on"], name="particip_person_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject} for {self.person} on {self.on:%d/%m/%Y}"

    @property
    def label(self) -> str:
        if self.kind == ParticipationKind.TOLD:
            return f"Told about {Told(self.subject).mid_sentence}"
        return ParticipationKind(self.kind).label


# --- Surveys of children's views and the Children in Care Council --------------------------


class AgeGroup(models.TextChoices):
    """The age bands survey results are given by (Bright Spots' bands, roughly)."""

    UNDER_11 = "under-11", "Under 11"
    ELEVEN_TO_15 = "11-15", "11 to 15"
    SIXTEEN_TO_17 = "16-17", "16 and 17"
    CARE_LEAVER = "18-25", "Care leavers (18 to 25)"


SCORES = ((1, "Never"), (2, "Hardly ever"), (3, "Sometimes"), (4, "Often"), (5, "Always"))


class Survey(models.Model):
    """A survey of looked-after children's and care leavers' views: its questions, each
    answered on a five-point scale, and what changed as a result."""

    title = models.CharField(max_length=200)
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    what_changed = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opened_on", "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.opened_on:%m/%Y})"


class SurveyQuestion(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)

    class Meta:
        ordering = ["survey", "number"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "number"], name="survey_question_once")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"


class SurveyResponse(models.Model):
    """One child's answers. Anonymous: the age group is kept, never who answered."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    responded_on = models.DateField()
    age_group = models.CharField(max_length=10)  # an AgeGroup
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["responded_on", "id"]

    def __str__(self) -> str:
        return f"Response {self.pk} to survey {self.survey_id}"


class SurveyAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(choices=SCORES)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="survey_answer_once")
        ]

    def __str__(self) -> str:
        return f"Answer {self.score} to question {self.question_id}"


class CouncilMember(models.Model):
    """A child or care leaver on the Children in Care Council, recorded only where the
    council agreed that membership is recorded."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["joined_on", "id"]

    def __str__(self) -> str:
        return f"Council member {self.person_id} from {self.joined_on:%d/%m/%Y}"


class CouncilMeeting(models.Model):
    meeting_on = models.DateField()
    notes = models.TextField(blank=True)
    attended = models.ManyToManyField(CouncilMember, related_name="meetings", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-meeting_on", "-id"]

    def __str__(self) -> str:
        return f"Children in Care Council meeting on {self.meeting_on:%d/%m/%Y}"
