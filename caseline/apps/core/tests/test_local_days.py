"""The local day of a moment, worked out by the database (``core.local_days``)."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest

from caseline.apps.core.local_days import local_date, offsets_between
from caseline.apps.frontdoor.models import Contact
from tests.factories import UserFactory

D = datetime.date
UTC = datetime.UTC
LONDON = zoneinfo.ZoneInfo("Europe/London")


def utc(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), UTC)


def test_the_clock_changes_are_found_to_the_minute() -> None:
    offsets = offsets_between(D(2025, 1, 1), D(2025, 12, 31), LONDON)
    assert offsets[1:] == [(utc(D(2025, 3, 30), 1), 3600), (utc(D(2025, 10, 26), 1), 0)]
    assert offsets[0][1] == 0
    assert offsets_between(D(2025, 6, 1), D(2025, 6, 30), LONDON) == [
        (utc(D(2025, 5, 31), 0), 3600)
    ]


# Moments either side of midnight and of the clock changes of 2025, with their days in London.
MOMENTS = [
    (utc(D(2025, 3, 29), 23, 59), D(2025, 3, 29)),  # GMT
    (utc(D(2025, 3, 30), 0, 30), D(2025, 3, 30)),
    (utc(D(2025, 3, 30), 23, 30), D(2025, 3, 31)),  # BST: half past midnight on the 31st
    (utc(D(2025, 6, 6), 22, 59), D(2025, 6, 6)),
    (utc(D(2025, 6, 6), 23, 0), D(2025, 6, 7)),
    (utc(D(2025, 10, 25), 23, 30), D(2025, 10, 26)),  # still BST
    (utc(D(2025, 10, 26), 23, 30), D(2025, 10, 26)),  # GMT again
    (utc(D(2026, 3, 31), 23, 30), D(2026, 4, 1)),  # BST again
]


@pytest.mark.django_db
def test_the_database_gives_each_moment_its_local_day() -> None:
    user = UserFactory.create()
    for moment, _ in MOMENTS:
        Contact.objects.create(
            received_at=moment, source="1A", concern="-", consent="given", recorded_by=user
        )
    days = list(
        Contact.objects.order_by("received_at").values_list(
            local_date("received_at", D(2025, 3, 1), D(2026, 4, 30)), flat=True
        )
    )
    assert days == [day for _, day in MOMENTS]
    assert days == [moment.astimezone(LONDON).date() for moment, _ in MOMENTS]


@pytest.mark.django_db
def test_a_moment_with_no_value_has_no_day() -> None:
    Contact.objects.create(
        received_at=utc(D(2025, 6, 1), 9), source="1A", concern="-", consent="given",
        recorded_by=UserFactory.create(),
    )  # fmt: skip
    decided = local_date("decided_at", D(2025, 6, 1), D(2025, 6, 30))
    assert list(Contact.objects.values_list(decided, flat=True)) == [None]
