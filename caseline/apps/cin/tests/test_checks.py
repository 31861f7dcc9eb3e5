"""Every date a child in need form takes is a date it could be, and every write needs its
permission: the actions refuse the year 1850, a date before the child was born and a user
without the permission, and the pages ask for the permission their action needs."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission, Role
from caseline.apps.audit.models import AuditEvent
from caseline.apps.cin import actions
from caseline.apps.cin.models import CINPlan, CINVisit, PlanAction, PlanOutcome, PlanReview
from caseline.apps.cin.tests.conftest import PLAN_START, smart
from caseline.apps.people.models import Person
from caseline.apps.plans.tests.posting import date_fields

pytestmark = pytest.mark.django_db

D = datetime.date
LONG_AGO = D(1850, 6, 1)
BEFORE_BIRTH = D(2015, 6, 1)  # Ada was born on 1 May 2016


def _visit(day: datetime.date) -> dict[str, Any]:
    return {
        "visit_date": day,
        "child_seen": True,
        "child_seen_alone": True,
        "seen_bedroom": None,
        "purpose": "Planned",
        "observations": "Well",
    }


# Each form's date: the action called with that date, the field and how the message names it.
DATED: dict[str, tuple[Callable[..., Any], str, str]] = {
    "start a plan": (
        lambda user, child, plan, outcome, day: actions.start_plan(
            acting_user=user, child=child, start_date=day, child_views="Views"
        ),
        "start_date",
        "The plan start date",
    ),
    "change a plan": (
        lambda user, child, plan, outcome, day: actions.update_plan(
            acting_user=user, plan=plan, read_version=plan.version, start_date=day, child_views="V"
        ),
        "start_date",
        "The plan start date",
    ),
    "add an action": (
        lambda user, child, plan, outcome, day: actions.add_action(
            acting_user=user, outcome=outcome, **smart(by_when=day)
        ),
        "by_when",
        "The date by when it will be done",
    ),
    "review the plan": (
        lambda user, child, plan, outcome, day: actions.record_review(
            acting_user=user,
            plan=plan,
            review_date=day,
            progress="Some",
            child_views="Fine",
            decision=PlanReview.Decision.CONTINUE,
        ),
        "review_date",
        "The review date",
    ),
    "end the plan": (
        lambda user, child, plan, outcome, day: actions.end_plan(
            acting_user=user, plan=plan, end_date=day, end_reason=CINPlan.EndReason.MOVED
        ),
        "end_date",
        "The plan end date",
    ),
    "record a visit": (
        lambda user, child, plan, outcome, day: actions.record_visit(
            acting_user=user, child=child, **_visit(day)
        ),
        "visit_date",
        "The visit date",
    ),
}


@pytest.mark.parametrize("form", list(DATED))
@pytest.mark.parametrize(
    ("day", "says"),
    [
        (LONG_AGO, "{what} must be in 1900 or later"),
        (BEFORE_BIRTH, "{what} must be on or after Ada's date of birth (1 May 2016)"),
    ],
)
def test_no_date_from_1850_or_before_the_child_was_born(
    form: str,
    day: datetime.date,
    says: str,
    child: Person,
    worker: User,
    make_child: Callable[..., Person],
) -> None:
    action, field, what = DATED[form]
    # "Start a plan" needs a child with an open episode and no plan yet.
    subject = make_child("Ada") if form == "start a plan" else child
    plan = actions.start_plan(
        acting_user=worker, child=child, start_date=PLAN_START, child_views="Views"
    )
    outcome = actions.add_outcome(acting_user=worker, plan=plan, outcome="School every day")
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        action(worker, subject, plan, outcome, day)
    assert caught.value.message_dict[field] == [says.format(what=what)]
    assert AuditEvent.objects.count() == events
    assert not CINVisit.objects.exists()
    assert not PlanAction.objects.exists()
    assert not PlanReview.objects.exists()


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
    response = client.post(page, {**post, **date_fields("visit_date", LONG_AGO)})
    assert response.status_code == 400
    assert "Date of the visit must be in 1900 or later" in response.content.decode()
    response = client.post(page, {**post, **date_fields("visit_date", BEFORE_BIRTH)})
    assert response.status_code == 400
    assert (
        "The visit date must be on or after Ada&#x27;s date of birth (1 May 2016)"
        in response.content.decode()
    )
    assert not CINVisit.objects.exists()


# --- Permissions ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("write", "permission"),
    [
        ("start_plan", Permission.PLAN_RECORD),
        ("update_plan", Permission.PLAN_RECORD),
        ("add_outcome", Permission.PLAN_RECORD),
        ("add_action", Permission.PLAN_RECORD),
        ("update_action_status", Permission.PLAN_RECORD),
        ("record_review", Permission.PLAN_RECORD),
        ("end_plan", Permission.PLAN_RECORD),
        ("record_visit", Permission.VISIT_RECORD),
    ],
)
def test_every_write_needs_its_permission(
    write: str,
    permission: Permission,
    plan: CINPlan,
    outcome: PlanOutcome,
    child: Person,
    worker: User,
    make_user: Callable[..., User],
) -> None:
    action = actions.add_action(acting_user=worker, outcome=outcome, **smart())
    arguments: dict[str, dict[str, Any]] = {
        "start_plan": {"child": child, "start_date": PLAN_START, "child_views": "V"},
        "update_plan": {
            "plan": plan,
            "read_version": plan.version,
            "start_date": PLAN_START,
            "child_views": "V",
        },
        "add_outcome": {"plan": plan, "outcome": "More sleep"},
        "add_action": {"outcome": outcome, **smart()},
        "update_action_status": {"action": action, "status": PlanAction.Status.DONE},
        "record_review": {
            "plan": plan,
            "review_date": D(2025, 3, 1),
            "progress": "P",
            "child_views": "V",
            "decision": PlanReview.Decision.CONTINUE,
        },
        "end_plan": {"plan": plan, "end_date": D(2025, 3, 1), "end_reason": "moved"},
        "record_visit": {"child": child, **_visit(D(2025, 3, 1))},
    }
    events = AuditEvent.objects.count()
    # An IRO records plans but not visits; a front door worker does neither.
    refused = make_user(Role.IRO if permission is Permission.VISIT_RECORD else Role.FRONT_DOOR)
    with pytest.raises(PermissionDenied, match="This needs the permission to"):
        getattr(actions, write)(acting_user=refused, **arguments[write])
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("name", "kwargs", "permission"),
    [
        ("plan-new", {}, Permission.PLAN_RECORD),
        ("plan-edit", {"plan_id": 1}, Permission.PLAN_RECORD),
        ("outcome-new", {"plan_id": 1}, Permission.PLAN_RECORD),
        ("action-new", {"outcome_id": 1}, Permission.PLAN_RECORD),
        ("action-status", {"action_id": 1}, Permission.PLAN_RECORD),
        ("review-new", {"plan_id": 1}, Permission.PLAN_RECORD),
        ("plan-end", {"plan_id": 1}, Permission.PLAN_RECORD),
        ("visit-new", {}, Permission.VISIT_RECORD),
    ],
)
def test_each_form_page_needs_the_permission_its_action_needs(
    name: str, kwargs: dict[str, int], permission: Permission
) -> None:
    url = reverse(f"cin:{name}", kwargs={"person_id": 1, **kwargs})
    assert resolve(url).func.view_class.permission is permission  # type: ignore[attr-defined]


def test_record_links_show_for_the_permission_their_page_needs(
    client: Client, child: Person, plan: CINPlan, make_user: Callable[..., User]
) -> None:
    """An IRO records plans and reviews but not visits."""
    client.force_login(make_user(Role.IRO))
    html = client.get(reverse("cin:record-plans", kwargs={"person_id": child.pk})).content
    assert b"Record a review" in html
    assert b"Add an outcome" in html
    assert b"Record a visit" not in html
    visits = client.get(reverse("cin:visit-list", kwargs={"person_id": child.pk})).content
    assert b"Record a visit" not in visits
    assert client.get(reverse("cin:visit-new", kwargs={"person_id": child.pk})).status_code == 403
