"""When a contact was received or decided, from a date and an optional time."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from caseline.apps.core.forms import GovukDateField, GovukForm
from caseline.apps.frontdoor.forms import DecisionForm, combine_date_time


class _WhenForm(GovukForm):
    on = GovukDateField(label="Date", required=False)
    time = forms.CharField(label="Time", required=False)


def _when(day: datetime.date | None, time: str = "", **options: Any) -> Any:
    form = _WhenForm(
        data={
            "on_day": str(day.day) if day else "",
            "on_month": str(day.month) if day else "",
            "on_year": str(day.year) if day else "",
            "time": time,
        }
    )
    assert form.is_valid(), form.errors
    return combine_date_time(form, "on", "time", **options)


def _start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(0, 0)))


def test_today_without_a_time_is_its_date_alone_never_in_the_future() -> None:
    moment, time_given = _when(timezone.localdate())
    assert (moment, time_given) == (_start(timezone.localdate()), False)
    assert moment <= timezone.now()


def test_an_earlier_day_without_a_time_is_its_date_alone_not_nine_in_the_morning() -> None:
    day = timezone.localdate() - datetime.timedelta(days=3)
    assert _when(day) == (_start(day), False)


def test_a_time_given_is_kept() -> None:
    day = timezone.localdate() - datetime.timedelta(days=1)
    moment, time_given = _when(day, "14:30")
    assert (timezone.localtime(moment).time(), time_given) == (datetime.time(14, 30), True)
    moment, _ = _when(timezone.localdate(), "00:00")
    assert timezone.localtime(moment).time() == datetime.time(0, 0)


def test_no_date_is_nothing_unless_a_blank_date_is_today() -> None:
    assert _when(None) == (None, True)
    assert _when(None, "00:00") == (None, True)
    before = timezone.now().replace(second=0, microsecond=0)
    moment, time_given = _when(None, blank_date_is_today=True)
    assert before <= moment <= timezone.now()
    assert time_given is True
    moment, time_given = _when(None, "00:00", blank_date_is_today=True)
    assert (moment, time_given) == (_start(timezone.localdate()), True)


def test_the_decision_date_hint_says_what_a_blank_date_means() -> None:
    # A blank decision date is today, and a blank date and time are now: the hints say so.
    form = DecisionForm()
    assert form.fields["decided_on"].help_text == "Leave blank if you decided today"
    assert "Leave the date and time blank if you decided just now" in str(
        form.fields["decided_time"].help_text
    )
