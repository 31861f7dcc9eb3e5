"""The audit trail as a hash chain: each event is sealed with a hash over itself and the
previous event's hash, so rewriting, removing or reordering any event breaks the chain
(ADR: tamper-evident audit chain).

The hash is SHA-256 over a canonical serialisation (:func:`canonical`): the event's chain
position and stored fields as sorted, compact JSON, then the previous event's hash. Appends are
serialised by the chain's one head row, read ``SELECT ... FOR UPDATE`` in the appending
transaction (SQLite serialises writers anyway), so two writers can never both follow the same
event. :func:`verify` recomputes every hash; ``caseline audit verify`` runs it.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

# The hash of the event before the first.
GENESIS = "0" * 64
# Changing what is hashed needs a new version, so old events still verify.
CHAIN_VERSION = "caseline-audit-v1"
# Fields hashed, in this order (their values are read as stored).
HASHED_FIELDS = (
    "chain_position",
    "occurred_at",
    "acting_user_id",
    "acting_username",
    "event_type",
    "target_type_id",
    "target_id",
    "target_repr",
    "subject_person_id",
    "old_values",
    "new_values",
    "extra",
    "request_uuid",
)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    return str(value)  # UUID


def canonical(values: dict[str, Any], previous_hash: str) -> bytes:
    """The bytes hashed for one event: its fields as canonical JSON and the previous hash."""
    body = {name: _plain(values[name]) for name in HASHED_FIELDS}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return f"{CHAIN_VERSION}\n{text}\n{previous_hash}".encode()


def event_hash(values: dict[str, Any], previous_hash: str) -> str:
    """The SHA-256 of an event chained to the one before it."""
    return hashlib.sha256(canonical(values, previous_hash)).hexdigest()


def values_of(event: Any) -> dict[str, Any]:
    """The hashed fields of an event (a model instance)."""
    return {name: getattr(event, name) for name in HASHED_FIELDS}


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
    """Recompute every event's hash in chain order; report each break."""
    from caseline.apps.audit.models import AuditChainHead

    breaks: list[Break] = []
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
            breaks.append(Break(*here, "its contents were changed after it was recorded"))
        expected_position, previous = row["chain_position"] + 1, row["event_hash"]
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
