"""What the looked-after actions share: the lock on the child, the check that the child was
looked after on a date, and the ways they write a row and audit it.

For the actions in this package only; nothing here checks a permission or opens a
transaction, so each helper runs inside the action that calls it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Any, TypeVar

from django.db import models
from django.utils import timezone

from caseline.apps.accounts.models import User
from caseline.apps.audit.record import changed_values, record_event, snapshot
from caseline.apps.core.checks import Checks
from caseline.apps.core.concurrency import save_versioned
from caseline.apps.lookedafter import derive, queries
from caseline.apps.lookedafter.events import LookedAfterEvent
from caseline.apps.lookedafter.models import (
    CarePlan,
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
Changed = TypeVar("Changed", CarePlan, Episode, IROAllocation, LACReview, MissingEpisode)
OnePerChild = TypeVar("OnePerChild", PenPicture, UASCDetails)


def lock(child: Person) -> Person:
    """The child, locked until the action's transaction ends: writes for one child (two
    workers both starting a period of care, or both moving the placement) run one at a time."""
    return Person.objects.select_for_update().get(pk=child.pk)


def periods_of(child: Person) -> list[derive.PeriodOfCare]:
    """The child's periods of care, as ``looked_after_on`` reads them: one query."""
    return derive.periods_of_care(queries.episodes_of(child))


class ShortBreakDays(StrEnum):
    """Which days of a series of short breaks (CPPCR reg 48; ``derive.short_breaks_on``) a
    record may fall on, besides the days the child is looked after in the usual way."""

    NONE = "none"  # not yet recorded for short breaks (plans, health, education, missing)
    # A visit: on a day of a break, the only visits the short-break rule counts
    # (``derive.next_short_break_visit``).
    ON_A_BREAK = "on a break"
    # A review: any day of the series, on a break or between breaks until it lapses, as the
    # short-break review rule counts them (``derive.short_break_reviews``).
    IN_THE_SERIES = "in the series"


def looked_after_on(
    checks: Checks,
    child: Person,
    day: datetime.date,
    field: str,
    what: str,
    *,
    short_breaks: ShortBreakDays = ShortBreakDays.NONE,
    periods: list[derive.PeriodOfCare] | None = None,
) -> bool:
    """Whether the child was looked after on ``day``: in a period of care, or on the days of a
    series of short breaks ``short_breaks`` accepts. If not, a problem with ``field`` saying
    why (unless the field already has one). ``periods`` are the child's periods of care when
    the caller has read them (``periods_of``) for several records; else they are read here."""
    if periods is None:
        periods = periods_of(child)
    if derive.period_on(periods, day) is not None:
        return True
    if checks.has(field):
        return False
    name = child.given_name
    series = derive.short_breaks_on(periods, day)
    if series is not None:
        on_a_break = series.on_a_break(day)
        if short_breaks is ShortBreakDays.IN_THE_SERIES or (
            short_breaks is ShortBreakDays.ON_A_BREAK and on_a_break
        ):
            return True
        if short_breaks is ShortBreakDays.ON_A_BREAK:
            checks.add(
                field,
                f"{what} must be a day {name} was on a short break (regulation 48): on that "
                "date they were between breaks",
            )
            return False
        if on_a_break:
            checks.add(
                field,
                f"{name} was on a short break on that date: for short breaks Caseline records "
                "only reviews and visits",
            )
            return False
    if not periods:
        checks.add(field, f"{name} has never been looked after: start a period of care first")
    elif day < periods[0].start_date:
        checks.add(
            field,
            f"{what} must be on or after the date {name} became looked after, "
            f"{format_date(periods[0].start_date)}",
        )
    else:
        checks.add(field, f"{name} was not looked after on that date")
    return False


def audit(
    row: models.Model,
    event: LookedAfterEvent,
    *,
    acting_user: User,
    child_id: int,
    fields: Iterable[str],
    before: dict[str, Any] | None = None,
    old_values: dict[str, Any] | None = None,
    also: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> None:
    """Audit a write to the child's record: the values of ``fields`` (and ``old_values``, if
    it replaced something), or only what changed since ``before``, a snapshot taken before.
    ``also`` adds values that are not the row's own fields (a review's attendees); ``extra``
    says why (a correction's reason)."""
    new_values = {**snapshot(row, fields), **(also or {})}
    if before is not None:
        old_values, new_values = changed_values(before, new_values)
    record_event(
        acting_user=acting_user,
        event_type=event,
        target=row,
        subject_person_id=child_id,
        old_values=old_values,
        new_values=new_values,
        extra=extra,
    )


def _assign(row: models.Model, values: dict[str, Any]) -> dict[str, Any]:
    """Set ``values`` on ``row``; return a snapshot of them as they were."""
    before = snapshot(row, values)
    for name, value in values.items():
        setattr(row, name, value)
    return before


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
    audit(
        row, event, acting_user=acting_user, child_id=child.pk, fields=values, old_values=old_values
    )
    return row


def record_many(
    model: type[R],
    event: LookedAfterEvent,
    *,
    acting_user: User,
    child: Person,
    rows: Sequence[dict[str, Any]],
) -> list[R]:
    """Add several rows to the child's record together (one insert), each recorded by
    ``acting_user`` and audited as ``record_new`` audits one."""
    made = model._default_manager.bulk_create(
        [model(person=child, recorded_by=acting_user, **values) for values in rows]
    )
    for row, values in zip(made, rows, strict=True):
        audit(row, event, acting_user=acting_user, child_id=child.pk, fields=values)
    return made


def change(
    row: Changed,
    event: LookedAfterEvent,
    *,
    acting_user: User,
    extra: dict[str, Any] | None = None,
    **values: Any,
) -> None:
    """Change some fields of a row of the child's record and audit what changed (and, in
    ``extra``, why)."""
    before = _assign(row, values)
    row.save(update_fields=list(values))
    audit(
        row,
        event,
        acting_user=acting_user,
        child_id=row.person_id,
        fields=values,
        before=before,
        extra=extra,
    )


def allocate(
    model: type[Allocation],
    event: LookedAfterEvent,
    checks: Checks,
    *,
    acting_user: User,
    child: Person,
    start_date: datetime.date,
    whose: str,
    **values: Any,
) -> Allocation:
    """A new allocation of ``model`` (an IRO, a personal adviser) from ``start_date``, taking
    over from the current one, which ends that day. Refuses with ``checks``' problems, and
    with one if the current allocation began later. The audit names who was allocated before.
    """
    current = model._default_manager.filter(person=child, end_date__isnull=True).first()
    if current is not None and not checks.has("start_date"):
        checks.check(
            start_date >= current.start_date,
            "start_date",
            f"The date must be on or after the current {whose} allocation, "
            f"{format_date(current.start_date)}",
        )
    checks.raise_if_any()
    replaced = None
    if current is not None:
        replaced = snapshot(current, values)
        current.end_date = start_date
        current.save(update_fields=["end_date"])
    return record_new(
        model,
        event,
        acting_user=acting_user,
        child=child,
        old_values=replaced,
        **values,
        start_date=start_date,
    )


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
    before = None
    if row is None:
        row = model._default_manager.create(person=child, updated_by=acting_user, **values)
    else:
        before = _assign(row, {**values, "updated_by": acting_user, "updated_at": timezone.now()})
        save_versioned(
            row,
            read_version=read_version or 0,
            update_fields=[*values, "updated_by_id", "updated_at"],
        )
    audit(row, event, acting_user=acting_user, child_id=child.pk, fields=values, before=before)
    return row
