"""Summary and due work on the child's record; significant events for the chronology."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.utils import timezone

from caseline.apps.accounts.models import User
from caseline.apps.people.contribution import Category, contributions
from caseline.apps.people.models import Person
from caseline.apps.people.queries import RecordsHeld
from caseline.apps.people.summary import due_items, summary_blocks
from caseline.apps.recording.actions import complete_supervision_action, record_management_oversight
from caseline.apps.recording.models import CaseNote, Supervision
from caseline.apps.recording.providers import CONTRIBUTION, recording_chronology
from caseline.apps.recording.queries import significant_events
from caseline.apps.recording.tests.conftest import days_ago
from caseline.apps.recording.timescales import MANAGEMENT_OVERSIGHT, SUPERVISION
from caseline.apps.timescales.rules import CATALOGUE, Basis, Interval, TimelinessStatus

pytestmark = pytest.mark.django_db


def test_the_local_standards_are_in_the_catalogue() -> None:
    assert CATALOGUE.get("supervision") is SUPERVISION
    assert CATALOGUE.get("management-oversight") is MANAGEMENT_OVERSIGHT
    assert SUPERVISION.interval == Interval.weeks(4)
    assert MANAGEMENT_OVERSIGHT.interval == Interval.months(3)
    assert SUPERVISION.basis is Basis.LOCAL_STANDARD
    assert MANAGEMENT_OVERSIGHT.basis is Basis.LOCAL_STANDARD


def test_an_open_case_without_supervision_is_due_from_allocation(
    child: Person, allocation_start: datetime.date
) -> None:
    today = timezone.localdate()
    items = {
        i.title: i
        for i in due_items(child, today)
        if i.rule_code in {"supervision", "management-oversight"}
    }
    supervision = items["Supervision due"]
    assert supervision.timeliness.due_date == allocation_start + datetime.timedelta(weeks=4)
    assert supervision.timeliness.status is TimelinessStatus.OVERDUE
    assert supervision.href == f"/recording/record/{child.pk}/supervision/new/"
    oversight = items["Management oversight due"]
    assert oversight.timeliness.due_date == MANAGEMENT_OVERSIGHT.due_date(allocation_start)


def test_recording_supervision_moves_the_due_date_and_adds_actions(
    child: Person, supervision_factory: Callable[..., Supervision], worker: User
) -> None:
    today = timezone.localdate()
    supervision = supervision_factory()
    supervised_on = timezone.localtime(supervision.note.occurred_at).date()
    items = {i.title: i for i in due_items(child, today)}
    assert items["Supervision due"].timeliness.due_date == supervised_on + datetime.timedelta(
        weeks=4
    )
    assert items["Supervision due"].timeliness.status is TimelinessStatus.NOT_DUE_YET
    action_item = items["Supervision action: Visit school"]
    assert action_item.timeliness.due_date == today + datetime.timedelta(days=7)
    assert action_item.rule_code == "supervision"
    action = supervision.actions.get()
    assert action_item.href == f"/recording/record/{child.pk}/actions/{action.pk}/done/"
    complete_supervision_action(acting_user=worker, action=action, done_on=today)
    assert "Supervision action: Visit school" not in {i.title for i in due_items(child, today)}


def test_recording_oversight_clears_the_overdue_item(child: Person, manager: User) -> None:
    today = timezone.localdate()
    before = {i.title: i for i in due_items(child, today)}["Management oversight due"]
    assert before.timeliness.status is TimelinessStatus.OVERDUE
    record_management_oversight(
        acting_user=manager,
        child=child,
        occurred_at=days_ago(0),
        decision="Continue",
        rationale="Progress is good",
    )
    after = {i.title: i for i in due_items(child, today)}["Management oversight due"]
    assert after.timeliness.status is TimelinessStatus.NOT_DUE_YET
    assert after.timeliness.due_date == MANAGEMENT_OVERSIGHT.due_date(today)


def test_a_closed_case_has_no_supervision_or_oversight_due(child: Person) -> None:
    child.allocations.update(end_date=timezone.localdate())
    titles = {i.title for i in due_items(child, timezone.localdate())}
    assert "Supervision due" not in titles
    assert "Management oversight due" not in titles


def test_summary_shows_last_oversight_and_supervision(
    child: Person, manager: User, supervision_factory: Callable[..., Supervision]
) -> None:
    today = timezone.localdate()
    assert [
        b for b in summary_blocks(child, today) if b.order == 40 and "oversight" in b.title
    ] == []
    record_management_oversight(
        acting_user=manager,
        child=child,
        occurred_at=days_ago(1),
        decision="Step down to early help",
        rationale="Needs met",
    )
    supervision_factory()
    block = next(
        b for b in summary_blocks(child, today) if b.title == "Management oversight and supervision"
    )
    rows = dict(block.rows)
    oversight_day = timezone.localdate() - datetime.timedelta(days=1)
    assert rows["Last management oversight"].endswith(": Step down to early help")
    assert rows["Last management oversight"].startswith(str(oversight_day.day))
    assert rows["Last supervision"].endswith("(1 open action)")
    assert block.link_href == f"/recording/record/{child.pk}/"


def test_summary_with_supervision_only(
    child: Person, supervision_factory: Callable[..., Supervision], worker: User
) -> None:
    supervision = supervision_factory()
    complete_supervision_action(
        acting_user=worker, action=supervision.actions.get(), done_on=timezone.localdate()
    )
    block = next(
        b
        for b in summary_blocks(child, timezone.localdate())
        if b.title == "Management oversight and supervision"
    )
    assert [label for label, _ in block.rows] == ["Last supervision"]
    assert block.rows[0][1].endswith("(0 open actions)")


def test_significant_events_for_the_chronology(
    note_factory: Callable[..., CaseNote], worker: User, child: Person
) -> None:
    note_factory(title="Routine visit")
    later = note_factory(
        title="Disclosure at school",
        occurred_at=days_ago(1),
        is_significant=True,
        significance="Ada told her teacher she is scared at home.",
    )
    earlier = note_factory(
        title="Strategy meeting",
        note_type="meeting",
        occurred_at=days_ago(10),
        is_significant=True,
        significance="Police and health agreed a joint visit.",
    )
    events = significant_events(child)
    assert [e.note_id for e in events] == [earlier.pk, later.pk]
    assert events[0].title == "Strategy meeting"
    assert events[0].note_type == "Meeting"
    assert events[0].date == timezone.localdate() - datetime.timedelta(days=10)
    assert events[0].significance == "Police and health agreed a joint visit."
    assert events[0].recorded_by == str(worker)


def test_notes_are_in_the_chronology(
    note_factory: Callable[..., CaseNote], manager: User, child: Person
) -> None:
    visit = note_factory(
        title="Home visit",
        occurred_at=days_ago(5),
        is_significant=True,
        significance="Seen alone for the first time.",
    )
    note_factory(title="Call with school", note_type="phone-call", occurred_at=days_ago(4))
    record_management_oversight(
        acting_user=manager,
        child=child,
        occurred_at=days_ago(3),
        decision="Start a child in need plan",
        rationale="Needs identified",
    )
    entries = recording_chronology(child, RecordsHeld.not_asked(child))
    assert [(e.category, e.what_happened) for e in entries] == [
        (Category.VISIT, "Home visit"),
        (Category.NOTE, "Call with school"),
        (Category.OVERSIGHT, "Management oversight: Start a child in need plan"),
    ]
    assert entries[0].significant
    assert entries[0].why_it_matters == "Seen alone for the first time."
    assert entries[0].href == f"/recording/record/{child.pk}/notes/{visit.pk}/"
    assert entries[0].date == timezone.localdate() - datetime.timedelta(days=5)
    assert not entries[1].significant
    assert contributions(["recording"]) == [CONTRIBUTION]
    assert CONTRIBUTION.chronology is recording_chronology
