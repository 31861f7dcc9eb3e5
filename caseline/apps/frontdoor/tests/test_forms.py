"""When a contact was received or decided, from a date and an optional time."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from caseline.apps.core.forms import GovukDateField, GovukForm
from caseline.apps.frontdoor.forms import combine_date_time


class _WhenForm(GovukForm):
    on = GovukDateField(label="Date")
    time = forms.CharField(label="Time", required=False)


def _when(day: datetime.date, time: str = "") -> Any:
    form = _WhenForm(
        data={
            "on_day": str(day.day),
            "on_month": str(day.month),
            "on_year": str(day.year),
            "time": time,
        }
    )
    assert form.is_valid(), form.errors
    return combine_date_time(form, "on", "time")


def test_today_without_a_time_is_now_never_in_the_future() -> None:
    before = timezone.now().replace(second=0, microsecond=0)
    moment = _when(timezone.localdate())
    assert before <= moment <= timezone.now()


def test_an_earlier_day_without_a_time_is_nine_in_the_morning() -> None:
    day = timezone.localdate() - datetime.timedelta(days=3)
    assert _when(day) == timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))


def test_a_time_given_is_kept() -> None:
    day = timezone.localdate() - datetime.timedelta(days=1)
    assert timezone.localtime(_when(day, "14:30")).time() == datetime.time(14, 30)
    assert timezone.localtime(_when(timezone.localdate(), "00:00")).time() == datetime.time(0, 0)
