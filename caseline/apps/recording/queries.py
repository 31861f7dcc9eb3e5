"""Reading case notes. Visibility of the child is checked by the caller
(``people.queries.get_person_for_user`` or ``ChildRecordMixin``); these read one child's notes."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.core.access import user_can
from caseline.apps.people.models import Person
from caseline.apps.recording.models import (
    CaseNote,
    ManagementOversight,
    NoteType,
    SupervisionAction,
)


def notes_for_person(
    person: Person, *, note_type: str = "", significant_only: bool = False
) -> QuerySet[CaseNote]:
    """The child's notes, newest first, with everything the notes page shows."""
    notes = (
        CaseNote.objects.filter(person=person)
        .select_related(
            "recorded_by",
            "oversight",
            "supervision__supervisor",
            "supervision__supervisee",
        )
        .prefetch_related("supervision__actions", "others_involved")
        .annotate(amendment_count=Count("amendments"))
        .order_by("-occurred_at", "-id")
    )
    if note_type:
        notes = notes.filter(note_type=note_type)
    if significant_only:
        notes = notes.filter(is_significant=True)
    return notes


def get_note_for_person(person: Person, note_id: int) -> CaseNote:
    """One of the child's notes, with its amendment history: 404 if not on this record."""
    try:
        return (
            CaseNote.objects.select_related(
                "recorded_by",
                "oversight",
                "supervision__supervisor",
                "supervision__supervisee",
            )
            .prefetch_related("supervision__actions", "others_involved", "amendments__amended_by")
            .get(pk=note_id, person=person)
        )
    except CaseNote.DoesNotExist:
        raise Http404("No note with that ID on this record") from None


def can_amend(user: User, note: CaseNote) -> bool:
    """The note's author, or a manager (who records oversight), may amend it."""
    return user_can(user, Permission.NOTE_RECORD) and (
        note.recorded_by_id == user.pk or user_can(user, Permission.OVERSIGHT_RECORD)
    )


def get_action_for_person(person: Person, action_id: int) -> SupervisionAction:
    """An action from one of the child's supervisions: 404 if not on this record."""
    try:
        return SupervisionAction.objects.select_related("supervision__note").get(
            pk=action_id, supervision__note__person=person
        )
    except SupervisionAction.DoesNotExist:
        raise Http404("No supervision action with that ID on this record") from None


def related_people(person: Person) -> QuerySet[Person]:
    """The people recorded as related to the child, who may be involved in a note."""
    return (
        Person.objects.filter(
            Q(relationships_from__other=person) | Q(relationships_to__person=person)
        )
        .exclude(pk=person.pk)
        .distinct()
        .order_by("family_name", "given_name", "id")
    )


@dataclass(frozen=True)
class OversightDates:
    """When supervision and management oversight were last recorded, and open actions."""

    last_supervision_at: datetime.datetime | None
    last_oversight_at: datetime.datetime | None
    open_actions: int


def oversight_dates(person: Person) -> OversightDates:
    """One query for what the summary and the due work need to know."""
    values = CaseNote.objects.filter(person=person).aggregate(
        last_supervision=Max("occurred_at", filter=Q(note_type=NoteType.SUPERVISION)),
        last_oversight=Max("occurred_at", filter=Q(note_type=NoteType.MANAGEMENT_OVERSIGHT)),
        open_action_count=Count(
            "supervision__actions", filter=Q(supervision__actions__done_on__isnull=True)
        ),
    )
    return OversightDates(
        values["last_supervision"], values["last_oversight"], values["open_action_count"]
    )


def last_oversight(person: Person) -> ManagementOversight | None:
    return (
        ManagementOversight.objects.filter(note__person=person)
        .select_related("note")
        .order_by("-note__occurred_at", "-note_id")
        .first()
    )


@dataclass(frozen=True)
class SignificantEvent:
    """A significant event for the child's chronology."""

    note_id: int
    date: datetime.date
    note_type: str
    title: str
    significance: str
    recorded_by: str


def significant_events(person: Person) -> list[SignificantEvent]:
    """The child's notes flagged as significant events, oldest first (chronology order)."""
    notes = (
        CaseNote.objects.filter(person=person, is_significant=True)
        .select_related("recorded_by")
        .order_by("occurred_at", "id")
    )
    return [
        SignificantEvent(
            note_id=note.pk,
            date=timezone.localtime(note.occurred_at).date(),
            note_type=NoteType(note.note_type).label,
            title=note.title,
            significance=note.significance,
            recorded_by=str(note.recorded_by),
        )
        for note in notes
    ]
