"""Enquiries, conferences, reviews and plans' ends held and recorded in another system (a
migration): what is carried is recorded and checked, what is not is said plainly, and no
strategy discussion, chair or agency's absence is made up."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.models import AuditEvent
from caseline.apps.people.models import Person
from caseline.apps.people.queries import RecordsHeld
from caseline.apps.protection import actions, queries
from caseline.apps.protection.chronology import WHY_CORE_ABSENT, protection_chronology
from caseline.apps.protection.events import ProtectionEvent
from caseline.apps.protection.models import (
    Conference,
    ProtectionPlan,
    Section47Enquiry,
    StrategyDiscussion,
)

pytestmark = pytest.mark.django_db

SAID = "Not in the SSD extract imported from Mosaic."
START = datetime.date(2025, 4, 10)
DONE = datetime.date(2025, 4, 24)
HELD = datetime.date(2025, 5, 1)
D = datetime.date


@pytest.fixture
def migrator(make_user: Callable[..., User], team: Team) -> User:
    return make_user(Role.TEAM_MANAGER, username="migrator", team=team)


def enquiry_elsewhere(
    migrator: User, child: Person, outcome: str = Section47Enquiry.Outcome.CONFERENCE
) -> Section47Enquiry:
    return actions.record_enquiry_elsewhere(
        acting_user=migrator,
        child=child,
        start_date=START,
        completed_on=DONE,
        outcome=outcome,
        not_carried=SAID,
    )


def plan_elsewhere(migrator: User, child: Person, worker: User) -> ProtectionPlan:
    conference = actions.record_conference_elsewhere(
        acting_user=migrator,
        child=child,
        conference_date=HELD,
        plan_made=True,
        not_carried=SAID,
        enquiry=enquiry_elsewhere(migrator, child),
        lead_social_worker=worker,
        plan_start_date=HELD,
        initial_category="NEG",
        latest_category="EMO",
    )
    return ProtectionPlan.objects.get(conference=conference)


def test_an_enquiry_is_recorded_without_a_strategy_discussion(
    migrator: User, child: Person
) -> None:
    enquiry = enquiry_elsewhere(migrator, child, Section47Enquiry.Outcome.NFA)
    assert enquiry.strategy_discussion is None
    assert enquiry.recorded_elsewhere
    assert not StrategyDiscussion.objects.exists()
    assert (enquiry.start_date, enquiry.completed_on, enquiry.outcome_note) == (START, DONE, SAID)
    # As complete_enquiry records it: no conference is needed (CIN census ICPCnotRequired).
    assert enquiry.icpc_not_required
    assert enquiry.icpc_not_required_on == DONE
    assert enquiry.referral is not None  # the child's open referral on the start date
    events = AuditEvent.objects.filter(subject_person_id=child.pk).values_list(
        "event_type", flat=True
    )
    assert ProtectionEvent.S47_RECORDED_ELSEWHERE in events
    assert ProtectionEvent.STRATEGY_RECORDED not in events
    # The strategy discussion report counts only discussions held on Caseline.
    report = queries.strategy_compliance(migrator, D(2025, 4, 1), D(2025, 4, 30))
    assert report.total == 0


@pytest.mark.parametrize(
    ("start", "completed_on", "outcome", "field"),
    [
        (START, D(2025, 4, 9), Section47Enquiry.Outcome.NFA, "completed_on"),
        (D(2099, 1, 1), None, "", "start_date"),
        (START, None, Section47Enquiry.Outcome.NFA, "completed_on"),
        (START, DONE, "maybe", "outcome"),
        (None, None, "", "start_date"),
    ],
)
def test_an_enquiry_s_dates_and_outcome_are_checked(
    migrator: User,
    child: Person,
    start: datetime.date | None,
    completed_on: datetime.date | None,
    outcome: str,
    field: str,
) -> None:
    with pytest.raises(ValidationError) as refused:
        actions.record_enquiry_elsewhere(
            acting_user=migrator,
            child=child,
            start_date=start,
            completed_on=completed_on,
            outcome=outcome,
            not_carried=SAID,
        )
    assert field in refused.value.message_dict
    assert not Section47Enquiry.objects.exists()


def test_a_conference_starts_the_plan_with_no_chair_and_no_gaps_claimed(
    migrator: User, child: Person, worker: User
) -> None:
    plan = plan_elsewhere(migrator, child, worker)
    conference = plan.conference
    assert conference.chair is None
    assert conference.recorded_elsewhere
    assert not conference.attendees.exists()
    assert conference.reports_shared == ""
    assert conference.rationale == SAID
    assert queries.conference_gaps(conference) == []
    assert (plan.start_date, plan.initial_category, plan.latest_category) == (HELD, "NEG", "EMO")
    assert plan.lead_social_worker == worker
    assert plan.referral == conference.referral
    events = set(AuditEvent.objects.values_list("event_type", flat=True))
    assert {
        ProtectionEvent.CONFERENCE_RECORDED_ELSEWHERE,
        ProtectionEvent.PLAN_STARTED_ELSEWHERE,
    } <= events
    assert ProtectionEvent.CONFERENCE_RECORDED not in events


def test_a_conference_s_rules_at_entry_hold(migrator: User, child: Person, worker: User) -> None:
    nfa = enquiry_elsewhere(migrator, child, Section47Enquiry.Outcome.NFA)
    with pytest.raises(ValidationError, match="not a conference"):
        actions.record_conference_elsewhere(
            acting_user=migrator,
            child=child,
            conference_date=HELD,
            plan_made=False,
            not_carried=SAID,
            enquiry=nfa,
        )
    enquiry = enquiry_elsewhere(migrator, child)
    with pytest.raises(ValidationError) as refused:
        actions.record_conference_elsewhere(
            acting_user=migrator,
            child=child,
            conference_date=D(2025, 4, 9),  # before the enquiry started
            plan_made=True,
            not_carried=SAID,
            enquiry=enquiry,
            lead_social_worker=worker,
            plan_start_date=D(2025, 4, 9),
            initial_category="XYZ",
        )
    assert "conference_date" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        actions.record_conference_elsewhere(
            acting_user=migrator,
            child=child,
            conference_date=HELD,
            plan_made=True,
            not_carried=SAID,
            enquiry=enquiry,
            lead_social_worker=worker,
            plan_start_date=D(2025, 5, 2),
            initial_category="XYZ",
        )
    assert {"category", "plan_start_date"} <= set(refused.value.message_dict)
    assert not Conference.objects.exists()


def test_reviews_continue_then_end_the_plan(migrator: User, child: Person, worker: User) -> None:
    plan = plan_elsewhere(migrator, child, worker)
    with pytest.raises(ValidationError, match="after the plan started"):
        actions.record_review_elsewhere(
            acting_user=migrator,
            plan=plan,
            conference_date=HELD,
            plan_continues=True,
            not_carried=SAID,
        )
    review = actions.record_review_elsewhere(
        acting_user=migrator,
        plan=plan,
        conference_date=D(2025, 7, 24),
        plan_continues=True,
        not_carried=SAID,
    )
    assert review.chair is None
    assert review.category == "EMO"
    assert review.progress == ""
    actions.record_review_elsewhere(
        acting_user=migrator,
        plan=plan,
        conference_date=D(2026, 1, 22),
        plan_continues=False,
        not_carried=SAID,
    )
    plan.refresh_from_db()
    assert (plan.end_date, plan.end_reason, plan.end_note) == (
        D(2026, 1, 22),
        ProtectionPlan.EndReason.REVIEW,
        SAID,
    )


def test_a_plan_ended_for_a_reason_not_carried_has_no_reason_coded(
    migrator: User, child: Person, worker: User
) -> None:
    plan = plan_elsewhere(migrator, child, worker)
    with pytest.raises(ValidationError, match="before it began"):
        actions.end_plan_elsewhere(
            acting_user=migrator, plan=plan, end_date=D(2025, 4, 30), not_carried=SAID
        )
    actions.end_plan_elsewhere(
        acting_user=migrator, plan=plan, end_date=D(2025, 9, 1), not_carried=SAID
    )
    plan.refresh_from_db()
    assert (plan.end_date, plan.end_reason, plan.end_note) == (D(2025, 9, 1), "", SAID)


def test_the_record_and_chronology_say_where_it_was_held(
    migrator: User, child: Person, worker: User, client: Client
) -> None:
    plan = plan_elsewhere(migrator, child, worker)
    entries = protection_chronology(child, RecordsHeld.not_asked(child))
    started = [e for e in entries if e.what_happened.startswith("Section 47 enquiry started")]
    assert len(started) == 1
    assert "recorded in another system" in started[0].what_happened
    [conference] = [e for e in entries if "Initial child protection conference" in e.what_happened]
    assert "held and recorded in another system" in conference.what_happened
    assert WHY_CORE_ABSENT not in conference.why_it_matters

    client.force_login(worker)
    record = client.get(reverse("protection:record", kwargs={"person_id": child.pk}))
    assert record.status_code == 200
    page = record.content.decode()
    assert "recorded in another system" in page
    assert "took no part" not in page
    shown = client.get(
        reverse(
            "protection:conference",
            kwargs={"person_id": child.pk, "conference_id": plan.conference_id},
        )
    )
    assert shown.status_code == 200
    assert "Held in another system" in shown.content.decode()
