"""Child protection's due work for many children, in a fixed number of queries."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission, Role
from caseline.apps.people.models import Person
from caseline.apps.people.summary import due_items, work_items
from caseline.apps.people.tests.due import check_links
from caseline.apps.protection import actions
from caseline.apps.protection.models import Conference, ProtectionPlan, Section47Enquiry
from caseline.apps.protection.tests.conftest import (
    IDENTITY,
    awaiting_conference,
    conference_values,
    on_plan,
)
from caseline.apps.protection.work import protection_work_items
from caseline.apps.timescales import actions as timescale_actions
from caseline.apps.timescales.rules import TimelinessStatus

D = datetime.date
AS_AT = D(2025, 8, 4)


def _review(plan: ProtectionPlan, chair: User, day: datetime.date, decision: str) -> None:
    values = conference_values(conference_date=day, decision=decision, category="EMO")
    values.pop("outline_plan")
    if decision == Conference.Decision.END:
        values["category"] = ""
    actions.hold_review_conference(acting_user=chair, plan=plan, progress="good", **values)


def _with_history(plan: ProtectionPlan, worker: User, chair: User) -> None:
    """Own frequencies, two core groups, a seen and an unseen visit, a review."""
    actions.update_plan(
        acting_user=worker,
        plan=plan,
        read_version=plan.version,
        worries="A bruise.",
        contingency="A meeting about court.",
        child_views="Stop the shouting.",
        core_group_every_weeks=6,
        visit_every_working_days=15,
        identity_needs=IDENTITY,
        lead_social_worker=worker,
    )
    for day in (D(2025, 5, 9), D(2025, 7, 1)):
        actions.record_core_group(
            acting_user=worker,
            plan=plan,
            meeting_date=day,
            attendees="Family and social worker",
            progress="some",
            progress_note="Going on.",
        )
    for day, seen in ((D(2025, 5, 8), True), (D(2025, 5, 20), False)):
        actions.record_visit(
            acting_user=worker,
            plan=plan,
            visit_date=day,
            child_seen=seen,
            child_seen_alone=seen,
            observations="Visited.",
        )
    _review(plan, chair, D(2025, 7, 31), Conference.Decision.CONTINUE)


def _children(
    count: int, make_child: Callable[..., Person], worker: User, chair: User
) -> list[Person]:
    """Children cycling through: nothing, awaiting conference, a new plan, a plan with a
    history, a plan ended at review, a second plan after an earlier one ended."""
    children = []
    for n in range(count):
        child = make_child(f"Child{n}")
        state = n % 6
        if state == 1:
            awaiting_conference(child, worker)
        elif state == 2:
            on_plan(child, worker, chair)
        elif state == 3:
            _with_history(on_plan(child, worker, chair), worker, chair)
        elif state == 4:
            _review(on_plan(child, worker, chair), chair, D(2025, 7, 1), Conference.Decision.END)
        elif state == 5:
            plan = on_plan(child, worker, chair)
            _review(plan, chair, D(2025, 6, 2), Conference.Decision.END)
            awaiting_conference(child, worker)
        children.append(child)
    return children


def _bulk(children: list[Person], as_at: datetime.date = AS_AT) -> list[Any]:
    return protection_work_items([c.pk for c in children], as_at)


def _items(bulk: list[Any], child: Person) -> list[tuple[str, datetime.date, str, str]]:
    return [
        (i.rule_code, i.timeliness.due_date, i.title, i.href)
        for i in bulk
        if i.person_id == child.pk
    ]


def _expected(children: list[Person]) -> dict[int, list[tuple[str, datetime.date, str, str]]]:
    """What each of the six children of ``_children`` has due, from 20 June 2025 on."""
    nothing, awaiting, new, history, ended, again = children

    def conference(child: Person) -> tuple[str, datetime.date, str, str]:
        enquiry = Section47Enquiry.objects.get(person=child, conference__isnull=True)
        href = f"/child-protection/record/{child.pk}/enquiry/{enquiry.pk}/conference/"
        # 15 working days from the strategy discussion of 10 April (Easter and May Day between).
        return ("icpc", D(2025, 5, 6), "Initial child protection conference", href)

    def plan(child: Person, *steps: tuple[str, datetime.date]) -> list[Any]:
        plan_id = ProtectionPlan.objects.get(person=child).pk
        href = f"/child-protection/record/{child.pk}/plan/{plan_id}/"
        # Each step links to the form where it is recorded.
        forms = (
            ("Core group meeting", "core-group/new/"),
            ("Review child protection conference", "review/new/"),
            ("Child protection visit", "visit/new/"),
        )
        return [
            (code, due, title, href + form)
            for (code, due), (title, form) in zip(steps, forms, strict=True)
        ]

    return {
        nothing.pk: [],
        awaiting.pk: [conference(awaiting)],
        # The plan started at the conference of 1 May: the first core group within 10 working
        # days, the first review within 3 months, a visit every 10 working days.
        new.pk: plan(
            new,
            ("core-group-first", D(2025, 5, 16)),
            ("rcpc-first", D(2025, 8, 1)),
            ("cp-visit", D(2025, 5, 16)),
        ),
        # Every 6 weeks from the core group of 1 July, 6 months from the review of 31 July
        # (rows dated after the day count, as on the plan page), every 15 working days from the
        # visit of 8 May (the child was not seen on 20 May; 26 May a holiday).
        history.pk: plan(
            history,
            ("core-group", D(2025, 8, 12)),
            ("rcpc", D(2026, 1, 31)),
            ("cp-visit", D(2025, 5, 30)),
        ),
        ended.pk: [],
        again.pk: [conference(again)],
    }


def test_the_items_of_each_child(
    make_child: Callable[..., Person], worker: User, chair: User
) -> None:
    children = _children(6, make_child, worker, chair)
    bulk = _bulk(children)
    expected = _expected(children)
    for child in children:
        assert _items(bulk, child) == expected[child.pk], child.given_name
    by_child = {c.pk: {i.rule_code for i in bulk if i.person_id == c.pk} for c in children}
    nothing, awaiting, new, history, ended, again = children
    assert by_child[nothing.pk] == set()
    assert by_child[awaiting.pk] == {"icpc"}
    assert by_child[new.pk] == {"core-group-first", "rcpc-first", "cp-visit"}
    assert by_child[history.pk] == {"core-group", "rcpc", "cp-visit"}
    assert by_child[ended.pk] == set()
    assert by_child[again.pk] == {"icpc"}
    due = {i.rule_code: i.timeliness for i in bulk if i.person_id == history.pk}
    assert due["core-group"].due_date == D(2025, 8, 12)  # 6 weeks after 1 July
    assert due["rcpc"].due_date == D(2026, 1, 31)
    assert due["cp-visit"].due_date == D(2025, 5, 30)  # 15 working days (26 May a holiday)
    assert due["cp-visit"].status is TimelinessStatus.OVERDUE


def test_an_open_plan_on_an_earlier_day(
    make_child: Callable[..., Person], worker: User, chair: User
) -> None:
    children = _children(6, make_child, worker, chair)
    day = D(2025, 6, 20)  # rows dated after the day count, as on the plan page
    bulk = _bulk(children, day)
    expected = _expected(children)
    for child in children:
        assert _items(bulk, child) == expected[child.pk], child.given_name
    assert {i.rule_code for i in bulk if i.person_id == children[3].pk} == {
        "core-group",
        "rcpc",
        "cp-visit",
    }


def test_a_plan_that_ends_in_the_future_has_nothing_next(
    make_child: Callable[..., Person], worker: User, chair: User
) -> None:
    [child] = _children(5, make_child, worker, chair)[4:]
    day = D(2025, 6, 30)  # open, but its end (1 July) is recorded
    assert _bulk([child], day) == []


def test_queries_do_not_grow_with_the_children(
    make_child: Callable[..., Person], worker: User, chair: User
) -> None:
    children = _children(12, make_child, worker, chair)
    counts = []
    for group in (children[2:4], children[:6], children):
        with CaptureQueriesContext(connection) as queries:
            items = _bulk(group)
        counts.append(len(queries))
        assert {i.person_id for i in items} <= {c.pk for c in group}
    # the enquiries; the transfers in; the plans; the local standards in force
    assert counts == [4, 4, 4]
    with CaptureQueriesContext(connection) as queries:
        assert {i.rule_code for i in _bulk(children[:2])} == {"icpc"}
    assert len(queries) == 3  # no open plan: no standards to read
    everyone = work_items(Person.objects.filter(pk__in=[c.pk for c in children]), AS_AT)
    assert sorted((i for i in everyone if i.rule_code in {"icpc", "cp-visit"}), key=repr) == sorted(
        (i for i in _bulk(children) if i.rule_code in {"icpc", "cp-visit"}), key=repr
    )


def test_the_local_standard_in_force_applies(
    make_child: Callable[..., Person], worker: User, chair: User, make_user: Callable[..., User]
) -> None:
    child = make_child()
    plan = on_plan(child, worker, chair)
    before = {i.rule_code: i.timeliness.due_date for i in _bulk([child])}
    assert before["cp-visit"] == D(2025, 5, 16)  # 10 working days from 1 May
    admin = make_user(Role.ADMINISTRATOR, username="admin")
    timescale_actions.set_local_standard(
        acting_user=admin, rule_code="cp-visit", unit="weeks", count=4, reason="Board"
    )
    timescale_actions.set_local_standard(
        acting_user=admin, rule_code="core-group", unit="weeks", count=8, reason="Board"
    )
    after = {i.rule_code: i.timeliness.due_date for i in _bulk([child])}
    assert after["cp-visit"] == D(2025, 5, 29)  # 4 weeks from 1 May
    assert {i.rule_code: i.timeliness.due_date for i in due_items(child, AS_AT)}["cp-visit"] == D(
        2025, 5, 29
    )
    actions.record_core_group(
        acting_user=worker,
        plan=plan,
        meeting_date=D(2025, 5, 9),
        attendees="Family",
        progress="some",
        progress_note="Going on.",
    )
    later = {i.rule_code: i.timeliness.due_date for i in _bulk([child])}
    assert later["core-group"] == D(2025, 7, 4)  # 8 weeks from 9 May


def test_each_step_links_to_its_form_and_the_review_is_the_latest_chairs(
    make_child: Callable[..., Person], worker: User, chair: User, make_user: Callable[..., User]
) -> None:
    children = _children(6, make_child, worker, chair)
    other_chair = make_user(Role.IRO, username="chair2")
    reviewed = ProtectionPlan.objects.get(person=children[2])
    _review(reviewed, other_chair, D(2025, 7, 1), Conference.Decision.CONTINUE)
    bulk = _bulk(children)
    assert check_links(bulk) == {
        "protection:icpc-new",
        "protection:core-group-new",
        "protection:review-new",
        "protection:visit-new",
    }
    chairs = {
        (i.person_id, i.rule_code.rsplit("-", 1)[0]): i.assigned_to_id
        for i in bulk
        if i.permission is Permission.CONFERENCE_CHAIR
    }
    assert chairs == {
        (children[1].pk, "icpc"): None,  # nobody chairs a conference until it is held
        (children[2].pk, "rcpc"): other_chair.pk,  # who chaired its latest review
        (children[3].pk, "rcpc"): chair.pk,
        (children[5].pk, "icpc"): None,
    }
    assert {i.permission for i in bulk if i.rule_code == "cp-visit"} == {Permission.VISIT_RECORD}
    assert {i.permission for i in bulk if i.rule_code.startswith("core-group")} == {
        Permission.ENQUIRY_RECORD
    }
