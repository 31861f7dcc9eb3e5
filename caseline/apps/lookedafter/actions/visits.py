"""Statutory visits to a looked-after child (CPPCR regulation 28), and to a child on a series
of short breaks on a day of a break (regulation 48)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import transaction

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.core.access import require_permission
from caseline.apps.core.checks import Checks
from caseline.apps.lookedafter.actions.common import (
    ShortBreakDays,
    lock,
    looked_after_on,
    record_new,
)
from caseline.apps.lookedafter.events import LookedAfterEvent
from caseline.apps.lookedafter.models import LACVisit
from caseline.apps.people.models import Person
from caseline.apps.privatefostering.actions import add_participation
from caseline.apps.privatefostering.models import ParticipationKind


@transaction.atomic(durable=True)
def record_visit(
    *,
    acting_user: User,
    child: Person,
    visit_date: datetime.date,
    child_seen: bool,
    seen_alone: bool,
    note: str,
    told_about: Sequence[str] = (),
) -> LACVisit:
    """A visit while the child was looked after (or on a short break): whether they were seen,
    and seen alone; and what they were told about having a say (``told_about``: the
    ``privatefostering.models.Told`` values), recorded as told on the day of the visit."""
    require_permission(acting_user, Permission.VISIT_RECORD)
    child = lock(child)
    checks = Checks()
    checks.happened("visit_date", visit_date, "The visit date", child=child)
    checks.check(
        child_seen or not seen_alone,
        "seen_alone",
        f"{child.given_name} cannot be seen alone without being seen",
    )
    checks.required("note", note, "Enter what happened on the visit")
    looked_after_on(
        checks,
        child,
        visit_date,
        "visit_date",
        "The visit date",
        short_breaks=ShortBreakDays.ON_A_BREAK,
    )
    checks.raise_if_any()
    visit = record_new(
        LACVisit,
        LookedAfterEvent.VISIT_RECORDED,
        acting_user=acting_user,
        child=child,
        visit_date=visit_date,
        child_seen=child_seen,
        seen_alone=seen_alone,
        note=note,
    )
    if told_about:
        add_participation(
            acting_user=acting_user,
            child=child,
            kind=ParticipationKind.TOLD,
            on=visit_date,
            subjects=list(told_about),
            note="At a statutory visit",
        )
    return visit
