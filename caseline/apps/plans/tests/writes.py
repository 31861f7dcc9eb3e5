"""The checks every write of the plan apps meets, for their tests: no date from before 1900
or before the child was born, and the permission first."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, NamedTuple

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.audit.models import AuditEvent

LONG_AGO = datetime.date(1850, 6, 1)


class Write(NamedTuple):
    """A write: called with the test's setting, a user and a day; the permission it needs;
    the field that day goes in and how its messages name it (None for an undated write); a
    day it accepts."""

    call: Callable[[dict[str, Any], User, datetime.date], Any]
    permission: Permission
    field: str | None
    what: str
    day: datetime.date


def dated(writes: dict[str, Write]) -> list[str]:
    """The writes that take a date."""
    return [name for name, write in writes.items() if write.field]


def impossible_days(before_birth: datetime.date, born: str) -> list[tuple[datetime.date, str]]:
    """Days no form accepts, with the message (``{what}`` for the date's name): the year 1850,
    and a day before the child (Ada, born on ``born``) was born."""
    return [
        (LONG_AGO, "{what} must be in 1900 or later"),
        (before_birth, "{what} must be on or after Ada's date of birth (" + born + ")"),
    ]


def assert_refused(
    write: Write, setting: dict[str, Any], user: User, day: datetime.date, says: str
) -> None:
    """The write refuses ``day`` with ``says`` beside its date, and writes nothing."""
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        write.call(setting, user, day)
    assert caught.value.message_dict[str(write.field)] == [says.format(what=write.what)]
    assert AuditEvent.objects.count() == events


def assert_needs_its_permission(
    write: Write, setting: dict[str, Any], refused: User, *, permitted: User
) -> None:
    """The write refuses ``refused``, who lacks its permission, and writes nothing; it is
    done, and audited, for ``permitted``, who holds it (so it was refused for that alone)."""
    events = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied, match="This needs the permission to"):
        write.call(setting, refused, write.day)
    assert AuditEvent.objects.count() == events
    write.call(setting, permitted, write.day)
    assert AuditEvent.objects.count() > events
