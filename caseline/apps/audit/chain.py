"""The audit trail as a hash chain: each event is sealed with a hash over itself and the
previous event's hash, so rewriting, removing or reordering any event breaks the chain
(ADR: tamper-evident audit chain).

Each event has two hashes. Its content hash is SHA-256 over the canonical serialisation
(:func:`canonical_content`) of its content: description, old and new values, extra detail.
Its chain hash is SHA-256 over its chain position, its other stored fields, its content hash
and the previous event's hash (:func:`canonical`). Destruction under the retention schedule
erases an event's content and keeps its content hash (``audit.erasure``), so the chain still
verifies; a rewritten content no longer matches its content hash. Appends are
serialised by the chain's one head row, read ``SELECT ... FOR UPDATE`` in the appending
transaction (SQLite serialises writers anyway), so two writers can never both follow the same
event. :func:`verify` recomputes every hash; ``caseline audit verify`` runs it.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

# The hash of the event before the first.
GENESIS = "0" * 64
# Changing what is hashed needs a new version, so old events still verify.
CHAIN_VERSION = "caseline-audit-v2"
CONTENT_VERSION = "caseline-audit-content-v1"
# The content: what destruction erases (audit.erasure), hashed into the content hash.
CONTENT_FIELDS = ("target_repr", "old_values", "new_values", "extra")
# The fields the chain hash covers (their values read as stored), with the content hash.
CHAINED_FIELDS = (
    "chain_position",
    "occurred_at",
    "acting_user_id",
    "acting_username",
    "event_type",
    "target_type_id",
    "target_id",
    "subject_person_id",
    "request_uuid",
    "content_hash",
)
# Every field read to seal or verify an event.
HASHED_FIELDS = CHAINED_FIELDS + CONTENT_FIELDS
# An erased event's extra detail; its other content is blank.
ERASED_EXTRA = {"content_destroyed": True}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    return str(value)  # UUID


def _json(body: dict[str, Any]) -> str:
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_content(values: dict[str, Any]) -> bytes:
    """The bytes of an event's content hash: its content fields as canonical JSON."""
    body = {name: _plain(values[name]) for name in CONTENT_FIELDS}
    return f"{CONTENT_VERSION}\n{_json(body)}".encode()


def content_hash(values: dict[str, Any]) -> str:
    """The SHA-256 of an event's content."""
    return hashlib.sha256(canonical_content(values)).hexdigest()


def canonical(values: dict[str, Any], previous_hash: str) -> bytes:
    """The bytes of an event's chain hash: its chained fields (content hash included) as
    canonical JSON, then the previous event's hash."""
    body = {name: _plain(values[name]) for name in CHAINED_FIELDS}
    return f"{CHAIN_VERSION}\n{_json(body)}\n{previous_hash}".encode()


def event_hash(values: dict[str, Any], previous_hash: str) -> str:
    """The SHA-256 of an event chained to the one before it."""
    return hashlib.sha256(canonical(values, previous_hash)).hexdigest()


def values_of(event: Any) -> dict[str, Any]:
    """The hashed fields of an event (a model instance)."""
    return {name: getattr(event, name) for name in HASHED_FIELDS}


def is_erased(values: dict[str, Any]) -> bool:
    """Whether an event's content is erased: blank, with the extra detail saying so."""
    return bool(
        values["extra"] == ERASED_EXTRA
        and values["old_values"] == {}
        and values["new_values"] == {}
        and values["target_repr"] == ""
    )


def seal(events: Sequence[Any]) -> None:
    """Give unsaved events their chain position and hashes, after the chain's last event.

    Call inside the transaction that inserts them: the head row stays locked until it ends.
    """
    from caseline.apps.audit.models import AuditChainHead

    if not events:
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Audit events are sealed inside the transaction that inserts them.")
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        head = _made_head()
    position, previous = head.position, head.last_hash
    for event in events:
        position += 1
        event.chain_position = position
        event.previous_hash = previous
        event.content_hash = content_hash(values_of(event))
        event.event_hash = event_hash(values_of(event), previous)
        previous = event.event_hash
    head.position, head.last_hash = position, previous
    head.save(update_fields=["position", "last_hash"])  # write-outside-actions: the audit trail


def _made_head() -> Any:
    """The chain's head row where there is none (the migration makes it; a test database's
    flush empties it): after the last sealed event, made once however many writers race."""
    from caseline.apps.audit.models import AuditChainHead, AuditEvent

    last = (
        AuditEvent.objects.exclude(chain_position=None)
        .order_by("-chain_position")
        .values_list("chain_position", "event_hash")
        .first()
    )
    position, last_hash = last if last else (0, GENESIS)
    AuditChainHead.objects.get_or_create(  # write-outside-actions: the audit trail itself
        pk=1, defaults={"position": position, "last_hash": last_hash}
    )
    return AuditChainHead.objects.select_for_update().get(pk=1)


@dataclass(frozen=True)
class Break:
    """Where the chain is broken, and how."""

    event_id: int | None
    position: int | None
    problem: str

    def __str__(self) -> str:
        where = f"event {self.event_id} (position {self.position})" if self.event_id else "chain"
        return f"{where}: {self.problem}"


@dataclass(frozen=True)
class Verification:
    events: int
    breaks: tuple[Break, ...]

    @property
    def intact(self) -> bool:
        return not self.breaks


def _events(batch: int) -> Iterator[Any]:
    from caseline.apps.audit.models import AuditEvent

    rows = AuditEvent.objects.order_by("chain_position").values(
        "id", "previous_hash", "event_hash", *HASHED_FIELDS
    )
    yield from rows.iterator(chunk_size=batch)


def verify(batch: int = 5000) -> Verification:
    """Recompute every event's hashes in chain order; report each break.

    An erased event's content is not checked (it is gone; its content hash stays in the
    chain), but it must be accounted for by a destruction recorded later in the chain
    (:func:`_unaccounted_erasures`): content blanked by hand is caught there.
    """
    from caseline.apps.audit.models import AuditChainHead

    breaks: list[Break] = []
    ledger = _ErasureLedger()
    expected_position, previous, count = 1, GENESIS, 0
    for row in _events(batch):
        count += 1
        here = (row["id"], row["chain_position"])
        if row["chain_position"] is None:
            breaks.append(Break(*here, "not sealed into the chain"))
            continue
        if row["chain_position"] != expected_position:
            breaks.append(
                Break(*here, f"expected position {expected_position}: events missing before it")
            )
        if row["previous_hash"] != previous:
            breaks.append(Break(*here, "does not follow the event before it"))
        if event_hash(row, row["previous_hash"]) != row["event_hash"]:
            breaks.append(Break(*here, "its details were changed after it was recorded"))
        if is_erased(row):
            ledger.erased.append((row["id"], row["chain_position"], row["subject_person_id"]))
        elif content_hash(row) != row["content_hash"]:
            breaks.append(Break(*here, "its contents were changed after it was recorded"))
        ledger.note(row)
        expected_position, previous = row["chain_position"] + 1, row["event_hash"]
    breaks.extend(ledger.unaccounted())
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.position, head.last_hash) != (expected_position - 1, previous):
        breaks.append(
            Break(
                None,
                None,
                f"the chain's head says {head.position} events; events after "
                f"position {expected_position - 1} are missing",
            )
        )
    return Verification(count, tuple(breaks))


@dataclass
class _ErasureLedger:
    """Erased events against the destructions recorded in the chain (retention's
    ``retention.record-destroyed`` event: the person and how many events it erased).

    An erased event is accounted for when a later destruction names its person. An event
    erased because its target was a destroyed row may be about no one, or someone else: those
    are accounted for by the count, as each destruction records exactly how many it erased.
    """

    erased: list[tuple[int, int, int | None]] = field(default_factory=list)
    destroyed_at: dict[int, int] = field(default_factory=dict)
    declared: int = 0

    def note(self, row: dict[str, Any]) -> None:
        from caseline.apps.retention.events import RetentionEvent

        if row["event_type"] != RetentionEvent.RECORD_DESTROYED or is_erased(row):
            return
        erased = row["new_values"].get("audit_events_erased")
        if isinstance(erased, int) and not isinstance(erased, bool):
            self.declared += erased
        if row["subject_person_id"] is not None:
            self.destroyed_at[row["subject_person_id"]] = row["chain_position"]

    def unaccounted(self) -> list[Break]:
        if len(self.erased) <= self.declared:
            return []
        problem = "its content is erased but no destruction recorded after it names its person"
        breaks = [
            Break(event_id, position, problem)
            for event_id, position, person in self.erased
            if person is None or self.destroyed_at.get(person, 0) < position
        ]
        return breaks or [
            Break(
                None,
                None,
                f"{len(self.erased)} events are erased but the destructions recorded erased "
                f"{self.declared}",
            )
        ]
