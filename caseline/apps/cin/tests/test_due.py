"""Local standards for reviews and visits, and what the plan adds to the child's record."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from caseline.apps.accounts.models import User
from caseline.apps.cin import actions
from caseline.apps.cin.models import CINPlan, PlanOutcome, PlanReview
from caseline.apps.cin.queries import review_due_date, visit_due_date
from caseline.apps.cin.tests.conftest import IDENTITY, smart
from caseline.apps.frontdoor.models import Referral
from caseline.apps.people.models import Person
from caseline.apps.people.summary import badges, due_items, summary_blocks
from caseline.apps.timescales.rules import CATALOGUE, Basis, TimelinessStatus

D = datetime.date


@pytest.mark.parametrize("code", ["cin-plan-start", "cin-plan-review", "cin-visit"])
def test_the_rules_are_local_standards_with_their_reasons(code: str) -> None:
    rule = CATALOGUE.get(code)
    assert rule.basis is Basis.LOCAL_STANDARD
    assert "No national timescale" in rule.source
    assert rule.certainty_note


def test_the_visit_rule_says_local_standards_vary() -> None:
    assert "10 and 20 working days" in CATALOGUE.get("cin-visit").notes


def test_a_review_three_months_after_31_august_is_due_on_30_november() -> None:
    assert CATALOGUE.get("cin-plan-review").due_date(D(2025, 8, 31)) == D(2025, 11, 30)
    assert CATALOGUE.get("cin-plan-review").due_date(D(2025, 11, 30)) == D(2026, 2, 28)


@pytest.mark.parametrize(
    ("last_seen", "due"),
    [
        (D(2025, 12, 12), D(2026, 1, 14)),  # Christmas Day, Boxing Day and 1 January skipped
        (D(2025, 12, 19), D(2026, 1, 21)),
        (D(2025, 12, 24), D(2026, 1, 26)),
    ],
)
def test_visits_across_christmas_skip_the_bank_holidays(
    last_seen: datetime.date, due: datetime.date
) -> None:
    assert CATALOGUE.get("cin-visit").due_date(last_seen) == due


pytestmark = pytest.mark.django_db


def test_due_dates_count_from_the_plan_start_then_the_latest_review_or_seen_visit(
    plan: CINPlan, worker: User
) -> None:
    assert review_due_date(plan, []) == D(2025, 5, 3)
    assert visit_due_date(plan, None) == D(2025, 3, 3)
    # A visit before the plan started does not count: the clock starts with the plan.
    assert visit_due_date(plan, D(2025, 1, 20)) == D(2025, 3, 3)
    assert visit_due_date(plan, D(2025, 2, 10)) == D(2025, 3, 10)
    review = actions.record_review(
        acting_user=worker,
        plan=plan,
        review_date=D(2025, 4, 30),
        progress="Better",
        child_views="Good",
        decision=PlanReview.Decision.CHANGE,
        identity_needs=IDENTITY,
    )
    assert review_due_date(plan, [review]) == D(2025, 7, 30)


def titles(person: Person, as_at: datetime.date) -> dict[str, tuple[datetime.date, str]]:
    return {
        i.title: (i.timeliness.due_date, i.timeliness.status)
        for i in due_items(person, as_at)
        if i.rule_code.startswith("cin-")
    }


def test_due_work_is_overdue_then_clears_once_the_child_is_seen(
    plan: CINPlan, child: Person, worker: User
) -> None:
    as_at = D(2025, 3, 5)
    assert titles(child, as_at) == {
        "Child in need plan review": (D(2025, 5, 3), TimelinessStatus.NOT_DUE_YET),
        "Child in need visit": (D(2025, 3, 3), TimelinessStatus.OVERDUE),
    }
    [visit_item] = [i for i in due_items(child, as_at) if i.rule_code == "cin-visit"]
    assert visit_item.timeliness.label == "Overdue by 2 working days"
    assert visit_item.href == f"/children-in-need/record/{child.pk}/visits/new/"
    assert visit_item.timeliness.tag_colour == "red"
    # A visit at which the child was not seen does not meet the standard.
    actions.record_visit(
        acting_user=worker,
        child=child,
        visit_date=D(2025, 3, 4),
        child_seen=False,
        child_seen_alone=False,
        seen_bedroom=None,
        purpose="Planned",
        observations="Nobody home",
        not_seen_reason="Family out",
    )
    assert titles(child, as_at)["Child in need visit"][1] == TimelinessStatus.OVERDUE
    actions.record_visit(
        acting_user=worker,
        child=child,
        visit_date=D(2025, 3, 5),
        child_seen=True,
        child_seen_alone=True,
        seen_bedroom=True,
        purpose="Planned",
        observations="Well",
    )
    assert titles(child, as_at)["Child in need visit"] == (
        D(2025, 4, 2),
        TimelinessStatus.NOT_DUE_YET,
    )


def test_a_review_moves_the_review_due_date(plan: CINPlan, child: Person, worker: User) -> None:
    assert titles(child, D(2025, 5, 3))["Child in need plan review"][1] == "due_today"
    actions.record_review(
        acting_user=worker,
        plan=plan,
        review_date=D(2025, 5, 2),
        progress="Better",
        child_views="Good",
        decision=PlanReview.Decision.CONTINUE,
        identity_needs=IDENTITY,
    )
    assert titles(child, D(2025, 5, 3))["Child in need plan review"] == (
        D(2025, 8, 2),
        TimelinessStatus.NOT_DUE_YET,
    )


def test_an_ended_plan_adds_no_badge_and_no_due_work(
    plan: CINPlan, child: Person, worker: User
) -> None:
    [badge] = [b for b in badges(child, D(2025, 3, 1)) if b.text == "Child in need plan"]
    assert badge.colour == "blue"
    actions.end_plan(acting_user=worker, plan=plan, end_date=D(2025, 4, 1), end_reason="achieved")
    assert "Child in need plan" not in [b.text for b in badges(child, D(2025, 4, 1))]
    assert titles(child, D(2025, 4, 1)) == {}
    # Still open before the end date.
    assert "Child in need visit" in titles(child, D(2025, 3, 31))


def test_closing_the_episode_ends_the_due_work(plan: CINPlan, child: Person) -> None:
    Referral.objects.filter(pk=plan.referral_id).update(
        closed_on=D(2025, 4, 1), closure_reason="RC1"
    )
    assert titles(child, D(2025, 4, 2)) == {}
    assert titles(child, D(2025, 3, 31)) != {}


def test_the_summary_shows_the_current_plan(
    plan: CINPlan, outcome: PlanOutcome, child: Person, worker: User
) -> None:
    actions.add_action(acting_user=worker, outcome=outcome, **smart())
    done = actions.add_action(acting_user=worker, outcome=outcome, **smart(by_when=D(2025, 2, 20)))
    actions.update_action_status(acting_user=worker, action=done, status="done")
    actions.record_visit(
        acting_user=worker,
        child=child,
        visit_date=D(2025, 3, 1),
        child_seen=True,
        child_seen_alone=False,
        seen_bedroom=None,
        purpose="Planned",
        observations="Well",
    )
    [block] = [b for b in summary_blocks(child, D(2025, 3, 10)) if b.title == "Current plan"]
    assert block.order == 30
    assert block.rows == [
        ("Child in need plan started", "3 February 2025"),
        ("Outcomes", "1"),
        ("Actions overdue", "1"),
        ("Last review", "Not reviewed yet"),
        ("Last visit", "1 March 2025, child seen, not alone"),
    ]
    assert block.link_href == f"/children-in-need/record/{child.pk}/"
    actions.record_review(
        acting_user=worker,
        plan=plan,
        review_date=D(2025, 3, 10),
        progress="Better",
        child_views="Good",
        decision="continue",
        identity_needs=IDENTITY,
    )
    [block] = [b for b in summary_blocks(child, D(2025, 3, 10)) if b.title == "Current plan"]
    assert block.rows[3] == ("Last review", "10 March 2025")


def test_no_summary_block_without_a_plan(child: Person) -> None:
    assert [b for b in summary_blocks(child, D(2025, 3, 10)) if b.title == "Current plan"] == []


def test_a_plan_is_due_10_working_days_after_an_assessment_recommends_one(
    child: Person, worker: User
) -> None:
    from caseline.apps.assessments.models import Assessment

    Assessment.objects.create(
        person=child,
        referral=Referral.objects.get(person=child),
        start_date=D(2025, 1, 6),
        status=Assessment.Status.AUTHORISED,
        authorised_on=D(2025, 1, 20),
        outcome=Assessment.Outcome.CIN_PLAN,
        recorded_by=worker,
    )
    assert titles(child, D(2025, 1, 27)) == {
        "Child in need plan": (D(2025, 2, 3), TimelinessStatus.NOT_DUE_YET)
    }
    assert titles(child, D(2025, 2, 4))["Child in need plan"][1] == TimelinessStatus.OVERDUE
    assert titles(child, D(2025, 1, 19)) == {}
    actions.start_plan(
        acting_user=worker,
        child=child,
        start_date=D(2025, 2, 3),
        child_views="OK",
        identity_needs=IDENTITY,
    )
    assert "Child in need plan" not in titles(child, D(2025, 2, 4))
    assert "Child in need visit" in titles(child, D(2025, 2, 4))


def test_the_summary_says_how_the_child_was_seen_at_the_last_visit(
    plan: CINPlan, child: Person, worker: User
) -> None:
    def last_visit() -> str:
        [block] = [b for b in summary_blocks(child, D(2025, 3, 10)) if b.title == "Current plan"]
        return dict(block.rows)["Last visit"]

    assert last_visit() == "No visits recorded"
    common: dict[str, Any] = {"purpose": "Planned", "observations": "Well", "seen_bedroom": None}
    actions.record_visit(
        acting_user=worker,
        child=child,
        visit_date=D(2025, 3, 3),
        child_seen=False,
        child_seen_alone=False,
        not_seen_reason="At school",
        **common,
    )
    assert last_visit() == "3 March 2025, child not seen"
    actions.record_visit(
        acting_user=worker,
        child=child,
        visit_date=D(2025, 3, 4),
        child_seen=True,
        child_seen_alone=True,
        **common,
    )
    assert last_visit() == "4 March 2025, child seen alone"


def test_registering_the_contribution_again_keeps_its_rules() -> None:
    from caseline.apps.cin.providers import CONTRIBUTION
    from caseline.apps.cin.timescales import CIN_VISIT
    from caseline.apps.people.contribution import contributions, register_contribution

    register_contribution(CONTRIBUTION)
    assert CATALOGUE.get("cin-visit") is CIN_VISIT
    assert contributions(["cin"]) == [CONTRIBUTION]
