"""On PostgreSQL, timestamps are read with psycopg's C loader and come out as Django's did."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import BaseTzLoader  # type: ignore[import-untyped]
from psycopg.pq import Format

from caseline.apps.core.postgres import TIMESTAMPTZ_OID, TimestamptzLoader

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL connection"),
]

LONDON = zoneinfo.ZoneInfo("Europe/London")
MOMENTS = [
    datetime.datetime(2026, 11, 23, 9, 30, 15, 123456, tzinfo=datetime.UTC),
    datetime.datetime(2024, 2, 29, 23, 59, 59, 999999, tzinfo=datetime.UTC),
    # Either side of the clocks going back, given in London time.
    datetime.datetime(2025, 10, 26, 0, 30, tzinfo=LONDON),
    datetime.datetime(2025, 10, 26, 1, 30, fold=1, tzinfo=LONDON),
    datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC),
]


def _read_back(moments: list[datetime.datetime]) -> list[datetime.datetime]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT unnest(%s::timestamptz[])", [moments])
        return [row[0] for row in cursor.fetchall()]


def test_the_connection_reads_timestamps_with_our_loader() -> None:
    connection.ensure_connection()
    loader = connection.connection.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
    assert issubclass(loader, TimestamptzLoader)
    assert loader.timezone == connection.timezone


def test_timestamps_read_back_as_the_same_instants_in_utc() -> None:
    read = _read_back(MOMENTS)
    # In UTC: Python never finds a time in the repeated hour equal to one in another zone.
    assert read == [moment.astimezone(datetime.UTC) for moment in MOMENTS]
    assert all(moment.tzinfo == datetime.UTC for moment in read)
    assert [moment.microsecond for moment in read] == [m.microsecond for m in MOMENTS]


def test_they_match_what_djangos_own_loader_gives() -> None:
    ours = _read_back(MOMENTS)
    connection.ensure_connection()

    class DjangosLoader(BaseTzLoader):  # type: ignore[misc]
        timezone = connection.timezone

    with connection.cursor() as cursor:
        cursor.cursor.adapters.register_loader(TIMESTAMPTZ_OID, DjangosLoader)
        cursor.execute("SELECT unnest(%s::timestamptz[])", [MOMENTS])
        djangos = [row[0] for row in cursor.fetchall()]
    assert [(m, m.tzinfo) for m in ours] == [(m, m.tzinfo) for m in djangos]


def test_a_timestamp_field_round_trips_through_the_orm(make_user: object) -> None:
    from caseline.apps.accounts.models import User

    moment = datetime.datetime(2026, 3, 29, 1, 15, 42, 500, tzinfo=datetime.UTC)
    user = User.objects.create_user(username="clock", password="x" * 20, last_login=moment)
    assert User.objects.get(pk=user.pk).last_login == moment


def test_a_statement_run_repeatedly_is_prepared_on_the_server(make_user: object) -> None:
    """Parameters are bound on the server and a repeated statement is prepared (ADR 0017)."""
    from caseline.apps.accounts.models import User

    def prepared_user_lookups() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return [row[0] for row in cursor.fetchall() if '"accounts_user"' in row[0]]

    user = User.objects.create_user(username="often", password="x" * 20)
    assert prepared_user_lookups() == []
    for _ in range(6):
        assert User.objects.filter(pk=user.pk, is_active=True).exists()
    [statement] = prepared_user_lookups()
    assert "$1" in statement
    assert "$2" in statement
