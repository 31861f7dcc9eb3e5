"""The kinds of audit event.

Shared kinds are here; each domain app declares its own in ``<app>/events.py`` as a
``StrEnum`` whose values start with the app's name (``frontdoor.contact-recorded``).
Values are stored, so never rename one; add a new member instead.
"""

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
    # The administrator's accounts pages and a user's own security (issue 19).
    ROLE_ENDED = "account.role-ended"
    TEAM_CREATED = "account.team-created"
    TEAM_JOINED = "account.team-joined"
    TEAM_LEFT = "account.team-left"
    USER_DEACTIVATED = "account.user-deactivated"
    USER_REACTIVATED = "account.user-reactivated"
    USER_UNLOCKED = "account.user-unlocked"
    PASSWORD_CHANGED = "account.password-changed"  # noqa: S105 (an event name)
    TWO_FACTOR_SET_UP = "account.two-factor-set-up"
    TWO_FACTOR_RESET = "account.two-factor-reset"
    SECURITY_KEY_REGISTERED = "account.security-key-registered"
    SECURITY_KEY_RENAMED = "account.security-key-renamed"
    SECURITY_KEY_REMOVED = "account.security-key-removed"
    TWO_FACTOR_ROLES_CHANGED = "account.two-factor-roles-changed"
    # Reads and exports
    CHILD_RECORD_VIEWED = "record.viewed"
    EXPORTED = "record.exported"
    # A page listing several children (a list, a search, a form about a child): one event
    # naming them all in ``extra["people"]``.
    CHILDREN_LISTED = "record.listed"
    # Refused: a page the user lacks the permission for, or a record they may not see.
    ACCESS_REFUSED = "access.refused"
    # The administrator read the audit trail (the filter in ``extra``).
    AUDIT_TRAIL_VIEWED = "audit.viewed"
    # Generic writes, for capabilities that need no more specific name
    CREATED = "object.created"
    UPDATED = "object.updated"


# Events that record a read, not a change: these need no surrounding transaction.
READ_EVENTS = frozenset(
    {
        EventType.CHILD_RECORD_VIEWED,
        EventType.EXPORTED,
        EventType.CHILDREN_LISTED,
        EventType.ACCESS_REFUSED,
        EventType.AUDIT_TRAIL_VIEWED,
    }
)

# Events about a user's own signing in and its security, which change nothing in any child's
# record: work kept until the record changes (ADR 0043) is not worked out again after them.
OWN_SIGN_IN_EVENTS = frozenset(
    {
        EventType.SIGNED_IN,
        EventType.SIGN_IN_FAILED,
        EventType.SIGNED_OUT,
        EventType.ACCOUNT_LOCKED,
        EventType.USER_UNLOCKED,
        EventType.PASSWORD_CHANGED,
        EventType.TWO_FACTOR_SET_UP,
        EventType.TWO_FACTOR_RESET,
        EventType.SECURITY_KEY_REGISTERED,
        EventType.SECURITY_KEY_RENAMED,
        EventType.SECURITY_KEY_REMOVED,
    }
)
# The same sets as sorted tuples, so the SQL naming them is the same in every process and
# matches the partial indexes that name them (``AuditEvent.Meta.indexes``).
READ_EVENT_TYPES = tuple(sorted(READ_EVENTS))
NOT_CHANGING_RECORDS = tuple(sorted(READ_EVENTS | OWN_SIGN_IN_EVENTS))
