"""Every date a child in need form takes is a date it could be, and every write needs its
permission: the actions refuse the year 1850, a date before the child was born and a user
without the permission."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission, Role
from caseline.apps.cin import actions
from caseline.apps.cin.models import CINPlan, CINVisit, PlanAction, PlanOutcome, PlanReview
from caseline.apps.cin.tests.conftest import IDENTITY, PLAN_START, smart
from caseline.apps.core.access import user_can
from caseline.apps.people.models import Person
from caseline.apps.plans.tests import writes
from caseline.apps.plans.tests.posting import date_fields

pytestmark = pytest.mark.django_db

D = datetime.date
BEFORE_BIRTH = D(2015, 6, 1)  # Ada was born on 1 May 2016


@pytest.fixture
def setting(
    child: Person, worker: User, plan: CINPlan, make_child: Callable[..., Person]
) -> dict[str, Any]:
    """A child on a plan with an outcome and an action, and a second child with an open
    episode and no plan yet: what the forms are about."""
    outcome = actions.add_outcome(acting_user=worker, plan=plan, outcome="School every day")
    return {
        "child": child,
        "other": make_child("Ada"),
        "plan": plan,
        "outcome": outcome,
        "action": actions.add_action(acting_user=worker, outcome=outcome, **smart()),
    }


WRITES: dict[str, writes.Write] = {
    "start a plan": writes.Write(
        lambda s, user, day: actions.start_plan(
            acting_user=user,
            child=s["other"],
            start_date=day,
            child_views="Views",
            identity_needs=IDENTITY,
        ),
        Permission.PLAN_RECORD,
        "start_date",
        "The plan start date",
        PLAN_START,
    ),
    "change the plan": writes.Write(
        lambda s, user, day: actions.update_plan(
            acting_user=user,
            plan=s["plan"],
            read_version=s["plan"].version,
            start_date=day,
            child_views="V",
            identity_needs=IDENTITY,
        ),
        Permission.PLAN_RECORD,
        "start_date",
        "The plan start date",
        PLAN_START,
    ),
    "add an outcome": writes.Write(
        lambda s, user, day: actions.add_outcome(acting_user=user, plan=s["plan"], outcome="O"),
        Permission.PLAN_RECORD,
        None,
        "",
        PLAN_START,
    ),
    "add an action": writes.Write(
        lambda s, user, day: actions.add_action(
            acting_user=user, outcome=s["outcome"], **smart(by_when=day)
        ),
        Permission.PLAN_RECORD,
        "by_when",
        "The date by when it will be done",
        D(2025, 3, 3),
    ),
    "record progress": writes.Write(
        lambda s, user, day: actions.update_action_status(
            acting_user=user, action=s["action"], status=PlanAction.Status.DONE
        ),
        Permission.PLAN_RECORD,
        None,
        "",
        PLAN_START,
    ),
    "review the plan": writes.Write(
        lambda s, user, day: actions.record_review(
            acting_user=user,
            plan=s["plan"],
            review_date=day,
            progress="Some",
            child_views="Fine",
            decision=PlanReview.Decision.CONTINUE,
            identity_needs=IDENTITY,
        ),
        Permission.PLAN_RECORD,
        "review_date",
        "The review date",
        D(2025, 3, 1),
    ),
    "end the plan": writes.Write(
        lambda s, user, day: actions.end_plan(
            acting_user=user, plan=s["plan"], end_date=day, end_reason=CINPlan.EndReason.MOVED
        ),
        Permission.PLAN_RECORD,
        "end_date",
        "The plan end date",
        D(2025, 3, 1),
    ),
    "record a visit": writes.Write(
        lambda s, user, day: actions.record_visit(
            acting_user=user,
            child=s["child"],
            visit_date=day,
            child_seen=True,
            child_seen_alone=True,
            seen_bedroom=None,
            purpose="Planned",
            observations="Well",
        ),
        Permission.VISIT_RECORD,
        "visit_date",
        "The visit date",
        D(2025, 3, 1),
    ),
}

# Who may not: an IRO records plans but not visits; a front door worker does neither.
REFUSED = {Permission.PLAN_RECORD: Role.FRONT_DOOR, Permission.VISIT_RECORD: Role.IRO}


@pytest.mark.parametrize("write", writes.dated(WRITES))
@pytest.mark.parametrize(("day", "says"), writes.impossible_days(BEFORE_BIRTH, "1 May 2016"))
def test_no_date_from_1850_or_before_the_child_was_born(
    write: str, day: D, says: str, setting: dict[str, Any], worker: User
) -> None:
    writes.assert_refused(WRITES[write], setting, worker, day, says)
    assert not CINVisit.objects.exists()
    assert not PlanReview.objects.exists()


@pytest.mark.parametrize("write", list(WRITES))
def test_every_write_needs_its_permission(
    write: str, setting: dict[str, Any], worker: User, make_user: Callable[..., User]
) -> None:
    refused = make_user(REFUSED[WRITES[write].permission])
    writes.assert_needs_its_permission(WRITES[write], setting, refused, permitted=worker)


def test_a_by_when_date_may_lie_ahead_but_not_beyond_five_years(
    outcome: PlanOutcome, worker: User
) -> None:
    soon = timezone.localdate() + datetime.timedelta(days=60)
    assert actions.add_action(acting_user=worker, outcome=outcome, **smart(by_when=soon))
    with pytest.raises(ValidationError) as caught:
        actions.add_action(acting_user=worker, outcome=outcome, **smart(by_when=D(2099, 1, 1)))
    assert caught.value.message_dict["by_when"] == [
        "The date by when it will be done must be within 5 years from today"
    ]


def test_the_visit_page_refuses_1850_and_a_date_before_the_child_was_born(
    client: Client, child: Person, worker: User
) -> None:
    client.force_login(worker)
    page = reverse("cin:visit-new", kwargs={"person_id": child.pk})
    post = {"child_seen": "yes", "purpose": "Planned", "observations": "Well"}
    response = client.post(page, {**post, **date_fields("visit_date", writes.LONG_AGO)})
    assert response.status_code == 400
    assert "Date of the visit must be in 1900 or later" in response.content.decode()
    response = client.post(page, {**post, **date_fields("visit_date", BEFORE_BIRTH)})
    assert response.status_code == 400
    assert (
        "The visit date must be on or after Ada&#x27;s date of birth (1 May 2016)"
        in response.content.decode()
    )
    assert not CINVisit.objects.exists()


def test_record_links_show_for_the_permission_their_page_needs(
    client: Client, child: Person, plan: CINPlan, worker: User, make_user: Callable[..., User]
) -> None:
    """An IRO records no visits (and plans only while the role holds that permission); a
    social worker records both."""
    iro = make_user(Role.IRO)
    client.force_login(iro)
    plans_page = reverse("cin:record-plans", kwargs={"person_id": child.pk})
    html = client.get(plans_page).content
    assert (b"Record a review" in html) is user_can(iro, Permission.PLAN_RECORD)
    assert (b"Add an outcome" in html) is user_can(iro, Permission.PLAN_RECORD)
    assert b"Record a visit" not in html
    visits = client.get(reverse("cin:visit-list", kwargs={"person_id": child.pk})).content
    assert b"Record a visit" not in visits
    assert client.get(reverse("cin:visit-new", kwargs={"person_id": child.pk})).status_code == 403
    client.force_login(worker)
    html = client.get(plans_page).content
    assert b"Record a review" in html
    assert b"Record a visit" in html
