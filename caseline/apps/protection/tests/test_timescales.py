"""Each child protection timescale, across Easter, Christmas and substitute bank holidays."""

from __future__ import annotations

import datetime

from caseline.apps.protection.timescales import (
    CORE_GROUP,
    CP_VISIT,
    FIRST_CORE_GROUP,
    FIRST_REVIEW_CONFERENCE,
    ICPC,
    REVIEW_CONFERENCE,
    TRANSFER_IN_CONFERENCE,
)
from caseline.apps.timescales.rules import CATALOGUE, Basis, Interval

D = datetime.date


def test_the_rules_are_in_the_catalogue() -> None:
    for code in ("icpc", "transfer-in-conference", "core-group-first", "core-group"):
        assert code in CATALOGUE
    for code in ("rcpc-first", "rcpc", "cp-visit"):
        assert code in CATALOGUE
    assert ICPC.basis is Basis.STATUTORY
    assert CORE_GROUP.basis is Basis.LOCAL_STANDARD
    assert CP_VISIT.basis is Basis.LOCAL_STANDARD


def test_icpc_is_15_working_days_across_easter_and_the_may_bank_holiday() -> None:
    # Thursday 10 April 2025; Good Friday 18th, Easter Monday 21st, early May 5 May.
    assert ICPC.due_date(D(2025, 4, 10)) == D(2025, 5, 6)


def test_icpc_across_christmas_with_a_substitute_boxing_day() -> None:
    # Christmas Day 2026 is a Friday, so Boxing Day's holiday moves to Monday 28th.
    assert ICPC.due_date(D(2026, 12, 14)) == D(2027, 1, 7)


def test_transfer_in_conference_is_15_working_days_from_notification() -> None:
    assert TRANSFER_IN_CONFERENCE.due_date(D(2025, 4, 10)) == D(2025, 5, 6)


def test_first_core_group_across_christmas_2021_substitute_days() -> None:
    # 25 and 26 December 2021 fell at the weekend: 27 and 28 December and 3 January off.
    assert FIRST_CORE_GROUP.due_date(D(2021, 12, 17)) == D(2022, 1, 5)


def test_core_groups_every_4_weeks_by_default_and_a_plan_may_choose() -> None:
    assert CORE_GROUP.due_date(D(2025, 6, 2)) == D(2025, 6, 30)
    assert CORE_GROUP.with_override(Interval.weeks(6)).due_date(D(2025, 6, 2)) == D(2025, 7, 14)


def test_review_conferences_3_months_then_6_months() -> None:
    assert FIRST_REVIEW_CONFERENCE.due_date(D(2025, 5, 1)) == D(2025, 8, 1)
    assert REVIEW_CONFERENCE.due_date(D(2025, 7, 31)) == D(2026, 1, 31)
    # Month ends clamp: 30 November + 3 months is 28 February.
    assert FIRST_REVIEW_CONFERENCE.due_date(D(2025, 11, 30)) == D(2026, 2, 28)


def test_visits_every_10_working_days_across_christmas() -> None:
    assert CP_VISIT.due_date(D(2026, 12, 18)) == D(2027, 1, 6)
    assert CP_VISIT.with_override(Interval.working_days(20)).due_date(D(2025, 6, 2)) == D(
        2025, 6, 30
    )
