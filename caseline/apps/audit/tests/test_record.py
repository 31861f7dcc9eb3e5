"""The recording API: values made JSON-safe, changes computed, reads recorded."""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

from caseline.apps.audit.models import AuditEvent
from caseline.apps.audit.record import changed_values, json_safe, record_view, snapshot


def test_values_are_made_json_safe() -> None:
    some_id = uuid.uuid4()
    assert json_safe(datetime.date(2025, 4, 18)) == "2025-04-18"
    assert json_safe(decimal.Decimal("1.50")) == "1.50"
    assert json_safe(some_id) == str(some_id)
    assert json_safe({"a": [datetime.date(2025, 1, 1)], 2: (1, 2)}) == {
        "a": ["2025-01-01"],
        "2": [1, 2],
    }


def test_only_changed_values_are_kept() -> None:
    old, new = changed_values({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4})
    assert old == {"b": 2, "c": None}
    assert new == {"b": 3, "c": 4}


def test_a_snapshot_reads_foreign_keys_by_id(make_user: Any) -> None:
    user = make_user(first_name="Ada")
    assert snapshot(user, ["first_name", "team"]) == {"first_name": "Ada", "team": None}


def test_a_read_is_recorded_against_the_person(make_user: Any) -> None:
    reader, subject = make_user(), make_user()
    event = record_view(acting_user=reader, subject=subject, section="chronology")
    stored = AuditEvent.objects.for_subject(subject.pk).get()
    assert stored == event
    assert stored.event_type == "record.viewed"
    assert stored.extra == {"section": "chronology"}
    assert stored.acting_user == reader
