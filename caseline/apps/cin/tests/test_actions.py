"""The child in need actions: each validation, audit rows, optimistic locking."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.models import AuditEvent
from caseline.apps.cin import actions
from caseline.apps.cin.models import CINPlan, CINVisit, PlanAction, PlanOutcome, PlanReview
from caseline.apps.cin.tests.conftest import IDENTITY, PLAN_START, REFERRAL_DATE, smart
from caseline.apps.core.concurrency import EditConflict
from caseline.apps.frontdoor.models import Referral
from caseline.apps.people.models import Person

pytestmark = pytest.mark.django_db


def _tomorrow() -> datetime.date:
    """Read when the test runs, not when the module is imported: a run can cross midnight."""
    return timezone.localdate() + datetime.timedelta(days=1)


def messages(error: ValidationError) -> dict[str, list[str]]:
    return dict(error.message_dict) if hasattr(error, "error_dict") else {"": error.messages}


def events(kind: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event_type=kind).order_by("id"))


# --- start_plan --------------------------------------------------------------------------


def test_start_plan_records_the_plan_in_the_open_episode_with_an_audit_row(
    plan: CINPlan, child: Person, worker: User
) -> None:
    assert plan.referral == Referral.objects.get(person=child)
    assert plan.start_date == PLAN_START
    assert plan.recorded_by == worker
    assert plan.effective_end_date is None
    [event] = events("cin.plan-started")
    assert event.subject_person_id == child.pk
    assert event.acting_user == worker
    assert event.new_values["start_date"] == "2025-02-03"
    assert event.new_values["referral"] == plan.referral_id


def test_start_plan_refuses_a_child_without_an_open_referral(
    make_child: Callable[..., Person], worker: User
) -> None:
    child = make_child("Bea", referral_date=None)
    with pytest.raises(ValidationError) as caught:
        actions.start_plan(
            acting_user=worker,
            child=child,
            start_date=PLAN_START,
            child_views="Happy",
            identity_needs=IDENTITY,
        )
    assert "Bea Testchild has no open child in need episode" in caught.value.messages[0]
    assert not CINPlan.objects.exists()
    assert not events("cin.plan-started")


def test_start_plan_refuses_a_start_before_the_referral(child: Person, worker: User) -> None:
    with pytest.raises(ValidationError) as caught:
        actions.start_plan(
            acting_user=worker,
            child=child,
            start_date=REFERRAL_DATE - datetime.timedelta(days=1),
            child_views="Happy",
            identity_needs=IDENTITY,
        )
    assert messages(caught.value) == {
        "start_date": ["The plan start date must be on or after the referral date, 6 January 2025"]
    }


def test_start_plan_refuses_a_future_start_and_missing_child_views(
    child: Person, worker: User
) -> None:
    with pytest.raises(ValidationError) as caught:
        actions.start_plan(
            acting_user=worker,
            child=child,
            start_date=_tomorrow(),
            child_views=" ",
            identity_needs=IDENTITY,
        )
    assert messages(caught.value) == {
        "start_date": ["The plan start date must be today or in the past"],
        "child_views": ["Enter the child's views on the plan"],
    }


def test_start_plan_refuses_a_second_open_plan(plan: CINPlan, child: Person, worker: User) -> None:
    with pytest.raises(ValidationError) as caught:
        actions.start_plan(
            acting_user=worker,
            child=child,
            start_date=PLAN_START,
            child_views="Happy",
            identity_needs=IDENTITY,
        )
    assert caught.value.messages == [
        "Ada Testchild already has an open child in need plan. End it before starting another"
    ]
    assert CINPlan.objects.count() == 1


def test_closing_the_episode_ends_the_plan_and_a_new_episode_allows_a_new_plan(
    plan: CINPlan, child: Person, worker: User
) -> None:
    Referral.objects.filter(pk=plan.referral_id).update(
        closed_on=datetime.date(2025, 6, 2), closure_reason="RC1"
    )
    plan.refresh_from_db()
    plan.referral.refresh_from_db()
    assert plan.effective_end_date == datetime.date(2025, 6, 2)
    assert plan.ended_by_episode
    assert not plan.is_open_on(datetime.date(2025, 6, 2))
    assert plan.is_open_on(datetime.date(2025, 6, 1))
    with pytest.raises(ValidationError, match="This plan ended on 2 June 2025"):
        actions.add_outcome(acting_user=worker, plan=plan, outcome="More sleep")
    second = Referral.objects.create(
        person=child, referral_date=datetime.date(2025, 9, 1), source="1A", opened_by=worker
    )
    new = actions.start_plan(
        acting_user=worker,
        child=child,
        start_date=datetime.date(2025, 9, 8),
        child_views="OK",
        identity_needs=IDENTITY,
    )
    assert new.referral == second


# --- update_plan -------------------------------------------------------------------------


def test_update_plan_saves_and_audits_only_what_changed(plan: CINPlan, worker: User) -> None:
    updated = actions.update_plan(
        acting_user=worker,
        plan=plan,
        read_version=plan.version,
        start_date=datetime.date(2025, 2, 4),
        child_views=plan.child_views,
        family_views="Mum and Dad agree.",
        identity_needs=IDENTITY,
    )
    assert updated.version == 2
    plan.refresh_from_db()
    assert plan.start_date == datetime.date(2025, 2, 4)
    assert plan.family_views == "Mum and Dad agree."
    [event] = events("cin.plan-updated")
    assert event.old_values == {
        "start_date": "2025-02-03",
        "family_views": "Mum agrees with the plan.",
    }
    assert event.new_values == {"start_date": "2025-02-04", "family_views": "Mum and Dad agree."}


def test_update_plan_refuses_a_stale_version_and_writes_nothing(
    plan: CINPlan, worker: User
) -> None:
    read_version = plan.version
    actions.update_plan(
        acting_user=worker,
        plan=plan,
        read_version=read_version,
        start_date=PLAN_START,
        child_views="First save",
        identity_needs=IDENTITY,
    )
    with pytest.raises(EditConflict, match="Child in need plan was changed by someone else"):
        actions.update_plan(
            acting_user=worker,
            plan=plan,
            read_version=read_version,
            start_date=PLAN_START,
            child_views="Second save",
            identity_needs=IDENTITY,
        )
    plan.refresh_from_db()
    assert plan.child_views == "First save"
    assert len(events("cin.plan-updated")) == 1


@pytest.mark.parametrize(
    ("start", "message"),
    [
        (
            datetime.date(2025, 1, 5),
            "The plan start date must be on or after the referral date, 6 January 2025",
        ),
        (
            datetime.date(2025, 3, 4),
            "The plan start date must be on or before the earliest action's date, 3 March 2025",
        ),
    ],
)
def test_update_plan_keeps_the_start_within_the_episode_and_before_actions(
    plan: CINPlan, outcome: PlanOutcome, worker: User, start: datetime.date, message: str
) -> None:
    actions.add_action(acting_user=worker, outcome=outcome, **smart())
    with pytest.raises(ValidationError) as caught:
        actions.update_plan(
            acting_user=worker,
            plan=plan,
            read_version=plan.version,
            start_date=start,
            child_views="Views",
            identity_needs=IDENTITY,
        )
    assert messages(caught.value) == {"start_date": [message]}


def test_update_plan_keeps_the_start_before_the_first_review(plan: CINPlan, worker: User) -> None:
    actions.record_review(
        acting_user=worker,
        plan=plan,
        review_date=datetime.date(2025, 3, 3),
        progress="Good",
        child_views="Happy",
        decision=PlanReview.Decision.CONTINUE,
        identity_needs=IDENTITY,
    )
    with pytest.raises(ValidationError) as caught:
        actions.update_plan(
            acting_user=worker,
            plan=plan,
            read_version=plan.version,
            start_date=datetime.date(2025, 3, 10),
            child_views="Views",
            identity_needs=IDENTITY,
        )
    assert messages(caught.value) == {
        "start_date": ["The plan start date must be on or before its first review, 3 March 2025"]
    }


# --- outcomes and SMART actions ----------------------------------------------------------


def test_outcomes_are_numbered_in_order_and_audited(
    plan: CINPlan, outcome: PlanOutcome, worker: User
) -> None:
    second = actions.add_outcome(acting_user=worker, plan=plan, outcome="  Mum gets support ")
    assert (outcome.order, second.order) == (1, 2)
    assert second.outcome == "Mum gets support"
    assert [e.new_values["order"] for e in events("cin.outcome-added")] == [1, 2]
    with pytest.raises(ValidationError) as caught:
        actions.add_outcome(acting_user=worker, plan=plan, outcome="")
    assert messages(caught.value) == {
        "outcome": ["Enter what we want to be different for the child"]
    }


def test_add_action_records_a_smart_action(outcome: PlanOutcome, worker: User) -> None:
    action = actions.add_action(acting_user=worker, outcome=outcome, **smart())
    assert action.status == PlanAction.Status.NOT_STARTED
    assert action.who == "Mum (Sarah)"
    [event] = events("cin.action-added")
    assert event.subject_person_id == outcome.plan.person_id
    assert event.new_values["by_when"] == "2025-03-03"


def test_add_action_refuses_an_action_that_is_not_smart(outcome: PlanOutcome, worker: User) -> None:
    with pytest.raises(ValidationError) as caught:
        actions.add_action(
            acting_user=worker,
            outcome=outcome,
            what="",
            who="  ",
            by_when=None,
            how_we_will_know="",
        )
    assert messages(caught.value) == {
        "what": ["Enter what will happen"],
        "who": [
            "Enter who will do it, with their name or role, for example Mum (Sarah) or "
            "Health visitor"
        ],
        "by_when": ["Enter the date by when it will be done"],
        "how_we_will_know": ["Enter how we will know it has worked"],
    }
    assert not PlanAction.objects.exists()
    assert not events("cin.action-added")


def test_add_action_refuses_a_date_before_the_plan_started(
    outcome: PlanOutcome, worker: User
) -> None:
    with pytest.raises(ValidationError) as caught:
        actions.add_action(
            acting_user=worker, outcome=outcome, **smart(by_when=datetime.date(2025, 2, 2))
        )
    assert messages(caught.value) == {
        "by_when": [
            "The date by when it will be done must be on or after the plan start date, "
            "3 February 2025"
        ]
    }


def test_action_progress_is_recorded_and_not_done_needs_a_reason(
    outcome: PlanOutcome, worker: User
) -> None:
    action = actions.add_action(acting_user=worker, outcome=outcome, **smart())
    with pytest.raises(ValidationError) as caught:
        actions.update_action_status(
            acting_user=worker, action=action, status=PlanAction.Status.NOT_DONE
        )
    assert messages(caught.value) == {"status_note": ["Enter why the action was not done"]}
    with pytest.raises(ValidationError) as caught:
        actions.update_action_status(acting_user=worker, action=action, status="finished")
    assert messages(caught.value) == {"status": ["Select the progress on this action"]}
    done = actions.update_action_status(
        acting_user=worker, action=action, status=PlanAction.Status.DONE, status_note="Great"
    )
    assert done.status == "done"
    assert done.status_updated_on == timezone.localdate()
    assert not done.is_overdue(datetime.date(2026, 1, 1))
    [event] = events("cin.action-status-updated")
    assert event.old_values["status"] == "not-started"
    assert event.new_values["status"] == "done"


# --- reviews -----------------------------------------------------------------------------


def test_review_sets_the_next_review_three_months_on(plan: CINPlan, worker: User) -> None:
    review = actions.record_review(
        acting_user=worker,
        plan=plan,
        review_date=datetime.date(2025, 8, 31),
        progress="Attendance is up",
        child_views="Ada says school is better",
        decision=PlanReview.Decision.CONTINUE,
        identity_needs=IDENTITY,
    )
    assert review.next_review_due == datetime.date(2025, 11, 30)
    [event] = events("cin.review-recorded")
    assert event.new_values["next_review_due"] == "2025-11-30"
    plan.refresh_from_db()
    assert plan.end_date is None


def test_the_next_review_follows_the_councils_local_standard(
    plan: CINPlan, worker: User, make_user: Any
) -> None:
    from caseline.apps.accounts.permissions import Role
    from caseline.apps.timescales.actions import set_local_standard

    set_local_standard(
        acting_user=make_user(Role.ADMINISTRATOR),
        rule_code="cin-plan-review",
        unit="months",
        count=2,
        reason="Our standard is two-monthly reviews",
    )
    review = actions.record_review(
        acting_user=worker,
        plan=plan,
        review_date=datetime.date(2025, 8, 31),
        progress="Attendance is up",
        child_views="Ada says school is better",
        decision=PlanReview.Decision.CONTINUE,
        identity_needs=IDENTITY,
    )
    assert review.next_review_due == datetime.date(2025, 10, 31)


@pytest.mark.parametrize(
    ("decision", "reason"),
    [
        (PlanReview.Decision.END, CINPlan.EndReason.OUTCOMES_ACHIEVED),
        (PlanReview.Decision.STEP_DOWN, CINPlan.EndReason.STEP_DOWN),
        (PlanReview.Decision.ESCALATE, CINPlan.EndReason.CHILD_PROTECTION),
    ],
)
def test_a_review_that_ends_the_plan_sets_no_next_review(
    plan: CINPlan, worker: User, decision: str, reason: str
) -> None:
    review = actions.record_review(
        acting_user=worker,
        plan=plan,
        review_date=datetime.date(2025, 5, 1),
        progress="Done",
        child_views="Pleased",
        decision=decision,
        identity_needs=IDENTITY,
    )
    assert review.next_review_due is None
    plan.refresh_from_db()
    assert (plan.end_date, plan.end_reason) == (datetime.date(2025, 5, 1), reason)
    [ended] = events("cin.plan-ended")
    assert ended.new_values["end_reason"] == reason


def test_review_validation(plan: CINPlan, worker: User) -> None:
    with pytest.raises(ValidationError) as caught:
        actions.record_review(
            acting_user=worker,
            plan=plan,
            review_date=datetime.date(2025, 2, 2),
            progress="",
            child_views="",
            decision="maybe",
            identity_needs=IDENTITY,
        )
    assert messages(caught.value) == {
        "review_date": ["The review date must be on or after the plan start date, 3 February 2025"],
        "progress": ["Enter the progress made on the plan"],
        "child_views": ["Enter the child's views"],
        "decision": ["Select the review's decision"],
    }
    with pytest.raises(ValidationError) as caught:
        actions.record_review(
            acting_user=worker,
            plan=plan,
            review_date=_tomorrow(),
            progress="x",
            child_views="y",
            decision="continue",
            identity_needs=IDENTITY,
        )
    assert messages(caught.value) == {
        "review_date": ["The review date must be today or in the past"]
    }
    assert not PlanReview.objects.exists()


# --- ending ------------------------------------------------------------------------------


def test_end_plan_validation_and_audit(plan: CINPlan, worker: User) -> None:
    with pytest.raises(ValidationError) as caught:
        actions.end_plan(
            acting_user=worker, plan=plan, end_date=datetime.date(2025, 2, 1), end_reason=""
        )
    assert messages(caught.value) == {
        "end_date": ["The plan end date must be on or after the plan start date, 3 February 2025"],
        "end_reason": ["Select why the plan is ending"],
    }
    with pytest.raises(ValidationError) as caught:
        actions.end_plan(acting_user=worker, plan=plan, end_date=_tomorrow(), end_reason="other")
    assert messages(caught.value) == {
        "end_date": ["The plan end date must be today or in the past"],
        "end_note": ["Enter why the plan is ending"],
    }
    ended = actions.end_plan(
        acting_user=worker,
        plan=plan,
        end_date=PLAN_START,
        end_reason=CINPlan.EndReason.MOVED,
    )
    assert ended.effective_end_date == PLAN_START
    assert not ended.ended_by_episode
    [event] = events("cin.plan-ended")
    assert event.old_values == {"end_date": None, "end_reason": ""}
    assert event.new_values == {"end_date": "2025-02-03", "end_reason": "moved"}
    with pytest.raises(ValidationError, match="This plan ended on 3 February 2025"):
        actions.end_plan(acting_user=worker, plan=plan, end_date=PLAN_START, end_reason="moved")


# --- visits ------------------------------------------------------------------------------


def visit(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "visit_date": datetime.date(2025, 2, 10),
        "child_seen": True,
        "child_seen_alone": True,
        "seen_bedroom": True,
        "purpose": "Planned visit",
        "observations": "Warm home, food in the fridge",
        "child_views": "Ada showed me her drawings",
    }
    values.update(overrides)
    return values


def test_record_visit_links_the_open_plan_and_is_audited(
    plan: CINPlan, child: Person, worker: User
) -> None:
    row = actions.record_visit(acting_user=worker, child=child, **visit())
    assert row.plan == plan
    assert row.seen_bedroom is True
    [event] = events("cin.visit-recorded")
    assert event.subject_person_id == child.pk
    assert event.new_values["child_seen_alone"] is True
    before_plan = actions.record_visit(
        acting_user=worker, child=child, **visit(visit_date=datetime.date(2025, 1, 20))
    )
    assert before_plan.plan is None


def test_record_visit_validation(child: Person, worker: User) -> None:
    with pytest.raises(ValidationError) as caught:
        actions.record_visit(
            acting_user=worker,
            child=child,
            **visit(
                visit_date=_tomorrow(),
                child_seen=False,
                child_seen_alone=True,
                purpose="",
                observations=" ",
            ),
        )
    assert messages(caught.value) == {
        "visit_date": ["The visit date must be today or in the past"],
        "child_seen_alone": [
            "The child cannot have been seen alone if they were not seen. Change one of the answers"
        ],
        "not_seen_reason": ["Enter why the child was not seen"],
        "purpose": ["Enter the purpose of the visit"],
        "observations": ["Enter what you observed"],
    }
    assert not CINVisit.objects.exists()
    not_seen = actions.record_visit(
        acting_user=worker,
        child=child,
        **visit(child_seen=False, child_seen_alone=False, not_seen_reason="Ada was at Gran's"),
    )
    assert not_seen.not_seen_reason == "Ada was at Gran's"


def test_record_visits_links_each_visit_as_record_visit_does_and_audits_each(
    plan: CINPlan, child: Person, worker: User
) -> None:
    in_plan = actions.VisitDetails(**visit())
    before_plan = actions.VisitDetails(**visit(visit_date=datetime.date(2025, 1, 20)))
    made = actions.record_visits(acting_user=worker, child=child, visits=[in_plan, before_plan])
    assert [(v.visit_date, v.plan) for v in made] == [
        (datetime.date(2025, 2, 10), plan),
        (datetime.date(2025, 1, 20), None),
    ]
    assert all(v.pk for v in made)
    recorded = events("cin.visit-recorded")
    assert [e.target_id for e in recorded] == [str(v.pk) for v in made]
    assert recorded[0].new_values["plan"] == plan.pk


def test_record_visits_refuses_all_and_names_the_refused_visit(
    plan: CINPlan, child: Person, worker: User
) -> None:
    good = actions.VisitDetails(**visit())
    unseen_alone = actions.VisitDetails(**visit(child_seen=False, not_seen_reason="Away"))
    with pytest.raises(actions.VisitRefused) as caught:
        actions.record_visits(acting_user=worker, child=child, visits=[good, unseen_alone])
    assert caught.value.index == 1
    assert messages(caught.value) == {
        "child_seen_alone": [
            "The child cannot have been seen alone if they were not seen. Change one of the answers"
        ]
    }
    assert not CINVisit.objects.exists()
    assert not events("cin.visit-recorded")


def test_record_visits_needs_the_permission_to_record_visits(
    child: Person, make_user: Callable[..., User]
) -> None:
    analyst = make_user(Role.ANALYST)
    with pytest.raises(PermissionDenied):
        actions.record_visits(
            acting_user=analyst, child=child, visits=[actions.VisitDetails(**visit())]
        )
    assert not CINVisit.objects.exists()


def test_update_plan_refuses_a_future_start(plan: CINPlan, worker: User) -> None:
    with pytest.raises(ValidationError) as caught:
        actions.update_plan(
            acting_user=worker,
            plan=plan,
            read_version=plan.version,
            start_date=_tomorrow(),
            child_views="",
            identity_needs=IDENTITY,
        )
    assert messages(caught.value) == {
        "start_date": ["The plan start date must be today or in the past"],
        "child_views": ["Enter the child's views on the plan"],
    }
    assert not events("cin.plan-updated")
