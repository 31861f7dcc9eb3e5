"""My work and the team page audit the children they show, and only those (issue 19)."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from caseline.apps.accounts.models import User
from caseline.apps.audit.events import EventType
from caseline.apps.audit.models import AuditEvent
from caseline.apps.mywork.tests.conftest import add_plan
from caseline.apps.people.models import Person

pytestmark = pytest.mark.django_db


def _listed(user: User) -> list[set[int]]:
    events = AuditEvent.objects.filter(
        acting_user=user,
        event_type__in=[EventType.CHILD_RECORD_VIEWED, EventType.CHILDREN_LISTED],
    ).order_by("chain_position")
    return [{e.subject_person_id, *e.extra.get("people", [])} - {None} for e in events]


def test_my_work_and_the_team_page_name_the_children_shown(
    worker: User,
    manager: User,
    make_child: Callable[..., Person],
    signed_in: Callable[[User], Client],
) -> None:
    child = make_child("Ada")
    add_plan(child, worker, timezone.localdate() - datetime.timedelta(days=60))
    response = signed_in(worker).get(reverse("mywork:mine"))
    assert reverse("people:record", args=[child.pk]) in response.text
    assert _listed(worker) == [{child.pk}]
    response = signed_in(manager).get(reverse("mywork:team"))
    assert reverse("people:record", args=[child.pk]) in response.text
    assert _listed(manager) == [{child.pk}]
