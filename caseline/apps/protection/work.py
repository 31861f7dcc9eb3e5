"""Child protection's due work for many children at once (the "My work" pages).

:func:`protection_work_items` gives, for every child, the items ``protection_due_items``
gives for one (initial conferences awaited, then the open plan's next core group, review
conference and visit). One query reads, for all the children together, the enquiries
awaiting a conference and the plans open on the day with the date of their last core group,
last review conference and last visit at which the child was seen (a UNION of the two); a
second reads the local standards in force, only when some child has an open plan.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import DateField, IntegerField, OuterRef, Q, QuerySet, Subquery, Value

from caseline.apps.core.links import url_builder
from caseline.apps.people.summary import DueItem, PersonIds
from caseline.apps.protection.models import (
    Conference,
    CoreGroup,
    ProtectionPlan,
    ProtectionVisit,
    Section47Enquiry,
)
from caseline.apps.protection.timescales import (
    CORE_GROUP,
    CP_VISIT,
    FIRST_CORE_GROUP,
    FIRST_REVIEW_CONFERENCE,
    ICPC,
    REVIEW_CONFERENCE,
)
from caseline.apps.timescales.queries import rules_in_force
from caseline.apps.timescales.rules import Interval, TimescaleRule, assess_timeliness

_ENQUIRY, _PLAN = 0, 1


@dataclass(frozen=True)
class _Row:
    """An enquiry awaiting its conference, or an open plan with its last dates."""

    kind: int
    person_id: int
    pk: int
    start_date: datetime.date
    end_date: datetime.date | None
    core_group_every_weeks: int | None
    visit_every_working_days: int | None
    last_core_group: datetime.date | None
    last_review: datetime.date | None
    last_seen: datetime.date | None


def _last(queryset: QuerySet[Any], field: str) -> Subquery:
    """The latest ``field`` among the plan's rows (None if it has none)."""
    return Subquery(
        queryset.filter(plan=OuterRef("pk")).order_by(f"-{field}").values(field)[:1],
        output_field=DateField(),
    )


def _rows(person_ids: PersonIds, as_at: datetime.date) -> list[_Row]:
    """The enquiries awaiting a conference, and the plans started by ``as_at`` and not
    ended by then, for all the children. One query."""
    no_date = Value(None, output_field=DateField())
    no_number = Value(None, output_field=IntegerField())
    enquiries = (
        Section47Enquiry.objects.filter(
            person_id__any_of=person_ids,
            outcome=Section47Enquiry.Outcome.CONFERENCE,
            conference__isnull=True,
        )
        .order_by()
        .annotate(
            row_kind=Value(_ENQUIRY, output_field=IntegerField()),
            row_end=no_date,
            row_weeks=no_number,
            row_days=no_number,
            row_core_group=no_date,
            row_review=no_date,
            row_seen=no_date,
        )
        .values_list(
            "row_kind",
            "person_id",
            "pk",
            "start_date",
            "row_end",
            "row_weeks",
            "row_days",
            "row_core_group",
            "row_review",
            "row_seen",
        )
    )
    plans = (
        ProtectionPlan.objects.filter(person_id__any_of=person_ids, start_date__lte=as_at)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=as_at))
        .order_by()
        .annotate(
            row_kind=Value(_PLAN, output_field=IntegerField()),
            row_core_group=_last(CoreGroup.objects.all(), "meeting_date"),
            row_review=_last(Conference.objects.all(), "conference_date"),
            row_seen=_last(ProtectionVisit.objects.filter(child_seen=True), "visit_date"),
        )
        .values_list(
            "row_kind",
            "person_id",
            "pk",
            "start_date",
            "end_date",
            "core_group_every_weeks",
            "visit_every_working_days",
            "row_core_group",
            "row_review",
            "row_seen",
        )
    )
    return [_Row(*row) for row in enquiries.union(plans, all=True)]


def _enquiry_item(row: _Row, as_at: datetime.date, icpc_new: Callable[..., str]) -> DueItem:
    """The initial conference, 15 working days from the strategy discussion (as
    ``icpc_timeliness`` for an enquiry with no conference)."""
    return DueItem(
        person_id=row.person_id,
        title="Initial child protection conference",
        rule_code=ICPC.code,
        timeliness=assess_timeliness(ICPC.due_date(row.start_date), None, as_at),
        href=icpc_new(person_id=row.person_id, enquiry_id=row.pk),
    )


def _plan_items(
    row: _Row,
    as_at: datetime.date,
    rules: dict[str, TimescaleRule],
    plan_page: Callable[..., str],
) -> list[DueItem]:
    """The open plan's next core group, review conference and visit, as ``plan_timeliness``
    works them out, from its last dates (a plan with an end recorded has nothing next)."""
    if row.end_date is not None:
        return []
    core_group = rules[CORE_GROUP.code]
    if row.core_group_every_weeks:
        core_group = core_group.with_override(Interval.weeks(row.core_group_every_weeks))
    visit = rules[CP_VISIT.code]
    if row.visit_every_working_days:
        visit = visit.with_override(Interval.working_days(row.visit_every_working_days))

    if row.last_core_group is None:
        core_group_code = FIRST_CORE_GROUP.code
        core_group_due = FIRST_CORE_GROUP.due_date(row.start_date)
    else:
        core_group_code = CORE_GROUP.code
        core_group_due = core_group.due_date(row.last_core_group)
    if row.last_review is None:
        review_code = FIRST_REVIEW_CONFERENCE.code
        review_due = FIRST_REVIEW_CONFERENCE.due_date(row.start_date)
    else:
        review_code = REVIEW_CONFERENCE.code
        review_due = REVIEW_CONFERENCE.due_date(row.last_review)
    visit_due = visit.due_date(row.last_seen if row.last_seen is not None else row.start_date)

    href = plan_page(person_id=row.person_id, plan_id=row.pk)
    return [
        DueItem(row.person_id, title, code, assess_timeliness(due, None, as_at), href)
        for title, code, due in (
            ("Core group meeting", core_group_code, core_group_due),
            ("Review child protection conference", review_code, review_due),
            ("Child protection visit", CP_VISIT.code, visit_due),
        )
    ]


def protection_work_items(person_ids: PersonIds, as_at: datetime.date) -> list[DueItem]:
    """Every child's initial conferences awaited and open plan's next steps, in one query
    (two when some child has an open plan).

    Core group and visit frequencies are local standards: the administrator's setting
    applies, and a plan's own frequency (set at conference) overrides it.
    """
    rows = _rows(person_ids, as_at)
    enquiries = sorted(
        (r for r in rows if r.kind == _ENQUIRY), key=lambda r: (r.person_id, r.start_date, r.pk)
    )
    icpc_new = url_builder("protection:icpc-new", "person_id", "enquiry_id")
    items = [_enquiry_item(row, as_at, icpc_new) for row in enquiries]
    # Each child's plan is the latest started (as ``current_plan`` finds it).
    current: dict[int, _Row] = {}
    for row in sorted(
        (r for r in rows if r.kind == _PLAN),
        key=lambda r: (r.start_date, r.pk),
        reverse=True,
    ):
        current.setdefault(row.person_id, row)
    if current:
        rules = rules_in_force([CORE_GROUP.code, CP_VISIT.code])
        plan_page = url_builder("protection:plan", "person_id", "plan_id")
        for row in current.values():
            items += _plan_items(row, as_at, rules, plan_page)
    return items
