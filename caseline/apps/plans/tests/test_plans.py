"""The shared SMART plan: each kind finds its own models and events, lookups stay with the
child and the plan, the outcomes table gives links only to those who may record, and every
form page of the plan apps needs the permission its action needs."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from enum import StrEnum

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404
from django.urls import resolve, reverse

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.cin import actions as cin_actions
from caseline.apps.cin.events import CinEvent
from caseline.apps.cin.models import CINPlan, PlanAction, PlanOutcome
from caseline.apps.cin.tests.conftest import smart
from caseline.apps.people.models import Person
from caseline.apps.plans import queries
from caseline.apps.plans.kinds import SmartPlanKind, _related
from caseline.apps.plans.models import SmartOutcome
from caseline.apps.plans.views import outcome_rows
from caseline.apps.protection import actions as protection_actions
from caseline.apps.protection.events import ProtectionEvent
from caseline.apps.protection.models import ProtectionAction, ProtectionOutcome

pytestmark = pytest.mark.django_db


def test_the_plans_app_has_no_tables() -> None:
    assert list(apps.get_app_config("plans").get_models()) == []


def test_each_kind_finds_its_models_and_events() -> None:
    cin = cin_actions.SMART_PLAN
    assert (cin.outcome_model, cin.action_model) == (PlanOutcome, PlanAction)
    assert (cin.outcome_added, cin.action_added, cin.progress_updated) == (
        CinEvent.OUTCOME_ADDED,
        CinEvent.ACTION_ADDED,
        CinEvent.ACTION_STATUS_UPDATED,
    )
    assert not cin.progress_at_meetings
    cp = protection_actions.SMART_PLAN
    assert (cp.outcome_model, cp.action_model) == (ProtectionOutcome, ProtectionAction)
    assert cp.progress_updated is ProtectionEvent.ACTION_STATUS_UPDATED
    assert cp.progress_at_meetings
    assert cp.outcome_called("Ada") == "what needs to change"
    assert cin.outcome_called("Ada") == "what we want to be different for Ada"


def test_a_kind_needs_a_plan_whose_outcomes_are_smart() -> None:
    with pytest.raises(ImproperlyConfigured, match=r"CINPlan\.visits must lead to a SmartOutcome"):
        _related(CINPlan, "visits", SmartOutcome)

    class OtherEvents(StrEnum):
        SOMETHING = "other.something"

    with pytest.raises(KeyError, match="OUTCOME_ADDED"):
        SmartPlanKind.of(CINPlan, events=OtherEvents, outcome_label="", outcome_missing="")


def test_lookups_stay_with_the_child_and_the_plan(
    plan: CINPlan,
    outcome: PlanOutcome,
    worker: User,
    child: Person,
    make_child: Callable[..., Person],
) -> None:
    kind = cin_actions.SMART_PLAN
    action = cin_actions.add_action(acting_user=worker, outcome=outcome, **smart())
    assert queries.get_plan(kind, child, plan.pk) == plan
    assert queries.get_outcome(kind, child, outcome.pk, plan_id=plan.pk) == outcome
    assert queries.get_action(kind, child, action.pk, plan_id=plan.pk) == action
    other = make_child("Cal")
    for lookup in (
        lambda: queries.get_plan(kind, other, plan.pk),
        lambda: queries.get_outcome(kind, other, outcome.pk),
        lambda: queries.get_outcome(kind, child, outcome.pk, plan_id=plan.pk + 1),
        lambda: queries.get_action(kind, child, action.pk, plan_id=plan.pk + 1),
    ):
        with pytest.raises(Http404):
            lookup()


def test_outcome_rows_number_the_outcomes_and_link_only_for_those_who_may_record(
    plan: CINPlan, outcome: PlanOutcome, worker: User
) -> None:
    cin_actions.add_action(
        acting_user=worker, outcome=outcome, **smart(by_when=datetime.date(2025, 3, 3))
    )
    second = cin_actions.add_outcome(acting_user=worker, plan=plan, outcome="Mum gets help")
    outcomes = PlanOutcome.objects.filter(plan=plan).prefetch_related("actions")
    rows = outcome_rows(
        outcomes,
        datetime.date(2025, 3, 4),
        add_action_url=lambda o: f"/add/{o.pk}",
        progress_url=lambda a: f"/progress/{a.pk}",
    )
    assert [(row.number, row.outcome) for row in rows] == [(1, outcome), (2, second)]
    [item] = rows[0].actions
    assert item.overdue
    assert item.progress_url == f"/progress/{item.action.pk}"
    assert rows[1].add_action_url == f"/add/{second.pk}"
    read_only = outcome_rows(
        outcomes, datetime.date(2025, 3, 1), add_action_url=None, progress_url=None
    )
    assert read_only[0].add_action_url == read_only[0].actions[0].progress_url == ""
    assert not read_only[0].actions[0].overdue


@pytest.mark.parametrize(
    ("name", "kwargs", "permission"),
    [
        ("cin:plan-new", {}, Permission.PLAN_RECORD),
        ("cin:plan-edit", {"plan_id": 1}, Permission.PLAN_RECORD),
        ("cin:outcome-new", {"plan_id": 1}, Permission.PLAN_RECORD),
        ("cin:action-new", {"outcome_id": 1}, Permission.PLAN_RECORD),
        ("cin:action-status", {"action_id": 1}, Permission.PLAN_RECORD),
        ("cin:review-new", {"plan_id": 1}, Permission.PLAN_RECORD),
        ("cin:plan-end", {"plan_id": 1}, Permission.PLAN_RECORD),
        ("cin:visit-new", {}, Permission.VISIT_RECORD),
        ("protection:strategy-new", {}, Permission.ENQUIRY_RECORD),
        ("protection:enquiry-outcome", {"enquiry_id": 1}, Permission.ENQUIRY_RECORD),
        ("protection:police-decision-new", {"enquiry_id": 1}, Permission.ENQUIRY_RECORD),
        ("protection:icpc-new", {"enquiry_id": 1}, Permission.CONFERENCE_CHAIR),
        ("protection:transfer-in-notice", {}, Permission.ENQUIRY_RECORD),
        ("protection:transfer-in-new", {"transfer_id": 1}, Permission.CONFERENCE_CHAIR),
        ("protection:plan-edit", {"plan_id": 1}, Permission.PLAN_RECORD),
        ("protection:outcome-new", {"plan_id": 1}, Permission.PLAN_RECORD),
        ("protection:action-new", {"plan_id": 1, "outcome_id": 1}, Permission.PLAN_RECORD),
        ("protection:action-status", {"plan_id": 1, "action_id": 1}, Permission.PLAN_RECORD),
        ("protection:core-group-new", {"plan_id": 1}, Permission.ENQUIRY_RECORD),
        ("protection:review-new", {"plan_id": 1}, Permission.CONFERENCE_CHAIR),
        ("protection:visit-new", {"plan_id": 1}, Permission.VISIT_RECORD),
        ("protection:plan-end", {"plan_id": 1}, Permission.PLAN_RECORD),
    ],
)
def test_each_form_page_needs_the_permission_its_action_needs(
    name: str, kwargs: dict[str, int], permission: Permission
) -> None:
    url = reverse(name, kwargs={"person_id": 1, **kwargs})
    assert resolve(url).func.view_class.permission is permission  # type: ignore[attr-defined]
