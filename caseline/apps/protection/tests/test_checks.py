"""Every date a child protection form takes is a date it could be, and every write needs its
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

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission, Role
from caseline.apps.audit.models import AuditEvent
from caseline.apps.people.models import Person
from caseline.apps.plans.tests.posting import date_fields
from caseline.apps.protection import actions
from caseline.apps.protection.models import (
    Conference,
    ProtectionAction,
    ProtectionPlan,
    Section47Enquiry,
    StrategyDiscussion,
)
from caseline.apps.protection.tests.conftest import (
    at,
    conference_values,
    everyone,
    strategy_values,
)

pytestmark = pytest.mark.django_db

D = datetime.date
LONG_AGO = D(1850, 6, 1)
BEFORE_BIRTH = D(2011, 6, 1)  # Ada was born on 1 May 2012


def review_values(**overrides: Any) -> dict[str, Any]:
    values = conference_values(**overrides)
    values.pop("outline_plan")
    return {"progress": Conference.Progress.GOOD, **values}


def _action(plan: ProtectionPlan, worker: User) -> ProtectionAction:
    outcome = actions.add_outcome(acting_user=worker, plan=plan, outcome="Ada is safe")
    return actions.add_action(
        acting_user=worker,
        outcome=outcome,
        what="Go to the course",
        who="Mum",
        by_when=D(2025, 6, 30),
        how_we_will_know="The course leader tells us",
    )


@pytest.fixture
def setting(
    child: Person,
    worker: User,
    chair: User,
    plan: ProtectionPlan,
    make_child: Callable[..., Person],
) -> dict[str, Any]:
    """A child on a plan with an action, and a second child whose enquiry awaits a
    conference: what the dated forms are about."""
    other = make_child("Ada")
    discussion = actions.record_strategy_discussion(
        acting_user=worker, child=other, **strategy_values()
    )
    awaiting = actions.complete_enquiry(
        acting_user=worker,
        enquiry=discussion.enquiry,
        outcome=Section47Enquiry.Outcome.CONFERENCE,
        completed_on=D(2025, 4, 24),
        outcome_note="Substantiated",
    )
    open_discussion = actions.record_strategy_discussion(
        acting_user=worker, child=child, **strategy_values(held_at=at(D(2025, 4, 11)))
    )
    return {
        "child": child,
        "other": other,
        "worker": worker,
        "chair": chair,
        "plan": plan,
        "action": _action(plan, worker),
        "awaiting": awaiting,
        "open": open_discussion.enquiry,
    }


# Each form's date: the action called with that date, the field and how the message names it.
DATED: dict[str, tuple[Callable[[dict[str, Any], D], Any], str, str]] = {
    "strategy discussion": (
        lambda s, day: actions.record_strategy_discussion(
            acting_user=s["worker"], child=s["child"], **strategy_values(held_at=at(day))
        ),
        "held_at",
        "The date of the strategy discussion",
    ),
    "enquiry outcome": (
        lambda s, day: actions.complete_enquiry(
            acting_user=s["worker"],
            enquiry=s["open"],
            outcome=Section47Enquiry.Outcome.NFA,
            completed_on=day,
            outcome_note="No",
        ),
        "completed_on",
        "The completion date",
    ),
    "police decision": (
        lambda s, day: actions.record_police_decision(
            acting_user=s["worker"],
            enquiry=s["open"],
            decided_on=day,
            decision="Interview",
            abe_interview=False,
        ),
        "decided_on",
        "The date of the decision",
    ),
    "interview date": (
        lambda s, day: actions.record_police_decision(
            acting_user=s["worker"],
            enquiry=s["open"],
            decided_on=D(2025, 4, 12),
            decision="Interview",
            abe_interview=True,
            abe_interview_on=day,
        ),
        "abe_interview_on",
        "The interview date",
    ),
    "initial conference": (
        lambda s, day: actions.hold_initial_conference(
            acting_user=s["chair"],
            child=s["other"],
            enquiry=s["awaiting"],
            lead_social_worker=s["worker"],
            **conference_values(conference_date=day),
        ),
        "conference_date",
        "The conference date",
    ),
    "transfer notice": (
        lambda s, day: actions.hold_initial_conference(
            acting_user=s["chair"],
            child=s["other"],
            transfer_notified_on=day,
            **conference_values(decision=Conference.Decision.NO_PLAN),
        ),
        "transfer_notified_on",
        "The date we were told the child had moved here",
    ),
    "review conference": (
        lambda s, day: actions.hold_review_conference(
            acting_user=s["chair"],
            plan=s["plan"],
            **review_values(conference_date=day, decision=Conference.Decision.CONTINUE),
        ),
        "conference_date",
        "The conference date",
    ),
    "core group": (
        lambda s, day: actions.record_core_group(
            acting_user=s["worker"],
            plan=s["plan"],
            meeting_date=day,
            attendees="Mum",
            progress=Conference.Progress.SOME,
            progress_note="Some",
        ),
        "meeting_date",
        "The meeting date",
    ),
    "visit": (
        lambda s, day: actions.record_visit(
            acting_user=s["worker"],
            plan=s["plan"],
            visit_date=day,
            child_seen=True,
            child_seen_alone=True,
            observations="Well",
        ),
        "visit_date",
        "The visit date",
    ),
    "action": (
        lambda s, day: actions.add_action(
            acting_user=s["worker"],
            outcome=s["action"].outcome,
            what="W",
            who="Mum",
            by_when=day,
            how_we_will_know="K",
        ),
        "by_when",
        "The date by when it will be done",
    ),
    "progress": (
        lambda s, day: actions.update_action_status(
            acting_user=s["worker"],
            action=s["action"],
            status=ProtectionAction.Status.IN_PROGRESS,
            updated_on=day,
            status_note="Going well",
        ),
        "updated_on",
        "The date of this update",
    ),
    "end the plan": (
        lambda s, day: actions.end_plan(
            acting_user=s["worker"],
            plan=s["plan"],
            end_date=day,
            end_reason=ProtectionPlan.EndReason.MOVED,
            end_note="Moved",
        ),
        "end_date",
        "The end date",
    ),
}


@pytest.mark.parametrize("form", list(DATED))
@pytest.mark.parametrize(
    ("day", "says"),
    [
        (LONG_AGO, "{what} must be in 1900 or later"),
        (BEFORE_BIRTH, "{what} must be on or after Ada's date of birth (1 May 2012)"),
    ],
)
def test_no_date_from_1850_or_before_the_child_was_born(
    form: str, day: D, says: str, setting: dict[str, Any]
) -> None:
    action, field, what = DATED[form]
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        action(setting, day)
    assert caught.value.message_dict[field] == [says.format(what=what)]
    assert AuditEvent.objects.count() == events


def test_the_strategy_page_refuses_1850_and_a_date_before_the_child_was_born(
    client: Client, child: Person, worker: User
) -> None:
    client.force_login(worker)
    page = reverse("protection:strategy-new", kwargs={"person_id": child.pk})
    post = {
        "kind": "meeting",
        "held_time": "10:00",
        **{f"participation_{a}": "attended" for a in everyone()},
        "information_shared": "Info",
        "decision": "Decision",
        "rationale": "Reasons",
        "s47_decision": "none",
    }
    post = {k.replace("-", "_"): v for k, v in post.items()}
    response = client.post(page, {**post, **date_fields("held_on", LONG_AGO)})
    assert response.status_code == 400
    assert "Date of the strategy discussion must be in 1900 or later" in response.content.decode()
    response = client.post(page, {**post, **date_fields("held_on", BEFORE_BIRTH)})
    assert response.status_code == 400
    html = response.content.decode()
    message = "The date of the strategy discussion must be on or after Ada&#x27;s date of birth"
    # Beside the date it is about, and in the summary linking to it.
    assert html.count(message) == 2
    assert 'href="#id_held_on' in html
    assert not StrategyDiscussion.objects.exists()


# --- Permissions ----------------------------------------------------------------------------


PERMISSIONS = [
    ("record_strategy_discussion", Permission.ENQUIRY_RECORD),
    ("complete_enquiry", Permission.ENQUIRY_RECORD),
    ("record_police_decision", Permission.ENQUIRY_RECORD),
    ("record_core_group", Permission.ENQUIRY_RECORD),
    ("hold_initial_conference", Permission.CONFERENCE_CHAIR),
    ("hold_review_conference", Permission.CONFERENCE_CHAIR),
    ("update_plan", Permission.PLAN_RECORD),
    ("add_outcome", Permission.PLAN_RECORD),
    ("add_action", Permission.PLAN_RECORD),
    ("update_action_status", Permission.PLAN_RECORD),
    ("end_plan", Permission.PLAN_RECORD),
    ("record_visit", Permission.VISIT_RECORD),
]


@pytest.mark.parametrize(("write", "permission"), PERMISSIONS)
def test_every_write_needs_its_permission(
    write: str, permission: Permission, setting: dict[str, Any], make_user: Callable[..., User]
) -> None:
    s = setting
    plan, action = s["plan"], s["action"]
    arguments: dict[str, dict[str, Any]] = {
        "record_strategy_discussion": {"child": s["child"], **strategy_values()},
        "complete_enquiry": {
            "enquiry": s["open"],
            "outcome": "nfa",
            "completed_on": D(2025, 4, 20),
            "outcome_note": "No",
        },
        "record_police_decision": {
            "enquiry": s["open"],
            "decided_on": D(2025, 4, 12),
            "decision": "Interview",
            "abe_interview": False,
        },
        "record_core_group": {
            "plan": plan,
            "meeting_date": D(2025, 5, 9),
            "attendees": "Mum",
            "progress": "some",
            "progress_note": "Some",
        },
        "hold_initial_conference": {
            "child": s["other"],
            "enquiry": s["awaiting"],
            "lead_social_worker": s["worker"],
            **conference_values(),
        },
        "hold_review_conference": {
            "plan": plan,
            **review_values(conference_date=D(2025, 7, 1), decision="continue"),
        },
        "update_plan": {
            "plan": plan,
            "read_version": plan.version,
            "worries": "W",
            "contingency": "C",
            "child_views": "V",
        },
        "add_outcome": {"plan": plan, "outcome": "More"},
        "add_action": {
            "outcome": action.outcome,
            "what": "W",
            "who": "Mum",
            "by_when": D(2025, 6, 30),
            "how_we_will_know": "K",
        },
        "update_action_status": {
            "action": action,
            "status": "done",
            "updated_on": D(2025, 5, 20),
            "status_note": "Done",
        },
        "end_plan": {
            "plan": plan,
            "end_date": D(2025, 9, 1),
            "end_reason": "moved",
            "end_note": "Moved",
        },
        "record_visit": {
            "plan": plan,
            "visit_date": D(2025, 5, 8),
            "child_seen": True,
            "child_seen_alone": True,
            "observations": "Well",
        },
    }
    # An IRO chairs and records plans but not enquiries or visits; a social worker records
    # enquiries, visits and plans but does not chair; a front door worker does none of these.
    refused = make_user(
        {
            Permission.ENQUIRY_RECORD: Role.IRO,
            Permission.VISIT_RECORD: Role.IRO,
            Permission.CONFERENCE_CHAIR: Role.SOCIAL_WORKER,
            Permission.PLAN_RECORD: Role.FRONT_DOOR,
        }[permission]
    )
    events = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied, match="This needs the permission to"):
        getattr(actions, write)(acting_user=refused, **arguments[write])
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("name", "kwargs", "permission"),
    [
        ("strategy-new", {}, Permission.ENQUIRY_RECORD),
        ("enquiry-outcome", {"enquiry_id": 1}, Permission.ENQUIRY_RECORD),
        ("police-decision-new", {"enquiry_id": 1}, Permission.ENQUIRY_RECORD),
        ("icpc-new", {"enquiry_id": 1}, Permission.CONFERENCE_CHAIR),
        ("transfer-in-new", {}, Permission.CONFERENCE_CHAIR),
        ("plan-edit", {"plan_id": 1}, Permission.PLAN_RECORD),
        ("outcome-new", {"plan_id": 1}, Permission.PLAN_RECORD),
        ("action-new", {"plan_id": 1, "outcome_id": 1}, Permission.PLAN_RECORD),
        ("action-status", {"plan_id": 1, "action_id": 1}, Permission.PLAN_RECORD),
        ("core-group-new", {"plan_id": 1}, Permission.ENQUIRY_RECORD),
        ("review-new", {"plan_id": 1}, Permission.CONFERENCE_CHAIR),
        ("visit-new", {"plan_id": 1}, Permission.VISIT_RECORD),
        ("plan-end", {"plan_id": 1}, Permission.PLAN_RECORD),
    ],
)
def test_each_form_page_needs_the_permission_its_action_needs(
    name: str, kwargs: dict[str, int], permission: Permission
) -> None:
    url = reverse(f"protection:{name}", kwargs={"person_id": 1, **kwargs})
    assert resolve(url).func.view_class.permission is permission  # type: ignore[attr-defined]


def test_record_links_show_for_the_permission_their_page_needs(
    client: Client, child: Person, plan: ProtectionPlan, chair: User, worker: User
) -> None:
    """An IRO chairs and records plans, but records no enquiries, core groups or visits; a
    social worker does those but does not chair."""
    record = reverse("protection:record", kwargs={"person_id": child.pk})
    plan_page = reverse("protection:plan", kwargs={"person_id": child.pk, "plan_id": plan.pk})
    client.force_login(chair)
    html = client.get(record).content
    assert b"Record a strategy discussion" not in html
    assert b"Record a police decision" not in html
    assert b"Record a transfer-in conference" in html
    html = client.get(plan_page).content
    assert b"Record a review conference" in html
    assert b"Add what needs to change" in html
    assert b"Record a core group meeting" not in html
    assert b"Record a visit" not in html
    client.force_login(worker)
    html = client.get(plan_page).content
    assert b"Record a core group meeting" in html
    assert b"Record a visit" in html
    assert b"Record a review conference" not in html


def test_done_late_is_yellow_on_the_plan(
    client: Client, child: Person, plan: ProtectionPlan, worker: User
) -> None:
    """The first core group was due by 16 May 2025 (10 working days from 1 May); held on
    20 May it was late. Done late is yellow, as everywhere (this page showed it red)."""
    actions.record_core_group(
        acting_user=worker,
        plan=plan,
        meeting_date=D(2025, 5, 20),
        attendees="Mum",
        progress=Conference.Progress.SOME,
        progress_note="Started",
    )
    client.force_login(worker)
    html = client.get(
        reverse("protection:plan", kwargs={"person_id": child.pk, "plan_id": plan.pk})
    ).content.decode()
    assert 'govuk-tag--yellow">Completed 2 working days late</strong>' in html
