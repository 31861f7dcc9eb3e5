"""A person on the record (child or adult), their identity, family and who works with them.

Field names map onto the Standard Safeguarding Dataset (SSD v1.4.5) as each docstring says,
so exports are mappings. Coded values are validated against ``caseline.apps.codes`` lists in
forms and actions; the fields hold the code only, so a new collection year needs no migration.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from caseline.apps.core.models import VersionedModel


class Person(VersionedModel):
    """Anyone on the record.

    Maps to ``ssd_person``, with ``ssd_disability`` and ``ssd_immigration_status``.
    """

    class Sex(models.TextChoices):
        # CIN census / SSD pers_sex: M, F, U (unknown or indeterminate)
        MALE = "M", "Male"
        FEMALE = "F", "Female"
        UNKNOWN = "U", "Not known"

    given_name = models.CharField("First name", max_length=100)  # pers_forename
    family_name = models.CharField("Last name", max_length=255)  # pers_surname
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)  # pers_dob
    expected_date_of_birth = models.DateField(null=True, blank=True)  # pers_expected_dob
    date_of_death = models.DateField(null=True, blank=True)  # pers_death_date
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)  # pers_sex
    gender_identity = models.CharField(max_length=40, blank=True)  # pers_gender (local list)
    ethnicity = models.CharField(max_length=4, blank=True)  # pers_ethnicity, DfE code
    religion = models.CharField(max_length=40, blank=True)
    first_language = models.CharField(max_length=60, blank=True)
    interpreter_needed = models.BooleanField(default=False)
    disabilities = models.JSONField(default=list, blank=True)  # ssd_disability codes
    immigration_status = models.CharField(max_length=40, blank=True)  # ssd_immigration_status
    is_uasc = models.BooleanField("Unaccompanied asylum-seeking child", default=False)
    nationality = models.CharField(max_length=60, blank=True)  # pers_nationality
    nhs_number = models.CharField("NHS number", max_length=10, blank=True, db_index=True)
    upn = models.CharField("Unique pupil number", max_length=13, blank=True, db_index=True)
    # CIN census FormerUPN: a UPN the child had before (often a temporary one, ending in a
    # letter). Checked like a UPN.
    former_upn = models.CharField("Former unique pupil number", max_length=13, blank=True)
    # CIN census UPNunknown and the SSDA903 UPN column's unknown code (SSD pers_upn_unknown):
    # why the child has no UPN, a code from ``CodeListName.UPN_UNKNOWN``. Blank when ``upn``
    # is given: a child has one or the other, not both.
    upn_unknown_reason = models.CharField(
        "Why the unique pupil number is not known", max_length=4, blank=True
    )
    identity_notes = models.TextField(
        "Identity, culture and heritage",
        blank=True,
        help_text="What identity, culture, religion, language and heritage mean for this child.",
    )
    # Search keys, kept by the actions that write names, for fast phonetic and fuzzy search.
    search_given = models.CharField(max_length=100, blank=True, db_index=True)
    search_family = models.CharField(max_length=255, blank=True, db_index=True)
    phonetic_given = models.CharField(max_length=20, blank=True, db_index=True)
    phonetic_family = models.CharField(max_length=20, blank=True, db_index=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        help_text="Set when this record was merged into another; it is kept, never deleted.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        indexes = [models.Index(fields=["date_of_birth"], name="person_dob_idx")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def caseline_id(self) -> str:
        """The ID shown to users and used in exports (SSD pers_person_id)."""
        return f"P{self.pk:07d}"

    def age_on(self, day: datetime.date | None = None) -> int | None:
        """Age in whole years on a day (today by default); None when unknown or unborn."""
        if self.date_of_birth is None:
            return None
        day = day or timezone.localdate()
        if day < self.date_of_birth:
            return None
        years = day.year - self.date_of_birth.year
        if (day.month, day.day) < (self.date_of_birth.month, self.date_of_birth.day):
            years -= 1
        return years


class OtherName(models.Model):
    """Previous, alias or alternative-spelling names, searched like the main name."""

    class Kind(models.TextChoices):
        PREVIOUS = "previous", "Previous name"
        ALIAS = "alias", "Also known as"
        SPELLING = "spelling", "Other spelling"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="other_names")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=255, blank=True)
    phonetic_given = models.CharField(max_length=20, blank=True, db_index=True)
    phonetic_family = models.CharField(max_length=20, blank=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


class Address(models.Model):
    """Where a person lives or lived. Maps to ``ssd_address``."""

    class Kind(models.TextChoices):
        """What the address is to the person (SSD ``addr_address_type``, item ADDR003A).

        A local list: the SSD gives the item as free text ("e.g. Home/ Placement/ Primary")
        with no code set. The home address is the one the SSDA903 reads for HOME_POST (the
        child's home postcode when they started to be looked after), so it is recorded, not
        guessed from whichever address was current.
        """

        HOME = "home", "Home address"
        PLACEMENT = "placement", "Placement address (while looked after)"
        TEMPORARY = "temporary", "Temporary address"
        OTHER = "other", "Other address"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="addresses")
    kind = models.CharField(
        "Type of address", max_length=10, choices=Kind.choices, default=Kind.HOME
    )  # addr_address_type
    line_1 = models.CharField(max_length=200)
    line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, db_index=True)  # addr_address_postcode
    postcode_search = models.CharField(max_length=8, blank=True, db_index=True)
    start_date = models.DateField()  # addr_address_start_date
    end_date = models.DateField(null=True, blank=True)  # addr_address_end_date

    class Meta:
        ordering = ["-start_date"]
        verbose_name_plural = "addresses"

    def __str__(self) -> str:
        return ", ".join(p for p in (self.line_1, self.town, self.postcode) if p)


class ContactDetail(models.Model):
    """A phone number or email address."""

    class Kind(models.TextChoices):
        PHONE = "phone", "Phone"
        EMAIL = "email", "Email"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="contact_details")
    kind = models.CharField(max_length=5, choices=Kind.choices)
    value = models.CharField(max_length=200)
    note = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class Relationship(models.Model):
    """How ``person`` relates to ``other``: "person is the <kind> of other".

    One row per direction is not needed: queries read both ways.
    """

    class Kind(models.TextChoices):
        PARENT = "parent", "Parent"
        STEP_PARENT = "step-parent", "Step-parent"
        SIBLING = "sibling", "Sibling"
        HALF_SIBLING = "half-sibling", "Half-sibling"
        GRANDPARENT = "grandparent", "Grandparent"
        PARTNER = "partner", "Partner"
        FORMER_PARTNER = "former-partner", "Former partner"
        CARER = "carer", "Carer"
        OTHER_RELATIVE = "other-relative", "Other relative"
        FRIEND = "friend", "Friend"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships_from")
    other = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships_to")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    has_parental_responsibility = models.BooleanField(
        default=False, help_text="Whether `person` holds parental responsibility for `other`."
    )
    lives_with = models.BooleanField(default=False)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(person=models.F("other")), name="relationship_not_to_self"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} is {self.get_kind_display().lower()} of {self.other}"


class Household(models.Model):
    """People living together. Maps to ``ssd_family`` (fami_family_id)."""

    name = models.CharField(max_length=200, blank=True)
    members: models.ManyToManyField[Person, HouseholdMember] = models.ManyToManyField(
        Person, through="HouseholdMember", related_name="households"
    )

    def __str__(self) -> str:
        return self.name or f"Household {self.pk}"


class HouseholdMember(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE)
    person = models.ForeignKey(Person, on_delete=models.CASCADE)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.person} in {self.household}"


class ProfessionalInvolvement(models.Model):
    """A professional from another agency involved with the person (GP, teacher, health visitor)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="professionals")
    name = models.CharField(max_length=200)
    agency = models.CharField(max_length=200)
    role = models.CharField(max_length=200)
    phone = models.CharField(max_length=50, blank=True)
    email = models.EmailField(blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.role}, {self.agency})"


class Allocation(models.Model):
    """Which team and worker hold a child's case, with history. Maps to ``ssd_involvements``.

    The current allocation is the one with no ``end_date``. Record-level visibility reads it.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="allocations")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="allocations")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allocations",
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    # Why the social worker changed, coded (``CodeListName.SOCIAL_WORKER_CHANGE_REASON``):
    # the SSDA903 SWEpisodes SW_REASON and SSD invo_worker_change_reason. Required when a
    # worker is allocated on or after 1 April 2023 (903 rule SW13STG1).
    change_reason = models.CharField(
        "Reason for the change of social worker", max_length=6, blank=True
    )
    # A note on the allocation, in the allocating manager's words.
    reason = models.CharField(max_length=200, blank=True)
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-start_date", "-id"]
        indexes = [
            models.Index(fields=["worker", "end_date"], name="allocation_worker_idx"),
            # A team's open allocations, read from the index alone on PostgreSQL (the
            # columns the team page needs are included): a team manager's pages and
            # sign-off list ask for them. Without it PostgreSQL read every open allocation
            # in the authority to find one team's (5 ms, against 0.1 ms).
            models.Index(
                fields=["team"],
                include=["id", "person", "worker", "start_date"],
                condition=models.Q(end_date__isnull=True),
                name="allocation_open_team_idx",
            ),
            # "Is this child allocated now?" without reading the allocation history: the
            # unallocated work on the team page asks it of every open referral. Partial, so
            # PostgreSQL can read the open allocations alone (4 ms, not 9, for the city).
            models.Index(
                fields=["person"],
                condition=models.Q(end_date__isnull=True),
                name="allocation_open_person_idx",
            ),
        ]

    def __str__(self) -> str:
        who = self.worker or "unallocated"
        return f"{self.person} with {self.team} ({who})"


class Alert(models.Model):
    """A warning shown in the identity bar (e.g. risk to staff, do not disclose address)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="alerts")
    text = models.CharField(max_length=200)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return self.text


class PersonMerge(models.Model):
    """A reviewed merge of a duplicate into the record kept. Both records stay."""

    kept = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_kept")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_merged")
    reason = models.TextField()
    moved: Any = models.JSONField(default=dict, help_text="What was moved, by model, with ids.")
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    merged_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.merged} merged into {self.kept}"


class Restriction(models.Model):
    """A child's record restricted to named users (an adoption, a child of a member of staff, a
    high-profile case). While it is in force (not lifted) nobody else sees the child anywhere:
    ``people.queries.visible_people`` leaves them out. One restriction in force per person;
    lifting keeps the row, and a later restriction is a new one."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="restrictions")
    reason = models.TextField()
    named_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", help_text="Who may see the record."
    )
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(lifted_at__isnull=True),
                name="people_one_restriction_in_force",
            )
        ]

    def __str__(self) -> str:
        return f"Restriction of record {self.person_id}"


class GlassBreak(models.Model):
    """A user outside a restriction's named users who opened the record anyway, with a
    reason ("breaking the glass"). Lets them see the child while that restriction is in force;
    audited, and listed in the My work of the record's allocated worker and of whoever set
    the restriction."""

    restriction = models.ForeignKey(
        Restriction, on_delete=models.PROTECT, related_name="glass_breaks"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="glass_breaks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    broken_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["person", "user"], name="people_glassbreak_person_user")]

    def __str__(self) -> str:
        return f"Glass broken on record {self.person_id}"
