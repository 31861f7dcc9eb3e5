"""Assessments in the chronology: each milestone, the manager's decision with the outcome,
risk and timeliness, and a fixed number of queries."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from caseline.apps.accounts.models import User
from caseline.apps.assessments import actions
from caseline.apps.assessments.chronology import assessment_chronology
from caseline.apps.assessments.models import Assessment
from caseline.apps.assessments.providers import CONTRIBUTION
from caseline.apps.assessments.tests.conftest import COMMENT, ON_TIME, START_DATE, fill
from caseline.apps.people.contribution import Category, contributions
from caseline.apps.people.models import Person
from caseline.apps.people.queries import RecordsHeld

pytestmark = pytest.mark.django_db


def test_the_app_contributes_its_chronology() -> None:
    assert contributions(["assessments"]) == [CONTRIBUTION]
    assert CONTRIBUTION.chronology is assessment_chronology
    assert CONTRIBUTION.chronology_from_own_records is False


def test_a_draft_shows_its_start_and_when_the_child_was_seen(
    assessment: Assessment, worker: User, child: Person
) -> None:
    fill(assessment, worker, child_seen_alone=False)
    entries = assessment_chronology(child, RecordsHeld.not_asked(child))
    assert [(e.date, e.what_happened) for e in entries] == [
        (START_DATE, "Single assessment started."),
        (datetime.date(2025, 1, 14), "Zara seen for the assessment. Zara was not seen alone."),
    ]
    assert entries[0].recorded_by == "Ash Worker"
    assert all(e.category == Category.ASSESSMENT and not e.significant for e in entries)
    assert entries[0].href == f"/assessments/{assessment.pk}/"


def test_authorised_on_time_with_the_outcome_and_risk(
    submitted: Assessment, manager: User, child: Person
) -> None:
    actions.authorise_assessment(
        acting_user=manager,
        assessment=submitted,
        authorised_on=ON_TIME,
        manager_comment=COMMENT,
    )
    entries = assessment_chronology(child, RecordsHeld.not_asked(child))
    authorised = entries[-1]
    assert authorised.date == ON_TIME
    assert authorised.what_happened == (
        "Assessment authorised by Mo Manager: outcome child in need plan. Risk: Shouting late "
        "at night; Zara is tired at school. Recommendation: Child in need plan with parenting "
        "support. Completed in 20 working days from the referral, within the 45-working-day "
        "timescale."
    )
    assert authorised.significant
    assert authorised.recorded_by == "Mo Manager"
    assert "Assessment submitted to the manager for authorisation." in [
        e.what_happened for e in entries
    ]


def test_a_child_not_seen_is_flagged_at_authorisation(
    assessment: Assessment, worker: User, manager: User, child: Person
) -> None:
    fill(assessment, worker, child_seen=False, child_seen_alone=False, date_child_seen=None)
    actions.submit_assessment(acting_user=worker, assessment=assessment)
    actions.authorise_assessment(
        acting_user=manager,
        assessment=Assessment.objects.get(pk=assessment.pk),
        authorised_on=ON_TIME,
        manager_comment=COMMENT,
    )
    authorised = assessment_chronology(child, RecordsHeld.not_asked(child))[-1]
    assert "Zara was not seen during the assessment." in authorised.what_happened
    assert authorised.why_it_matters.startswith("The child was not seen")


def test_two_queries_however_many_assessments_and_returns(
    submitted: Assessment,
    manager: User,
    worker: User,
    child: Person,
    django_assert_num_queries: Any,
) -> None:
    for n in range(3):
        actions.return_assessment(
            acting_user=manager, assessment=submitted, reasons=f"Round {n}: more detail"
        )
        submitted = actions.submit_assessment(
            acting_user=worker, assessment=Assessment.objects.get(pk=submitted.pk)
        )
    with django_assert_num_queries(2):
        entries = assessment_chronology(child, RecordsHeld.not_asked(child))
    returns = [e for e in entries if e.what_happened.startswith("Assessment returned")]
    assert len(returns) == 3
    assert returns[0].recorded_by == "Mo Manager"
    assert "Reasons: Round" in returns[0].what_happened
