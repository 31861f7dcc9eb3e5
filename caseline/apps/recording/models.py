"""Case notes on a child's record, with management oversight and supervision.

Notes are never deleted: a change is an amendment that keeps the previous text. Management
oversight and supervision are case notes of their own type with a one-to-one record holding
the decision, direction and timescales, so they sit on the child's record in date order.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from caseline.apps.core.models import VersionedModel
from caseline.apps.timescales.rules import Timeliness, assess_timeliness, format_date


class NoteType(models.TextChoices):
    VISIT = "visit", "Visit"
    PHONE_CALL = "phone-call", "Phone call"
    MEETING = "meeting", "Meeting"
    DIRECT_WORK = "direct-work", "Direct work with the child"
    MANAGEMENT_OVERSIGHT = "management-oversight", "Management oversight"
    SUPERVISION = "supervision", "Supervision"
    OTHER = "other", "Other"


# The types recorded through the ordinary note form; the other two have their own forms.
PLAIN_NOTE_TYPES = tuple(
    t for t in NoteType if t not in {NoteType.MANAGEMENT_OVERSIGHT, NoteType.SUPERVISION}
)


class CaseNote(VersionedModel):
    """Something that happened in a child's case, recorded by a practitioner.

    ``occurred_at`` is when it happened; ``recorded_at`` when it was written down.
    """

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="case_notes")
    note_type = models.CharField(max_length=30, choices=NoteType.choices)
    occurred_at = models.DateTimeField("Date and time it happened")
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    is_significant = models.BooleanField("Significant event", default=False)
    significance = models.TextField(
        blank=True, help_text="Why this matters for the child: shown in the chronology."
    )
    others_involved = models.ManyToManyField(
        "people.Person", blank=True, related_name="case_notes_involved_in"
    )

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["person", "-occurred_at"], name="casenote_person_idx"),
            # Covers "the last supervision and oversight of each child" (recording_work) for
            # a whole team without reading the notes themselves.
            models.Index(
                fields=["person", "note_type", "occurred_at"], name="casenote_person_type_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(is_significant=True, significance=""),
                name="casenote_significance_when_significant",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_note_type_display()}: {self.title}"

    @property
    def occurred_label(self) -> str:
        """When it happened, e.g. "3 March 2025, 14:30"; no time when none was given."""
        moment = timezone.localtime(self.occurred_at)
        day = format_date(moment.date())
        return day if moment.time() == datetime.time(0, 0) else f"{day}, {moment:%H:%M}"


class NoteAmendment(models.Model):
    """A change to a note's title or body. Keeps the text as it was before the change."""

    note = models.ForeignKey(CaseNote, on_delete=models.PROTECT, related_name="amendments")
    previous_title = models.CharField(max_length=200)
    previous_body = models.TextField(blank=True)
    amended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    amended_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField()

    class Meta:
        ordering = ["-amended_at", "-id"]

    def __str__(self) -> str:
        return f"Amendment to {self.note}"


class ManagementOversight(models.Model):
    """A manager's decision on the case, with why, on a note of type management oversight."""

    note = models.OneToOneField(CaseNote, on_delete=models.PROTECT, related_name="oversight")
    decision = models.TextField()
    rationale = models.TextField()
    next_review_date = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Management oversight: {self.note}"


class Supervision(models.Model):
    """Case supervision: reflection, direction, actions with timescales and a contingency."""

    note = models.OneToOneField(CaseNote, on_delete=models.PROTECT, related_name="supervision")
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    supervisee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reflection = models.TextField("Reflection and analysis", blank=True)
    objectives = models.TextField()
    contingency = models.TextField(help_text="What happens if this doesn't work")

    def __str__(self) -> str:
        return f"Supervision: {self.note}"


class SupervisionAction(models.Model):
    """An action agreed in supervision: what, who, by when, and when it was done."""

    supervision = models.ForeignKey(Supervision, on_delete=models.PROTECT, related_name="actions")
    # The child of the supervision's note, set when the action is recorded (and moved with
    # the rest of the record when two records are merged): a caseload's open actions are
    # then one step down supaction_open_person_idx, rather than a walk through every
    # supervision the children have had.
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="supervision_actions"
    )
    action = models.TextField()
    owner = models.CharField(max_length=200)
    by_when = models.DateField()
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["by_when", "id"]
        indexes = [
            # The open actions of a supervision, without reading the done ones (most of them).
            models.Index(
                fields=["supervision"],
                condition=models.Q(done_on__isnull=True),
                name="supervisionaction_open_idx",
            ),
            # The open actions of a child or a caseload (recording_work).
            models.Index(
                fields=["person", "by_when"],
                condition=models.Q(done_on__isnull=True),
                name="supaction_open_person_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.action[:80]

    def timeliness_on(self, as_at: datetime.date) -> Timeliness:
        return assess_timeliness(self.by_when, self.done_on, as_at)

    @property
    def timeliness(self) -> Timeliness:
        """Timeliness today, for templates."""
        return self.timeliness_on(timezone.localdate())


class ChildVoice(models.Model):
    """The child's voice as the SSD records it (``ssd_voice_of_child``): five yes-or-no answers
    about whether the child was heard, asked on a day. Kept alongside, not instead of, the
    free-text views on each assessment, plan, visit and review; an answer not asked is null.
    """

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="voice_answers"
    )
    asked_on = models.DateField(null=True, blank=True)  # the SSD carries no date
    explained_worries = models.BooleanField(null=True, blank=True)  # voch_explained_worries
    story_helped_understand = models.BooleanField(null=True, blank=True)  # ..._understand
    agrees_with_worker = models.BooleanField(null=True, blank=True)  # voch_agree_worker
    plan_keeps_safe = models.BooleanField(null=True, blank=True)  # voch_plan_safe
    tablet_helped_explain = models.BooleanField(null=True, blank=True)  # ..._help_explain
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person", "asked_on", "id"]

    def __str__(self) -> str:
        return f"The child's voice, {self.asked_on or 'undated'}"
