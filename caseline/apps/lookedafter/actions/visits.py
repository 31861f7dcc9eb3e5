"""Statutory visits to a looked-after child (CPPCR regulation 28), and to a child on a series
of short breaks on a day of a break (regulation 48)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.core.access import require_permission
from caseline.apps.core.checks import Checks, RowRefused
from caseline.apps.lookedafter.actions.common import (
    ShortBreakDays,
    lock,
    looked_after_on,
    periods_of,
    record_many,
)
from caseline.apps.lookedafter.events import LookedAfterEvent
from caseline.apps.lookedafter.models import LACVisit
from caseline.apps.people.models import Person
from caseline.apps.privatefostering.actions import add_participation
from caseline.apps.privatefostering.models import ParticipationKind


@dataclass(frozen=True)
class VisitDetails:
    """One visit, as ``record_visit`` takes it."""

    visit_date: datetime.date
    child_seen: bool
    seen_alone: bool
    note: str
    told_about: Sequence[str] = ()


class VisitRefused(RowRefused):
    """One of the visits given to ``record_visits`` was refused: ``index`` says which (the
    messages are the visit's own, keyed by field as ``record_visit`` keys them)."""


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
    details = VisitDetails(visit_date, child_seen, seen_alone, note, told_about)
    try:
        return _record_visits(acting_user=acting_user, child=child, visits=[details])[0]
    except VisitRefused as refused:
        raise ValidationError(refused.error_dict) from None


@transaction.atomic(durable=True)
def record_visits(
    *, acting_user: User, child: Person, visits: Sequence[VisitDetails]
) -> list[LACVisit]:
    """Record several visits to the child at once (a bulk import), each checked and audited
    as ``record_visit`` does; ``VisitRefused`` names the first refused, and none is kept."""
    return _record_visits(acting_user=acting_user, child=child, visits=visits)


def _record_visits(
    *, acting_user: User, child: Person, visits: Sequence[VisitDetails]
) -> list[LACVisit]:
    """The visits checked against one read of the child's periods of care, inserted together
    and audited, then what the child was told at each (``told_about``)."""
    require_permission(acting_user, Permission.VISIT_RECORD)
    child = lock(child)
    periods = periods_of(child)
    for index, details in enumerate(visits):
        checks = Checks()
        checks.happened("visit_date", details.visit_date, "The visit date", child=child)
        checks.check(
            details.child_seen or not details.seen_alone,
            "seen_alone",
            f"{child.given_name} cannot be seen alone without being seen",
        )
        checks.required("note", details.note, "Enter what happened on the visit")
        looked_after_on(
            checks,
            child,
            details.visit_date,
            "visit_date",
            "The visit date",
            short_breaks=ShortBreakDays.ON_A_BREAK,
            periods=periods,
        )
        try:
            checks.raise_if_any()
        except ValidationError as error:
            raise VisitRefused(index, error) from None
    made = record_many(
        LACVisit,
        LookedAfterEvent.VISIT_RECORDED,
        acting_user=acting_user,
        child=child,
        rows=[
            {
                "visit_date": details.visit_date,
                "child_seen": details.child_seen,
                "seen_alone": details.seen_alone,
                "note": details.note,
            }
            for details in visits
        ],
    )
    for details in visits:
        if details.told_about:
            add_participation(
                acting_user=acting_user,
                child=child,
                kind=ParticipationKind.TOLD,
                on=details.visit_date,
                subjects=list(details.told_about),
                note="At a statutory visit",
            )
    return made
