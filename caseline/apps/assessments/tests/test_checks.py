"""Assessments' actions check their permission and implausible dates before they write."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.assessments import actions
from caseline.apps.assessments.models import Assessment
from caseline.apps.assessments.tests.conftest import START_DATE, fill
from caseline.apps.people.models import Person

pytestmark = pytest.mark.django_db
D = datetime.date


def test_start_before_the_child_was_born_refused(
    make_child: Callable[..., Person], worker: User
) -> None:
    # Referred before birth (a pre-birth referral), but the assessment cannot start before it.
    child = make_child(referral_date=D(2016, 1, 4))
    with pytest.raises(ValidationError) as caught:
        actions.start_assessment(acting_user=worker, child=child, start_date=D(2016, 2, 1))
    assert caught.value.message_dict["start_date"] == [
        "The start date must be on or after Zara's date of birth (1 March 2016)"
    ]
    assert not Assessment.objects.exists()


def test_date_child_seen_in_1850_refused(assessment: Assessment, worker: User) -> None:
    with pytest.raises(ValidationError) as caught:
        fill(assessment, worker, date_child_seen=D(1850, 1, 14))
    assert caught.value.message_dict["date_child_seen"] == [
        "The date the child was seen must be in 1900 or later"
    ]


def test_every_action_needs_its_permission(
    make_user: Callable[..., User], child: Person, worker: User
) -> None:
    analyst = make_user(Role.ANALYST)
    with pytest.raises(PermissionDenied):
        actions.start_assessment(acting_user=analyst, child=child, start_date=START_DATE)
    assessment = actions.start_assessment(acting_user=worker, child=child, start_date=START_DATE)
    with pytest.raises(PermissionDenied):
        fill(assessment, analyst)
    with pytest.raises(PermissionDenied):
        actions.submit_assessment(acting_user=analyst, assessment=assessment)
    fill(assessment, worker)
    actions.submit_assessment(acting_user=worker, assessment=assessment)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED
    assert assessment.recorded_by == worker
