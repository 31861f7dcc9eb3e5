"""The checks every action makes: collected by field, refused together, each with its rule."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone

from caseline.apps.codes.lists import CodeListName
from caseline.apps.core.checks import (
    NOT_BEFORE_BIRTH,
    Checks,
    Rule,
    furthest_plausible_date,
)


@dataclass
class Child:
    given_name: str = "Ava"
    date_of_birth: datetime.date | None = datetime.date(2015, 6, 1)


def test_nothing_collected_raises_nothing() -> None:
    checks = Checks()
    assert not checks
    checks.raise_if_any()


def test_every_problem_is_raised_at_once_by_field() -> None:
    checks = Checks()
    checks.required("purpose", "  ", "Enter the purpose")
    checks.required("outcome", None, "Select the outcome")
    checks.add(None, "The plan has ended")
    with pytest.raises(ValidationError) as raised:
        checks.raise_if_any()
    assert raised.value.message_dict == {
        "purpose": ["Enter the purpose"],
        "outcome": ["Select the outcome"],
        NON_FIELD_ERRORS: ["The plan has ended"],
    }


def test_required_accepts_a_value_that_is_not_text() -> None:
    checks = Checks()
    assert checks.required("child_seen", False, "Say whether the child was seen")
    assert not checks


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (datetime.date(1, 1, 1), "The visit date must be in 1900 or later"),
        (datetime.date(1850, 3, 1), "The visit date must be in 1900 or later"),
        (datetime.date(2015, 5, 31), "The visit date must be on or after Ava's date of birth"),
    ],
)
def test_a_date_that_happened_is_not_before_1900_nor_the_birth(
    day: datetime.date, message: str
) -> None:
    checks = Checks()
    assert not checks.happened("visit_date", day, "the visit date", child=Child())
    assert checks.errors["visit_date"][0].startswith(message)


def test_a_date_that_happened_is_not_in_the_future() -> None:
    checks = Checks()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert not checks.happened("visit_date", tomorrow, "The visit date")
    assert checks.errors == {"visit_date": ["The visit date must be today or in the past"]}


def test_the_day_of_birth_and_today_are_accepted() -> None:
    checks = Checks()
    assert checks.happened("a", datetime.date(2015, 6, 1), "A", child=Child())
    assert checks.happened("b", timezone.localdate(), "B", child=Child())
    assert checks.happened("c", None, "C")
    assert checks.happened("d", datetime.date(1900, 1, 1), "D", child=Child(date_of_birth=None))
    assert not checks


def test_a_planned_date_may_lie_ahead_but_not_too_far() -> None:
    checks = Checks()
    limit = furthest_plausible_date()
    assert checks.planned("by_when", limit, "The date")
    assert not checks.planned("next", limit + datetime.timedelta(days=1), "The next date")
    assert not checks.planned("from", datetime.date(9999, 1, 1), "The start date")
    assert checks.errors["next"] == ["The next date must be within 5 years from today"]
    assert not checks.planned("early", datetime.date(2015, 1, 1), "It", child=Child())
    assert checks.errors["early"][0].startswith("It must be on or after Ava's date of birth")


def test_five_years_on_from_the_29th_of_february_is_the_28th() -> None:
    assert furthest_plausible_date(datetime.date(2028, 2, 29)) == datetime.date(2033, 2, 28)


def test_a_code_must_be_valid_in_its_collection_year() -> None:
    checks = Checks()
    on = datetime.date(2025, 5, 1)
    assert checks.code("source", CodeListName.REFERRAL_SOURCE, "1A", on=on)
    assert not checks.code("source", CodeListName.REFERRAL_SOURCE, "ZZ", on=on, what="source")
    assert checks.errors == {"source": ["Select a valid source for 1 May 2025"]}


def test_a_rule_names_its_source_and_fills_its_message() -> None:
    rule = Rule("CIN 8606", "CIN census 2025 to 2026 validation rules", "{what} is missing")
    checks = Checks()
    checks.broken(rule, "reason", what="the reason")
    assert checks.errors == {"reason": ["The reason is missing"]}
    assert NOT_BEFORE_BIRTH.code == "caseline:date-not-before-birth"


@pytest.mark.django_db
def test_an_action_refuses_a_user_without_its_permission(make_user: Any) -> None:
    from django.core.exceptions import PermissionDenied

    from caseline.apps.accounts.permissions import Permission, Role
    from caseline.apps.core.access import require_permission

    require_permission(make_user(Role.SOCIAL_WORKER), Permission.NOTE_RECORD)
    with pytest.raises(PermissionDenied, match="record case notes"):
        require_permission(make_user(Role.ANALYST), Permission.NOTE_RECORD)
