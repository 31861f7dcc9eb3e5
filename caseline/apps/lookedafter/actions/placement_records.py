"""What each placement needs on paper: its placement plan (CPPCR regulation 9) and the notice
of its arrangements (regulation 13), both for the child's current placement."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.core.access import require_permission
from caseline.apps.core.checks import Checks
from caseline.apps.lookedafter import derive, queries
from caseline.apps.lookedafter.actions.common import lock, record_new
from caseline.apps.lookedafter.events import LookedAfterEvent
from caseline.apps.lookedafter.models import PlacementNotice, PlacementPlan
from caseline.apps.people.models import Person
from caseline.apps.timescales.rules import format_date


def _current_placement(
    checks: Checks, child: Person, day: datetime.date, field: str, what: str
) -> derive.Placement | None:
    """The child's placement now, for a plan or notice dated ``day``; if there is none, or the
    date is implausible for it, a problem with ``field``.

    The date may fall before the placement began (a plan or notice should come before the
    placement where it can), but not before the placement before it began.
    """
    period = derive.period_on(
        derive.periods_of_care(queries.episodes_of(child)), timezone.localdate()
    )
    if period is None:
        checks.add(
            field,
            f"{child.given_name} is not looked after now (a short break is not a placement "
            f"for this): {what.lower()} is for the current placement",
        )
        return None
    placements = period.placements
    if len(placements) > 1 and not checks.has(field):
        previous = placements[-2].start_date
        checks.check(
            day >= previous,
            field,
            f"{what} must be on or after the previous placement began, {format_date(previous)}",
        )
    return placements[-1]


@transaction.atomic(durable=True)
def record_placement_plan(
    *,
    acting_user: User,
    child: Person,
    agreed_on: datetime.date,
    agreed_with: str,
    summary: str,
) -> PlacementPlan:
    """The placement plan of the child's current placement, agreed on ``agreed_on`` with and
    signed by ``agreed_with`` (the carer or provider)."""
    require_permission(acting_user, Permission.PLAN_RECORD)
    child = lock(child)
    checks = Checks()
    what = "The date the placement plan was agreed"
    checks.happened("agreed_on", agreed_on, what, child=child)
    checks.required("agreed_with", agreed_with, "Enter who agreed and signed the placement plan")
    checks.required(
        "summary", summary, f"Enter how the placement will meet {child.given_name}'s needs"
    )
    placement = _current_placement(checks, child, agreed_on, "agreed_on", what)
    checks.raise_if_any()
    assert placement is not None
    return record_new(
        PlacementPlan,
        LookedAfterEvent.PLACEMENT_PLAN_RECORDED,
        acting_user=acting_user,
        child=child,
        episode=placement.episodes[0],
        agreed_on=agreed_on,
        agreed_with=agreed_with.strip(),
        summary=summary,
    )


@transaction.atomic(durable=True)
def record_placement_notice(
    *,
    acting_user: User,
    child: Person,
    emergency: bool,
    given_on: datetime.date,
    given_to: list[str],
    given_to_other: str = "",
) -> PlacementNotice:
    """Written notice of the current placement's arrangements, given on ``given_on`` to
    ``given_to`` (``PlacementNotice.Recipient`` values) and ``given_to_other``."""
    require_permission(acting_user, Permission.CARE_RECORD)
    child = lock(child)
    checks = Checks()
    what = "The date notice was given"
    checks.happened("given_on", given_on, what, child=child)
    checks.check(
        emergency in (True, False),
        "emergency",
        "Select whether the placement was made in an emergency",
    )
    recipients = PlacementNotice.Recipient.values
    checks.check(
        all(value in recipients for value in given_to),
        "given_to",
        "Select who was given notice from the list",
    )
    checks.check(
        bool(given_to) or bool(given_to_other.strip()),
        "given_to",
        "Select who was given notice, or enter who",
    )
    placement = _current_placement(checks, child, given_on, "given_on", what)
    checks.raise_if_any()
    assert placement is not None
    return record_new(
        PlacementNotice,
        LookedAfterEvent.PLACEMENT_NOTICE_RECORDED,
        acting_user=acting_user,
        child=child,
        episode=placement.episodes[0],
        emergency=emergency,
        given_on=given_on,
        given_to=[value for value in recipients if value in given_to],
        given_to_other=given_to_other.strip(),
    )
