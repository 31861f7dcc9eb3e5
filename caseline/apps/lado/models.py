"""An allegation against an adult who works with children, as the designated officer (LADO)
records it: the adult, the children, the initial consideration, strategy meetings, police and
employer actions, and the outcome. Timeliness is derived from the dates, never stored."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Sector(models.TextChoices):
    """Where the adult works or volunteers (the sectors annual LADO reports count by)."""

    EDUCATION = "education", "Education (schools and colleges)"
    EARLY_YEARS = "early-years", "Early years and childminding"
    SOCIAL_CARE = "social-care", "Children's social care"
    FOSTER_CARE = "foster-care", "Foster care"
    HEALTH = "health", "Health"
    POLICE = "police", "Police"
    FAITH = "faith", "Faith groups"
    SPORT = "sport", "Sport and leisure"
    VOLUNTARY = "voluntary", "Voluntary and community"
    TRANSPORT = "transport", "Transport"
    OTHER = "other", "Other"


class Source(models.TextChoices):
    """Who brought the allegation to the designated officer."""

    EMPLOYER = "employer", "Employer or volunteer organisation"
    SOCIAL_CARE = "social-care", "Children's social care"
    POLICE = "police", "Police"
    CHILD = "child", "The child"
    PARENT = "parent", "Parent or carer"
    OFSTED = "ofsted", "Ofsted"
    HEALTH = "health", "Health"
    ANONYMOUS = "anonymous", "Anonymous"
    OTHER = "other", "Other"


class Outcome(models.TextChoices):
    """The outcome definitions of Keeping children safe in education and Working Together."""

    SUBSTANTIATED = "substantiated", "Substantiated"
    UNSUBSTANTIATED = "unsubstantiated", "Unsubstantiated"
    FALSE = "false", "False"
    MALICIOUS = "malicious", "Malicious"
    UNFOUNDED = "unfounded", "Unfounded"


class Allegation(models.Model):
    """One allegation about one adult. The adult's details are seen only by the LADO role."""

    received_date = models.DateField()
    source = models.CharField(max_length=20, choices=Source.choices)
    adult_name = models.CharField(max_length=200)
    adult_employer = models.CharField(max_length=200)
    adult_role = models.CharField(max_length=200)
    sector = models.CharField(max_length=20, choices=Sector.choices)
    what_was_alleged = models.TextField()
    initial_consideration_date = models.DateField(null=True, blank=True)
    threshold_met = models.BooleanField(null=True, blank=True)
    initial_consideration_notes = models.TextField(blank=True)
    police_action = models.TextField(blank=True)
    employer_action = models.TextField(blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_date = models.DateField(null=True, blank=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="lado_allegations"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_date", "-pk"]
        indexes = [
            models.Index(
                fields=["officer", "received_date"],
                name="lado_allegation_open_idx",
                condition=models.Q(outcome_date__isnull=True),
            ),
            models.Index(fields=["received_date"], name="lado_allegation_received_idx"),
        ]

    def __str__(self) -> str:
        return f"Allegation {self.pk} received {self.received_date:%d/%m/%Y}"

    @property
    def reference(self) -> str:
        """The allegation's reference, safe to show to anyone: it names nobody."""
        return f"LADO-{self.pk:05d}"


class AllegationChild(models.Model):
    """A child the allegation concerns: a person on the record (visibility applies)."""

    allegation = models.ForeignKey(Allegation, on_delete=models.CASCADE, related_name="children")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="lado_allegations"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["allegation", "person"], name="lado_child_once")
        ]
        indexes = [models.Index(fields=["person"], name="lado_child_person_idx")]

    def __str__(self) -> str:
        return f"Child {self.person_id} on allegation {self.allegation_id}"


class StrategyMeeting(models.Model):
    """A strategy (allegation management) meeting about the allegation, and who attended."""

    allegation = models.ForeignKey(
        Allegation, on_delete=models.CASCADE, related_name="strategy_meetings"
    )
    meeting_date = models.DateField()
    attendees = models.TextField()
    decisions = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting_date", "pk"]

    def __str__(self) -> str:
        return f"Strategy meeting {self.pk} on allegation {self.allegation_id}"
