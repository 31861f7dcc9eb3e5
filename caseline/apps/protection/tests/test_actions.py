"""The child protection actions: the whole journey, its audit and every refusal."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.models import AuditEvent
from caseline.apps.core.concurrency import EditConflict
from caseline.apps.frontdoor.models import Referral
from caseline.apps.people.models import Person
from caseline.apps.protection import actions, queries
from caseline.apps.protection.events import ProtectionEvent
from caseline.apps.protection.models import (
    Conference,
    Participation,
    ProtectionAction,
    ProtectionPlan,
    ProtectionVisit,
    Section47Enquiry,
    StrategyDiscussion,
)
from caseline.apps.protection.tests.conftest import (
    ICPC_DAY,
    IDENTITY,
    STRATEGY_DAY,
    at,
    conference_values,
    everyone,
    strategy_values,
    transferred_in,
)
from caseline.apps.timescales.rules import TimelinessStatus

D = datetime.date


def review_values(**overrides: Any) -> dict[str, Any]:
    values = conference_values(**overrides)
    values.pop("outline_plan")
    return values


def _messages(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return error.value.message_dict


def test_a_strategy_discussion_starts_a_joint_enquiry_in_the_episode(
    discussion: StrategyDiscussion, child: Person
) -> None:
    enquiry = discussion.enquiry
    assert enquiry.start_date == STRATEGY_DAY
    assert enquiry.joint_with_police is True
    assert discussion.referral == Referral.objects.get(person=child)
    assert discussion.participants.count() == 5
    assert queries.agencies_not_taking_part(discussion) == []
    events = AuditEvent.objects.filter(subject_person_id=child.pk)
    assert set(events.values_list("event_type", flat=True)) == {
        "protection.strategy-recorded",
        "protection.s47-started",
    }


def test_no_enquiry_when_the_discussion_decides_none(child: Person, worker: User) -> None:
    discussion = actions.record_strategy_discussion(
        acting_user=worker,
        child=child,
        **strategy_values(s47_decision=StrategyDiscussion.S47Decision.NONE),
    )
    assert not Section47Enquiry.objects.filter(strategy_discussion=discussion).exists()


def test_police_or_health_taking_no_part_is_flagged(child: Person, worker: User) -> None:
    discussion = actions.record_strategy_discussion(
        acting_user=worker,
        child=child,
        **strategy_values(
            participants=everyone(police=Participation.NOT_INVITED, health=Participation.ABSENT)
        ),
    )
    discussion = queries.discussions_of(child).get(pk=discussion.pk)
    assert queries.agencies_not_taking_part(discussion) == ["Police", "Health"]
    sent = actions.record_strategy_discussion(
        acting_user=worker,
        child=child,
        **strategy_values(participants=everyone(health=Participation.SENT_INFORMATION)),
    )
    assert queries.agencies_not_taking_part(queries.discussions_of(child).get(pk=sent.pk)) == []


def test_strategy_discussion_refusals(child: Person, worker: User) -> None:
    with pytest.raises(ValidationError) as error:
        actions.record_strategy_discussion(
            acting_user=worker,
            child=child,
            **strategy_values(
                kind="chat",
                held_at=at(D(2099, 1, 1)),
                participants={"police": ("attended", "")},
                information_shared=" ",
                decision="",
                rationale="",
                s47_decision="maybe",
            ),
        )
    errors = _messages(error)
    assert errors["held_at"] == ["The date and time of the strategy discussion must be in the past"]
    assert errors["participation_health"] == ["Select how health took part"]
    assert errors["participation_social_care"] == ["Select how children's social care took part"]
    assert "participation_police" not in errors
    assert {"kind", "information_shared", "decision", "rationale", "s47_decision"} <= set(errors)
    assert not StrategyDiscussion.objects.exists()


def test_enquiry_outcome_refusals(discussion: StrategyDiscussion, worker: User) -> None:
    with pytest.raises(ValidationError) as error:
        actions.complete_enquiry(
            acting_user=worker,
            enquiry=discussion.enquiry,
            outcome="guess",
            completed_on=D(2025, 4, 1),
            outcome_note="",
        )
    errors = _messages(error)
    assert errors["completed_on"] == [
        "The completion date must be on or after the strategy discussion that started the "
        "enquiry, 10 April 2025"
    ]
    assert {"outcome", "outcome_note"} <= set(errors)


def test_an_enquiry_completes_once(enquiry: Section47Enquiry, worker: User) -> None:
    with pytest.raises(ValidationError, match="cannot be completed again"):
        actions.complete_enquiry(
            acting_user=worker,
            enquiry=enquiry,
            outcome=Section47Enquiry.Outcome.NFA,
            completed_on=D(2025, 4, 25),
            outcome_note="No.",
        )


def test_the_police_investigation_is_recorded_alongside(
    discussion: StrategyDiscussion, worker: User
) -> None:
    police = actions.record_police_decision(
        acting_user=worker,
        enquiry=discussion.enquiry,
        decided_on=D(2025, 4, 11),
        decision="Achieving best evidence interview of Ada at the suite.",
        abe_interview=True,
        abe_interview_on=D(2025, 4, 14),
        officer="DC Ashby",
    )
    assert list(discussion.enquiry.police_decisions.all()) == [police]
    with pytest.raises(ValidationError) as error:
        actions.record_police_decision(
            acting_user=worker,
            enquiry=discussion.enquiry,
            decided_on=D(2025, 4, 9),
            decision="",
            abe_interview=False,
            abe_interview_on=D(2025, 4, 14),
        )
    errors = _messages(error)
    assert "on or after the strategy discussion, 10 April 2025" in errors["decided_on"][0]
    assert errors["abe_interview_on"] == [
        "Only give an interview date when an interview is planned"
    ]
    with pytest.raises(ValidationError) as error:
        actions.record_police_decision(
            acting_user=worker,
            enquiry=discussion.enquiry,
            decided_on=D(2025, 4, 11),
            decision="Interview",
            abe_interview=True,
            abe_interview_on=D(2025, 4, 1),
        )
    assert "abe_interview_on" in _messages(error)


def test_the_initial_conference_starts_the_plan_and_is_on_time(
    conference: Conference, plan: ProtectionPlan, child: Person, worker: User, chair: User
) -> None:
    assert conference.chair == chair
    assert conference.kind == Conference.Kind.INITIAL
    assert plan.start_date == ICPC_DAY
    assert plan.initial_category == plan.latest_category == "PHY"
    assert plan.lead_social_worker == worker
    assert plan.referral == Referral.objects.get(person=child)
    assert conference.attendees.get(agency="health").knows_child is True
    timeliness = queries.icpc_timeliness(conference.enquiry, D(2025, 6, 1))  # type: ignore[arg-type]
    assert timeliness.due_date == D(2025, 5, 6)
    assert timeliness.status is TimelinessStatus.COMPLETED_ON_TIME
    assert AuditEvent.objects.filter(
        subject_person_id=child.pk, event_type="protection.plan-started"
    ).exists()


def test_a_late_conference_is_late(enquiry: Section47Enquiry, child: Person, chair: User) -> None:
    conference = actions.hold_initial_conference(
        acting_user=chair,
        child=child,
        enquiry=enquiry,
        **conference_values(decision=Conference.Decision.NO_PLAN, conference_date=D(2025, 5, 8)),
    )
    timeliness = queries.icpc_timeliness(conference.enquiry, D(2025, 6, 1))  # type: ignore[arg-type]
    assert timeliness.status is TimelinessStatus.COMPLETED_LATE
    assert timeliness.label == "Completed 2 working days late"
    assert not ProtectionPlan.objects.exists()
    assert conference.category == ""


def test_a_conference_cannot_be_before_its_strategy_discussion(
    enquiry: Section47Enquiry, child: Person, chair: User
) -> None:
    with pytest.raises(ValidationError) as error:
        actions.hold_initial_conference(
            acting_user=chair,
            child=child,
            enquiry=enquiry,
            **conference_values(conference_date=D(2025, 4, 9)),
        )
    assert _messages(error)["conference_date"] == [
        "The conference date must be on or after the strategy discussion that started the "
        "section 47 enquiry, 10 April 2025"
    ]
    assert not Conference.objects.exists()


def test_conference_refusals(
    discussion: StrategyDiscussion,
    child: Person,
    chair: User,
    worker: User,
    make_child: Callable[..., Person],
) -> None:
    with pytest.raises(ValidationError, match="Record the section 47 outcome"):
        actions.hold_initial_conference(
            acting_user=chair, child=child, enquiry=discussion.enquiry, **conference_values()
        )
    with pytest.raises(ValidationError, match="Give one of them"):
        actions.hold_initial_conference(acting_user=chair, child=child, **conference_values())
    other = make_child("Bea")
    with pytest.raises(ValidationError, match="another child"):
        actions.hold_initial_conference(
            acting_user=chair, child=other, enquiry=discussion.enquiry, **conference_values()
        )
    transfer_in = transferred_in(child, worker, D(2025, 4, 10))
    with pytest.raises(ValidationError) as error:
        actions.hold_initial_conference(
            acting_user=chair,
            child=child,
            transfer_in=transfer_in,
            **conference_values(
                category="XYZ",
                outline_plan="",
                reports_shared="",
                child_participation="",
                family_participation="",
                rationale="",
                attendees=everyone(""),
                decision=Conference.Decision.PLAN,
            ),
        )
    errors = _messages(error)
    assert errors["category"] == ["Select the category of abuse"]
    assert errors["lead_social_worker"] == ["Select the lead social worker"]
    assert errors["attendance_police"] == ["Select how the police took part"]
    assert {"outline_plan", "reports_shared", "child_participation", "rationale"} <= set(errors)
    with pytest.raises(ValidationError) as error:
        actions.hold_initial_conference(
            acting_user=chair,
            child=child,
            transfer_in=transfer_in,
            **conference_values(decision="continue", conference_date=D(2025, 4, 9)),
        )
    assert set(_messages(error)) == {"conference_date", "decision"}


def test_one_conference_per_enquiry_and_one_open_plan(
    conference: Conference, child: Person, chair: User, worker: User
) -> None:
    with pytest.raises(ValidationError, match="already been recorded"):
        actions.hold_initial_conference(
            acting_user=chair, child=child, enquiry=conference.enquiry, **conference_values()
        )
    with pytest.raises(ValidationError, match="already on a child protection plan"):
        actions.hold_initial_conference(
            acting_user=chair,
            child=child,
            transfer_in=transferred_in(child, worker, D(2025, 5, 2)),
            lead_social_worker=worker,
            **conference_values(conference_date=D(2025, 5, 6)),
        )


def test_transfer_in_conference(child: Person, chair: User, worker: User) -> None:
    conference = actions.hold_initial_conference(
        acting_user=chair,
        child=child,
        transfer_in=transferred_in(child, worker, D(2025, 4, 10)),
        lead_social_worker=worker,
        **conference_values(conference_date=D(2025, 5, 7), category="NEG"),
    )
    assert conference.kind == Conference.Kind.TRANSFER_IN
    timeliness = queries.transfer_in_timeliness(conference, D(2025, 6, 1))
    assert timeliness is not None
    assert timeliness.due_date == D(2025, 5, 6)
    assert timeliness.is_late
    assert conference.started_plan.initial_category == "NEG"
    assert queries.transfer_in_timeliness(Conference(), D(2025, 6, 1)) is None


def _outcome_and_action(plan: ProtectionPlan, worker: User) -> None:
    outcome = actions.add_outcome(
        acting_user=worker, plan=plan, outcome="Ada is safe from being hit at home."
    )
    actions.add_action(
        acting_user=worker,
        outcome=outcome,
        what="Go to the safe care course every Tuesday",
        who="Mum and Dad",
        by_when=D(2025, 6, 30),
        how_we_will_know="The course leader says they finished it",
    )


def test_the_plan_from_conference_to_its_end(
    plan: ProtectionPlan, worker: User, chair: User, child: Person
) -> None:
    _outcome_and_action(plan, worker)
    actions.update_plan(
        acting_user=worker,
        plan=plan,
        read_version=plan.version,
        worries="Ada had a bruise on her arm.",
        contingency="If Ada is hurt again we will hold a meeting about court.",
        child_views="Ada wants the shouting to stop.",
        core_group_every_weeks=6,
        visit_every_working_days=None,
        identity_needs=IDENTITY,
        lead_social_worker=worker,
    )
    plan.refresh_from_db()
    assert plan.core_group_every_weeks == 6
    # First core group on 9 May: due by 16 May (10 working days from 1 May, 5 May a holiday).
    actions.record_core_group(
        acting_user=worker,
        plan=plan,
        meeting_date=D(2025, 5, 9),
        attendees="Mum, Dad, school nurse, social worker",
        progress="some",
        progress_note="Parents started the course.",
    )
    actions.record_core_group(
        acting_user=worker,
        plan=plan,
        meeting_date=D(2025, 7, 1),
        attendees="Mum, Dad, social worker",
        progress="good",
        progress_note="Course finished.",
    )
    actions.record_visit(
        acting_user=worker,
        plan=plan,
        visit_date=D(2025, 5, 8),
        child_seen=True,
        child_seen_alone=True,
        observations="Ada was relaxed.",
    )
    actions.record_visit(
        acting_user=worker,
        plan=plan,
        visit_date=D(2025, 5, 20),
        child_seen=False,
        child_seen_alone=False,
        observations="Nobody home.",
    )
    review = actions.hold_review_conference(
        acting_user=chair,
        plan=plan,
        progress="good",
        **review_values(
            conference_date=D(2025, 7, 31),
            decision=Conference.Decision.CONTINUE,
            category="EMO",
        ),
    )
    plan.refresh_from_db()
    assert plan.latest_category == "EMO"
    assert plan.initial_category == "PHY"
    due = queries.plan_timeliness(queries.plan_with_detail(plan), D(2025, 8, 4))
    first, second = due.core_groups
    assert first.timeliness is not None
    assert first.timeliness.due_date == D(2025, 5, 16)
    assert first.timeliness.status is TimelinessStatus.COMPLETED_ON_TIME
    assert second.timeliness is not None
    assert second.timeliness.due_date == D(2025, 6, 20)
    assert second.timeliness.label == "Completed 7 working days late"
    # Done late is yellow everywhere now (this app showed it red before).
    assert second.timeliness.tag_colour == "yellow"
    assert due.next_core_group is not None
    assert due.next_core_group.due_date == D(2025, 8, 12)  # 6 weeks after 1 July
    assert due.reviews[0].timeliness is not None
    assert due.reviews[0].timeliness.due_date == D(2025, 8, 1)
    assert due.reviews[0].item == review
    assert due.next_review is not None
    assert due.next_review.due_date == D(2026, 1, 31)
    seen, unseen = due.visits
    assert seen.timeliness is not None
    assert seen.timeliness.due_date == D(2025, 5, 16)
    assert unseen.timeliness is None
    assert due.next_visit is not None
    assert due.next_visit.status is TimelinessStatus.OVERDUE
    assert due.next_visit.due_date == D(2025, 5, 22)  # the unseen visit does not count

    ending = actions.hold_review_conference(
        acting_user=chair,
        plan=plan,
        progress="good",
        **review_values(
            conference_date=D(2025, 10, 30), decision=Conference.Decision.END, category=""
        ),
    )
    plan.refresh_from_db()
    assert plan.end_date == D(2025, 10, 30)
    assert plan.end_reason == ProtectionPlan.EndReason.REVIEW
    assert ending.category == ""
    ended = queries.plan_timeliness(queries.plan_with_detail(plan), D(2025, 11, 4))
    assert ended.next_core_group is None
    assert ended.next_review is None
    assert ended.next_visit is None
    assert queries.current_plan(child, D(2025, 11, 4)) is None
    assert queries.current_plan(child, D(2025, 10, 29)) == plan
    assert AuditEvent.objects.filter(
        subject_person_id=child.pk, event_type="protection.plan-ended"
    ).exists()
    with pytest.raises(ValidationError, match="it can no longer be changed"):
        actions.add_outcome(acting_user=worker, plan=plan, outcome="More")


def test_a_review_cannot_be_before_the_plan_started(plan: ProtectionPlan, chair: User) -> None:
    with pytest.raises(ValidationError) as error:
        actions.hold_review_conference(
            acting_user=chair,
            plan=plan,
            progress="good",
            **review_values(conference_date=D(2025, 4, 30), decision="continue"),
        )
    assert _messages(error)["conference_date"] == [
        "A review conference must be after the plan started on 1 May 2025"
    ]
    actions.hold_review_conference(
        acting_user=chair,
        plan=plan,
        progress="good",
        **review_values(conference_date=D(2025, 7, 1), decision="continue"),
    )
    with pytest.raises(ValidationError) as error:
        actions.hold_review_conference(
            acting_user=chair,
            plan=plan,
            progress="bad",
            **review_values(conference_date=D(2025, 6, 1), decision="no-plan", category="X"),
        )
    errors = _messages(error)
    assert errors["conference_date"] == [
        "A review conference must be after the last review, 1 July 2025"
    ]
    assert {"progress", "decision"} <= set(errors)


def test_a_plan_cannot_end_before_it_began(plan: ProtectionPlan, worker: User) -> None:
    with pytest.raises(ValidationError) as error:
        actions.end_plan(
            acting_user=worker,
            plan=plan,
            end_date=D(2025, 4, 30),
            end_reason="review",
            end_note="",
        )
    errors = _messages(error)
    assert errors["end_date"] == ["The plan cannot end before it began on 1 May 2025"]
    assert {"end_reason", "end_note"} <= set(errors)
    ended = actions.end_plan(
        acting_user=worker,
        plan=plan,
        end_date=D(2025, 9, 1),
        end_reason=ProtectionPlan.EndReason.MOVED,
        end_note="Moved permanently to another area; their conference was held.",
    )
    assert ended.end_date == D(2025, 9, 1)


def test_plan_step_refusals(plan: ProtectionPlan, worker: User) -> None:
    with pytest.raises(ValidationError) as error:
        actions.record_core_group(
            acting_user=worker,
            plan=plan,
            meeting_date=D(2025, 4, 30),
            attendees="",
            progress="",
            progress_note="",
        )
    errors = _messages(error)
    assert errors["meeting_date"] == [
        "The meeting date must be on or after the plan started, 1 May 2025"
    ]
    assert {"attendees", "progress", "progress_note"} <= set(errors)
    with pytest.raises(ValidationError) as error:
        actions.record_visit(
            acting_user=worker,
            plan=plan,
            visit_date=D(2099, 1, 1),
            child_seen=False,
            child_seen_alone=True,
            observations="",
        )
    errors = _messages(error)
    assert errors["visit_date"] == ["The visit date must be today or in the past"]
    assert errors["child_seen_alone"] == ["The child cannot be seen alone if they were not seen"]
    outcome = actions.add_outcome(acting_user=worker, plan=plan, outcome="Safe")
    with pytest.raises(ValidationError) as error:
        actions.add_action(
            acting_user=worker,
            outcome=outcome,
            what="",
            who="",
            by_when=D(2025, 4, 1),
            how_we_will_know="",
        )
    assert set(_messages(error)) == {"what", "who", "by_when", "how_we_will_know"}
    with pytest.raises(ValidationError):
        actions.add_outcome(acting_user=worker, plan=plan, outcome=" ")
    with pytest.raises(ValidationError) as error:
        actions.update_plan(
            acting_user=worker,
            plan=plan,
            read_version=plan.version,
            worries="",
            contingency="",
            child_views="",
            core_group_every_weeks=0,
            visit_every_working_days=99,
            identity_needs=IDENTITY,
            lead_social_worker=worker,
        )
    assert len(_messages(error)) == 5
    with pytest.raises(EditConflict):
        actions.update_plan(
            acting_user=worker,
            plan=plan,
            read_version=plan.version + 5,
            worries="W",
            contingency="C",
            child_views="V",
            identity_needs=IDENTITY,
            lead_social_worker=worker,
        )


def test_previous_plans_are_counted(
    plan: ProtectionPlan, child: Person, chair: User, worker: User
) -> None:
    assert queries.previous_plans(child, plan.start_date, exclude=plan.pk) == 0
    actions.end_plan(
        acting_user=worker,
        plan=plan,
        end_date=D(2025, 6, 2),
        end_reason=ProtectionPlan.EndReason.MOVED,
        end_note="Moved away.",
    )
    second = actions.hold_initial_conference(
        acting_user=chair,
        child=child,
        transfer_in=transferred_in(child, worker, D(2025, 8, 1)),
        lead_social_worker=worker,
        **conference_values(conference_date=D(2025, 8, 20)),
    )
    assert queries.previous_plans(child, second.conference_date) == 1
    assert (
        queries.previous_plans(child, second.conference_date, exclude=second.started_plan.pk) == 1
    )
    assert queries.previous_plans(child, D(2025, 5, 1)) == 0


def test_due_items_and_badge(
    enquiry: Section47Enquiry, child: Person, chair: User, worker: User
) -> None:
    # This app's providers, called directly: other apps' providers are not under test here.
    from caseline.apps.protection.providers import (
        protection_badge as badges,
    )
    from caseline.apps.protection.providers import (
        protection_summary as summary_blocks,
    )
    from caseline.apps.protection.work import protection_work_items

    def due_items(child: Person, as_at: datetime.date) -> list[Any]:
        return protection_work_items([child.pk], as_at)

    items = [i for i in due_items(child, D(2025, 5, 7)) if i.rule_code == "icpc"]
    assert len(items) == 1
    assert items[0].timeliness.status is TimelinessStatus.OVERDUE
    assert "Child protection plan" not in [b.text for b in badges(child, D(2025, 5, 7))]
    actions.hold_initial_conference(
        acting_user=chair,
        child=child,
        enquiry=enquiry,
        lead_social_worker=worker,
        **conference_values(),
    )
    codes = {i.rule_code for i in due_items(child, D(2025, 5, 7))}
    assert {"core-group-first", "rcpc-first", "cp-visit"} <= codes
    assert "icpc" not in codes
    assert [
        b.colour for b in badges(child, D(2025, 5, 7)) if b.text == "Child protection plan"
    ] == ["red"]
    block = next(
        b for b in summary_blocks(child, D(2025, 5, 7)) if b.title == "Child protection plan"
    )
    assert ("Category of abuse", "Physical abuse") in block.rows
    assert ("Previous plans", "0") in block.rows


def test_strategy_compliance_report(
    child: Person, worker: User, make_user: Callable[..., User]
) -> None:
    from caseline.apps.accounts.permissions import Role

    actions.record_strategy_discussion(acting_user=worker, child=child, **strategy_values())
    actions.record_strategy_discussion(
        acting_user=worker,
        child=child,
        **strategy_values(
            held_at=at(D(2025, 4, 14)), participants=everyone(police=Participation.ABSENT)
        ),
    )
    actions.record_strategy_discussion(
        acting_user=worker,
        child=child,
        **strategy_values(
            held_at=at(D(2025, 4, 15)),
            participants=everyone(police=Participation.ABSENT, health=Participation.NOT_INVITED),
        ),
    )
    report = queries.strategy_compliance(worker, D(2025, 4, 1), D(2025, 4, 30))
    assert (report.total, report.flagged) == (3, 2)
    assert (report.missing_police, report.missing_health) == (2, 1)
    assert queries.strategy_compliance(worker, D(2025, 4, 11), D(2025, 4, 14)).total == 1
    stranger = make_user(Role.SOCIAL_WORKER)
    assert queries.strategy_compliance(stranger, D(2025, 4, 1), D(2025, 4, 30)).total == 0


def test_action_progress_is_updated_at_core_groups(plan: ProtectionPlan, worker: User) -> None:
    _outcome_and_action(plan, worker)
    action = ProtectionAction.objects.get()
    assert action.status_colour == "grey"
    actions.update_action_status(
        acting_user=worker,
        action=action,
        status=ProtectionAction.Status.IN_PROGRESS,
        updated_on=D(2025, 5, 20),
        status_note="Two sessions done, says the course leader.",
    )
    action.refresh_from_db()
    assert (action.status, action.status_updated_on) == ("in-progress", D(2025, 5, 20))
    assert action.status_colour == "blue"
    event = AuditEvent.objects.get(event_type="protection.action-status-updated")
    assert event.old_values == {
        "status": "not-started",
        "status_note": "",
        "status_updated_on": None,
    }
    with pytest.raises(ValidationError) as error:
        actions.update_action_status(
            acting_user=worker,
            action=action,
            status="meh",
            updated_on=D(2025, 4, 1),
            status_note="",
        )
    assert set(_messages(error)) == {"status", "updated_on", "status_note"}


def test_conference_gaps(conference: Conference, child: Person, chair: User, worker: User) -> None:
    assert queries.conference_gaps(conference) == []
    other = actions.hold_initial_conference(
        acting_user=chair,
        child=child,
        transfer_in=transferred_in(child, worker, D(2025, 5, 2)),
        **{
            **conference_values(
                conference_date=D(2025, 5, 6), decision=Conference.Decision.NO_PLAN
            ),
            "health_knows_child": False,
            "attendees": everyone(police=Participation.ABSENT),
            "reports_shared": Conference.ReportsShared.AT_CONFERENCE,
        },
    )
    assert queries.conference_gaps(other) == [
        "The police took no part in the conference",
        "The health attendee did not know the child",
        "Reports were not shared with the parents before the conference",
    ]
    missing = Conference(reports_shared=Conference.ReportsShared.YES, chair=chair)
    missing.pk = other.pk + 100
    assert queries.conference_gaps(missing) == [
        "The police took no part in the conference",
        "Health took no part in the conference",
    ]


def test_icpc_timeliness_report(
    make_child: Callable[..., Person], worker: User, chair: User
) -> None:
    held = {}
    for name, conference_day in (
        ("Ada", D(2025, 4, 24)),
        ("Bea", D(2025, 5, 6)),
        ("Cy", D(2025, 5, 9)),
    ):
        child = make_child(name)
        discussion = actions.record_strategy_discussion(
            acting_user=worker, child=child, **strategy_values()
        )
        actions.complete_enquiry(
            acting_user=worker,
            enquiry=discussion.enquiry,
            outcome=Section47Enquiry.Outcome.CONFERENCE,
            completed_on=conference_day,
            outcome_note="Substantiated",
        )
        held[name] = actions.hold_initial_conference(
            acting_user=chair,
            child=child,
            enquiry=discussion.enquiry,
            **conference_values(conference_date=conference_day, decision="no-plan"),
        )
    report = queries.icpc_report(worker, D(2025, 4, 1), D(2025, 5, 31))
    assert report.total == 3
    assert [row.working_days for row in report.rows] == [8, 15, 18]
    assert report.within == 2
    assert report.percent_within == 66.7
    assert report.bands == [
        ("0 to 10 working days", 1),
        ("11 to 15 working days", 1),
        ("16 to 20 working days", 1),
        ("21 working days or more", 0),
    ]
    assert [row.conference for row in report.late] == [held["Cy"]]
    assert queries.icpc_report(worker, D(2026, 1, 1), D(2026, 1, 2)).percent_within is None


def test_a_plan_is_agreed_only_with_identity_needs_and_a_lead_who_may_hold_cases(
    enquiry: Section47Enquiry, child: Person, chair: User
) -> None:
    with pytest.raises(ValidationError) as error:
        actions.hold_initial_conference(
            acting_user=chair,
            child=child,
            enquiry=enquiry,
            lead_social_worker=chair,  # a chair holds no cases
            **conference_values(identity_needs=" "),
        )
    assert _messages(error) == {
        "lead_social_worker": ["Select a lead social worker who can hold cases"],
        "identity_needs": ["Enter how the plan meets the child's identity needs"],
    }
    assert not Conference.objects.exists()
    # A decision that the child needs no plan needs neither.
    conference = actions.hold_initial_conference(
        acting_user=chair,
        child=child,
        enquiry=enquiry,
        **conference_values(decision=Conference.Decision.NO_PLAN, identity_needs=""),
    )
    assert conference.identity_needs == ""


def test_a_review_conference_and_a_change_need_the_identity_needs(
    plan: ProtectionPlan, chair: User, worker: User
) -> None:
    values = conference_values(
        conference_date=D(2025, 7, 1), decision=Conference.Decision.END, identity_needs=""
    )
    values.pop("outline_plan")
    with pytest.raises(ValidationError) as error:
        actions.hold_review_conference(acting_user=chair, plan=plan, progress="good", **values)
    assert _messages(error) == {
        "identity_needs": ["Enter how the plan meets the child's identity needs"]
    }
    with pytest.raises(ValidationError) as error:
        actions.update_plan(
            acting_user=worker,
            plan=plan,
            read_version=plan.version,
            worries="W",
            contingency="C",
            child_views="V",
            identity_needs="",
            lead_social_worker=chair,
        )
    assert set(_messages(error)) == {"identity_needs", "lead_social_worker"}
    # Ending the plan at review with the same words changes nothing else about them.
    values["identity_needs"] = IDENTITY
    actions.hold_review_conference(acting_user=chair, plan=plan, progress="good", **values)
    plan.refresh_from_db()
    assert (plan.end_date, plan.identity_needs) == (D(2025, 7, 1), IDENTITY)
    [ended] = AuditEvent.objects.filter(event_type="protection.plan-ended")
    assert "identity_needs" not in ended.new_values


def _visits_recorded() -> list[tuple[str, int | None, dict[str, Any]]]:
    return [
        (e.target_repr, e.subject_person_id, e.new_values)
        for e in AuditEvent.objects.filter(event_type=ProtectionEvent.VISIT_RECORDED).order_by(
            "chain_position"
        )
    ]


SEEN = actions.VisitDetails(D(2025, 5, 8), True, True, "Ada was relaxed.")
NOBODY_HOME = actions.VisitDetails(D(2025, 5, 20), False, False, "Nobody home.")


def test_record_visits_records_and_audits_each_visit_as_record_visit_does(
    plan: ProtectionPlan, worker: User
) -> None:
    made = actions.record_visits(acting_user=worker, plan=plan, visits=[SEEN, NOBODY_HOME])
    assert [(v.plan, v.visit_date, v.child_seen, v.observations) for v in made] == [
        (plan, D(2025, 5, 8), True, "Ada was relaxed."),
        (plan, D(2025, 5, 20), False, "Nobody home."),
    ]
    for details in (SEEN, NOBODY_HOME):
        actions.record_visit(acting_user=worker, plan=plan, **asdict(details))
    recorded = _visits_recorded()
    assert recorded[:2] == recorded[2:]  # the many form's, then the one-row form's
    targets = AuditEvent.objects.filter(event_type=ProtectionEvent.VISIT_RECORDED)
    assert sorted(int(e.target_id) for e in targets)[:2] == [v.pk for v in made]


def test_record_visits_refuses_all_and_names_the_refused_visit(
    plan: ProtectionPlan, worker: User
) -> None:
    before_plan = actions.VisitDetails(D(2025, 4, 30), True, False, "Early.")
    with pytest.raises(actions.VisitRefused) as error:
        actions.record_visits(acting_user=worker, plan=plan, visits=[SEEN, before_plan])
    assert error.value.index == 1
    assert _messages(error) == {
        "visit_date": ["The visit date must be on or after the plan started, 1 May 2025"]
    }
    assert not ProtectionVisit.objects.exists()


def test_record_visits_needs_the_permission_to_record_visits(
    plan: ProtectionPlan, make_user: Callable[..., User]
) -> None:
    with pytest.raises(PermissionDenied):
        actions.record_visits(acting_user=make_user(Role.ANALYST), plan=plan, visits=[SEEN])
    assert not ProtectionVisit.objects.exists()
