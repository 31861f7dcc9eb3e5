"""Private fostering, young carers and participation indicators (issue 21)."""

from __future__ import annotations

import datetime

import pytest

from caseline.apps.indicators import catalogue
from caseline.apps.indicators.engine import Context, Indicator, Result, compute
from caseline.apps.indicators.measures import wider_service
from caseline.apps.indicators.periods import AUTHORITY, make_period
from caseline.apps.indicators.tests.builders import Record
from caseline.apps.privatefostering.models import (
    Arrangement,
    ArrangementVisit,
    ParticipationRecord,
    YoungCarerAssessment,
)

pytestmark = pytest.mark.django_db
D = datetime.date
AS_AT = D(2026, 3, 31)


def run(indicator: Indicator) -> Result:
    return compute(indicator, Context(AS_AT, make_period("collection-year", AS_AT)), AUTHORITY)


def test_first_visits_seven_working_days_across_easter() -> None:
    record = Record()
    on_time, late, never = record.child(), record.child(), record.child()
    for child, visited in ((on_time, D(2025, 4, 30)), (late, D(2025, 5, 1)), (never, None)):
        arrangement = Arrangement.objects.create(
            person=child,
            notified_on=D(2025, 4, 17),
            notified_by="parent",
            carer_name="Carer",
            recorded_by=record.user,
        )
        if visited:
            ArrangementVisit.objects.create(
                arrangement=arrangement,
                person=child,
                visit_date=visited,
                child_seen=True,
                child_seen_alone=True,
                observations="Seen",
                recorded_by=record.user,
            )
    result = run(wider_service.PRIVATE_FOSTERING_FIRST_VISITS)
    assert (result.numerator, result.denominator) == (1, 3)
    assert result.numerator_ids == {on_time.pk}
    assert run(wider_service.PRIVATE_FOSTERING_NOTIFICATIONS).numerator == 3
    assert "PF1" in catalogue.BY_CODE


def test_young_carers_identified_and_assessed() -> None:
    record = Record()
    assessed, waiting = record.child(), record.child()
    for child, done in ((assessed, D(2025, 6, 1)), (waiting, None)):
        YoungCarerAssessment.objects.create(
            person=child,
            identified_on=D(2025, 5, 1),
            cares_for="Mum",
            caring_role="Care",
            assessed_on=done,
            recorded_by=record.user,
        )
    assert run(wider_service.YOUNG_CARERS_IDENTIFIED).numerator == 2
    result = run(wider_service.YOUNG_CARERS_ASSESSED)
    assert (result.numerator, result.denominator) == (1, 2)
    assert result.numerator_ids == {assessed.pk}


def test_share_of_looked_after_children_told_about_the_cicc() -> None:
    record = Record()
    told, not_told, left = record.child(), record.child(), record.child()
    record.episode(told, D(2025, 1, 1))
    record.episode(not_told, D(2025, 1, 1))
    record.episode(left, D(2025, 1, 1), end_date=D(2026, 1, 1), reason_episode_ceased="E11")
    for child in (told, left):
        ParticipationRecord.objects.create(
            person=child, kind="told", subject="cicc", on=D(2025, 9, 1), recorded_by=record.user
        )
    result = run(wider_service.TOLD_ABOUT_CICC)
    assert (result.numerator, result.denominator) == (1, 2)
    assert result.numerator_ids == {told.pk}


def test_care_leavers_count_and_each_thing_told_is_its_own_indicator() -> None:
    record = Record()
    looked_after, leaver, too_young_to_leave = (
        record.child(),
        record.child(D(2007, 6, 1)),
        record.child(),
    )
    record.episode(looked_after, D(2025, 1, 1))
    # In care from 14 to 18: a former relevant care leaver on the as-at date.
    record.episode(leaver, D(2021, 6, 1), end_date=D(2025, 6, 1), reason_episode_ceased="E8")
    record.episode(too_young_to_leave, D(2024, 1, 1), end_date=D(2025, 1, 1))
    for child, subject, day in (
        (leaver, "advocacy", D(2024, 9, 1)),
        (looked_after, "advocacy", D(2026, 4, 1)),  # after the as-at date
        (looked_after, "complaints", D(2025, 2, 1)),
    ):
        ParticipationRecord.objects.create(
            person=child, kind="told", subject=subject, on=day, recorded_by=record.user
        )
    advocacy = run(wider_service.TOLD_ABOUT_ADVOCACY)
    assert (advocacy.numerator, advocacy.denominator) == (1, 2)
    assert advocacy.numerator_ids == {leaver.pk}
    assert {row.person_id: row.group for row in advocacy.rows} == {
        looked_after.pk: "Looked after",
        leaver.pk: "Care leaver",
    }
    assert run(wider_service.TOLD_HOW_TO_COMPLAIN).numerator_ids == {looked_after.pk}
    assert run(wider_service.TOLD_ABOUT_INDEPENDENT_VISITORS).numerator == 0
    assert run(wider_service.TOLD_ABOUT_CICC).denominator == 2
