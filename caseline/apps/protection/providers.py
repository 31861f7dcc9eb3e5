"""What child protection adds to the child's record: summary, identity bar, due work and
chronology."""

from __future__ import annotations

import datetime

from django.urls import reverse

from caseline.apps.codes.lists import CodeListName, code_list
from caseline.apps.people.contribution import (
    Badge,
    RecordContribution,
    SummaryBlock,
)
from caseline.apps.people.models import Person
from caseline.apps.protection import timescales
from caseline.apps.protection.chronology import protection_chronology
from caseline.apps.protection.queries import current_plan, plan_timeliness, previous_plans
from caseline.apps.protection.work import protection_work_items
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


# The plan on the summary and in the identity bar, conferences, core groups and visits
# due, and every step of child protection work in the chronology.
CONTRIBUTION = RecordContribution(
    app_label="protection",
    summary_blocks=protection_summary,
    badges=protection_badge,
    due_for=protection_work_items,
    chronology=protection_chronology,
    chronology_from_own_records=True,
    timescale_rules=timescales.RULES,
)
