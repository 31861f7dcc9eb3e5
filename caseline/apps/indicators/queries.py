"""Reading indicators for a page: the results for the chosen controls, and a drill-down's
rows narrowed to the children the user may see (``people.queries.hidden_among``), with the
read audited child by child."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from caseline.apps.accounts.models import User
from caseline.apps.audit.events import EventType
from caseline.apps.audit.record import record_reads
from caseline.apps.indicators.engine import Counted, Result
from caseline.apps.people.models import Person
from caseline.apps.people.queries import hidden_among


@dataclass(frozen=True)
class DrillDown:
    """The rows of a result the user may see, and how many more are counted but hidden."""

    rows: list[Counted]
    hidden_children: int


def drill_down(user: User, result: Result) -> DrillDown:
    """``result``'s rows for the children ``user`` may see (one query): none at all where the
    indicator has a ``drill_permission`` the user lacks (the children named on allegations
    and complaints are for their officers alone)."""
    everyone = result.denominator_ids if result.rows else frozenset()
    needed = result.indicator.drill_permission
    if needed is not None and not user.can(needed):
        return DrillDown([], len(everyone))
    # The children were counted from the register: ask which the user may not see, which
    # for an analyst who sees everyone reads the few restricted records, not every child.
    hidden = hidden_among(user, everyone)
    if not hidden:
        return DrillDown(list(result.rows), 0)
    return DrillDown([row for row in result.rows if row.person_id not in hidden], len(hidden))


def names_of(person_ids: Iterable[int]) -> dict[int, str]:
    """Each child's name, by id, in one query."""
    ids = sorted(set(person_ids))
    return {
        pk: f"{given} {family}".strip()
        for pk, given, family in Person.objects.filter(pk__any_of=ids).values_list(
            "pk", "given_name", "family_name"
        )
    }


def audit_children_read(user: User, person_ids: Iterable[int], extra: dict[str, object]) -> None:
    """Record that ``user`` read, on a list of an indicator's or a band's children, that each
    child in ``person_ids`` is in it (``record.viewed``, section "indicators"): one event per
    child, written together."""
    record_reads(
        acting_user=user,
        event_type=EventType.CHILD_RECORD_VIEWED,
        subject_person_ids=person_ids,
        extra={"section": "indicators", **extra},
    )


def audit_drill_down(user: User, result: Result, shown: Sequence[Counted]) -> None:
    """Record that ``user`` read, on a drill-down, that each child shown is counted."""
    audit_children_read(
        user,
        (row.person_id for row in shown),
        {
            "indicator": result.indicator.code,
            "as_at": result.as_at.isoformat(),
            "period": [result.period.start.isoformat(), result.period.end.isoformat()],
            "scope": result.scope.name,
        },
    )
