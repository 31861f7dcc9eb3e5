"""What the looked-after actions share: the lock on the child, the check that the child was
looked after on a date, and the ways they write a row and audit it.

For the actions in this package only; nothing here checks a permission or opens a
transaction, so each helper runs inside the action that calls it.
"""

from __future__ import annotations

import datetime
from typing import Any, TypeVar

from django.utils import timezone

from caseline.apps.accounts.models import User
from caseline.apps.audit.record import changed_values, record_event, snapshot
from caseline.apps.core.checks import Checks
from caseline.apps.core.concurrency import save_versioned
from caseline.apps.lookedafter import derive, queries
from caseline.apps.lookedafter.events import LookedAfterEvent
from caseline.apps.lookedafter.models import (
    Episode,
    IROAllocation,
    LACReview,
    MissingEpisode,
    PenPicture,
    PersonalAdviser,
    Recorded,
    UASCDetails,
)
from caseline.apps.people.models import Person
from caseline.apps.timescales.rules import format_date

R = TypeVar("R", bound=Recorded)
Allocation = TypeVar("Allocation", IROAllocation, PersonalAdviser)
Changed = TypeVar("Changed", Episode, IROAllocation, LACReview, MissingEpisode)
OnePerChild = TypeVar("OnePerChild", PenPicture, UASCDetails)


def lock(child: Person) -> Person:
    """The child, locked until the action's transaction ends: writes for one child (two
    workers both starting a period of care, or both moving the placement) run one at a time."""
    return Person.objects.select_for_update().get(pk=child.pk)


def looked_after_on(
    checks: Checks, child: Person, day: datetime.date, field: str, what: str
) -> derive.PeriodOfCare | None:
    """The period of care ``day`` falls in; if none, a problem with ``field`` saying why (unless
    the field already has one)."""
    periods = derive.periods_of_care(queries.episodes_of(child))
    period = derive.period_on(periods, day)
    if period is not None or checks.has(field):
        return period
    if not periods:
        checks.add(
            field, f"{child.given_name} has never been looked after: start a period of care first"
        )
    elif day < periods[0].start_date:
        checks.add(
            field,
            f"{what} must be on or after the date {child.given_name} became looked after, "
            f"{format_date(periods[0].start_date)}",
        )
    elif any(p.contains(day) and p.is_short_breaks for p in periods):
        checks.add(
            field,
            f"{child.given_name} was on a short break on that date: Caseline does not yet "
            "record reviews, visits or plans for short breaks",
        )
    else:
        checks.add(field, f"{child.given_name} was not looked after on that date")
    return None


def record_new(
    model: type[R],
    event: LookedAfterEvent,
    *,
    acting_user: User,
    child: Person,
    old_values: dict[str, Any] | None = None,
    **values: Any,
) -> R:
    """Add a row to the child's record, recorded by ``acting_user``, and audit its values."""
    row = model._default_manager.create(person=child, recorded_by=acting_user, **values)
    record_event(
        acting_user=acting_user,
        event_type=event,
        target=row,
        subject_person_id=child.pk,
        old_values=old_values,
        new_values=snapshot(row, values),
    )
    return row


def change(row: Changed, event: LookedAfterEvent, *, acting_user: User, **values: Any) -> None:
    """Change some fields of a row of the child's record and audit what changed."""
    before = snapshot(row, values)
    for name, value in values.items():
        setattr(row, name, value)
    row.save(update_fields=list(values))
    old, new = changed_values(before, snapshot(row, values))
    record_event(
        acting_user=acting_user,
        event_type=event,
        target=row,
        subject_person_id=row.person_id,
        old_values=old,
        new_values=new,
    )


def current_allocation(
    model: type[Allocation], checks: Checks, child: Person, start_date: datetime.date, whose: str
) -> Allocation | None:
    """The child's open allocation of ``model`` (an IRO, a personal adviser), which one from
    ``start_date`` replaces: a problem unless it began on or before that date."""
    current = model._default_manager.filter(person=child, end_date__isnull=True).first()
    if current is not None and not checks.has("start_date"):
        checks.check(
            start_date >= current.start_date,
            "start_date",
            f"The date must be on or after the current {whose} allocation, "
            f"{format_date(current.start_date)}",
        )
    return current


def hand_over(current: Allocation | None, start_date: datetime.date) -> None:
    """End the current allocation the day the next begins (the next one's audit names it)."""
    if current is not None:
        current.end_date = start_date
        current.save(update_fields=["end_date"])


def save_one_per_child(
    model: type[OnePerChild],
    event: LookedAfterEvent,
    *,
    acting_user: User,
    child: Person,
    read_version: int | None,
    **values: Any,
) -> OnePerChild:
    """Write the child's one row of ``model`` (the pen picture, the UASC details), or rewrite
    it if no one has saved it since ``read_version`` (else ``EditConflict``); audit it."""
    row = model._default_manager.filter(person=child).first()
    if row is None:
        row = model._default_manager.create(person=child, updated_by=acting_user, **values)
        record_event(
            acting_user=acting_user,
            event_type=event,
            target=row,
            subject_person_id=child.pk,
            new_values=snapshot(row, values),
        )
        return row
    before = snapshot(row, values)
    for name, value in values.items():
        setattr(row, name, value)
    row.updated_by = acting_user
    row.updated_at = timezone.now()
    save_versioned(
        row,
        read_version=read_version or 0,
        update_fields=[*values, "updated_by_id", "updated_at"],
    )
    old, new = changed_values(before, snapshot(row, values))
    record_event(
        acting_user=acting_user,
        event_type=event,
        target=row,
        subject_person_id=child.pk,
        old_values=old,
        new_values=new,
    )
    return row
