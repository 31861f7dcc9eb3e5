"""Reading PostgreSQL timestamps with psycopg's C loader.

Django's PostgreSQL backend reads every ``timestamptz`` value with a loader derived from
psycopg's pure-Python one, even when psycopg's C extension (``psycopg[binary]``) is
installed: about 5 microseconds a value, and a long chronology reads thousands (Django ticket
36960; psycopg's C loader cannot be subclassed). :func:`use_fast_timestamp_loader` puts in
its place a loader that parses with the C loader psycopg uses by default and then sets the
time zone exactly as Django's does. See ADR 0015.
"""

from __future__ import annotations

import datetime
from typing import Any

import psycopg
from psycopg.adapt import Loader
from psycopg.postgres import types
from psycopg.pq import Format

TIMESTAMPTZ_OID = types["timestamptz"].oid


class TimestamptzLoader(Loader):
    """Parses with psycopg's default (C, where installed) loader, then, like Django's,
    replaces the time zone with the connection's (``None`` when ``USE_TZ`` is off)."""

    timezone: datetime.tzinfo | None = None  # Django's create_cursor() compares this

    def __init__(self, oid: int, context: Any = None) -> None:
        super().__init__(oid, context)
        default = psycopg.adapters.get_loader(oid, Format.TEXT)
        if default is None:  # pragma: no cover - psycopg always has one
            raise LookupError("psycopg has no loader for timestamptz")
        self._parse = default(oid, context).load

    def load(self, data: Any) -> datetime.datetime:
        parsed: datetime.datetime = self._parse(data)
        return parsed.replace(tzinfo=self.timezone)


def use_fast_timestamp_loader(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``connection_created`` receiver: on PostgreSQL, read timestamps with the C loader."""
    if connection.vendor != "postgresql":
        return

    class ConnectionTimestamptzLoader(TimestamptzLoader):
        timezone = connection.timezone

    connection.connection.adapters.register_loader(TIMESTAMPTZ_OID, ConnectionTimestamptzLoader)
