"""Allocating a case: the current allocation ends, history is kept, audited."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.models import AuditEvent
from caseline.apps.frontdoor import actions
from caseline.apps.frontdoor.events import FrontdoorEvent
from caseline.apps.people.models import Allocation, Person

D = datetime.date


def test_allocation_history(
    child: Person, manager: User, team: Team, make_user: Callable[..., User]
) -> None:
    worker = make_user(Role.SOCIAL_WORKER, team=team)
    other = Team.objects.create(name="CIN Team Test", service=Team.Service.CHILDREN_IN_NEED)
    second_worker = make_user(Role.SOCIAL_WORKER, team=other)
    first = actions.allocate_case(
        acting_user=manager, child=child, team=team, worker=None, start_date=D(2025, 4, 18)
    )
    second = actions.allocate_case(
        acting_user=manager,
        child=child,
        team=team,
        worker=worker,
        start_date=D(2025, 4, 22),
        reason="Allocated for assessment",
    )
    third = actions.allocate_case(
        acting_user=manager,
        child=child,
        team=other,
        worker=second_worker,
        start_date=D(2025, 6, 2),
        reason="Transfer to CIN team",
    )
    rows = list(Allocation.objects.filter(person=child).order_by("start_date"))
    assert [(a.pk, a.start_date, a.end_date) for a in rows] == [
        (first.pk, D(2025, 4, 18), D(2025, 4, 22)),
        (second.pk, D(2025, 4, 22), D(2025, 6, 2)),
        (third.pk, D(2025, 6, 2), None),
    ]
    assert third.allocated_by == manager
    events = AuditEvent.objects.filter(event_type=FrontdoorEvent.CASE_ALLOCATED).order_by("id")
    assert [e.subject_person_id for e in events] == [child.pk] * 3
    assert events[2].extra == {"ended_allocation": {"id": second.pk, "end_date": "2025-06-02"}}


def test_allocation_validations(
    child: Person, manager: User, team: Team, make_user: Callable[..., User]
) -> None:
    outsider = make_user(Role.SOCIAL_WORKER)
    with pytest.raises(ValidationError, match="is not a member of Assessment Team Test"):
        actions.allocate_case(
            acting_user=manager, child=child, team=team, worker=outsider, start_date=D(2025, 4, 18)
        )
    gone = make_user(Role.SOCIAL_WORKER, team=team, is_active=False)
    with pytest.raises(ValidationError, match="not an active user"):
        actions.allocate_case(
            acting_user=manager, child=child, team=team, worker=gone, start_date=D(2025, 4, 18)
        )
    actions.allocate_case(
        acting_user=manager, child=child, team=team, worker=None, start_date=D(2025, 4, 18)
    )
    with pytest.raises(ValidationError) as caught:
        actions.allocate_case(
            acting_user=manager, child=child, team=team, worker=None, start_date=D(2025, 4, 1)
        )
    assert set(caught.value.message_dict) == {"start_date", "worker"}
    assert Allocation.objects.filter(person=child, end_date__isnull=True).count() == 1
