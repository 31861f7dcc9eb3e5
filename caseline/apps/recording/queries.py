"""Reading case notes. Visibility of the child is checked by the caller
(``people.queries.get_person_for_user`` or ``ChildRecordMixin``); these read one child's notes."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.accounts.queries import display_names
from caseline.apps.cin.models import CINVisit
from caseline.apps.core.access import user_can
from caseline.apps.core.links import url_builder
from caseline.apps.lookedafter.models import Episode, LACVisit
from caseline.apps.people.models import Person, Relationship
from caseline.apps.protection.models import ProtectionPlan, ProtectionVisit
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
    """The people recorded as related to the child, who may be involved in a note.

    The ids come from the two indexed sides of the relationship table, one union; an OR
    across two joins from the person table would read every person on record."""
    related_ids = (
        Relationship.objects.filter(other=person)
        .values("person_id")
        .union(Relationship.objects.filter(person=person).values("other_id"))
    )
    return (
        Person.objects.filter(pk__in=related_ids)
        .exclude(pk=person.pk)
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


# --- Visits recorded in the plan apps -------------------------------------------------------
#
# Statutory visits are recorded where the child's plan is (children in need, child protection,
# looked after) and each app keeps its own table. The visits and notes tab lists them all,
# reading those apps' models only.


class VisitKind(StrEnum):
    CHILD_IN_NEED = "cin"
    CHILD_PROTECTION = "protection"
    LOOKED_AFTER = "looked-after"

    @property
    def label(self) -> str:
        return _VISIT_KIND_LABELS[self]


_VISIT_KIND_LABELS = {
    VisitKind.CHILD_IN_NEED: "Child in need visit",
    VisitKind.CHILD_PROTECTION: "Child protection visit",
    VisitKind.LOOKED_AFTER: "Looked-after child visit",
}


def _visit_columns(
    visits: QuerySet[Any], kind: VisitKind, alone: str, plan: str | None = None
) -> QuerySet[Any]:
    """One app's visits as the rows the union of all three reads: kind, date, id, seen,
    seen alone, who recorded it and the plan (for a link to a child protection plan)."""
    rows: QuerySet[Any] = (
        visits.annotate(
            v_kind=Value(kind.value, output_field=CharField()),
            v_date=F("visit_date"),
            v_id=F("id"),
            v_seen=F("child_seen"),
            v_alone=F(alone),
            v_by=F("recorded_by_id"),
            v_plan=F(plan) if plan else Value(None, output_field=IntegerField()),
        )
        .values_list("v_kind", "v_date", "v_id", "v_seen", "v_alone", "v_by", "v_plan")
        .order_by()
    )
    return rows


def visits_of(child: Person) -> QuerySet[Any]:
    """Every visit to the child, from children in need, child protection and care, newest
    first, as rows of (kind, date, id, seen, seen alone, recorded by, plan id): one query for
    a page of them (``visit_rows`` turns a page into what the list shows)."""
    cin = _visit_columns(
        CINVisit.objects.filter(person=child), VisitKind.CHILD_IN_NEED, "child_seen_alone"
    )
    protection = _visit_columns(
        ProtectionVisit.objects.filter(plan__person=child),
        VisitKind.CHILD_PROTECTION,
        "child_seen_alone",
        plan="plan_id",
    )
    care = _visit_columns(
        LACVisit.objects.filter(person=child), VisitKind.LOOKED_AFTER, "seen_alone"
    )
    visits: QuerySet[Any] = cin.union(protection, care, all=True)
    return visits.order_by("-v_date", "v_kind", "-v_id")


@dataclass(frozen=True)
class VisitRow:
    """A visit as the visits and notes tab lists it."""

    kind: VisitKind
    visit_date: datetime.date
    child_seen: bool
    seen_alone: bool
    recorded_by: str
    href: str  # where it is recorded
    where: str  # the words of that link

    @property
    def seen_label(self) -> str:
        if not self.child_seen:
            return "Not seen"
        return "Seen alone" if self.seen_alone else "Seen, not alone"


def visit_rows(child: Person, rows: Iterable[tuple[Any, ...]]) -> list[VisitRow]:
    """``visits_of`` rows as the list shows them, naming who recorded each (one query)."""
    rows = list(rows)
    names = display_names(row[5] for row in rows)
    plan_url = url_builder("protection:plan", "person_id", "plan_id")
    places = {
        VisitKind.CHILD_IN_NEED: (
            reverse("cin:visit-list", kwargs={"person_id": child.pk}),
            "Child in need visits",
        ),
        VisitKind.LOOKED_AFTER: (
            reverse("lookedafter:record", kwargs={"person_id": child.pk}) + "#visits",
            "Care record",
        ),
    }
    visits = []
    for kind_value, day, _, seen, alone, recorded_by, plan_id in rows:
        kind = VisitKind(kind_value)
        if kind is VisitKind.CHILD_PROTECTION:
            href, where = plan_url(person_id=child.pk, plan_id=plan_id), "Child protection plan"
        else:
            href, where = places[kind]
        visits.append(
            VisitRow(
                kind=kind,
                visit_date=day,
                child_seen=bool(seen),
                seen_alone=bool(alone),
                recorded_by=names.get(recorded_by, ""),
                href=href,
                where=where,
            )
        )
    return visits


@dataclass(frozen=True)
class VisitLink:
    """A page that records a visit to the child, and the words of the link to it."""

    text: str
    href: str


def visit_links_for(child: Person, as_at: datetime.date) -> list[VisitLink]:
    """Where a visit to the child is recorded now, for the child's current plan (one query):
    on their child protection plan, on their care record while they are looked after (both,
    for a looked-after child on a plan), and otherwise as a child in need visit."""
    open_then = Q(start_date__lte=as_at) & (Q(end_date__isnull=True) | Q(end_date__gt=as_at))
    plans = ProtectionPlan.objects.filter(open_then, person=OuterRef("pk")).order_by("-start_date")
    episodes = Episode.objects.filter(open_then, person=OuterRef("pk"))
    current = (
        Person.objects.filter(pk=child.pk)
        .annotate(
            protection_plan=Subquery(plans.values("pk")[:1]),
            looked_after=Exists(episodes),
        )
        .values("protection_plan", "looked_after")
        .get()
    )
    kwargs = {"person_id": child.pk}
    links: list[VisitLink] = []
    if current["protection_plan"] is not None:
        links.append(
            VisitLink(
                "Record a child protection visit",
                reverse(
                    "protection:visit-new",
                    kwargs={**kwargs, "plan_id": current["protection_plan"]},
                ),
            )
        )
    if current["looked_after"]:
        links.append(
            VisitLink(
                "Record a looked-after child visit",
                reverse("lookedafter:visit-new", kwargs=kwargs),
            )
        )
    if not links:
        links.append(
            VisitLink("Record a child in need visit", reverse("cin:visit-new", kwargs=kwargs))
        )
    return links
