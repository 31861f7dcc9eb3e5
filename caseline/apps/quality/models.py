"""Case audits (tools, rounds, audits, actions) and IRO challenges.

An audit tool is versioned: editing one makes a new version, and an audit keeps the version it
was started with, so a change never rewrites a finished audit. A round's sample is recorded
with the seed and parameters that drew it, so it can be drawn again and checked.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from caseline.apps.people.models import Person


class Grade(models.TextChoices):
    """Ofsted's four-point scale, as councils use it for case audits."""

    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires-improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"


# Best first: the order results are shown in; "good or better" is the first two.
GRADE_ORDER: tuple[str, ...] = tuple(Grade.values)
GOOD_OR_BETTER = frozenset({Grade.OUTSTANDING, Grade.GOOD})


class Theme(models.TextChoices):
    """What a question looks at."""

    VOICE = "voice", "The child's voice"
    IDENTITY = "identity", "Identity"
    RISK = "risk", "Risk analysis"
    PLANNING = "planning", "Planning"
    OVERSIGHT = "oversight", "Management oversight"
    TIMELINESS = "timeliness", "Timeliness"


class AuditTool(models.Model):
    """One version of an audit tool. Versions of one tool share a ``key``."""

    key = models.SlugField(max_length=60)
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    introduction = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    change_note = models.TextField(blank=True)

    class Meta:
        ordering = ["key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="audittool_key_version_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"


class ToolQuestion(models.Model):
    """A question of one tool version, with the guidance an auditor reads."""

    tool = models.ForeignKey(AuditTool, on_delete=models.CASCADE, related_name="questions")
    theme = models.CharField(max_length=20, choices=Theme.choices)
    order = models.PositiveIntegerField()
    text = models.TextField()
    guidance = models.TextField(blank=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text


class SampleKind(models.TextChoices):
    RANDOM_PER_TEAM = "random-per-team", "Random, a number from each team"
    STAGE = "stage", "By stage of the child's journey"
    THEME = "theme", "By theme"


class Stage(models.TextChoices):
    CIN_PLAN = "cin-plan", "On a child in need plan"
    CP_PLAN = "cp-plan", "On a child protection plan"
    LOOKED_AFTER = "looked-after", "Looked after"


class SampleTheme(models.TextChoices):
    NEGLECT = "neglect", "Neglect (child protection plan under the category of neglect)"
    MISSING = "missing", "Missing from care or home in the six months before the sample date"


class AuditRound(models.Model):
    """A round of case audits set up by the quality assurance lead."""

    title = models.CharField(max_length=200)
    tool = models.ForeignKey(AuditTool, on_delete=models.PROTECT, related_name="rounds")
    sample_kind = models.CharField(max_length=20, choices=SampleKind.choices)
    sample_params = models.JSONField(default=dict)  # stage, theme, team ids, size
    seed = models.PositiveIntegerField()
    as_at = models.DateField()  # the day the sample was drawn as at
    deadline = models.DateField()
    auditors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    moderators = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class AuditStatus(models.TextChoices):
    IN_PROGRESS = "in-progress", "In progress"
    SUBMITTED = "submitted", "Awaiting reflection and moderation"
    REFLECTED = "reflected", "Awaiting moderation"
    MODERATED = "moderated", "Moderated"


class ModerationDecision(models.TextChoices):
    AGREED = "agreed", "Agreed the grade"
    CHANGED = "changed", "Changed the grade"


class CaseAudit(models.Model):
    """The audit of one child's record in a round, with the tool version it uses."""

    round = models.ForeignKey(AuditRound, on_delete=models.PROTECT, related_name="audits")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="case_audits")
    tool = models.ForeignKey(AuditTool, on_delete=models.PROTECT, related_name="audits")
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    # The case holders when the sample was drawn: whose work is audited.
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    status = models.CharField(
        max_length=20, choices=AuditStatus.choices, default=AuditStatus.IN_PROGRESS
    )
    overall_grade = models.CharField(max_length=20, choices=Grade.choices, blank=True)
    summary = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reflection = models.TextField(blank=True)
    reflected_at = models.DateTimeField(null=True, blank=True)
    reflected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    moderation_decision = models.CharField(
        max_length=10, choices=ModerationDecision.choices, blank=True
    )
    moderated_grade = models.CharField(max_length=20, choices=Grade.choices, blank=True)
    moderation_reason = models.TextField(blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        ordering = ["round", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="caseaudit_round_person_uniq")
        ]
        indexes = [models.Index(fields=["person", "status"], name="caseaudit_person_idx")]

    def __str__(self) -> str:
        return f"Audit of {self.person} in {self.round}"

    @property
    def final_grade(self) -> str:
        """The moderated grade once moderated, otherwise the auditor's."""
        return self.moderated_grade or self.overall_grade

    @property
    def final_grade_label(self) -> str:
        return Grade(self.final_grade).label if self.final_grade else ""


class AuditAnswer(models.Model):
    """The auditor's answer and grade for one question."""

    audit = models.ForeignKey(CaseAudit, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(ToolQuestion, on_delete=models.PROTECT, related_name="+")
    grade = models.CharField(max_length=20, choices=Grade.choices, blank=True)
    answer = models.TextField(blank=True)

    class Meta:
        ordering = ["question__order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "question"], name="auditanswer_uniq")
        ]

    def __str__(self) -> str:
        return f"Answer to question {self.question_id} of audit {self.audit_id}"


class PartnerAnswer(models.Model):
    """A partner agency auditor's answer in a multi-agency audit (they need not be a user)."""

    audit = models.ForeignKey(CaseAudit, on_delete=models.CASCADE, related_name="partner_answers")
    partner_name = models.CharField(max_length=200)
    agency = models.CharField(max_length=200)
    question = models.ForeignKey(
        ToolQuestion, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    grade = models.CharField(max_length=20, choices=Grade.choices, blank=True)
    answer = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.partner_name} ({self.agency})"


class AuditAction(models.Model):
    """An action arising from an audit: who, what and by when."""

    audit = models.ForeignKey(CaseAudit, on_delete=models.PROTECT, related_name="actions")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="audit_actions")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.TextField()
    by_when = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    done_note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["by_when", "id"]
        indexes = [
            models.Index(
                fields=["person", "by_when"],
                name="auditaction_open_person_idx",
                condition=models.Q(done_on__isnull=True),
            ),
            models.Index(
                fields=["owner", "by_when"],
                name="auditaction_open_owner_idx",
                condition=models.Q(done_on__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.action


class ChallengeStage(models.TextChoices):
    """The stages of a dispute resolution protocol (local practice; see timescales.py)."""

    INFORMAL = "informal", "Informal resolution"
    STAGE_1 = "stage-1", "Formal stage 1: team manager"
    STAGE_2 = "stage-2", "Formal stage 2: service manager"
    STAGE_3 = "stage-3", "Formal stage 3: head of service"
    STAGE_4 = "stage-4", "Formal stage 4: director of children's services"


STAGE_ORDER: tuple[str, ...] = tuple(ChallengeStage.values)


class ChallengeOutcome(models.TextChoices):
    RESOLVED = "resolved", "Resolved"
    CAFCASS = "cafcass", "Referred to Cafcass"
    WITHDRAWN = "withdrawn", "Withdrawn by the IRO"


class IROChallenge(models.Model):
    """An independent reviewing officer's escalation of a concern about a child's case."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="iro_challenges")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_on = models.DateField()
    concern = models.TextField()
    resolved_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=ChallengeOutcome.choices, blank=True)
    resolution = models.TextField(blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-raised_on", "-id"]
        indexes = [models.Index(fields=["person", "raised_on"], name="irochallenge_person_idx")]

    def __str__(self) -> str:
        return f"IRO challenge for {self.person} from {self.raised_on:%d/%m/%Y}"


class ChallengeStep(models.Model):
    """A stage a challenge reached: when, to whom, and what the IRO asked."""

    challenge = models.ForeignKey(IROChallenge, on_delete=models.CASCADE, related_name="steps")
    stage = models.CharField(max_length=20, choices=ChallengeStage.choices)
    started_on = models.DateField()
    addressed_to = models.CharField(max_length=200)  # a name and role, e.g. "Tess Manning, TM"
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["started_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} from {self.started_on:%d/%m/%Y}"
