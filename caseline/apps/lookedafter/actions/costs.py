"""What a placement costs: the weekly rate from a day (the SSD's ``ssd_s251_finance``)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.core.access import require_permission
from caseline.apps.core.checks import Checks
from caseline.apps.lookedafter.actions.common import audit, lock
from caseline.apps.lookedafter.events import LookedAfterEvent
from caseline.apps.lookedafter.models import Episode, PlacementCost

COST_FIELDS = ["episode", "weekly_cost", "start_date", "end_date"]


@transaction.atomic(durable=True)
def record_placement_cost(
    *,
    acting_user: User,
    episode: Episode,
    weekly_cost: Decimal,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
) -> PlacementCost:
    """Record the weekly cost of the placement of ``episode`` from ``start_date`` (to
    ``end_date``, if the rate has ended): not negative, within the placement's dates."""
    require_permission(acting_user, Permission.CARE_RECORD)
    lock(episode.person)
    checks = Checks()
    checks.check(weekly_cost >= 0, "weekly_cost", "The weekly cost cannot be less than £0")
    checks.check(
        weekly_cost < Decimal("10000000"), "weekly_cost", "The weekly cost must be under £10m"
    )
    checks.check(
        start_date >= episode.start_date,
        "start_date",
        "The cost cannot start before the placement started",
    )
    if episode.end_date is not None:
        checks.check(
            start_date <= episode.end_date,
            "start_date",
            "The cost cannot start after the placement ended",
        )
    if end_date is not None:
        checks.check(end_date >= start_date, "end_date", "The cost cannot end before it started")
    checks.raise_if_any()
    cost = PlacementCost.objects.create(
        episode=episode,
        weekly_cost=weekly_cost,
        start_date=start_date,
        end_date=end_date,
        recorded_by=acting_user,
    )
    audit(
        cost,
        LookedAfterEvent.PLACEMENT_COST_RECORDED,
        acting_user=acting_user,
        child_id=episode.person_id,
        fields=COST_FIELDS,
    )
    return cost
