"""Users, teams and the holder of Caseline's permission catalogue."""

from __future__ import annotations

from datetime import date, datetime

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from caseline.apps.accounts.permissions import Permission, Role
from caseline.apps.core.models import VersionedModel


class Team(models.Model):
    """A team of practitioners with a manager: the unit of caseloads and allocation."""

    class Service(models.TextChoices):
        FRONT_DOOR = "front-door", "Front door (MASH)"
        ASSESSMENT = "assessment", "Assessment"
        CHILDREN_IN_NEED = "cin", "Children in need and child protection"
        LOOKED_AFTER = "looked-after", "Children in care"
        LEAVING_CARE = "leaving-care", "Leaving care"
        REVIEWING = "reviewing", "Independent reviewing and conferences"
        QUALITY = "quality", "Quality and performance"

    name = models.CharField(max_length=100, unique=True)
    service = models.CharField(max_length=20, choices=Service.choices)
    manager = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_teams",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(VersionedModel, AbstractUser):
    """A person who signs in to Caseline. The administrator's edit form carries its
    ``version`` and refuses a stale one (``core.concurrency``)."""

    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    job_title = models.CharField(max_length=100, blank=True)
    # How families and professionals reach them at work (the administrator sets it, with the
    # work email in ``email``): printed on the plans a family is given.
    work_phone = models.CharField("Work phone number", max_length=30, blank=True)
    # Social Work England registration number ("SW" and digits), for a registered social
    # worker: the SSDA903 SWEpisodes SW_ID and the SSD prof_social_worker_registration_no.
    # Blank for anyone not registered. Checked by ``accounts.registration``.
    swe_registration_number = models.CharField(
        "Social Work England registration number", max_length=12, blank=True
    )
    # No longer used: sign-in throttling is django-axes' (issue 19). To be removed by a
    # migration once no branch reads them.
    failed_sign_in_count = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    # The OpenID provider's subject ("sub") for this user, kept at their first single sign-on
    # and required to match at every later one (accounts.sso).
    sso_subject = models.CharField("Single sign-on subject", max_length=255, blank=True)

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        constraints = [
            # One registration is one social worker's.
            models.UniqueConstraint(
                fields=["swe_registration_number"],
                condition=~models.Q(swe_registration_number=""),
                name="user_swe_registration_unique",
            ),
            # One identity at the OpenID provider is one Caseline user.
            models.UniqueConstraint(
                fields=["sso_subject"],
                condition=~models.Q(sso_subject=""),
                name="user_sso_subject_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def is_locked(self, at: datetime | None = None) -> bool:
        """Whether sign-in is refused because of repeated failures."""
        return self.locked_until is not None and self.locked_until > (at or timezone.now())

    def can(self, permission: Permission) -> bool:
        """Whether this user holds a catalogue permission (``core.access.user_can``)."""
        from caseline.apps.core.access import user_can

        return user_can(self, permission)


class RoleAssignment(models.Model):
    """A user holds a role from ``starts_on`` until ``ends_on`` (inclusive; open if null).

    The user's role groups follow these dates: the action that records one applies it at once
    when it has begun, and ``caseline apply_access_dates`` (run daily) applies starts and ends
    as the days come. A role given without dates (the demo's, older accounts') has no row.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=60, choices=[(r.value, r.value) for r in Role])
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["user", "starts_on", "pk"]

    def __str__(self) -> str:
        return f"{self.user}: {self.role} from {self.starts_on}"

    def is_current(self, on: date) -> bool:
        """Whether the role is held on ``on``."""
        return self.starts_on <= on and (self.ends_on is None or self.ends_on >= on)


class TeamMembership(models.Model):
    """A user belongs to a team from ``starts_on`` until ``ends_on`` (inclusive; open if null).

    ``User.team`` is the team of the membership current today, set as for ``RoleAssignment``.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="team_memberships")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="memberships")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["user", "starts_on", "pk"]

    def __str__(self) -> str:
        return f"{self.user}: {self.team} from {self.starts_on}"

    def is_current(self, on: date) -> bool:
        """Whether the user is in the team on ``on``."""
        return self.starts_on <= on and (self.ends_on is None or self.ends_on >= on)


class TwoFactorRole(models.Model):
    """A role whose holders must sign in with two factors when they use a password (chosen by
    the administrator). Single sign-on leaves the second factor to the OpenID provider."""

    role = models.CharField(max_length=60, unique=True, choices=[(r.value, r.value) for r in Role])

    class Meta:
        ordering = ["role"]

    def __str__(self) -> str:
        return self.role


class CaselinePermission(models.Model):
    """Holds the permission catalogue as Django permissions; it has no rows and no table."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [(p.codename, p.description) for p in Permission]

    def __str__(self) -> str:
        return "Caseline permission catalogue"
