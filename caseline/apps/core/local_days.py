"""``local_date``: the day a moment fell on in the authority's time zone, worked out by the
database rather than row by row in Python.

PostgreSQL knows time zones, so this is Django's ``TruncDate``. SQLite does not: Django works
out each value's local day by calling back into Python once a row (and a read of moments
turns each into an aware ``datetime`` first), which for a year's contacts at 50,000 children
(74,000 rows, two moments each) was a third of the front door's indicators on SQLite. There
the offsets from UTC in force over the days asked about are written into the query instead
(``date(moment, CASE ...)``, the clock changes as moments in UTC), so SQLite adds them itself.
"""

from __future__ import annotations

import datetime

from django.db import connection
from django.db.models import Case, DateField, Expression, F, Func, Q, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone

UTC = datetime.UTC


def offsets_between(
    first: datetime.date, last: datetime.date, zone: datetime.tzinfo
) -> list[tuple[datetime.datetime, int]]:
    """The offsets from UTC (seconds) of ``zone`` in force from the start of ``first`` to the
    end of ``last`` (a day more each side): each with the moment (UTC) it took effect, the
    first with the start of the days. Clock changes are found to the minute."""

    def offset_at(moment: datetime.datetime) -> int:
        offset = moment.astimezone(zone).utcoffset()
        return int(offset.total_seconds()) if offset is not None else 0

    day = datetime.datetime.combine(first, datetime.time.min, UTC) - datetime.timedelta(days=1)
    end = datetime.datetime.combine(last, datetime.time.min, UTC) + datetime.timedelta(days=2)
    found = [(day, offset_at(day))]
    while day < end:
        following = day + datetime.timedelta(days=1)
        if offset_at(following) != found[-1][1]:
            low, high = 0, 24 * 60  # minutes after ``day``: unchanged at low, changed at high
            while high - low > 1:
                middle = (low + high) // 2
                moment = day + datetime.timedelta(minutes=middle)
                if offset_at(moment) == found[-1][1]:
                    low = middle
                else:
                    high = middle
            changed = day + datetime.timedelta(minutes=high)
            found.append((changed, offset_at(changed)))
        day = following
    return found


def local_date(field: str, first: datetime.date, last: datetime.date) -> Expression:
    """The local day of the moment in ``field``, worked out by the database. Exact for every
    moment on PostgreSQL, and on SQLite for moments from the start of ``first`` to the end of
    ``last`` (local days); there a moment outside them takes the offset in force at the
    nearest edge, so its day may be off by one, and still lies outside them."""
    if connection.vendor == "postgresql":
        return TruncDate(field)
    offsets = offsets_between(first, last, timezone.get_current_timezone())
    whens = [
        When(Q(**{f"{field}__lt": offsets[n + 1][0]}), then=Value(f"{offset:+d} seconds"))
        for n, (_, offset) in enumerate(offsets[:-1])
    ]
    modifier = Case(*whens, default=Value(f"{offsets[-1][1]:+d} seconds"))
    return Func(F(field), modifier, function="date", output_field=DateField())
