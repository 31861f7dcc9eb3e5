"""Due dates, DfE duration, visibility and the manager's queue."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Role
from caseline.apps.assessments import actions
from caseline.apps.assessments.models import Assessment
from caseline.apps.assessments.queries import (
    awaiting_authorisation,
    awaiting_for_teams,
    dfe_duration_working_days,
    due_date,
    get_assessment_for_user,
    managed_teams,
    timeliness,
)
from caseline.apps.assessments.tests.conftest import COMMENT, ON_TIME, START_DATE, fill
from caseline.apps.people.models import Allocation, Person
from caseline.apps.timescales.rules import TimelinessStatus

pytestmark = pytest.mark.django_db


def _assessment_from(
    make_child: Callable[..., Person], worker: User, team: Team, referral: datetime.date
) -> Assessment:
    child = make_child(team=team, referral_date=referral)
    return actions.start_assessment(acting_user=worker, child=child, start_date=referral)


def test_due_date_across_christmas_and_new_year(
    make_child: Callable[..., Person], worker: User, team: Team
) -> None:
    # Friday 20 December 2024; 25, 26 December and 1 January are bank holidays.
    assessment = _assessment_from(make_child, worker, team, datetime.date(2024, 12, 20))
    assert due_date(assessment) == datetime.date(2025, 2, 26)


def test_due_date_across_easter_and_may_bank_holidays(
    make_child: Callable[..., Person], worker: User, team: Team
) -> None:
    # Thursday 10 April 2025; Good Friday 18 April, Easter Monday 21 April, 5 and 26 May.
    assessment = _assessment_from(make_child, worker, team, datetime.date(2025, 4, 10))
    assert due_date(assessment) == datetime.date(2025, 6, 18)


def test_dfe_duration_counts_working_days_from_the_start() -> None:
    assert dfe_duration_working_days(datetime.date(2024, 12, 20), datetime.date(2025, 1, 3)) == 7
    assert dfe_duration_working_days(datetime.date(2025, 1, 7), datetime.date(2025, 1, 7)) == 0
    assert dfe_duration_working_days(datetime.date(2025, 1, 7), datetime.date(2025, 2, 3)) == 19


def test_timeliness_uses_the_authorisation_date(submitted: Assessment, manager: User) -> None:
    before = timeliness(submitted, datetime.date(2025, 3, 11))
    assert before.status == TimelinessStatus.OVERDUE
    assert before.label == "Overdue by 1 working day"
    actions.authorise_assessment(
        acting_user=manager,
        assessment=submitted,
        authorised_on=ON_TIME,
        manager_comment=COMMENT,
    )
    submitted.refresh_from_db()
    assert timeliness(submitted, datetime.date(2025, 6, 1)).status == (
        TimelinessStatus.COMPLETED_ON_TIME
    )


def test_get_assessment_for_user_applies_visibility(
    assessment: Assessment, worker: User, make_user: Callable[..., User], other_team: Team
) -> None:
    assert get_assessment_for_user(worker, assessment.pk) == assessment
    stranger = make_user(Role.SOCIAL_WORKER, team=other_team)
    with pytest.raises(PermissionDenied):
        get_assessment_for_user(stranger, assessment.pk)
    with pytest.raises(Http404):
        get_assessment_for_user(worker, assessment.pk + 100)


def test_awaiting_list_is_scoped_to_the_managers_teams_oldest_first(
    make_child: Callable[..., Person],
    make_user: Callable[..., User],
    worker: User,
    manager: User,
    team: Team,
    other_team: Team,
) -> None:
    # Submitted by our worker, child allocated to our team.
    first = _submit(make_child("Ada", team=team), worker)
    # Child allocated to our team, submitted by a worker from another team.
    visiting = make_user(Role.SOCIAL_WORKER, team=other_team)
    second = _submit(make_child("Bea", team=team), visiting)
    # Another team's child and worker: not ours.
    _submit(make_child("Cy", team=other_team), visiting)
    # Our team's draft: not submitted yet.
    child = make_child("Dee", team=team)
    actions.start_assessment(acting_user=worker, child=child, start_date=START_DATE)
    # Our worker's assessment of a child allocated to no team yet: ours, by who submitted it.
    fourth = _submit(make_child("Eve"), worker)
    # Our worker's assessment of another team's child: ours by who submitted it, but the
    # child is not one our manager may see, so it is left out for them.
    _submit(make_child("Fay", team=other_team), worker)
    assert list(awaiting_authorisation(manager)) == [first, second, fourth]
    other_manager = make_user(Role.TEAM_MANAGER, team=other_team)
    assert [a.person.given_name for a in awaiting_authorisation(other_manager)] == ["Cy", "Fay"]
    # The team page's form, given the teams and their children, gives the same lists.
    for user in (manager, other_manager):
        teams = list(managed_teams(user).values_list("pk", flat=True))
        allocated = list(
            Allocation.objects.filter(team_id__in=teams, end_date__isnull=True).values_list(
                "person_id", flat=True
            )
        )
        assert awaiting_for_teams(user, teams, allocated) == awaiting_authorisation(user)


def _submit(child: Person, user: User) -> Assessment:
    assessment = actions.start_assessment(acting_user=user, child=child, start_date=START_DATE)
    fill(assessment, user)
    return actions.submit_assessment(acting_user=user, assessment=assessment)


def test_awaiting_page_query_count_does_not_grow(
    make_child: Callable[..., Person],
    worker: User,
    manager: User,
    team: Team,
    client: Any,
    django_assert_max_num_queries: Any,
) -> None:
    client.force_login(manager)
    for name in ("Ada", "Bea"):
        _submit(make_child(name, team=team), worker)
    client.get("/assessments/awaiting-authorisation/")  # settle the session
    with CaptureQueriesContext(connection) as two:
        response = client.get("/assessments/awaiting-authorisation/")
    assert response.status_code == 200
    for name in ("Cy", "Dee", "Eve", "Fay"):
        _submit(make_child(name, team=team), worker)
    with django_assert_max_num_queries(len(two)):
        response = client.get("/assessments/awaiting-authorisation/")
    assert len(two) <= 8
    assert response.content.decode().count("Testchild") == 6
