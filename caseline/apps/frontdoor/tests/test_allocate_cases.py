"""``allocate_cases``, a child's allocations made in turn (a bulk import of its history): the
same allocations, messages and audit events as ``allocate_case`` one at a time, the workers'
right to hold cases read once."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.models import AuditEvent
from caseline.apps.frontdoor import actions
from caseline.apps.frontdoor.actions import AllocationDetails
from caseline.apps.frontdoor.events import FrontdoorEvent
from caseline.apps.people.models import Allocation, Person

D = datetime.date


@pytest.fixture
def history(team: Team, make_user: Callable[..., User]) -> list[AllocationDetails]:
    """The team alone, then a worker of it, then another team's worker."""
    worker = make_user(Role.SOCIAL_WORKER, team=team)
    other = Team.objects.create(name="CIN Team Test", service=Team.Service.CHILDREN_IN_NEED)
    second = make_user(Role.SOCIAL_WORKER, team=other)
    return [
        AllocationDetails(team, None, D(2025, 4, 18)),
        AllocationDetails(team, worker, D(2025, 4, 22), " For assessment ", "FCONTA"),
        AllocationDetails(other, second, D(2025, 6, 2), "Transfer", "TSPROC"),
    ]


def kept(child: Person) -> list[Any]:
    """The child's allocations and their audit, ids named by their place."""
    rows = list(Allocation.objects.filter(person=child).order_by("id"))
    place = {a.pk: i for i, a in enumerate(rows)}
    fields = [*actions.ALLOCATION_FIELDS, "allocated_by"]
    events = AuditEvent.objects.filter(
        event_type=FrontdoorEvent.CASE_ALLOCATED, subject_person_id=child.pk
    ).order_by("id")
    return [
        *({f: getattr(a, f) for f in fields if f != "person"} for a in rows),
        *(
            (
                place[int(e.target_id)],
                {k: v for k, v in e.new_values.items() if k != "person"},
                {
                    "ended": place[e.extra["ended_allocation"]["id"]],
                    "on": e.extra["ended_allocation"]["end_date"],
                }
                if e.extra
                else None,
            )
            for e in events
        ),
    ]


def one_at_a_time(manager: User, child: Person, history: list[AllocationDetails]) -> None:
    for d in history:
        actions.allocate_case(
            acting_user=manager,
            child=child,
            team=d.team,
            worker=d.worker,
            start_date=d.start_date,
            reason=d.reason,
            change_reason=d.change_reason,
        )


def test_allocate_cases_makes_and_audits_what_allocate_case_does(
    make_person: Callable[..., Person], manager: User, history: list[AllocationDetails]
) -> None:
    paged, imported = make_person(), make_person()
    one_at_a_time(manager, paged, history)
    made = actions.allocate_cases(acting_user=manager, child=imported, allocations=history)
    assert kept(imported) == kept(paged)
    assert [a.end_date for a in made] == [D(2025, 4, 22), D(2025, 6, 2), None]


def test_the_right_to_hold_cases_is_read_once_a_call(
    child: Person, manager: User, history: list[AllocationDetails]
) -> None:
    with CaptureQueriesContext(connection) as queries:
        actions.allocate_cases(acting_user=manager, child=child, allocations=history)
    holders = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT "accounts_user"."id"') and "EXISTS" in q["sql"]
    ]
    assert len(holders) == 1


def test_allocate_cases_refuses_all_and_names_the_refused_allocation(
    make_person: Callable[..., Person],
    manager: User,
    history: list[AllocationDetails],
    make_user: Callable[..., User],
) -> None:
    analyst = make_user(Role.ANALYST, team=history[0].team)
    refused = [*history[:2], AllocationDetails(history[0].team, analyst, D(2025, 5, 1), "", "X")]
    paged, imported = make_person(), make_person()
    with pytest.raises(ValidationError) as one:
        one_at_a_time(manager, paged, refused)
    with pytest.raises(actions.AllocationRefused) as together:
        actions.allocate_cases(acting_user=manager, child=imported, allocations=refused)
    assert together.value.index == 2
    assert together.value.message_dict == one.value.message_dict
    assert "cannot hold cases" in str(together.value)
    assert not Allocation.objects.filter(person=imported).exists()
    assert not AuditEvent.objects.filter(subject_person_id=imported.pk).exists()


def test_allocate_cases_needs_the_permission_to_allocate(
    child: Person, history: list[AllocationDetails], make_user: Callable[..., User]
) -> None:
    worker = make_user(Role.SOCIAL_WORKER)
    with pytest.raises(PermissionDenied):
        actions.allocate_cases(acting_user=worker, child=child, allocations=history)
    assert not Allocation.objects.exists()
