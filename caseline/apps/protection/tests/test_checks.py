"""Every date a child protection form takes is a date it could be, and every write needs its
permission: the actions refuse the year 1850, a date before the child was born and a user
without the permission, and the pages ask for the permission their action needs."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission, Role
from caseline.apps.core.access import user_can
from caseline.apps.people.models import Person
from caseline.apps.plans.tests import writes
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
    IDENTITY,
    at,
    conference_values,
    everyone,
    strategy_values,
    transferred_in,
)

pytestmark = pytest.mark.django_db

D = datetime.date
BEFORE_BIRTH = D(2011, 6, 1)  # Ada was born on 1 May 2012
C = Conference


def _review(day: D) -> dict[str, Any]:
    values = conference_values(conference_date=day, decision=C.Decision.CONTINUE)
    values.pop("outline_plan")
    return {"progress": C.Progress.GOOD, **values}


@pytest.fixture
def setting(
    child: Person, worker: User, plan: ProtectionPlan, make_child: Callable[..., Person]
) -> dict[str, Any]:
    """A child on a plan with an action and an open enquiry, and a second child whose
    enquiry awaits a conference: what the forms are about."""
    other = make_child("Ada")
    discussion = actions.record_strategy_discussion(
        acting_user=worker, child=other, **strategy_values()
    )
    outcome = actions.add_outcome(acting_user=worker, plan=plan, outcome="Ada is safe")
    return {
        "child": child,
        "other": other,
        "worker": worker,
        "plan": plan,
        "action": actions.add_action(
            acting_user=worker,
            outcome=outcome,
            what="Go to the course",
            who="Mum",
            by_when=D(2025, 6, 30),
            how_we_will_know="The course leader tells us",
        ),
        "awaiting": actions.complete_enquiry(
            acting_user=worker,
            enquiry=discussion.enquiry,
            outcome=Section47Enquiry.Outcome.CONFERENCE,
            completed_on=D(2025, 4, 24),
            outcome_note="Substantiated",
        ),
        "open": actions.record_strategy_discussion(
            acting_user=worker, child=child, **strategy_values(held_at=at(D(2025, 4, 11)))
        ).enquiry,
    }


WRITES: dict[str, writes.Write] = {
    "strategy discussion": writes.Write(
        lambda s, user, day: actions.record_strategy_discussion(
            acting_user=user, child=s["child"], **strategy_values(held_at=at(day))
        ),
        Permission.ENQUIRY_RECORD,
        "held_at",
        "The date of the strategy discussion",
        D(2025, 4, 12),
    ),
    "enquiry outcome": writes.Write(
        lambda s, user, day: actions.complete_enquiry(
            acting_user=user, enquiry=s["open"], outcome="nfa", completed_on=day, outcome_note="No"
        ),
        Permission.ENQUIRY_RECORD,
        "completed_on",
        "The completion date",
        D(2025, 4, 20),
    ),
    "police decision": writes.Write(
        lambda s, user, day: actions.record_police_decision(
            acting_user=user, enquiry=s["open"], decided_on=day, decision="D", abe_interview=False
        ),
        Permission.ENQUIRY_RECORD,
        "decided_on",
        "The date of the decision",
        D(2025, 4, 12),
    ),
    "interview date": writes.Write(
        lambda s, user, day: actions.record_police_decision(
            acting_user=user,
            enquiry=s["open"],
            decided_on=D(2025, 4, 12),
            decision="Interview",
            abe_interview=True,
            abe_interview_on=day,
        ),
        Permission.ENQUIRY_RECORD,
        "abe_interview_on",
        "The interview date",
        D(2025, 4, 14),
    ),
    "initial conference": writes.Write(
        lambda s, user, day: actions.hold_initial_conference(
            acting_user=user,
            child=s["other"],
            enquiry=s["awaiting"],
            lead_social_worker=s["worker"],
            **conference_values(conference_date=day),
        ),
        Permission.CONFERENCE_CHAIR,
        "conference_date",
        "The conference date",
        D(2025, 5, 1),
    ),
    "transfer notice": writes.Write(
        lambda s, user, day: actions.record_transfer_in(
            acting_user=user, child=s["other"], notified_on=day, from_authority="Northshire"
        ),
        Permission.ENQUIRY_RECORD,
        "notified_on",
        "The date we were told the child had moved here",
        D(2025, 4, 20),
    ),
    "review conference": writes.Write(
        lambda s, user, day: actions.hold_review_conference(
            acting_user=user, plan=s["plan"], **_review(day)
        ),
        Permission.CONFERENCE_CHAIR,
        "conference_date",
        "The conference date",
        D(2025, 7, 1),
    ),
    "core group": writes.Write(
        lambda s, user, day: actions.record_core_group(
            acting_user=user,
            plan=s["plan"],
            meeting_date=day,
            attendees="Mum",
            progress=C.Progress.SOME,
            progress_note="Some",
        ),
        Permission.ENQUIRY_RECORD,
        "meeting_date",
        "The meeting date",
        D(2025, 5, 9),
    ),
    "visit": writes.Write(
        lambda s, user, day: actions.record_visit(
            acting_user=user,
            plan=s["plan"],
            visit_date=day,
            child_seen=True,
            child_seen_alone=True,
            observations="Well",
        ),
        Permission.VISIT_RECORD,
        "visit_date",
        "The visit date",
        D(2025, 5, 8),
    ),
    "change the plan": writes.Write(
        lambda s, user, day: actions.update_plan(
            acting_user=user,
            plan=s["plan"],
            read_version=s["plan"].version,
            worries="W",
            contingency="C",
            child_views="V",
            identity_needs=IDENTITY,
            lead_social_worker=s["worker"],
        ),
        Permission.PLAN_RECORD,
        None,
        "",
        D(2025, 5, 8),
    ),
    "outcome": writes.Write(
        lambda s, user, day: actions.add_outcome(acting_user=user, plan=s["plan"], outcome="O"),
        Permission.PLAN_RECORD,
        None,
        "",
        D(2025, 5, 8),
    ),
    "action": writes.Write(
        lambda s, user, day: actions.add_action(
            acting_user=user,
            outcome=s["action"].outcome,
            what="W",
            who="Mum",
            by_when=day,
            how_we_will_know="K",
        ),
        Permission.PLAN_RECORD,
        "by_when",
        "The date by when it will be done",
        D(2025, 6, 30),
    ),
    "progress": writes.Write(
        lambda s, user, day: actions.update_action_status(
            acting_user=user,
            action=s["action"],
            status=ProtectionAction.Status.IN_PROGRESS,
            updated_on=day,
            status_note="Going well",
        ),
        Permission.PLAN_RECORD,
        "updated_on",
        "The date of this update",
        D(2025, 5, 20),
    ),
    "end the plan": writes.Write(
        lambda s, user, day: actions.end_plan(
            acting_user=user, plan=s["plan"], end_date=day, end_reason="moved", end_note="Moved"
        ),
        Permission.PLAN_RECORD,
        "end_date",
        "The end date",
        D(2025, 9, 1),
    ),
}

# Who may not: an IRO chairs and records plans but not enquiries or visits; a social worker
# records enquiries, visits and plans but does not chair; a front door worker does neither.
REFUSED = {
    Permission.ENQUIRY_RECORD: Role.IRO,
    Permission.VISIT_RECORD: Role.IRO,
    Permission.CONFERENCE_CHAIR: Role.SOCIAL_WORKER,
    Permission.PLAN_RECORD: Role.FRONT_DOOR,
}


@pytest.mark.parametrize("write", writes.dated(WRITES))
@pytest.mark.parametrize(("day", "says"), writes.impossible_days(BEFORE_BIRTH, "1 May 2012"))
def test_no_date_from_1850_or_before_the_child_was_born(
    write: str, day: D, says: str, setting: dict[str, Any], chair: User, worker: User
) -> None:
    chairs = WRITES[write].permission is Permission.CONFERENCE_CHAIR
    writes.assert_refused(WRITES[write], setting, chair if chairs else worker, day, says)


@pytest.mark.parametrize("write", list(WRITES))
def test_every_write_needs_its_permission(
    write: str, setting: dict[str, Any], chair: User, worker: User, make_user: Callable[..., User]
) -> None:
    chairs = WRITES[write].permission is Permission.CONFERENCE_CHAIR
    refused = make_user(REFUSED[WRITES[write].permission])
    permitted = chair if chairs else worker
    writes.assert_needs_its_permission(WRITES[write], setting, refused, permitted=permitted)


def test_the_strategy_page_refuses_1850_and_a_date_before_the_child_was_born(
    client: Client, child: Person, worker: User
) -> None:
    client.force_login(worker)
    page = reverse("protection:strategy-new", kwargs={"person_id": child.pk})
    post = {
        "kind": "meeting",
        "held_time": "10:00",
        **{f"participation_{a.replace('-', '_')}": "attended" for a in everyone()},
        "information_shared": "Info",
        "decision": "Decision",
        "rationale": "Reasons",
        "s47_decision": "none",
    }
    response = client.post(page, {**post, **date_fields("held_on", writes.LONG_AGO)})
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


def test_record_links_show_for_the_permission_their_page_needs(
    client: Client, child: Person, plan: ProtectionPlan, chair: User, worker: User
) -> None:
    """An IRO chairs but records no enquiries, core groups or visits (and plans only while
    the role holds that permission); a social worker does those but does not chair."""
    transferred_in(child, worker, D(2025, 4, 28))  # a transfer-in conference awaited
    record = reverse("protection:record", kwargs={"person_id": child.pk})
    plan_page = reverse("protection:plan", kwargs={"person_id": child.pk, "plan_id": plan.pk})
    client.force_login(chair)
    html = client.get(record).content
    assert b"Record a strategy discussion" not in html
    assert b"Record a police decision" not in html
    assert b"Record a transfer-in conference" in html
    assert b"Record a transfer in<" not in html
    html = client.get(plan_page).content
    assert b"Record a review conference" in html
    assert (b"Add what needs to change" in html) is user_can(chair, Permission.PLAN_RECORD)
    assert b"Record a core group meeting" not in html
    assert b"Record a visit" not in html
    client.force_login(worker)
    html = client.get(record).content
    assert b"Record a transfer in<" in html
    assert b"Record a transfer-in conference" not in html
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
        progress=C.Progress.SOME,
        progress_note="Started",
    )
    client.force_login(worker)
    html = client.get(
        reverse("protection:plan", kwargs={"person_id": child.pk, "plan_id": plan.pk})
    ).content.decode()
    assert 'govuk-tag--yellow">Completed 2 working days late</strong>' in html
