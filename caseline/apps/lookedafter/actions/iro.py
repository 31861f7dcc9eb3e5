"""The independent reviewing officer (CA1989 s25A): allocated to the child while looked after."""

from __future__ import annotations

import datetime

from django.db import transaction

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.core.access import require_permission, user_can
from caseline.apps.core.checks import Checks
from caseline.apps.lookedafter.actions.common import allocate, change, lock
from caseline.apps.lookedafter.events import LookedAfterEvent
from caseline.apps.lookedafter.models import IROAllocation
from caseline.apps.people.models import Person


@transaction.atomic(durable=True)
def allocate_iro(
    *, acting_user: User, child: Person, iro: User, start_date: datetime.date
) -> IROAllocation:
    """``iro`` is the child's IRO from ``start_date``, taking over from the current one."""
    require_permission(acting_user, Permission.CARE_RECORD)
    child = lock(child)
    checks = Checks()
    checks.happened("start_date", start_date, "The date the IRO was allocated", child=child)
    checks.check(
        user_can(iro, Permission.REVIEW_CHAIR), "iro", "Choose an independent reviewing officer"
    )
    return allocate(
        IROAllocation,
        LookedAfterEvent.IRO_ALLOCATED,
        checks,
        acting_user=acting_user,
        child=child,
        start_date=start_date,
        whose="IRO's",
        iro=iro,
    )


def end_iro_allocation(*, acting_user: User, child: Person, end_date: datetime.date) -> None:
    """The IRO's role ends with care: close the open allocation, so the child leaves the IRO's
    caseload. A new period of care gets a new allocation. Runs inside ``end_period_of_care``
    (not at the end of a short break while the series goes on: its reviews are the IRO's)."""
    for allocation in IROAllocation.objects.filter(person=child, end_date__isnull=True):
        change(
            allocation,
            LookedAfterEvent.IRO_ALLOCATION_ENDED,
            acting_user=acting_user,
            end_date=max(end_date, allocation.start_date),
        )
