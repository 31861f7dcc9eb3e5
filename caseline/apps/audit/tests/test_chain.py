"""The audit trail is a hash chain: a rewritten, removed or reordered event is detected."""

from __future__ import annotations

import io
import itertools
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from caseline.apps.audit.chain import GENESIS, content_hash, event_hash, values_of, verify
from caseline.apps.audit.erasure import erase_content
from caseline.apps.audit.events import EventType
from caseline.apps.audit.models import AuditChainHead, AuditEvent
from caseline.apps.audit.record import (
    AuditOutsideTransaction,
    events_together,
    record_event,
    record_export,
    record_view,
)


@pytest.fixture
def trail(make_user: Any) -> list[AuditEvent]:
    user = make_user()
    with transaction.atomic():
        first = record_event(
            acting_user=user,
            event_type=EventType.UPDATED,
            target=user,
            new_values={"note": "Visited at home"},
        )
    second = record_view(acting_user=user, subject=user)
    record_export(acting_user=user, export_name="Annex A", subject_person_ids=[4, 5])
    return [first, second, *AuditEvent.objects.filter(event_type="record.exported")]


def _rewrite(sql: str, params: list[Any]) -> None:
    """Rewrite the trail behind the application's back, as someone owning the table could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER audit_auditevent_no_update")
            cursor.execute("DROP TRIGGER audit_auditevent_no_delete")
            cursor.execute(sql, params)


def test_each_event_is_chained_to_the_one_before(trail: list[AuditEvent]) -> None:
    events = list(AuditEvent.objects.order_by("chain_position"))
    assert [e.chain_position for e in events] == [1, 2, 3, 4, 5]
    assert events[0].previous_hash == GENESIS
    for before, after in itertools.pairwise(events):
        assert after.previous_hash == before.event_hash
    for event in events:
        assert event.event_hash == event_hash(values_of(event), event.previous_hash)
    head = AuditChainHead.objects.get()
    assert (head.position, head.last_hash) == (5, events[-1].event_hash)


def test_an_intact_chain_verifies(trail: list[AuditEvent]) -> None:
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "intact: 5 events verified" in out.getvalue()


def test_a_rewritten_event_is_detected_and_named(trail: list[AuditEvent]) -> None:
    first = trail[0]
    _rewrite(
        "UPDATE audit_auditevent SET new_values = %s WHERE id = %s",
        ['{"note": "Not visited"}', first.pk],
    )
    result = verify()
    assert not result.intact
    assert [(b.event_id, b.problem) for b in result.breaks] == [
        (first.pk, "its contents were changed after it was recorded")
    ]
    err = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("audit", "verify", stderr=err)
    assert refused.value.returncode == 1
    assert f"event {first.pk} (position 1)" in err.getvalue()


def test_a_rewritten_event_with_a_recomputed_hash_breaks_the_next_link(
    trail: list[AuditEvent],
) -> None:
    first = AuditEvent.objects.get(pk=trail[0].pk)
    first.acting_username = "someone-else"
    forged = event_hash(values_of(first), first.previous_hash)
    _rewrite(
        "UPDATE audit_auditevent SET acting_username = %s, event_hash = %s WHERE id = %s",
        ["someone-else", forged, first.pk],
    )
    breaks = verify().breaks
    assert [(b.event_id, b.problem) for b in breaks] == [
        (trail[1].pk, "does not follow the event before it")
    ]


def test_a_rewritten_content_with_a_recomputed_content_hash_breaks_its_chain_hash(
    trail: list[AuditEvent],
) -> None:
    first = AuditEvent.objects.get(pk=trail[0].pk)
    first.new_values = {"note": "Not visited"}
    _rewrite(
        "UPDATE audit_auditevent SET new_values = %s, content_hash = %s WHERE id = %s",
        ['{"note": "Not visited"}', content_hash(values_of(first)), first.pk],
    )
    assert [(b.event_id, b.problem) for b in verify().breaks] == [
        (first.pk, "its details were changed after it was recorded")
    ]


def _destroyed(trail: list[AuditEvent], person_id: int, erased: int) -> AuditEvent:
    """Retention's record of a destruction, as ``approve_destruction`` writes it."""
    from caseline.apps.retention.events import RetentionEvent

    with transaction.atomic():
        return record_event(
            acting_user=None,
            event_type=RetentionEvent.RECORD_DESTROYED,
            subject_person_id=person_id,
            new_values={"audit_events_erased": erased},
        )


def test_an_event_erased_by_a_recorded_destruction_still_verifies(
    trail: list[AuditEvent],
) -> None:
    with transaction.atomic():
        erased = erase_content(subject_person_ids=[4], targets={})
    assert erased == 1
    _destroyed(trail, 4, erased)
    stored = AuditEvent.objects.get(subject_person_id=4, event_type="record.exported")
    assert stored.extra == {"content_destroyed": True}
    result = verify()
    assert result.intact, result.breaks
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "intact: 6 events verified" in out.getvalue()


def test_an_erasure_no_destruction_accounts_for_is_detected(trail: list[AuditEvent]) -> None:
    with transaction.atomic():
        erase_content(subject_person_ids=[4, 5], targets={})
    _destroyed(trail, 4, 1)  # person 5's record was never destroyed
    faked = AuditEvent.objects.get(subject_person_id=5)
    assert [(b.event_id, b.problem) for b in verify().breaks] == [
        (faked.pk, "its content is erased but no destruction recorded after it names its person")
    ]


def test_an_erasure_before_no_destruction_at_all_is_detected(trail: list[AuditEvent]) -> None:
    with transaction.atomic():
        erase_content(subject_person_ids=[5], targets={})
    faked = AuditEvent.objects.get(subject_person_id=5)
    assert [b.event_id for b in verify().breaks] == [faked.pk]


def test_a_removed_event_is_detected(trail: list[AuditEvent]) -> None:
    _rewrite("DELETE FROM audit_auditevent WHERE id = %s", [trail[1].pk])
    problems = [b.problem for b in verify().breaks]
    assert "expected position 2: events missing before it" in problems


def test_removing_the_last_events_is_detected(trail: list[AuditEvent]) -> None:
    last = AuditEvent.objects.order_by("-chain_position").first()
    assert last is not None
    _rewrite("DELETE FROM audit_auditevent WHERE id = %s", [last.pk])
    assert "events after position 4 are missing" in str(verify().breaks[-1])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_unbroken_chain(make_user: Any) -> None:
    """Writers in parallel queue on the chain's head row: no two follow the same event."""
    import threading

    from django.db import connections

    user = make_user()
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for _ in range(n):
                with transaction.atomic():
                    record_event(acting_user=user, event_type=EventType.UPDATED, target=user)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(10,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    result = verify()
    assert result.intact, result.breaks
    assert result.events == 40


def test_events_gathered_together_are_sealed_in_order_when_the_block_ends(
    trail: list[AuditEvent],
) -> None:
    user = trail[0].acting_user
    with transaction.atomic(), events_together():
        for note in ("first", "second", "third"):
            record_event(acting_user=user, event_type=EventType.UPDATED, new_values={"n": note})
        assert not AuditEvent.objects.filter(new_values__n="first").exists()
    gathered = AuditEvent.objects.filter(new_values__has_key="n").order_by("chain_position")
    assert [e.new_values["n"] for e in gathered] == ["first", "second", "third"]
    last = AuditEvent.objects.order_by("-chain_position").first()
    assert last is not None
    assert last.new_values == {"n": "third"}
    assert AuditChainHead.objects.get().position == last.chain_position
    assert verify().intact


def test_events_gathered_in_a_block_that_raises_are_not_written(make_user: Any) -> None:
    user = make_user()
    before = AuditEvent.objects.count()

    def refused() -> None:
        with transaction.atomic(), events_together():
            record_event(acting_user=user, event_type=EventType.UPDATED, target=user)
            raise RuntimeError("refused")

    with pytest.raises(RuntimeError):
        refused()
    assert AuditEvent.objects.count() == before
    with transaction.atomic():  # and the events after it are recorded one at a time again
        record_event(acting_user=user, event_type=EventType.UPDATED, target=user)
    assert AuditEvent.objects.count() == before + 1
    assert verify().intact


def test_events_are_gathered_only_inside_a_transaction() -> None:
    with pytest.raises(AuditOutsideTransaction), events_together():
        pass
