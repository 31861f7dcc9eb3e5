"""What case recording adds to the child's summary and to the work due on the case."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from caseline.apps.chronology.entries import Category, ChronologyEntry
from caseline.apps.people.models import Person
from caseline.apps.people.summary import DueItem, SummaryBlock
from caseline.apps.recording.models import CaseNote, NoteType
from caseline.apps.recording.queries import last_oversight, open_actions, oversight_dates
from caseline.apps.recording.timescales import MANAGEMENT_OVERSIGHT, SUPERVISION
from caseline.apps.timescales.rules import assess_timeliness, format_date


def _day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def _notes_href(person: Person) -> str:
    return reverse("recording:record-notes", kwargs={"person_id": person.pk})


def _open_case_start(person: Person) -> datetime.date | None:
    """When the current open allocation started; None when the case is not open."""
    return (
        person.allocations.filter(end_date__isnull=True)
        .order_by("start_date")
        .values_list("start_date", flat=True)
        .first()
    )


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


def recording_due(person: Person, as_at: datetime.date) -> list[DueItem]:
    """Supervision and oversight due on an open case, and every open supervision action."""
    items: list[DueItem] = []
    dates = oversight_dates(person)
    case_start = _open_case_start(person)
    if case_start is not None:
        for rule, title, last, new_url in (
            (
                SUPERVISION,
                "Supervision due",
                dates.last_supervision_at,
                "recording:supervision-new",
            ),
            (
                MANAGEMENT_OVERSIGHT,
                "Management oversight due",
                dates.last_oversight_at,
                "recording:oversight-new",
            ),
        ):
            trigger = _day(last) if last is not None else case_start
            items.append(
                DueItem(
                    person_id=person.pk,
                    title=title,
                    rule_code=rule.code,
                    timeliness=assess_timeliness(rule.due_date(trigger), None, as_at),
                    href=reverse(new_url, kwargs={"person_id": person.pk}),
                )
            )
    if dates.open_actions:
        for action in open_actions(person):
            items.append(
                DueItem(
                    person_id=person.pk,
                    title=f"Supervision action: {action.action[:60]}",
                    rule_code=SUPERVISION.code,
                    timeliness=assess_timeliness(action.by_when, None, as_at),
                    href=reverse(
                        "recording:supervision-action-done",
                        kwargs={"person_id": person.pk, "action_id": action.pk},
                    ),
                )
            )
    return items


_CATEGORY_BY_TYPE = {
    NoteType.VISIT: Category.VISIT,
    NoteType.MANAGEMENT_OVERSIGHT: Category.OVERSIGHT,
    NoteType.SUPERVISION: Category.OVERSIGHT,
}


def recording_chronology(person: Person) -> list[ChronologyEntry]:
    """Every case note as a chronology entry; significant ones carry why they matter.

    Management oversight shows its decision, so the reasons for decisions are in the story.
    """
    notes = (
        CaseNote.objects.filter(person=person)
        .select_related("recorded_by", "oversight")
        .order_by("occurred_at", "id")
    )
    entries = []
    for note in notes:
        what = note.title
        oversight = getattr(note, "oversight", None)  # None unless management oversight
        if oversight is not None:
            what = f"{note.title}: {oversight.decision}"
        entries.append(
            ChronologyEntry(
                date=_day(note.occurred_at),
                category=_CATEGORY_BY_TYPE.get(NoteType(note.note_type), Category.NOTE),
                what_happened=what,
                source=NoteType(note.note_type).label,
                recorded_by=str(note.recorded_by),
                why_it_matters=note.significance,
                significant=note.is_significant,
                href=reverse(
                    "recording:note-detail", kwargs={"person_id": person.pk, "note_id": note.pk}
                ),
            )
        )
    return entries
