"""What the CIN census reads from the child protection record that Caseline cannot derive:
that an enquiry's initial conference is not required (ICPCnotRequired) and how many plans a
child had before Caseline (NumberOfPreviousCPP)."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.models import AuditEvent
from caseline.apps.mywork.chair import awaiting_initial_conference
from caseline.apps.people.models import Person
from caseline.apps.plans.tests.posting import date_fields
from caseline.apps.protection import actions, queries
from caseline.apps.protection.models import (
    AWAITING_CONFERENCE,
    ProtectionHistory,
    ProtectionPlan,
    Section47Enquiry,
    StrategyDiscussion,
)
from caseline.apps.protection.tests.conftest import (
    at,
    conference_values,
    on_plan,
    strategy_values,
)

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def manager(make_user: Callable[..., User], team: Team) -> User:
    return make_user(Role.TEAM_MANAGER, username="manager", team=team)


def _complete(worker: User, discussion: StrategyDiscussion, outcome: str) -> Section47Enquiry:
    return actions.complete_enquiry(
        acting_user=worker,
        enquiry=discussion.enquiry,
        outcome=outcome,
        completed_on=D(2025, 4, 24),
        outcome_note="Reasons.",
    )


# --- ICPCnotRequired ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "outcome", [Section47Enquiry.Outcome.NFA, Section47Enquiry.Outcome.CHILD_IN_NEED]
)
def test_an_outcome_needing_no_conference_records_that_none_is_required(
    discussion: StrategyDiscussion, worker: User, outcome: str
) -> None:
    enquiry = _complete(worker, discussion, outcome)
    enquiry.refresh_from_db()
    assert enquiry.icpc_not_required is True
    assert enquiry.icpc_not_required_on == D(2025, 4, 24)
    event = AuditEvent.objects.get(event_type="protection.s47-completed")
    assert event.new_values["icpc_not_required"] is True


def test_an_enquiry_that_calls_for_a_conference_awaits_one(
    enquiry: Section47Enquiry, child: Person
) -> None:
    enquiry.refresh_from_db()
    assert enquiry.icpc_not_required is False
    assert enquiry.awaits_conference
    assert Section47Enquiry.objects.filter(AWAITING_CONFERENCE).get() == enquiry
    assert child.pk in awaiting_initial_conference()


def test_a_conference_decided_against_later_is_recorded_and_no_longer_awaited(
    enquiry: Section47Enquiry, child: Person, worker: User, chair: User
) -> None:
    decided = actions.decide_icpc_not_required(
        acting_user=worker,
        enquiry=enquiry,
        decided_on=D(2025, 4, 28),
        reason="  The family moved to Northshire, which holds the conference.  ",
    )
    decided.refresh_from_db()
    assert decided.icpc_not_required is True
    assert decided.icpc_not_required_on == D(2025, 4, 28)
    assert decided.icpc_not_required_reason == (
        "The family moved to Northshire, which holds the conference."
    )
    assert not decided.awaits_conference
    assert not Section47Enquiry.objects.filter(AWAITING_CONFERENCE).exists()
    assert child.pk not in awaiting_initial_conference()
    event = AuditEvent.objects.get(event_type="protection.icpc-not-required")
    assert event.old_values == {"icpc_not_required": False}
    assert event.new_values["icpc_not_required_on"] == "2025-04-28"
    assert event.subject_person_id == child.pk

    # DfE rule 8868 fails an enquiry with both a conference and the flag.
    with pytest.raises(ValidationError) as refused:
        actions.hold_initial_conference(
            acting_user=chair,
            child=child,
            enquiry=decided,
            lead_social_worker=worker,
            **conference_values(),
        )
    assert refused.value.messages[0].endswith("(CIN census rule 8868)")
    assert not ProtectionPlan.objects.exists()


def test_deciding_against_a_conference_is_refused_when_it_cannot_be(
    discussion: StrategyDiscussion, child: Person, worker: User, chair: User
) -> None:
    with pytest.raises(ValidationError, match="Record the outcome of the enquiry first"):
        actions.decide_icpc_not_required(
            acting_user=worker, enquiry=discussion.enquiry, decided_on=D(2025, 4, 28), reason="x"
        )
    enquiry = _complete(worker, discussion, Section47Enquiry.Outcome.CONFERENCE)
    with pytest.raises(PermissionDenied):
        actions.decide_icpc_not_required(
            acting_user=chair, enquiry=enquiry, decided_on=D(2025, 4, 28), reason="x"
        )
    with pytest.raises(ValidationError) as refused:
        actions.decide_icpc_not_required(
            acting_user=worker, enquiry=enquiry, decided_on=D(2025, 4, 23), reason=" "
        )
    assert refused.value.message_dict == {
        "decided_on": [
            "The date of the decision must be on or after the enquiry was completed, 24 April 2025"
        ],
        "reason": ["Enter why a conference is not required"],
    }
    actions.hold_initial_conference(
        acting_user=chair,
        child=child,
        enquiry=enquiry,
        lead_social_worker=worker,
        **conference_values(),
    )
    with pytest.raises(ValidationError) as refused:
        actions.decide_icpc_not_required(
            acting_user=worker, enquiry=enquiry, decided_on=D(2025, 5, 2), reason="Moved away."
        )
    assert refused.value.messages[0].endswith("(CIN census rule 8868)")
    enquiry.refresh_from_db()
    assert enquiry.icpc_not_required is False


def test_an_enquiry_needing_no_conference_cannot_be_decided_against_twice(
    discussion: StrategyDiscussion, worker: User
) -> None:
    enquiry = _complete(worker, discussion, Section47Enquiry.Outcome.NFA)
    with pytest.raises(ValidationError, match="already recorded"):
        actions.decide_icpc_not_required(
            acting_user=worker, enquiry=enquiry, decided_on=D(2025, 4, 28), reason="Again."
        )


def test_the_migration_records_the_flag_for_enquiries_completed_before_it(
    discussion: StrategyDiscussion, worker: User
) -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "caseline.apps.protection.migrations.0005_record_icpc_not_required_for_completed_enquiries"
    )
    enquiry = _complete(worker, discussion, Section47Enquiry.Outcome.NFA)
    Section47Enquiry.objects.filter(pk=enquiry.pk).update(
        icpc_not_required=False, icpc_not_required_on=None
    )
    migration.record_icpc_not_required(apps, None)
    migration.record_icpc_not_required(apps, None)  # re-running changes nothing
    enquiry.refresh_from_db()
    assert (enquiry.icpc_not_required, enquiry.icpc_not_required_on) == (True, D(2025, 4, 24))


# --- NumberOfPreviousCPP -------------------------------------------------------------------------


def test_a_team_manager_records_and_corrects_the_plans_before_caseline(
    child: Person, manager: User
) -> None:
    history = actions.record_plans_before_caseline(
        acting_user=manager,
        child=child,
        plans_before_caseline=2,
        source_note=" Legacy system, migrated in 2024 ",
    )
    assert (history.plans_before_caseline, history.source_note) == (
        2,
        "Legacy system, migrated in 2024",
    )
    assert queries.plans_before_caseline(child) == 2
    corrected = actions.record_plans_before_caseline(
        acting_user=manager,
        child=child,
        plans_before_caseline=3,
        source_note="Legacy system, migrated in 2024",
    )
    assert corrected.pk == history.pk
    assert ProtectionHistory.objects.get().plans_before_caseline == 3
    first, second = AuditEvent.objects.filter(event_type="protection.history-recorded").order_by(
        "id"
    )
    assert first.new_values == {
        "plans_before_caseline": 2,
        "source_note": "Legacy system, migrated in 2024",
    }
    assert (second.old_values, second.new_values) == (
        {"plans_before_caseline": 2},
        {"plans_before_caseline": 3},
    )


def test_only_a_team_manager_records_the_plans_before_caseline(child: Person, worker: User) -> None:
    with pytest.raises(PermissionDenied):
        actions.record_plans_before_caseline(
            acting_user=worker, child=child, plans_before_caseline=1, source_note="Register"
        )
    assert not ProtectionHistory.objects.exists()


@pytest.mark.parametrize(
    ("count", "note", "errors"),
    [
        (
            None,
            "",
            {
                "plans_before_caseline": [
                    "Enter how many child protection plans the child had before Caseline"
                ],
                "source_note": ["Enter where the number comes from"],
            },
        ),
        (-1, "Register", {"plans_before_caseline": ["Enter a number from 0 to 30"]}),
        (31, "Register", {"plans_before_caseline": ["Enter a number from 0 to 30"]}),
    ],
)
def test_the_plans_before_caseline_are_checked(
    child: Person, manager: User, count: int | None, note: str, errors: dict[str, list[str]]
) -> None:
    with pytest.raises(ValidationError) as refused:
        actions.record_plans_before_caseline(
            acting_user=manager, child=child, plans_before_caseline=count, source_note=note
        )
    assert refused.value.message_dict == errors


def test_previous_plan_count_adds_the_plans_before_caseline_to_earlier_plans(
    child: Person, worker: User, chair: User, manager: User
) -> None:
    first = on_plan(child, worker, chair)
    assert queries.previous_plan_count(child, first) == 0
    actions.end_plan(
        acting_user=worker,
        plan=first,
        end_date=D(2025, 6, 2),
        end_reason=ProtectionPlan.EndReason.MOVED,
        end_note="Moved to Northshire for a while.",
    )
    discussion = actions.record_strategy_discussion(
        acting_user=worker, child=child, **strategy_values(held_at=at(D(2025, 7, 1)))
    )
    enquiry = actions.complete_enquiry(
        acting_user=worker,
        enquiry=discussion.enquiry,
        outcome=Section47Enquiry.Outcome.CONFERENCE,
        completed_on=D(2025, 7, 8),
        outcome_note="Concerns substantiated again.",
    )
    conference = actions.hold_initial_conference(
        acting_user=chair,
        child=child,
        enquiry=enquiry,
        lead_social_worker=worker,
        **conference_values(conference_date=D(2025, 7, 15)),
    )
    second = ProtectionPlan.objects.get(conference=conference)
    assert queries.previous_plan_count(child, second) == 1
    actions.record_plans_before_caseline(
        acting_user=manager, child=child, plans_before_caseline=2, source_note="Register"
    )
    assert queries.previous_plan_count(child, first) == 2
    assert queries.previous_plan_count(child, second) == 3
    assert queries.previous_plans(child, second.start_date, exclude=second.pk) == 3


# --- Pages -------------------------------------------------------------------------------------


def _url(name: str, child: Person, **kwargs: int) -> str:
    return reverse(f"protection:{name}", kwargs={"person_id": child.pk, **kwargs})


def test_a_worker_records_on_the_page_that_a_conference_is_not_required(
    client: Client, enquiry: Section47Enquiry, child: Person, worker: User
) -> None:
    client.force_login(worker)
    page = client.get(_url("record", child))
    link = _url("icpc-not-required", child, enquiry_id=enquiry.pk)
    assert link.encode() in page.content
    failed = client.post(link, {**date_fields("decided_on", D(2025, 4, 28)), "reason": ""})
    assert failed.status_code == 400
    assert b"Enter why a conference is not required" in failed.content
    response = client.post(
        link, {**date_fields("decided_on", D(2025, 4, 28)), "reason": "Risk has reduced."}
    )
    assert response.status_code == 302
    page = client.get(_url("record", child))
    assert b"Not required (decided 28 April 2025)" in page.content
    assert link.encode() not in page.content


def test_the_plans_before_caseline_page_is_for_a_team_manager(
    client: Client, child: Person, worker: User, manager: User
) -> None:
    client.force_login(worker)
    assert client.get(_url("history-edit", child)).status_code == 403
    assert b"Plans before Caseline" not in client.get(_url("record", child)).content
    client.force_login(manager)
    page = client.get(_url("record", child))
    assert b"None recorded" in page.content
    response = client.post(
        _url("history-edit", child),
        {"plans_before_caseline": "2", "source_note": "Legacy system"},
    )
    assert response.status_code == 302
    assert client.get(_url("history-edit", child)).context["form"].initial == {
        "plans_before_caseline": 2,
        "source_note": "Legacy system",
    }
    assert b"Legacy system (recorded by" in client.get(_url("record", child)).content
    failed = client.post(
        _url("history-edit", child), {"plans_before_caseline": "two", "source_note": "x"}
    )
    assert failed.status_code == 400
    assert b"Enter a whole number, for example 2" in failed.content
