"""What every SMART plan has: outcomes, and the actions towards each with their progress.

A child in need plan and a child protection plan each say what needs to be different for the
child (its outcomes) and, for each outcome, what will happen, who will do it, by when and how
we will know it has worked (its SMART actions), with the progress on each action. The fields
and their behaviour are written here once, as abstract models, with what every plan records
besides. Each app's concrete models add the foreign key to its own plan (``plan`` on an
outcome, ``outcome`` on an action) and keep their own tables, so this app has no tables and no
migrations.

:class:`IdentityNeeds` is the child's identity in a plan: how the plan meets the child's
identity needs. A plan model and the model of each review of it inherit it (see
``plans/identity.py`` for the whole piece: the check, the form field, what the assessment
found and how it is shown).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.db import models

from caseline.apps.core.models import VersionedModel

if TYPE_CHECKING:
    from caseline.apps.people.models import Person


class IdentityNeeds(models.Model):
    """How a plan meets the child's identity needs: their ethnicity and culture, religion,
    language and communication, heritage, disability, and gender identity where relevant.

    Blank in the database (plans recorded before it was asked for have none); the action that
    agrees a plan, or completes a review of it, refuses it blank (``identity.check_identity``).
    A plan holds what was last agreed; each review holds what it agreed."""

    identity_needs = models.TextField("How the plan meets the child's identity needs", blank=True)

    class Meta:
        abstract = True


class SmartPlan(VersionedModel):
    """What every plan records besides its outcomes: whose it is, when it started and ended,
    and who recorded it; it is edited with optimistic locking. Each app's plan model adds the
    child (``person``), why it ended and what else it holds, and says when it ended in
    :attr:`effective_end_date`."""

    person: Person
    person_id: Any
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    end_note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(VersionedModel.Meta):
        abstract = True
        ordering = ["-start_date", "-id"]

    @property
    def effective_end_date(self) -> datetime.date | None:
        """When the plan ended, if it has (the plan model says how)."""
        raise NotImplementedError


class SmartOutcome(models.Model):
    """What needs to be different for the child. A concrete model adds ``plan``."""

    plan_id: Any
    order = models.PositiveSmallIntegerField()
    outcome = models.TextField()

    class Meta:
        abstract = True
        ordering = ["plan", "order", "id"]

    def __str__(self) -> str:
        return self.outcome[:80]


class SmartAction(VersionedModel):
    """A SMART action towards an outcome: what, who, by when, how we will know, and how it
    is going (its progress is edited with optimistic locking). A concrete model adds
    ``outcome``."""

    class Status(models.TextChoices):
        NOT_STARTED = "not-started", "Not started"
        IN_PROGRESS = "in-progress", "In progress"
        DONE = "done", "Done"
        NOT_DONE = "not-done", "Not done"

    outcome_id: Any
    what = models.TextField("What will happen")
    who = models.CharField("Who will do it", max_length=200)
    by_when = models.DateField("By when")
    how_we_will_know = models.TextField("How we will know it has worked")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    status_note = models.TextField(blank=True)
    status_updated_on = models.DateField(null=True, blank=True)

    # The govuk-tag colour of each status (always shown with its words).
    STATUS_COLOURS: ClassVar[dict[str, str]] = {
        Status.NOT_STARTED: "grey",
        Status.IN_PROGRESS: "blue",
        Status.DONE: "green",
        Status.NOT_DONE: "orange",
    }

    class Meta:
        abstract = True
        ordering = ["outcome", "by_when", "id"]

    def __str__(self) -> str:
        return f"{self.what[:60]} ({self.who})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.NOT_DONE}

    @property
    def status_colour(self) -> str:
        """The govuk-tag colour for the status (always shown with its words)."""
        return self.STATUS_COLOURS[self.status]

    def is_overdue(self, as_at: datetime.date) -> bool:
        return not self.is_finished and self.by_when < as_at
