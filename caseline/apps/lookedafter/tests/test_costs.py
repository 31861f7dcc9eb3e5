"""What a placement costs: recorded within the placement's dates, never negative, audited,
and only by those who record care."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from caseline.apps.accounts.models import User
from caseline.apps.audit.models import AuditEvent
from caseline.apps.lookedafter import actions
from caseline.apps.lookedafter.events import LookedAfterEvent
from caseline.apps.lookedafter.models import Episode
from caseline.apps.lookedafter.tests.conftest import START

pytestmark = pytest.mark.django_db


def test_a_cost_is_recorded_and_audited(in_care: Episode, worker: User) -> None:
    cost = actions.record_placement_cost(
        acting_user=worker, episode=in_care, weekly_cost=Decimal("612.50"), start_date=START
    )
    assert list(in_care.costs.all()) == [cost]
    event = AuditEvent.objects.get(event_type=LookedAfterEvent.PLACEMENT_COST_RECORDED)
    assert event.subject_person_id == in_care.person_id
    assert event.new_values["weekly_cost"] == "612.50"


def test_a_cost_outside_the_placement_or_negative_is_refused(
    in_care: Episode, worker: User
) -> None:
    with pytest.raises(ValidationError) as refused:
        actions.record_placement_cost(
            acting_user=worker,
            episode=in_care,
            weekly_cost=Decimal("-1"),
            start_date=START - datetime.timedelta(days=1),
            end_date=START - datetime.timedelta(days=2),
        )
    assert set(refused.value.message_dict) == {"weekly_cost", "start_date", "end_date"}
    assert not in_care.costs.exists()


def test_a_cost_needs_the_permission(in_care: Episode, make_user: Callable[..., User]) -> None:
    with pytest.raises(PermissionDenied):
        actions.record_placement_cost(
            acting_user=make_user(), episode=in_care, weekly_cost=Decimal(1), start_date=START
        )


def test_the_cost_is_recorded_from_the_page(in_care: Episode, worker: User, client: Client) -> None:
    client.force_login(worker)
    record = client.get(f"/looked-after/{in_care.person_id}/").content.decode()
    url = f"/looked-after/{in_care.person_id}/placement-cost/"
    assert url in record
    day = {
        "start_date_day": START.day,
        "start_date_month": START.month,
        "start_date_year": START.year,
    }
    refused = client.post(url, {**day, "weekly_cost": "a lot"})
    assert "Enter the weekly cost as a number" in refused.content.decode()
    response = client.post(url, {**day, "weekly_cost": "650.50"})
    assert response.status_code == 302
    assert in_care.costs.get().weekly_cost == Decimal("650.50")
