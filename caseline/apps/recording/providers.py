"""What case recording adds to the child's record: summary, work due on the case and the
chronology's case notes."""

from __future__ import annotations

import datetime

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from caseline.apps.accounts.permissions import Permission
from caseline.apps.accounts.queries import display_names
from caseline.apps.core.links import url_builder
from caseline.apps.people.contribution import (
    Category,
    ChronologyEntry,
    DueItem,
    PersonIds,
    RecordContribution,
    SummaryBlock,
)
from caseline.apps.people.models import Allocation, Person
from caseline.apps.people.queries import RecordsHeld
from caseline.apps.recording import timescales
from caseline.apps.recording.models import CaseNote, NoteType, SupervisionAction
from caseline.apps.recording.queries import last_oversight, oversight_dates
from caseline.apps.recording.timescales import MANAGEMENT_OVERSIGHT, SUPERVISION
from caseline.apps.timescales.queries import rules_in_force
from caseline.apps.timescales.rules import assess_timeliness, format_date


def _day(moment: datetime.datetime, zone: datetime.tzinfo | None = None) -> datetime.date:
    return timezone.localtime(moment, zone).date()


def _notes_href(person: Person) -> str:
    return reverse("recording:record-notes", kwargs={"person_id": person.pk})


def recording_summary(person: Person, as_at: datetime.date) -> list[SummaryBlock]:
    """The last management oversight decision and the last supervision, with open actions."""
    dates = oversight_dates(person)
    rows: list[tuple[str, str]] = []
    if dates.last_oversight_at is not None:
        oversight = last_oversight(person)
        assert oversight is not None
        rows.append(
            (
                "Last management oversight",
                f"{format_date(_day(oversight.note.occurred_at))}: {oversight.decision}",
            )
        )
    if dates.last_supervision_at is not None:
        count = dates.open_actions
        actions = f"{count} open action{'' if count == 1 else 's'}"
        rows.append(
            ("Last supervision", f"{format_date(_day(dates.last_supervision_at))} ({actions})")
        )
    if not rows:
        return []
    return [
        SummaryBlock(
            order=40,
            title="Management oversight and supervision",
            rows=rows,
            link_text="Visits and notes",
            link_href=_notes_href(person),
        )
    ]


def _latest_note(note_type: str) -> Subquery:
    """When the person's latest note of this type happened (None if they have none)."""
    notes = CaseNote.objects.filter(person=OuterRef("pk"), note_type=note_type)
    return Subquery(notes.order_by("-occurred_at").values("occurred_at")[:1])


def recording_work(person_ids: PersonIds, as_at: datetime.date) -> list[DueItem]:
    """Supervision and oversight due on each open case, and every open supervision action.

    Three queries whatever the number of children: the rules in force, each child's last
    supervision and oversight and when their open case started, and the open actions. Items
    come by child: supervision, oversight, then actions soonest first.
    """
    rules = rules_in_force([SUPERVISION.code, MANAGEMENT_OVERSIGHT.code])
    # Each child's latest of each kind is one step down casenote_person_type_idx; grouping
    # every note of a team's long-open cases read them all (twice as slow for a team). The
    # open case starts with the earliest open allocation, read in the same query.
    first_open = Allocation.objects.filter(person=OuterRef("pk"), end_date__isnull=True)
    last = {
        row["pk"]: row
        for row in Person.objects.filter(pk__any_of=person_ids)
        .annotate(
            last_supervision=_latest_note(NoteType.SUPERVISION),
            last_oversight=_latest_note(NoteType.MANAGEMENT_OVERSIGHT),
            case_start=Subquery(first_open.order_by("start_date").values("start_date")[:1]),
        )
        .values("pk", "last_supervision", "last_oversight", "case_start")
    }
    case_start: dict[int, datetime.date] = {
        pk: row["case_start"] for pk, row in last.items() if row["case_start"] is not None
    }
    actions: dict[int, list[tuple[int, str, datetime.date]]] = {}
    # The children as a list, not a subquery: PostgreSQL then reads
    # supaction_open_person_idx child by child (2 ms for a 248-child team) rather than every
    # open action in the authority (7 ms).
    for action_id, text, by_when, person_id in (
        SupervisionAction.objects.filter(person_id__any_of=person_ids, done_on__isnull=True)
        .order_by("by_when", "id")
        .values_list("pk", "action", "by_when", "person_id")
    ):
        actions.setdefault(person_id, []).append((action_id, text, by_when))
    links = {
        name: url_builder(name, "person_id")
        for name in ("recording:supervision-new", "recording:oversight-new")
    }
    action_done = url_builder("recording:supervision-action-done", "person_id", "action_id")
    zone = timezone.get_current_timezone()
    items: list[DueItem] = []
    for person_id in sorted(set(case_start) | set(actions)):
        if person_id in case_start:
            dates = last.get(person_id, {})
            for code, title, field, new_url in (
                (
                    SUPERVISION.code,
                    "Supervision due",
                    "last_supervision",
                    "recording:supervision-new",
                ),
                (
                    MANAGEMENT_OVERSIGHT.code,
                    "Management oversight due",
                    "last_oversight",
                    "recording:oversight-new",
                ),
            ):
                # Count from the last one on this case, not from one on an earlier allocation.
                moment = dates.get(field)
                start = case_start[person_id]
                trigger = max(_day(moment, zone), start) if moment is not None else start
                items.append(
                    DueItem(
                        person_id=person_id,
                        title=title,
                        rule_code=code,
                        timeliness=assess_timeliness(rules[code].due_date(trigger), None, as_at),
                        href=links[new_url](person_id=person_id),
                        permission=Permission.OVERSIGHT_RECORD,
                    )
                )
        for action_id, text, by_when in actions.get(person_id, []):
            items.append(
                DueItem(
                    person_id=person_id,
                    title=f"Supervision action: {text[:60]}",
                    rule_code=SUPERVISION.code,
                    timeliness=assess_timeliness(by_when, None, as_at),
                    href=action_done(person_id=person_id, action_id=action_id),
                    permission=Permission.NOTE_RECORD,
                )
            )
    return items


_CATEGORY_BY_TYPE = {
    NoteType.VISIT: Category.VISIT,
    NoteType.MANAGEMENT_OVERSIGHT: Category.OVERSIGHT,
    NoteType.SUPERVISION: Category.OVERSIGHT,
}


def recording_chronology(person: Person, held: RecordsHeld) -> list[ChronologyEntry]:
    """Every case note as a chronology entry; significant ones carry why they matter.

    Management oversight shows its decision, so the reasons for decisions are in the story.
    """
    notes = list(held.rows(CaseNote).select_related("oversight").order_by("occurred_at", "id"))
    names = display_names(note.recorded_by_id for note in notes)
    note_href = url_builder("recording:note-detail", "person_id", "note_id")
    zone = timezone.get_current_timezone()
    entries = []
    for note in notes:
        occurred = timezone.localtime(note.occurred_at, zone)
        what = note.title
        oversight = getattr(note, "oversight", None)  # None unless management oversight
        if oversight is not None:
            what = f"{note.title}: {oversight.decision}"
        entries.append(
            ChronologyEntry(
                date=occurred.date(),
                category=_CATEGORY_BY_TYPE.get(NoteType(note.note_type), Category.NOTE),
                what_happened=what,
                source=NoteType(note.note_type).label,
                recorded_by=names.get(note.recorded_by_id, ""),
                why_it_matters=note.significance,
                significant=note.is_significant,
                href=note_href(person_id=person.pk, note_id=note.pk),
                time=occurred.time(),
            )
        )
    return entries


# Oversight and supervision on the summary, supervision and oversight due, and case
# notes in the chronology.
CONTRIBUTION = RecordContribution(
    app_label="recording",
    summary_blocks=recording_summary,
    due_for=recording_work,
    chronology=recording_chronology,
    timescale_rules=timescales.RULES,
)
