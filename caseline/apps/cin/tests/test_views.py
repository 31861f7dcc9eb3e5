"""The plans pages: permissions, forms, errors kept on a failed POST, query counts."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.models import AuditEvent
from caseline.apps.cin import actions
from caseline.apps.cin.models import CINPlan, CINVisit, PlanAction, PlanOutcome, PlanReview
from caseline.apps.cin.tests.conftest import IDENTITY, smart
from caseline.apps.people.models import Person
from caseline.apps.plans.tests.assessed import assessed
from caseline.apps.plans.tests.posting import date_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client: Client, worker: User) -> Client:
    client.force_login(worker)
    return client


def url(name: str, person: Person, **kwargs: int) -> str:
    return reverse(f"cin:{name}", kwargs={"person_id": person.pk, **kwargs})


def test_the_plans_page_without_a_plan_offers_to_start_one(
    signed_in: Client, child: Person
) -> None:
    response = signed_in.get(url("record-plans", child))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ada Testchild does not have a current child in need plan." in html
    assert url("plan-new", child) in html
    assert AuditEvent.objects.filter(
        event_type="record.viewed", subject_person_id=child.pk, extra__section="plans"
    ).exists()


def test_the_plans_page_shows_the_plan_readably(
    signed_in: Client,
    child: Person,
    plan: CINPlan,
    outcome: PlanOutcome,
    worker: User,
) -> None:
    actions.add_action(acting_user=worker, outcome=outcome, **smart())
    actions.record_visit(
        acting_user=worker,
        child=child,
        visit_date=datetime.date(2025, 2, 10),
        child_seen=True,
        child_seen_alone=True,
        seen_bedroom=True,
        purpose="Planned visit",
        observations="Warm and tidy",
    )
    html = signed_in.get(url("record-plans", child)).content.decode()
    for text in (
        "Outcome 1: what we want to be different for Ada",
        "Ada goes to school every day, on time.",
        ">What<",
        ">Who<",
        ">By when<",
        ">How we will know<",
        ">Progress<",
        "Walk Ada to school each morning",
        "Mum (Sarah)",
        "3 March 2025",
        "Not started",
        "Seen alone",
        "Warm and tidy",
        "The plan has not been reviewed yet.",
    ):
        assert text in html, text
    # Long overdue in 2026: red tags with words, never colour alone.
    assert 'govuk-tag--red">Overdue by' in html
    assert 'govuk-tag--red">Overdue</strong>' in html


def test_the_plans_page_query_count_does_not_grow_with_the_plan(
    signed_in: Client,
    child: Person,
    plan: CINPlan,
    worker: User,
    django_assert_max_num_queries: Any,
) -> None:
    page = url("record-plans", child)

    def add(n: int) -> None:
        outcome = actions.add_outcome(acting_user=worker, plan=plan, outcome=f"Outcome {n}")
        actions.add_action(acting_user=worker, outcome=outcome, **smart())
        actions.record_review(
            acting_user=worker,
            plan=plan,
            review_date=datetime.date(2025, 3, 1 + n),
            progress="Steady",
            child_views="Fine",
            decision="continue",
            identity_needs=IDENTITY,
        )
        actions.record_visit(
            acting_user=worker,
            child=child,
            visit_date=datetime.date(2025, 2, 10 + n),
            child_seen=True,
            child_seen_alone=False,
            seen_bedroom=None,
            purpose="Planned",
            observations="Well",
        )

    add(0)
    signed_in.get(page)
    with CaptureQueriesContext(connection) as small:
        signed_in.get(page)
    for n in range(1, 5):
        outcome = actions.add_outcome(acting_user=worker, plan=plan, outcome=f"Outcome {n}")
        for _ in range(3):
            actions.add_action(acting_user=worker, outcome=outcome, **smart())
        actions.record_review(
            acting_user=worker,
            plan=plan,
            review_date=datetime.date(2025, 3, 1 + n),
            progress="Steady",
            child_views="Fine",
            decision="continue",
            identity_needs=IDENTITY,
        )
    for day in range(20, 28):
        actions.record_visit(
            acting_user=worker,
            child=child,
            visit_date=datetime.date(2025, 2, day),
            child_seen=True,
            child_seen_alone=False,
            seen_bedroom=None,
            purpose="Planned",
            observations="Well",
        )
    with django_assert_max_num_queries(len(small)) as big:
        response = signed_in.get(page)
    assert len(big) == len(small) <= 30
    assert response.status_code == 200
    assert response.content.decode().count(">Walk Ada to school each morning<") == 13


def test_starting_a_plan_leads_to_adding_an_outcome_then_an_action(
    signed_in: Client, child: Person
) -> None:
    response = signed_in.post(
        url("plan-new", child),
        {
            **date_fields("start_date", datetime.date(2025, 2, 3)),
            "child_views": "Ada wants to see her friends",
            "family_views": "",
            "identity_needs": IDENTITY,
        },
    )
    plan = CINPlan.objects.get(person=child)
    assert response.status_code == 302
    assert response["Location"] == url("outcome-new", child, plan_id=plan.pk)
    form = signed_in.get(response["Location"]).content.decode()
    assert "What we want to be different for Ada" in form
    response = signed_in.post(response["Location"], {"outcome": "Ada sees friends weekly"})
    outcome = PlanOutcome.objects.get(plan=plan)
    assert response["Location"] == url("action-new", child, outcome_id=outcome.pk)
    assert (
        "Outcome: Ada sees friends weekly" in signed_in.get(response["Location"]).content.decode()
    )
    response = signed_in.post(
        response["Location"],
        {
            "what": "Join the Saturday youth club",
            "who": "Youth worker (Jo)",
            **date_fields("by_when", datetime.date(2025, 3, 1)),
            "how_we_will_know": "Ada tells us she went",
        },
    )
    assert response["Location"] == url("record-plans", child)
    assert PlanAction.objects.get().who == "Youth worker (Jo)"


def test_a_failed_post_keeps_what_was_typed_with_status_400(
    signed_in: Client, child: Person
) -> None:
    response = signed_in.post(
        url("plan-new", child),
        {
            **date_fields("start_date", datetime.date(2024, 12, 1)),
            "child_views": "Ada is keen",
            "identity_needs": IDENTITY,
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "The plan start date must be on or after the referral date, 6 January 2025" in html
    assert "Ada is keen" in html
    assert 'value="2024"' in html
    assert not CINPlan.objects.exists()


def test_the_smart_action_form_names_each_missing_part(
    signed_in: Client, child: Person, outcome: PlanOutcome
) -> None:
    response = signed_in.post(
        url("action-new", child, outcome_id=outcome.pk),
        {"what": "Attend the GP", "who": "", **date_fields("by_when", None)},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter who will do it, with their name or role" in html
    assert "Enter the date by when it will be done" in html
    assert "Enter how we will know it has worked" in html
    assert "Attend the GP" in html
    response = signed_in.post(
        url("action-new", child, outcome_id=outcome.pk),
        {
            "what": "Attend the GP",
            "who": "Mum (Sarah)",
            **date_fields("by_when", datetime.date(2025, 1, 31)),
            "how_we_will_know": "Letter",
        },
    )
    assert response.status_code == 400
    assert "must be on or after the plan start date, 3 February 2025" in response.content.decode()


def test_editing_the_plan_and_an_edit_conflict(
    signed_in: Client, child: Person, plan: CINPlan, worker: User
) -> None:
    edit = url("plan-edit", child, plan_id=plan.pk)
    form = signed_in.get(edit).content.decode()
    assert 'name="version" value="1"' in form
    data = {
        **date_fields("start_date", datetime.date(2025, 2, 3)),
        "child_views": "Changed by me",
        "family_views": "",
        "identity_needs": IDENTITY,
        "version": "1",
    }
    # Someone else saves first.
    actions.update_plan(
        acting_user=worker,
        plan=plan,
        read_version=1,
        start_date=plan.start_date,
        child_views="Changed by someone else",
        identity_needs=IDENTITY,
    )
    response = signed_in.post(edit, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "was changed by someone else after you opened it" in html
    assert "Changed by me" in html
    response = signed_in.post(edit, {**data, "version": "2"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.child_views == "Changed by me"


def test_action_progress_review_and_end(
    signed_in: Client, child: Person, plan: CINPlan, outcome: PlanOutcome, worker: User
) -> None:
    action = actions.add_action(acting_user=worker, outcome=outcome, **smart())
    status = url("action-status", child, action_id=action.pk)
    assert "Action: Walk Ada to school each morning (Mum (Sarah))" in (
        signed_in.get(status).content.decode()
    )
    assert signed_in.post(status, {"status": "not-done", "version": "1"}).status_code == 400
    assert signed_in.post(status, {"status": "in-progress"}).status_code == 400  # no version
    assert signed_in.post(status, {"status": "in-progress", "version": "1"}).status_code == 302
    action.refresh_from_db()
    assert action.status == "in-progress"
    assert action.version == 2
    # Someone else's page, read before that save, is refused.
    response = signed_in.post(status, {"status": "done", "version": "1"})
    assert response.status_code == 400
    assert "changed by someone else" in response.content.decode()

    review = url("review-new", child, plan_id=plan.pk)
    assert signed_in.get(review).status_code == 200
    response = signed_in.post(
        review,
        {
            **date_fields("review_date", datetime.date(2025, 5, 1)),
            "progress": "Attendance up",
            "child_views": "Happier",
            "identity_needs": IDENTITY,
            "decision": "continue",
        },
    )
    assert response.status_code == 302
    assert PlanReview.objects.get().next_review_due == datetime.date(2025, 8, 1)

    end = url("plan-end", child, plan_id=plan.pk)
    assert "close the referral" in signed_in.get(end).content.decode()
    response = signed_in.post(
        end, {**date_fields("end_date", datetime.date(2025, 6, 1)), "end_reason": "other"}
    )
    assert response.status_code == 400
    assert "Enter why the plan is ending" in response.content.decode()
    response = signed_in.post(
        end, {**date_fields("end_date", datetime.date(2025, 6, 1)), "end_reason": "achieved"}
    )
    assert response.status_code == 302
    html = signed_in.get(url("record-plans", child)).content.decode()
    assert "does not have a current child in need plan" in html
    assert "Earlier plans" in html
    assert "The plan&#x27;s outcomes were achieved" in html
    # The ended plan refuses more changes, shown as an error.
    response = signed_in.post(
        url("outcome-new", child, plan_id=plan.pk), {"outcome": "Something new"}
    )
    assert response.status_code == 400
    assert "This plan ended on 1 June 2025" in response.content.decode()


def test_recording_visits(signed_in: Client, child: Person, plan: CINPlan) -> None:
    new = url("visit-new", child)
    assert signed_in.get(new).status_code == 200
    response = signed_in.post(
        new,
        {
            **date_fields("visit_date", datetime.date(2025, 2, 12)),
            "child_seen": "no",
            "child_seen_alone": "yes",
            "seen_bedroom": "unknown",
            "purpose": "Planned",
            "observations": "No answer at the door",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "The child cannot have been seen alone if they were not seen" in html
    assert "Enter why the child was not seen" in html
    response = signed_in.post(
        new,
        {
            **date_fields("visit_date", datetime.date(2025, 2, 12)),
            "child_seen": "yes",
            "child_seen_alone": "yes",
            "seen_bedroom": "no",
            "purpose": "Planned",
            "observations": "Ada was playing",
            "child_views": "Likes her new bed",
        },
    )
    assert response.status_code == 302
    visit = CINVisit.objects.get()
    assert (visit.child_seen, visit.child_seen_alone, visit.seen_bedroom) == (True, True, False)
    assert visit.plan == plan
    listing = signed_in.get(url("visit-list", child)).content.decode()
    assert "12 February 2025" in listing
    assert "Likes her new bed" in listing


def test_another_childs_plan_is_not_found(
    signed_in: Client, make_child: Callable[..., Person], plan: CINPlan, outcome: PlanOutcome
) -> None:
    other = make_child("Cal")
    assert signed_in.get(url("plan-edit", other, plan_id=plan.pk)).status_code == 404
    assert signed_in.get(url("review-new", other, plan_id=plan.pk)).status_code == 404
    assert signed_in.get(url("action-new", other, outcome_id=outcome.pk)).status_code == 404
    assert signed_in.get(url("action-status", other, action_id=999)).status_code == 404


def test_children_outside_the_caseload_and_users_without_the_permission_are_refused(
    client: Client, make_user: Callable[..., User], child: Person
) -> None:
    stranger = make_user(Role.SOCIAL_WORKER)
    client.force_login(stranger)
    assert client.get(url("record-plans", child)).status_code == 403
    analyst = make_user(Role.ANALYST)
    client.force_login(analyst)
    assert client.get(url("record-plans", child)).status_code == 200
    assert client.get(url("plan-new", child)).status_code == 403
    assert client.post(url("visit-new", child)).status_code == 403


# --- The child's identity in the plan ------------------------------------------------------

IDENTITY_MISSING = "Enter how the plan meets the child&#x27;s identity needs"


def test_a_plan_is_agreed_only_with_how_it_meets_the_childs_identity_needs(
    signed_in: Client, child: Person, worker: User
) -> None:
    assessed(
        child,
        worker,
        identity="Ada's dad is Polish. She goes to Polish school on Saturdays.",
        authorised_on=datetime.date(2025, 1, 30),
    )
    form = signed_in.get(url("plan-new", child)).content.decode()
    assert "What we know about Ada's identity" in form
    assert "The assessment authorised on 30 January 2025 found:" in form
    assert "She goes to Polish school on Saturdays." in form
    assert "How the plan meets Ada&#x27;s identity needs" in form
    assert "language and communication" in form  # the hint names each need
    post = {
        **date_fields("start_date", datetime.date(2025, 2, 3)),
        "child_views": "Ada wants to see her friends",
        "identity_needs": "  ",
    }
    response = signed_in.post(url("plan-new", child), post)
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count(IDENTITY_MISSING) == 2  # in the summary and beside the field
    assert 'href="#id_identity_needs"' in html
    assert "Ada wants to see her friends" in html
    assert not CINPlan.objects.exists()
    response = signed_in.post(url("plan-new", child), {**post, "identity_needs": IDENTITY})
    assert response.status_code == 302
    assert CINPlan.objects.get().identity_needs == IDENTITY
    page = signed_in.get(url("record-plans", child)).content.decode()
    assert "How the plan meets Ada's identity needs" in page
    assert "her Saturday Polish school and her church" in page


def test_a_review_is_completed_only_with_the_identity_needs_and_the_plan_takes_them(
    signed_in: Client, child: Person, plan: CINPlan
) -> None:
    review = url("review-new", child, plan_id=plan.pk)
    form = signed_in.get(review).content.decode()
    assert "Ada has no authorised assessment yet." in form
    assert "her Saturday Polish school and her church.</textarea>" in form  # the plan's
    post = {
        **date_fields("review_date", datetime.date(2025, 5, 1)),
        "progress": "Attendance up",
        "child_views": "Happier",
        "identity_needs": "",
        "decision": "continue",
    }
    response = signed_in.post(review, post)
    assert response.status_code == 400
    assert IDENTITY_MISSING in response.content.decode()
    assert not PlanReview.objects.exists()
    changed = "Ada now goes to a Polish Brownies group too."
    assert signed_in.post(review, {**post, "identity_needs": changed}).status_code == 302
    assert PlanReview.objects.get().identity_needs == changed
    plan.refresh_from_db()
    assert plan.identity_needs == changed
    assert AuditEvent.objects.get(event_type="cin.plan-updated").new_values == {
        "identity_needs": changed
    }


def test_a_plan_agreed_before_it_was_asked_for_says_so(
    signed_in: Client, child: Person, plan: CINPlan
) -> None:
    CINPlan.objects.filter(pk=plan.pk).update(identity_needs="")
    page = signed_in.get(url("record-plans", child)).content.decode()
    assert "Not recorded</strong>" in page
    assert "Add it when the plan is next changed or reviewed." in page
