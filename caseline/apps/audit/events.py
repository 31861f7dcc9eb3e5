"""The kinds of audit event. Each capability adds its own members here, in one place."""

from __future__ import annotations

from enum import StrEnum


class EventType(StrEnum):
    """What happened. Values are stored, so never rename one; add a new member instead."""

    # Accounts
    SIGNED_IN = "account.signed-in"
    SIGN_IN_FAILED = "account.sign-in-failed"
    ACCOUNT_LOCKED = "account.locked"
    SIGNED_OUT = "account.signed-out"
    USER_CREATED = "account.user-created"
    ROLE_ASSIGNED = "account.role-assigned"
    # Reads and exports
    CHILD_RECORD_VIEWED = "record.viewed"
    EXPORTED = "record.exported"
    # Generic writes, for capabilities that need no more specific name
    CREATED = "object.created"
    UPDATED = "object.updated"

    @property
    def is_read(self) -> bool:
        """Whether the event records a read rather than a change."""
        return self in {EventType.CHILD_RECORD_VIEWED, EventType.EXPORTED}
