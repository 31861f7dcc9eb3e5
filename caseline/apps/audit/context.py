"""The request id that groups the audit events of one user action."""

from __future__ import annotations

import uuid
from contextvars import ContextVar

_request_uuid: ContextVar[uuid.UUID | None] = ContextVar("caseline_request_uuid", default=None)


def current_request_uuid() -> uuid.UUID:
    """The id of the action under way; a fresh one outside a request (commands, jobs)."""
    value = _request_uuid.get()
    if value is None:
        value = uuid.uuid4()
        _request_uuid.set(value)
    return value


def begin_request() -> uuid.UUID:
    """Start a new action: every event recorded until :func:`end_request` shares its id."""
    value = uuid.uuid4()
    _request_uuid.set(value)
    return value


def end_request() -> None:
    """Forget the current id."""
    _request_uuid.set(None)
