"""Child protection's due work for many children at once: the initial conferences awaited,
and each open plan's next core group, review conference and visit.

Two queries whatever the number of children, and a third, the local standards in force, only
when some child has an open plan: the enquiries awaiting a conference, and the plans open on
the day with the date of each one's last core group, last review conference and last visit
at which the child was seen. The next steps come from those dates by the rules
``plan_timeliness`` uses for the plan page (``protection.queries``).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import DateField, IntegerField, OuterRef, Q, QuerySet, Subquery

from caseline.apps.accounts.permissions import Permission
from caseline.apps.core.links import url_builder
from caseline.apps.people.contribution import DueItem, PersonIds
from caseline.apps.protection.models import (
    AWAITING_CONFERENCE,
    Conference,
    CoreGroup,
    ProtectionPlan,
    ProtectionVisit,
    Section47Enquiry,
)
from caseline.apps.protection.queries import (
    core_group_due,
    core_group_rule,
    review_due,
    transfer_in_conferences_awaited,
    visit_due,
    visit_rule,
)
from caseline.apps.protection.timescales import CORE_GROUP, CP_VISIT, ICPC
from caseline.apps.timescales.queries import rules_in_force
from caseline.apps.timescales.rules import assess_timeliness


def _last(queryset: QuerySet[Any], field: str) -> Subquery:
    """The latest ``field`` among the plan's rows (None if it has none)."""
    return Subquery(
        queryset.filter(plan=OuterRef("pk")).order_by(f"-{field}").values(field)[:1],
        output_field=DateField(),
    )


def _conferences_awaited(person_ids: PersonIds, as_at: datetime.date) -> list[DueItem]:
    """Each enquiry that found a conference is needed and has none yet (nor a decision that
    it is not required after all): the initial
    conference, 15 working days from the strategy discussion that started the enquiry (as
    ``icpc_timeliness`` has it). One query; items by child, then oldest enquiry first."""
    enquiries = (
        Section47Enquiry.objects.filter(AWAITING_CONFERENCE, person_id__any_of=person_ids)
        .order_by("person_id", "start_date", "id")
        .values_list("person_id", "pk", "start_date")
    )
    icpc_new = url_builder("protection:icpc-new", "person_id", "enquiry_id")
    return [
        DueItem(
            person_id=person_id,
            title="Initial child protection conference",
            rule_code=ICPC.code,
            timeliness=assess_timeliness(ICPC.due_date(start), None, as_at),
            href=icpc_new(person_id=person_id, enquiry_id=pk),
            permission=Permission.CONFERENCE_CHAIR,  # no chair until one holds it
        )
        for person_id, pk, start in enquiries
    ]


def latest_chair() -> Subquery:
    """Who chaired the plan's latest held conference: the one that started it or, once there
    is one, its latest review conference (by date, then the order recorded). Working
    Together expects them to chair the next review, so the plan is theirs
    (``mywork.chair``). In a query on plans."""
    return Subquery(
        Conference.objects.filter(Q(plan=OuterRef("pk")) | Q(pk=OuterRef("conference_id")))
        .order_by("-conference_date", "-id")
        .values("chair_id")[:1],
        output_field=IntegerField(),
    )


# Where each of an open plan's next steps is recorded, and the permission that form's view
# declares. The review conference is for whoever chaired the plan's latest conference.
STEP_FORMS: dict[str, tuple[str, Permission]] = {
    "Core group meeting": ("protection:core-group-new", Permission.ENQUIRY_RECORD),
    "Review child protection conference": ("protection:review-new", Permission.CONFERENCE_CHAIR),
    "Child protection visit": ("protection:visit-new", Permission.VISIT_RECORD),
}


def _next_steps(person_ids: PersonIds, as_at: datetime.date) -> list[DueItem]:
    """Each child's open plan's next core group, review conference and visit. One query,
    and one for the local standards in force when some child has an open plan."""
    plans = (
        ProtectionPlan.objects.filter(person_id__any_of=person_ids, start_date__lte=as_at)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=as_at))
        .only(
            "person_id",
            "start_date",
            "end_date",
            "core_group_every_weeks",
            "visit_every_working_days",
        )
        .annotate(
            last_core_group=_last(CoreGroup.objects.all(), "meeting_date"),
            last_review=_last(Conference.objects.all(), "conference_date"),
            last_seen=_last(ProtectionVisit.objects.filter(child_seen=True), "visit_date"),
            last_chair=latest_chair(),
        )
        .order_by("-start_date", "-id")
    )
    # Each child's plan is the latest started (as ``current_plan`` finds it); a plan with
    # its end recorded, even a future one, has nothing next (as on the plan page).
    children: set[int] = set()
    open_plans = []
    for plan in plans:
        if plan.person_id not in children:
            children.add(plan.person_id)
            if plan.end_date is None:
                open_plans.append(plan)
    if not open_plans:
        return []
    rules = rules_in_force([CORE_GROUP.code, CP_VISIT.code])
    forms = {
        title: url_builder(name, "person_id", "plan_id") for title, (name, _) in STEP_FORMS.items()
    }
    items = []
    for plan in open_plans:
        core_group, core_group_on = core_group_due(
            plan, plan.last_core_group, core_group_rule(plan, rules[CORE_GROUP.code])
        )
        review, review_on = review_due(plan, plan.last_review)
        visit_on = visit_due(plan, plan.last_seen, visit_rule(plan, rules[CP_VISIT.code]))
        ids = {"person_id": plan.person_id, "plan_id": plan.pk}
        for title, code, due in (
            ("Core group meeting", core_group.code, core_group_on),
            ("Review child protection conference", review.code, review_on),
            ("Child protection visit", CP_VISIT.code, visit_on),
        ):
            permission = STEP_FORMS[title][1]
            chaired = permission is Permission.CONFERENCE_CHAIR
            items.append(
                DueItem(
                    plan.person_id,
                    title,
                    code,
                    assess_timeliness(due, None, as_at),
                    forms[title](**ids),
                    permission=permission,
                    assigned_to_id=plan.last_chair if chaired else None,
                )
            )
    return items


def protection_work_items(person_ids: PersonIds, as_at: datetime.date) -> list[DueItem]:
    """Every child's initial and transfer-in conferences awaited, then every open plan's next
    steps.

    Core group and visit frequencies are local standards: the administrator's setting
    applies, and a plan's own frequency (set at conference) overrides it.
    """
    return (
        _conferences_awaited(person_ids, as_at)
        + transfer_in_conferences_awaited(person_ids, as_at)
        + _next_steps(person_ids, as_at)
    )
