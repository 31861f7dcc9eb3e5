"""What child protection adds to the child's summary, identity bar and due work."""

from __future__ import annotations

import datetime

from django.urls import reverse

from caseline.apps.codes.lists import CodeListName, code_list
from caseline.apps.people.models import Person
from caseline.apps.people.summary import Badge, DueItem, SummaryBlock
from caseline.apps.protection.queries import (
    current_plan,
    enquiries_awaiting_conference,
    icpc_timeliness,
    plan_timeliness,
    previous_plans,
)
from caseline.apps.timescales.rules import format_date


def protection_summary(person: Person, as_at: datetime.date) -> list[SummaryBlock]:
    plan = current_plan(person, as_at)
    if plan is None:
        return []
    categories = code_list(CodeListName.CP_CATEGORY)
    due = plan_timeliness(plan, as_at)
    rows = [
        ("Child protection plan started", format_date(plan.start_date)),
        ("Category of abuse", categories.label(plan.latest_category)),
        ("Lead social worker", plan.lead_social_worker.get_full_name()),
        ("Previous plans", str(previous_plans(person, plan.start_date, exclude=plan.pk))),
    ]
    for title, timeliness in (
        ("Next core group", due.next_core_group),
        ("Next review conference", due.next_review),
        ("Next visit", due.next_visit),
    ):
        if timeliness is not None:
            rows.append((title, timeliness.label))
    return [
        SummaryBlock(
            order=25,
            title="Child protection plan",
            rows=rows,
            link_text="View the child protection plan",
            link_href=reverse(
                "protection:plan", kwargs={"person_id": person.pk, "plan_id": plan.pk}
            ),
        )
    ]


def protection_badge(person: Person, as_at: datetime.date) -> list[Badge]:
    if current_plan(person, as_at) is None:
        return []
    return [Badge("Child protection plan", "red")]


def protection_due_items(person: Person, as_at: datetime.date) -> list[DueItem]:
    items = []
    for enquiry in enquiries_awaiting_conference(person):
        items.append(
            DueItem(
                person_id=person.pk,
                title="Initial child protection conference",
                rule_code="icpc",
                timeliness=icpc_timeliness(enquiry, as_at),
                href=reverse(
                    "protection:icpc-new", kwargs={"person_id": person.pk, "enquiry_id": enquiry.pk}
                ),
            )
        )
    plan = current_plan(person, as_at)
    if plan is not None:
        due = plan_timeliness(plan, as_at)
        plan_href = reverse("protection:plan", kwargs={"person_id": person.pk, "plan_id": plan.pk})
        for title, code, timeliness in (
            (
                "Core group meeting",
                "core-group" if due.core_groups else "core-group-first",
                due.next_core_group,
            ),
            (
                "Review child protection conference",
                "rcpc" if due.reviews else "rcpc-first",
                due.next_review,
            ),
            ("Child protection visit", "cp-visit", due.next_visit),
        ):
            if timeliness is not None:
                items.append(DueItem(person.pk, title, code, timeliness, plan_href))
    return items
