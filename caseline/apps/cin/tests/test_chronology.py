"""Child in need plans in the chronology: starts with outcomes and the child's views, reviews
with their decisions, visits and endings, in a fixed number of queries."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from caseline.apps.accounts.models import User
from caseline.apps.cin import actions
from caseline.apps.cin.chronology import cin_chronology
from caseline.apps.cin.models import CINPlan, PlanOutcome, PlanReview
from caseline.apps.cin.providers import CONTRIBUTION
from caseline.apps.cin.tests.conftest import IDENTITY, PLAN_START
from caseline.apps.frontdoor.actions import close_referral
from caseline.apps.frontdoor.models import Referral
from caseline.apps.people.contribution import Category, contributions
from caseline.apps.people.models import Person
from caseline.apps.people.queries import RecordsHeld

pytestmark = pytest.mark.django_db

D = datetime.date


def test_the_app_contributes_its_chronology() -> None:
    assert contributions(["cin"]) == [CONTRIBUTION]
    assert CONTRIBUTION.chronology is cin_chronology
    assert CONTRIBUTION.chronology_from_own_records is True


def test_a_plan_start_counts_its_outcomes_and_quotes_the_child(
    plan: CINPlan, outcome: PlanOutcome, child: Person
) -> None:
    [entry] = cin_chronology(child, RecordsHeld.not_asked(child))
    assert entry.date == PLAN_START
    assert entry.category == Category.PLAN
    assert entry.what_happened == (
        "Child in need plan started with 1 outcome for Ada. Ada's views: “Ada wants Mum to "
        "feel better and to go to school every day.”"
    )
    assert entry.significant
    assert entry.href == f"/children-in-need/record/{child.pk}/"


def test_an_escalation_at_review_is_significant_and_ends_the_plan(
    plan: CINPlan, worker: User, child: Person
) -> None:
    review_day = D(2025, 3, 3)
    actions.record_review(
        acting_user=worker,
        plan=plan,
        review_date=review_day,
        progress="no change",
        child_views="I am scared at home.",
        decision=PlanReview.Decision.ESCALATE,
        identity_needs=IDENTITY,
    )
    entries = cin_chronology(child, RecordsHeld.not_asked(child))
    review, ended = entries[1], entries[2]
    assert review.what_happened.startswith(
        "Child in need plan reviewed. Decision: escalate to child protection. Progress: No change."
    )
    assert review.significant
    assert review.why_it_matters.startswith("The review found")
    assert review.recorded_by == str(worker)
    assert ended.what_happened == (
        "Child in need plan ended: a child protection plan started. Decided at the review on "
        "3 March 2025."
    )
    assert ended.date == review_day
    assert ended.why_it_matters == "Help moved from a child in need plan to child protection."


def test_a_plan_ended_by_the_episode_closing_and_one_ended_for_another_reason(
    make_child: Callable[..., Person], worker: User
) -> None:
    closed_child = make_child("Bo")
    plan = actions.start_plan(
        acting_user=worker,
        child=closed_child,
        start_date=PLAN_START,
        child_views="Fine",
        identity_needs=IDENTITY,
    )
    close_referral(
        acting_user=worker,
        referral=Referral.objects.get(person=closed_child),
        closed_on=D(2025, 4, 1),
        closure_reason="RC7",
    )
    assert cin_chronology(closed_child, RecordsHeld.not_asked(closed_child))[-1].what_happened == (
        "Child in need plan ended when the child in need episode closed."
    )
    other_child = make_child("Cy")
    plan = actions.start_plan(
        acting_user=worker,
        child=other_child,
        start_date=PLAN_START,
        child_views="Fine",
        identity_needs=IDENTITY,
    )
    actions.end_plan(
        acting_user=worker,
        plan=plan,
        end_date=D(2025, 4, 2),
        end_reason=CINPlan.EndReason.OTHER,
        end_note="the family moved abroad",
    )
    ended = cin_chronology(other_child, RecordsHeld.not_asked(other_child))[-1]
    assert (
        ended.what_happened == "Child in need plan ended: another reason. The family moved abroad."
    )
    assert ended.why_it_matters == "The child's plan of support ended."


def test_visits_say_whether_the_child_was_seen_alone_and_their_bedroom(
    child: Person, worker: User
) -> None:
    actions.record_visit(
        acting_user=worker,
        child=child,
        visit_date=D(2025, 2, 10),
        child_seen=True,
        child_seen_alone=False,
        seen_bedroom=False,
        purpose="routine visit",
        observations="Calm",
    )
    [visit] = cin_chronology(child, RecordsHeld.not_asked(child))
    assert visit.what_happened == (
        "Child in need visit. Ada was seen, but not alone. Their bedroom was not seen. "
        "Purpose: Routine visit."
    )
    assert visit.category == Category.VISIT
    assert not visit.significant
    assert visit.href == f"/children-in-need/record/{child.pk}/visits/"


def test_three_queries_however_many_plans_reviews_and_visits(
    make_child: Callable[..., Person], worker: User, django_assert_num_queries: Any
) -> None:
    child = make_child("Many")
    plan = actions.start_plan(
        acting_user=worker,
        child=child,
        start_date=PLAN_START,
        child_views="Ok",
        identity_needs=IDENTITY,
    )
    for n in range(4):
        actions.add_outcome(acting_user=worker, plan=plan, outcome=f"Outcome {n}")
        actions.record_review(
            acting_user=worker,
            plan=plan,
            review_date=PLAN_START + datetime.timedelta(days=10 * (n + 1)),
            progress="Some",
            child_views="Ok",
            decision=PlanReview.Decision.CONTINUE,
            identity_needs=IDENTITY,
        )
        actions.record_visit(
            acting_user=worker,
            child=child,
            visit_date=PLAN_START + datetime.timedelta(days=10 * (n + 1)),
            child_seen=True,
            child_seen_alone=True,
            seen_bedroom=None,
            purpose="Visit",
            observations="Fine",
        )
    with django_assert_num_queries(3):
        entries = cin_chronology(child, RecordsHeld.not_asked(child))
    assert entries[0].what_happened.startswith("Child in need plan started with 4 outcomes")
    assert sum(1 for e in entries if e.category == Category.VISIT) == 4
    assert sum(1 for e in entries if "reviewed" in e.what_happened) == 4
