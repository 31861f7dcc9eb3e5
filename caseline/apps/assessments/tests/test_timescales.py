"""An assessment is judged by the rule in force on its referral date: before 15 April 2013 the
initial assessment (10 working days from the referral) and the core assessment (35 from its
start), from it the single assessment (45 from the referral)."""

from __future__ import annotations

import datetime

import pytest

from caseline.apps.accounts.models import Team, User
from caseline.apps.assessments.chronology import _timeliness_sentence
from caseline.apps.assessments.models import Assessment
from caseline.apps.assessments.queries import assessment_rule, due_date, timeliness
from caseline.apps.frontdoor.models import Referral
from caseline.apps.timescales.rules import (
    CORE_ASSESSMENT,
    INITIAL_ASSESSMENT,
    SINGLE_ASSESSMENT,
    TimelinessStatus,
)
from tests.factories import ChildFactory

D = datetime.date
pytestmark = pytest.mark.django_db


def _assessment(worker: User, team: Team, referral: D, *starts: D) -> list[Assessment]:
    """Assessments of one referral made on ``referral``, started on ``starts`` (written
    directly: a record from before Caseline, as a migration would bring it)."""
    child = ChildFactory.create(
        date_of_birth=D(2008, 1, 1), team=team, allocated_on=referral, referral_date=referral
    )
    made = Referral.objects.get(person=child)
    return [
        Assessment.objects.create(person=child, referral=made, start_date=start, recorded_by=worker)
        for start in starts
    ]


def test_a_referral_the_day_before_the_single_assessment_is_judged_by_10_working_days(
    worker: User, team: Team
) -> None:
    [assessment] = _assessment(worker, team, D(2013, 4, 12), D(2013, 4, 12))
    assert assessment_rule(assessment) == (INITIAL_ASSESSMENT, D(2013, 4, 12))
    assert due_date(assessment) == D(2013, 4, 26)
    assessment.authorised_on = D(2013, 5, 1)
    late = timeliness(assessment, D(2013, 6, 1))
    assert late.status is TimelinessStatus.COMPLETED_LATE  # it would be on time by 45 days
    assert late.label == "Completed 3 working days late"
    assert _timeliness_sentence(assessment) == (
        "Completed in 13 working days from the referral, 3 over the 10-working-day timescale."
    )


def test_a_referral_on_15_april_2013_is_judged_by_45_working_days(worker: User, team: Team) -> None:
    [assessment] = _assessment(worker, team, D(2013, 4, 15), D(2013, 4, 15))
    assert assessment_rule(assessment) == (SINGLE_ASSESSMENT, D(2013, 4, 15))
    assert due_date(assessment) == D(2013, 6, 19)
    assessment.authorised_on = D(2013, 5, 1)
    assert timeliness(assessment, D(2013, 6, 1)).status is TimelinessStatus.COMPLETED_ON_TIME
    assert _timeliness_sentence(assessment) == (
        "Completed in 12 working days from the referral, within the 45-working-day timescale."
    )


def test_a_later_assessment_of_an_earlier_referral_is_its_core_assessment(
    worker: User, team: Team
) -> None:
    initial, core = _assessment(worker, team, D(2012, 3, 1), D(2012, 3, 1), D(2012, 3, 20))
    assert assessment_rule(initial) == (INITIAL_ASSESSMENT, D(2012, 3, 1))
    assert due_date(initial) == D(2012, 3, 15)
    assert assessment_rule(core) == (CORE_ASSESSMENT, D(2012, 3, 20))
    # 35 working days from Tuesday 20 March 2012: Good Friday, Easter Monday, 7 May skipped.
    assert due_date(core) == D(2012, 5, 11)
    core.authorised_on = D(2012, 5, 11)
    assert _timeliness_sentence(core) == (
        "Completed in 35 working days from its start, within the 35-working-day timescale."
    )


def test_a_core_assessment_started_after_the_change_keeps_the_referrals_rule(
    worker: User, team: Team
) -> None:
    """The core assessment's own rule ended on 14 April 2013; the referral's still judges."""
    _, later = _assessment(worker, team, D(2013, 4, 2), D(2013, 4, 2), D(2013, 4, 16))
    assert assessment_rule(later) == (INITIAL_ASSESSMENT, D(2013, 4, 2))
