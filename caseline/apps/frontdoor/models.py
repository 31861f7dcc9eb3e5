"""The front door: contacts, referrals (child in need episodes), early help and step changes.

Coded fields hold the DfE code only (no ``choices=``); actions validate them against
``caseline.apps.codes`` lists. Derived facts (re-referral, open episode, lateness) are computed
by ``queries.py``, never stored.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import dateformat, timezone

from caseline.apps.core.models import VersionedModel
from caseline.apps.people.models import Person


def start_of_day(day: datetime.date) -> datetime.datetime:
    """The first moment of a local day: where a moment whose time was not given is kept."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(0, 0)))


def when(moment: datetime.datetime, time_given: bool) -> str:
    """ "17 April 2025 14:30", or "17 April 2025" for a moment whose time was not given."""
    return dateformat.format(timezone.localtime(moment), "j F Y H:i" if time_given else "j F Y")


class Contact(VersionedModel):
    """A contact (enquiry or concern) received at the front door.

    Maps to ``ssd_contacts``: cont_contact_date (received_at), cont_contact_source_code
    (source), cont_contact_outcome_json (decision, decision_rationale). One contact can be
    about several children (siblings), linked through :class:`ContactPerson`.

    ``received_at`` and ``decided_at`` are the moments the ordering, the queue's index and the
    one working day timescale read. Where no time was given (``received_time_given`` false),
    ``received_at`` is the start of its day, and pages show the date alone: a time nobody
    entered is never shown. Until it is decided, the front door may correct it (``version``
    refuses a correction made from a stale page).
    """

    class Consent(models.TextChoices):
        GIVEN = "given", "Given"
        NOT_NEEDED = "not-needed", "Not needed"
        OVERRIDDEN = "overridden", "Refused, but overridden"
        NOT_SOUGHT = "not-sought", "Not sought"

    class Decision(models.TextChoices):
        NO_FURTHER_ACTION = "nfa", "No further action"
        ADVICE = "advice", "Advice and information"
        EARLY_HELP = "early-help", "Early help"
        REFERRAL = "referral", "Referral to children's social care"
        STRATEGY = "strategy", "Strategy discussion"

    received_at = models.DateTimeField()  # cont_contact_date
    received_time_given = models.BooleanField(default=True)
    source = models.CharField(max_length=3)  # cont_contact_source_code: CIN referral source
    referrer_name = models.CharField(max_length=200, blank=True)
    referrer_organisation = models.CharField(max_length=200, blank=True)
    referrer_contact = models.CharField("Referrer's phone or email", max_length=200, blank=True)
    concern = models.TextField()
    consent = models.CharField(max_length=12, choices=Consent.choices)
    consent_note = models.TextField(blank=True)
    decision = models.CharField(max_length=12, choices=Decision.choices, blank=True)
    decision_rationale = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_time_given = models.BooleanField(default=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    subjects: models.ManyToManyField[Person, ContactPerson] = models.ManyToManyField(
        Person, through="ContactPerson", related_name="contacts"
    )

    class Meta:
        ordering = ["received_at", "id"]
        indexes = [
            # A period's contacts as the front-door indicators read them (``_contact_rows``),
            # from the index alone: not a heap page a contact (a year is 74,000 contacts at
            # 50,000 children). It also serves every search by when a contact was received.
            models.Index(
                fields=["received_at", "id", "decided_at", "decision", "source"],
                name="contact_received_idx",
            ),
            models.Index(fields=["decision", "received_at"], name="contact_decision_idx"),
            # The front door's queue alone (a few hundred contacts of hundreds of thousands),
            # so that a team's work starts from it: see ``providers.contact_decisions_work``.
            models.Index(
                fields=["received_at", "id"],
                condition=models.Q(decision=""),
                name="contact_undecided_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Contact {self.pk} received {self.received_at:%Y-%m-%d}"

    @property
    def is_decided(self) -> bool:
        return bool(self.decision)

    @property
    def received_when(self) -> str:
        """When the contact was received, with the time only if one was given."""
        return when(self.received_at, self.received_time_given)

    @property
    def decided_when(self) -> str:
        """When the decision was made, with the time only if one was given; "" if undecided."""
        if self.decided_at is None:
            return ""
        return when(self.decided_at, self.decided_time_given)

    @property
    def referrer(self) -> str:
        """The referrer's name and organisation, "Mrs J Teacher, Caseline East Primary" (either
        alone when only one is known; "" when neither is)."""
        return ", ".join(part for part in (self.referrer_name, self.referrer_organisation) if part)


class ContactPerson(models.Model):
    """Who a contact is about, and in what role."""

    class Role(models.TextChoices):
        SUBJECT = "subject", "Child the contact is about"
        PARENT = "parent", "Parent or carer"
        OTHER = "other", "Other person"

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="people")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="contact_roles")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.SUBJECT)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contact", "person"], name="contact_person_once")
        ]
        indexes = [
            # Who each contact is about, read from the index alone.
            models.Index(
                fields=["contact", "person"],
                condition=models.Q(role="subject"),
                name="contact_subject_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class Referral(models.Model):
    """A referral to children's social care: the child in need episode, one per child.

    Maps to ``ssd_cin_episodes``: cine_referral_date, cine_cin_primary_need_code,
    cine_referral_source_code, cine_close_date, cine_close_reason, cine_referral_nfa.
    Whether it is a re-referral is derived (``queries.with_re_referral``).
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="referrals")
    referral_date = models.DateField()  # cine_referral_date
    source = models.CharField(max_length=3)  # cine_referral_source_code
    primary_need = models.CharField(max_length=2, blank=True)  # cine_cin_primary_need_code
    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    nfa = models.BooleanField(
        "Referral led to no further action", default=False
    )  # cine_referral_nfa
    closed_on = models.DateField(null=True, blank=True)  # cine_close_date
    closure_reason = models.CharField(max_length=3, blank=True)  # cine_close_reason
    closure_note = models.TextField(blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-referral_date", "-id"]
        indexes = [
            models.Index(fields=["person", "referral_date"], name="referral_person_idx"),
            # Open referrals with their dates, read from the index alone on PostgreSQL: the
            # team page looks for those with no open allocation among every child's.
            models.Index(
                fields=["person"],
                include=["referral_date"],
                condition=models.Q(closed_on__isnull=True),
                name="referral_open_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(closed_on__isnull=True),
                name="referral_one_open_per_child",
            )
        ]

    def __str__(self) -> str:
        return f"Referral of {self.person} on {self.referral_date:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    @property
    def is_re_referral(self) -> bool:
        """Whether an earlier referral of the same child falls within 12 months before this one.

        Uses the annotation from ``queries.with_re_referral`` when present (no extra query).
        """
        annotated: bool | None = getattr(self, "re_referral", None)
        if annotated is not None:
            return annotated
        from caseline.apps.frontdoor.queries import earlier_referrals_within_year

        return earlier_referrals_within_year(self).exists()


class EarlyHelpEpisode(models.Model):
    """A period of early help (non-statutory). Maps to ``ssd_early_help_episodes``."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="early_help")
    start_date = models.DateField()  # earl_episode_start_date
    end_date = models.DateField(null=True, blank=True)  # earl_episode_end_date
    reason = models.TextField()  # earl_episode_reason
    end_reason = models.TextField(blank=True)  # earl_episode_end_reason
    organisation = models.CharField(max_length=200, blank=True)  # earl_episode_organisation
    lead_practitioner = models.CharField(max_length=200, blank=True)  # earl_episode_worker_name
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-start_date", "-id"]

    def __str__(self) -> str:
        return f"Early help for {self.person} from {self.start_date:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.end_date is None


class StepChange(models.Model):
    """A move between children's social care and early help, with its rationale."""

    class Direction(models.TextChoices):
        STEP_UP = "up", "Step up to children's social care"
        STEP_DOWN = "down", "Step down to early help"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="step_changes")
    direction = models.CharField(max_length=4, choices=Direction.choices)
    date = models.DateField()
    from_referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="step_changes"
    )
    to_early_help = models.ForeignKey(
        EarlyHelpEpisode,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="step_changes",
    )
    rationale = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} for {self.person} on {self.date:%Y-%m-%d}"
