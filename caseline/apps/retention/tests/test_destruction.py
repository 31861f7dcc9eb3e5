"""The daily review, legal holds, and destruction: nothing of the record left in any table, the
fact that it existed and the rule it was destroyed under kept."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.chain import verify
from caseline.apps.audit.models import AuditEvent
from caseline.apps.frontdoor import actions as frontdoor
from caseline.apps.frontdoor.models import Contact, ContactPerson
from caseline.apps.lookedafter import actions as lookedafter
from caseline.apps.lookedafter.models import Episode
from caseline.apps.lookedafter.tests.conftest import foster
from caseline.apps.people.models import Person, Relationship
from caseline.apps.protection.models import ProtectionPlan
from caseline.apps.recording import actions as recording
from caseline.apps.retention import actions
from caseline.apps.retention.events import RetentionEvent
from caseline.apps.retention.models import LegalHold, RetentionReview
from caseline.apps.retention.schedule import years_after
from caseline.apps.returns.models import ReturnFinding, ReturnRun
from caseline.apps.synthetic.generator import Builder, Parameters
from tests.factories import ChildFactory, PersonFactory

D = datetime.date
UTC = datetime.UTC
SECRET = "Zephyrine-Quillfeather-secret"
SURNAME = "Quillfeather"
STARTED = D(2025, 1, 6)
BORN = D(2012, 5, 1)
SEVENTY_FIFTH = D(2087, 5, 1)


@pytest.fixture
def approver(make_user: Callable[..., User]) -> User:
    return make_user(Role.SENIOR_LEADER, username="governance", first_name="Gwen")


@pytest.fixture
def child(team: Any, worker: User) -> Person:
    """A looked-after child with a case note, a contact about them alone, a contact about
    them and a sibling, and a parent: the record to destroy."""
    child = ChildFactory.create(
        given_name="Zephyrine",
        family_name=SURNAME,
        date_of_birth=BORN,
        team=team,
        worker=worker,
        allocated_on=STARTED,
    )
    lookedafter.start_period_of_care(
        acting_user=worker, child=child, start_date=STARTED, legal_status="C1", placement=foster()
    )
    recording.record_note(
        acting_user=worker,
        child=child,
        note_type="visit",
        occurred_at=datetime.datetime(2025, 2, 3, 10, tzinfo=UTC),
        title=f"Visit to {SURNAME}",
        body=f"Saw the child alone. {SECRET}",
    )
    return child


@pytest.fixture
def sibling(team: Any, worker: User) -> Person:
    return ChildFactory.create(given_name="Sibyl", family_name="Keepsake", team=team, worker=worker)


@pytest.fixture
def parent(child: Person, sibling: Person) -> Person:
    parent = PersonFactory.create(
        given_name="Parveen", family_name="Keepsake", date_of_birth=D(1980, 1, 1)
    )
    Relationship.objects.create(person=parent, other=child, kind="parent")
    return parent


def _contact(user: User, people: list[tuple[Person, str]], concern: str) -> Contact:
    return frontdoor.record_contact(
        acting_user=user,
        received_at=datetime.datetime(2025, 1, 2, 9, tzinfo=UTC),
        source="2A",
        concern=concern,
        consent=Contact.Consent.GIVEN,
        people=people,
    )


def _every_value() -> str:
    """Every value in every table, as one text to search."""
    parts: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            parts.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(parts)


def test_the_daily_review_lists_a_record_whose_date_has_passed(child: Person) -> None:
    assert actions.list_due_records(as_at=SEVENTY_FIFTH - datetime.timedelta(days=1)).listed == 0
    run = actions.list_due_records(as_at=SEVENTY_FIFTH)
    assert (run.listed, run.withdrawn, run.held) == (1, 0, 0)
    review = RetentionReview.objects.get()
    assert (review.subject_person_id, review.rule_code, review.keep_until) == (
        child.pk,
        "RET-LAC",
        SEVENTY_FIFTH,
    )
    # Listed once, however often the job runs.
    assert actions.list_due_records(as_at=SEVENTY_FIFTH).listed == 0
    assert RetentionReview.objects.count() == 1
    event = AuditEvent.objects.get(event_type=RetentionEvent.REVIEW_LISTED)
    assert event.subject_person_id == child.pk
    assert event.acting_user is None


def test_approved_destruction_leaves_nothing_of_the_record_and_keeps_the_fact(
    child: Person, sibling: Person, parent: Person, worker: User, approver: User
) -> None:
    own = _contact(worker, [(child, ContactPerson.Role.SUBJECT)], f"About {SECRET} alone")
    shared = _contact(
        worker,
        [(child, ContactPerson.Role.SUBJECT), (sibling, ContactPerson.Role.SUBJECT)],
        "About both children",
    )
    run = ReturnRun.objects.create(return_slug="ssda903", year=2026, requested_by=worker)
    ReturnFinding.objects.create(
        run=run, person_id=child.pk, code="103", is_error=True, message=f"{SECRET} in a finding"
    )
    events_about_child = AuditEvent.objects.filter(subject_person_id=child.pk).count()
    assert SECRET in _every_value()
    actions.list_due_records(as_at=SEVENTY_FIFTH)
    review = RetentionReview.objects.get()

    destroyed = actions.approve_destruction(
        acting_user=approver, review=review, as_at=SEVENTY_FIFTH
    )

    everything = _every_value()
    assert SECRET not in everything
    assert SURNAME not in everything
    assert "Zephyrine" not in everything
    assert not Person.objects.filter(pk=child.pk).exists()
    assert not Episode.objects.filter(person_id=child.pk).exists()
    # The contact about this child alone went; the one about siblings stays, without them.
    assert not Contact.objects.filter(pk=own.pk).exists()
    assert list(shared.people.values_list("person_id", flat=True)) == [sibling.pk]
    # Other people's records stay, without their link to the child.
    assert Person.objects.filter(pk__in=[sibling.pk, parent.pk]).count() == 2
    assert not Relationship.objects.filter(person=parent).exists()
    # The fact: the review, and every event about the child kept, its content erased.
    assert destroyed.status == RetentionReview.Status.DESTROYED
    assert destroyed.decided_by == approver
    assert destroyed.rule_code == "RET-LAC"
    assert destroyed.rows_destroyed["people_person"] == 1
    assert destroyed.rows_destroyed["recording_casenote"] == 1
    assert destroyed.rows_destroyed["frontdoor_contact"] == 1
    assert destroyed.rows_destroyed["returns_returnfinding"] == 1
    kept = AuditEvent.objects.filter(subject_person_id=child.pk).exclude(
        event_type=RetentionEvent.RECORD_DESTROYED
    )
    assert kept.count() == events_about_child + 1  # and the listing
    assert all(e.new_values == {} and e.old_values == {} and e.target_repr == "" for e in kept)
    assert all(e.extra == {"content_destroyed": True} for e in kept)
    proof = AuditEvent.objects.get(event_type=RetentionEvent.RECORD_DESTROYED)
    assert proof.acting_user == approver
    assert proof.subject_person_id == child.pk
    assert proof.new_values["rule"] == "RET-LAC"
    assert proof.new_values["keep_until"] == "2087-05-01"
    assert proof.new_values["rows_destroyed"] == destroyed.rows_destroyed
    # The erasure keeps the hash chain whole, and the proof accounts for every erased event.
    erased = AuditEvent.objects.filter(extra={"content_destroyed": True}).count()
    assert erased >= kept.count()
    assert proof.new_values["audit_events_erased"] == erased
    result = verify()
    assert result.intact, result.breaks


def test_a_legal_hold_stops_listing_and_destruction_until_lifted(
    child: Person, approver: User
) -> None:
    actions.list_due_records(as_at=SEVENTY_FIFTH)
    review = RetentionReview.objects.get()
    hold = actions.place_hold(acting_user=approver, person=child, reason="A claim is expected")

    with pytest.raises(ValidationError, match=r"A legal hold placed on .* stops destruction"):
        actions.approve_destruction(acting_user=approver, review=review, as_at=SEVENTY_FIFTH)
    assert Person.objects.filter(pk=child.pk).exists()

    run = actions.list_due_records(as_at=SEVENTY_FIFTH)
    assert (run.listed, run.withdrawn, run.held) == (0, 1, 1)
    review.refresh_from_db()
    assert review.status == RetentionReview.Status.WITHDRAWN

    actions.lift_hold(acting_user=approver, hold=hold, reason="The claim was settled")
    assert actions.list_due_records(as_at=SEVENTY_FIFTH).listed == 1
    assert LegalHold.objects.get().lift_reason == "The claim was settled"
    events = AuditEvent.objects.filter(subject_person_id=child.pk).values_list(
        "event_type", flat=True
    )
    assert {RetentionEvent.HOLD_PLACED, RetentionEvent.HOLD_LIFTED} <= set(events)


def test_a_record_not_yet_due_is_not_destroyed(child: Person, approver: User) -> None:
    actions.list_due_records(as_at=SEVENTY_FIFTH)
    review = RetentionReview.objects.get()
    with pytest.raises(ValidationError, match="now keeps this record until 1 May 2087"):
        actions.approve_destruction(
            acting_user=approver, review=review, as_at=SEVENTY_FIFTH - datetime.timedelta(days=1)
        )
    assert Person.objects.filter(pk=child.pk).exists()


def test_only_the_holder_of_the_permission_approves_or_holds(
    child: Person, worker: User, manager: User, make_user: Callable[..., User]
) -> None:
    actions.list_due_records(as_at=SEVENTY_FIFTH)
    review = RetentionReview.objects.get()
    administrator = make_user(Role.ADMINISTRATOR)
    for user in (worker, manager, administrator):
        with pytest.raises(PermissionDenied):
            actions.approve_destruction(acting_user=user, review=review, as_at=SEVENTY_FIFTH)
        with pytest.raises(PermissionDenied):
            actions.place_hold(acting_user=user, person=child, reason="x")
    assert Person.objects.filter(pk=child.pk).exists()


def test_a_hold_needs_a_reason(child: Person, approver: User) -> None:
    with pytest.raises(ValidationError) as raised:
        actions.place_hold(acting_user=approver, person=child, reason="  ")
    assert raised.value.message_dict == {"reason": ["Enter why the record must be kept"]}
    assert not LegalHold.objects.exists()


def test_the_review_command_refuses_a_bad_date_in_one_line(db: None) -> None:
    with pytest.raises(CommandError, match="--date must be a day as YYYY-MM-DD") as raised:
        call_command("retention", "review", "--date", "1 May")
    assert raised.value.returncode == 2


def test_the_review_command_reports_what_it_listed(child: Person, capsys: Any) -> None:
    call_command("retention", "review", "--date", "2087-05-01")
    assert "1 newly due, 0 no longer due, 0 held" in capsys.readouterr().out


def _table_counts() -> dict[str, int]:
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = int(cursor.fetchone()[0])
    return counts


def test_destroying_a_generated_childs_whole_record_takes_only_its_rows(
    approver: User,
) -> None:
    """On a generated authority: the child with most records in most tables is destroyed, every
    table loses exactly the rows the proof counts, and every foreign key still holds."""
    Builder(Parameters(children=60, years=3, seed=8, as_at=D(2026, 11, 2))).run()
    looked_after = set(Episode.objects.values_list("person_id", flat=True))
    protected = set(ProtectionPlan.objects.values_list("person_id", flat=True))
    child_id = min(looked_after & protected or looked_after)
    child = Person.objects.get(pk=child_id)
    assert child.date_of_birth is not None
    as_at = years_after(child.date_of_birth, 75)
    actions.list_due_records(as_at=as_at)
    review = RetentionReview.objects.get(subject_person_id=child_id)
    before = _table_counts()

    destroyed = actions.approve_destruction(acting_user=approver, review=review, as_at=as_at)

    after = _table_counts()
    assert destroyed.rows_destroyed["people_person"] == 1
    assert destroyed.rows_destroyed["lookedafter_episode"] >= 1
    assert len(destroyed.rows_destroyed) >= 8
    for table, count in before.items():
        if table in {"audit_auditevent", "retention_retentionreview"}:
            continue
        assert count - after[table] == destroyed.rows_destroyed.get(table, 0), table
    connection.check_constraints()
