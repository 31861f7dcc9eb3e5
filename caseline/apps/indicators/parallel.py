"""Counting the indicators in two processes: the children's care in a second one (ADR 0045).

The whole set for a large authority is CPU-bound Python over two independent halves: the
indicators that read the children's care histories (``Indicator.reads_care``: what the
SSDA903 and the looked-after measures read once a context) and the rest. Python runs one
thread at a time, so the second half is counted in a child process (``os.fork``), which
opens its own database connection and sends its rows back through a pipe, pickled.

A child is forked only where it sees what this process would: for the authority's whole
record (not a team's children), outside a transaction (so this process has nothing
uncommitted the child could not read), on a database another process can open (not an
in-memory SQLite). Anything else, a child that fails, or ``INDICATOR_PROCESSES`` set to 1,
and every indicator is counted here, in order.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import signal
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connections

if TYPE_CHECKING:  # the engine counts through this module
    from caseline.apps.indicators.engine import Context, Counted, Indicator

logger = logging.getLogger(__name__)

Rows = dict[str, tuple["Counted", ...]]

# The inherited connections of a counting child: the parent's, so never closed here (closing
# a PostgreSQL connection tells the server the session is over, the parent's with it). The
# child leaves with ``os._exit``, which closes nothing.
_INHERITED: list[object] = []


def count_rows(indicators: Sequence[Indicator], context: Context) -> Rows:
    """Each indicator's rows for ``context``, by code: those reading the children's care in a
    second process when that can be done (the module's docstring), the rest here."""
    apart = [indicator for indicator in indicators if indicator.reads_care]
    here = [indicator for indicator in indicators if not indicator.reads_care]
    child = _fork(apart, context) if here and apart and _can_fork(context) else None
    if child is None:
        return _count(indicators, context)
    pid, reading = child
    try:
        rows = _count(here, context)
    except BaseException:
        _stop(pid, reading)  # not left blocked on a pipe no one will read
        raise
    counted_apart = _collect(pid, reading)
    if counted_apart is None:  # the child failed: count its half here, where errors show
        counted_apart = _count(apart, context)
    rows.update(counted_apart)
    return {indicator.code: rows[indicator.code] for indicator in indicators}


def processes() -> int:
    """How many processes may count one set (``INDICATOR_PROCESSES``; 1: only this one)."""
    return int(getattr(settings, "INDICATOR_PROCESSES", 1))


def _can_fork(context: Context) -> bool:
    if processes() < 2 or context.people is not None or not hasattr(os, "fork"):
        return False
    for connection in connections.all(initialized_only=True):
        if connection.in_atomic_block:
            return False
        if connection.vendor == "sqlite" and connection.is_in_memory_db():  # type: ignore[attr-defined]
            return False
    return True


def _count(indicators: Sequence[Indicator], context: Context) -> Rows:
    return {indicator.code: tuple(indicator.compute(context)) for indicator in indicators}


def _fork(indicators: Sequence[Indicator], context: Context) -> tuple[int, int] | None:
    """Start a child counting ``indicators``: its process id and the pipe it answers on."""
    reading, writing = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        logger.warning("Could not start a process to count indicators", exc_info=True)
        os.close(reading)
        os.close(writing)
        return None
    if pid:
        os.close(writing)
        return pid, reading
    os.close(reading)  # the child, from here to os._exit
    status = 1
    try:
        _own_connections()
        payload = pickle.dumps(_count(indicators, context), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(writing, "wb") as answer:
            answer.write(payload)
        status = 0
    except BaseException:
        logger.exception("A process counting indicators failed; they are counted again")
    finally:
        os._exit(status)


def _own_connections() -> None:
    """Let go of the parent's database connections, unclosed, so the child opens its own."""
    for connection in connections.all(initialized_only=True):
        _INHERITED.append(connection.connection)
        connection.connection = None


def _stop(pid: int, reading: int) -> None:
    """End a child whose rows are no longer wanted."""
    os.close(reading)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


def _collect(pid: int, reading: int) -> Rows | None:
    """The child's rows, once it has sent them and ended; None if it did not."""
    with os.fdopen(reading, "rb") as answer:
        payload = answer.read()
    _, status = os.waitpid(pid, 0)
    if status != 0 or not payload:
        logger.warning("A process counting indicators ended without its rows (status %s)", status)
        return None
    rows = pickle.loads(payload)  # noqa: S301 (our own child's answer, through our own pipe)
    assert isinstance(rows, dict)
    return rows
