"""The My work pages: a worker's work, the team's, the chair's; sorting, filters, clearing."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Permission as DjangoPermission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Permission, Role
from caseline.apps.assessments.models import Assessment
from caseline.apps.cin import actions as cin_actions
from caseline.apps.frontdoor import actions as frontdoor_actions
from caseline.apps.mywork import queries, views
from caseline.apps.mywork.tests.conftest import (
    add_assessment,
    add_contact,
    add_plan,
    add_supervision,
    add_visit,
)
from caseline.apps.mywork.views import WORK_PER_PAGE
from caseline.apps.people import summary
from caseline.apps.people.contribution import DueItem
from caseline.apps.people.models import Person, Relationship
from caseline.apps.timescales import actions as timescale_actions
from caseline.apps.timescales.calendar import england_and_wales
from caseline.apps.timescales.rules import Timeliness, TimelinessStatus

pytestmark = pytest.mark.django_db

SignIn = Callable[[User], Client]


def today() -> datetime.date:
    return timezone.localdate()


def working_days_ago(n: int) -> datetime.date:
    """The day ``n`` working days before today (a working day itself)."""
    cal = england_and_wales()
    day = today()
    while n > 0:
        day -= datetime.timedelta(days=1)
        if cal.is_working_day(day):
            n -= 1
    return day


def _rows_of(html: str) -> list[str]:
    """The rule codes of the work table's rows, in order."""
    return re.findall(r'data-rule="([^"]+)"', html)


# --- A social worker's work -----------------------------------------------------------------


def test_my_work_lists_each_childs_items_with_links(
    worker: User, make_child: Callable[..., Person], signed_in: SignIn
) -> None:
    child = make_child("Ada")
    plan = add_plan(child, worker, working_days_ago(30))
    someone_elses = make_child("Bea", allocated_to="team")
    response = signed_in(worker).get(reverse("mywork:mine"))
    assert response.status_code == 200
    text = response.text
    assert reverse("people:record", args=[child.pk]) in text
    assert reverse("cin:visit-new", kwargs={"person_id": child.pk}) in text
    assert reverse("cin:review-new", kwargs={"person_id": child.pk, "plan_id": plan.pk}) in text
    assert reverse("people:record", args=[someone_elses.pk]) not in text
    assert re.search(r'id="count-children">1<', text)
    # Visit (20 working days) is overdue; review is not yet due.
    assert re.search(r'id="count-overdue">1<', text)
    assert "Overdue by 10 working days" in text


def test_my_work_lists_only_work_the_user_may_do(
    worker: User,
    manager: User,
    make_child: Callable[..., Person],
    signed_in: SignIn,
) -> None:
    """Issue 22: supervision and oversight due on a worker's children are the manager's, and
    their forms refuse a social worker; My work sent the worker to them anyway."""
    child = make_child("Ada")
    add_plan(child, worker, working_days_ago(30))
    add_assessment(child, worker, Assessment.Status.SUBMITTED)
    client = signed_in(worker)
    text = client.get(reverse("mywork:mine")).text
    assert sorted(_rows_of(text)) == ["cin-plan-review", "cin-visit"]
    for manager_only in (
        reverse("recording:supervision-new", kwargs={"person_id": child.pk}),
        reverse("recording:oversight-new", kwargs={"person_id": child.pk}),
        reverse("assessments:authorise", args=[Assessment.objects.get(person=child).pk]),
    ):
        assert manager_only not in text
        assert client.get(manager_only).status_code == 403  # where the worker was sent
    # Overdue: the visit only (supervision and oversight are the manager's).
    assert re.search(r'id="count-overdue">1<', text)
    assert re.search(r'id="for-others">\s*3 more items due for your children are', text)
    # The same child on the manager's My work: all of it is theirs to do.
    child_of_manager = make_child("Bea", allocated_to=manager)
    add_plan(child_of_manager, worker, working_days_ago(30))
    add_assessment(child_of_manager, worker, Assessment.Status.SUBMITTED)
    theirs = signed_in(manager).get(reverse("mywork:mine")).text
    assert sorted(_rows_of(theirs)) == [
        "cin-plan-review",
        "cin-visit",
        "management-oversight",
        "single-assessment",
        "supervision",
    ]
    assert 'id="for-others"' not in theirs


def test_my_work_is_sorted_most_urgent_first(
    worker: User, make_child: Callable[..., Person], signed_in: SignIn
) -> None:
    late = make_child("Late", allocated_on=today())
    add_plan(late, worker, working_days_ago(25))  # visit 5 working days late
    later = make_child("Later", allocated_on=today())
    add_plan(later, worker, working_days_ago(28))  # visit 8 working days late
    fresh = make_child("Fresh", allocated_on=today())
    add_plan(fresh, worker, today())  # visit not due for 20 working days
    text = signed_in(worker).get(reverse("mywork:mine")).text
    order = re.findall(r'href="/people/(\d+)/"', text.split('id="work"')[1])
    firsts = list(dict.fromkeys(int(pk) for pk in order))
    assert firsts[:2] == [later.pk, late.pk]
    assert "Overdue by 8 working days" in text
    assert "Overdue by 5 working days" in text


def test_urgency_overdue_by_most_late_then_due_today_then_soonest() -> None:
    as_at = datetime.date(2025, 6, 11)
    person = Person(pk=1, given_name="A", family_name="B")

    def row(status: TimelinessStatus, due: datetime.date, late: int) -> queries.WorkRow:
        item = DueItem(
            1,
            f"{status} {due}",
            "x",
            Timeliness(status, due, late, ""),
            permission=Permission.VISIT_RECORD,
        )
        return queries.WorkRow(item, person)

    soon = row(TimelinessStatus.NOT_DUE_YET, datetime.date(2025, 6, 12), 0)
    later = row(TimelinessStatus.NOT_DUE_YET, datetime.date(2025, 7, 1), 0)
    due_today = row(TimelinessStatus.DUE_TODAY, as_at, 0)
    a_bit_late = row(TimelinessStatus.OVERDUE, datetime.date(2025, 6, 9), 2)
    very_late = row(TimelinessStatus.OVERDUE, datetime.date(2025, 5, 1), 28)
    weekend_late = row(TimelinessStatus.OVERDUE, datetime.date(2025, 6, 8), 0)
    rows = [later, soon, due_today, weekend_late, a_bit_late, very_late]
    assert sorted(rows, key=queries.urgency_key) == [
        very_late,
        a_bit_late,
        weekend_late,
        due_today,
        soon,
        later,
    ]
    assert [r.tag_colour for r in (very_late, due_today, soon)] == ["red", "orange", "blue"]


def test_my_work_filters_by_kind_and_status(
    worker: User, manager: User, make_child: Callable[..., Person], signed_in: SignIn
) -> None:
    # Allocated to a manager, who does every kind of work here.
    child = make_child("Ada", allocated_to=manager, allocated_on=today())
    add_plan(child, worker, working_days_ago(30))
    client = signed_in(manager)
    everything = _rows_of(client.get(reverse("mywork:mine")).text)
    assert sorted(everything) == [
        "cin-plan-review",
        "cin-visit",
        "management-oversight",
        "supervision",
    ]
    only_visits = client.get(reverse("mywork:mine"), {"kind": "cin-visit"}).text
    assert _rows_of(only_visits) == ["cin-visit"]
    assert "Clear the filter" in only_visits
    overdue = _rows_of(client.get(reverse("mywork:mine"), {"status": "overdue"}).text)
    assert overdue == ["cin-visit"]
    soon = _rows_of(client.get(reverse("mywork:mine"), {"status": "soon"}).text)
    assert "cin-visit" not in soon
    nothing = client.get(reverse("mywork:mine"), {"kind": "cin-plan-review", "status": "overdue"})
    assert _rows_of(nothing.text) == []
    assert "No work matches the filter." in nothing.text
    # A kind not offered is ignored rather than hiding everything.
    assert len(_rows_of(client.get(reverse("mywork:mine"), {"kind": "nonsense"}).text)) == 4


def test_recording_a_visit_clears_the_overdue_visit(
    worker: User, make_child: Callable[..., Person], signed_in: SignIn
) -> None:
    child = make_child("Ada", allocated_on=today())
    add_plan(child, worker, working_days_ago(30))
    client = signed_in(worker)
    url = reverse("mywork:mine")
    assert _rows_of(client.get(url, {"status": "overdue"}).text) == ["cin-visit"]
    cin_actions.record_visit(
        acting_user=worker,
        child=child,
        visit_date=today(),
        child_seen=True,
        child_seen_alone=True,
        seen_bedroom=True,
        purpose="Check on the plan",
        observations="All well",
    )
    assert _rows_of(client.get(url, {"status": "overdue"}).text) == []
    visit = [i for i in summary.due_items(child, today()) if i.rule_code == "cin-visit"]
    assert visit[0].timeliness.due_date == england_and_wales().add_working_days(today(), 20)


def test_deciding_a_contact_removes_it_from_my_work(
    worker: User, manager: User, make_child: Callable[..., Person], signed_in: SignIn
) -> None:
    # Allocated to a manager, who decides contacts (a social worker does not).
    child = make_child("Ada", allocated_to=manager, allocated_on=today())
    contact = add_contact(child, worker, working_days_ago(2))
    client = signed_in(manager)
    assert "contact-decision" in _rows_of(client.get(reverse("mywork:mine")).text)
    frontdoor_actions.decide_contact(
        acting_user=manager, contact=contact, decision="advice", rationale="Advice given"
    )
    assert "contact-decision" not in _rows_of(client.get(reverse("mywork:mine")).text)


def test_a_local_standard_moves_the_due_date_on_my_work(
    worker: User,
    manager: User,
    make_user: Callable[..., User],
    make_child: Callable[..., Person],
) -> None:
    admin = make_user(Role.ADMINISTRATOR)
    # Allocated to a manager, whose My work has supervision (a social worker's has not).
    child = make_child("Ada", allocated_to=manager)
    add_supervision(child, worker, datetime.date(2025, 6, 2))
    as_at = datetime.date(2025, 6, 11)

    def supervision_due() -> datetime.date:
        work = queries.my_work(manager, as_at)
        (row,) = [r for r in work.rows if r.item.title == "Supervision due"]
        return row.item.timeliness.due_date

    assert supervision_due() == datetime.date(2025, 6, 30)  # 4 weeks
    timescale_actions.set_local_standard(
        acting_user=admin, rule_code="supervision", unit="weeks", count=2, reason="Board"
    )
    assert supervision_due() == datetime.date(2025, 6, 16)  # 2 weeks
    timescale_actions.set_local_standard(
        acting_user=admin, rule_code="cin-visit", unit="working_days", count=10, reason="Board"
    )
    add_plan(child, worker, datetime.date(2024, 12, 20))
    visit = [r for r in queries.my_work(manager, as_at).rows if r.item.rule_code == "cin-visit"]
    assert visit[0].item.timeliness.due_date == datetime.date(2025, 1, 8)


def test_front_door_users_are_linked_to_contacts_awaiting_a_decision(
    make_user: Callable[..., User], worker: User, signed_in: SignIn
) -> None:
    link = f'href="{reverse("frontdoor:contacts")}">Contacts awaiting a decision</a>'
    front_door = signed_in(make_user(Role.FRONT_DOOR)).get(reverse("mywork:mine")).text
    assert link in front_door
    assert "Nothing is due for your children." in front_door
    assert link not in signed_in(worker).get(reverse("mywork:mine")).text


def test_the_contacts_link_is_only_for_those_who_may_open_the_list(
    make_user: Callable[..., User], signed_in: SignIn
) -> None:
    decider = make_user()
    for permission in (Permission.HOME_VIEW, Permission.CONTACT_DECIDE):
        decider.user_permissions.add(DjangoPermission.objects.get(codename=permission.codename))
    client = signed_in(User.objects.get(pk=decider.pk))
    assert client.get(reverse("frontdoor:contacts")).status_code == 403
    assert reverse("frontdoor:contacts") not in client.get(reverse("mywork:mine")).text


def test_my_work_for_twenty_children_makes_a_constant_number_of_queries(
    worker: User,
    manager: User,
    make_child: Callable[..., Person],
    signed_in: SignIn,
    django_assert_max_num_queries: Any,
) -> None:
    # Allocated to a manager, who may do all seven kinds of work each child has due.
    client = signed_in(manager)
    client.get(reverse("mywork:mine"))  # warm the session
    for n in range(20):
        child = make_child(allocated_to=manager)
        plan = add_plan(child, worker, working_days_ago(10 + n))
        add_visit(child, worker, working_days_ago(n))
        add_supervision(child, worker, working_days_ago(n), working_days_ago(1))
        add_contact(child, worker, working_days_ago(3))
        add_assessment(child, worker, Assessment.Status.SUBMITTED)
        assert plan.pk
    # 24: 20, the audit event naming the children shown (chain lock, head, insert), and
    # restricted records opened by others.
    with django_assert_max_num_queries(24):
        response = client.get(reverse("mywork:mine"))
    assert response.status_code == 200
    assert re.search(r'id="count-children">20<', response.text)
    # 140 items, 50 a page, most urgent first; the last page has the rest.
    assert len(_rows_of(response.text)) == WORK_PER_PAGE
    assert "140 items, most urgent first" in response.text
    assert "Showing 1 to 50" in response.text
    last = client.get(reverse("mywork:mine"), {"page": 3})
    assert len(_rows_of(last.text)) == 140 - 2 * WORK_PER_PAGE
    assert 'rel="prev"' in last.text


# --- The team -------------------------------------------------------------------------------


def test_team_page_shows_workers_sign_off_and_unallocated(
    manager: User,
    worker: User,
    other_worker: User,
    make_child: Callable[..., Person],
    signed_in: SignIn,
) -> None:
    ada = make_child("Ada", allocated_on=today())
    add_plan(ada, worker, working_days_ago(30))
    make_child("Bea", allocated_to=other_worker, allocated_on=today())
    make_child("Cai", allocated_to="team", allocated_on=today())
    submitted = add_assessment(ada, worker, Assessment.Status.SUBMITTED)
    waiting = make_child("Dee", allocated_to="nobody", referral_date=datetime.date(2025, 3, 1))
    older = make_child("Eve", allocated_to="nobody", referral_date=datetime.date(2025, 2, 1))
    parent = Person.objects.create(given_name="Pat", family_name="Parent")
    Relationship.objects.create(person=parent, other=ada, kind=Relationship.Kind.PARENT)
    response = signed_in(manager).get(reverse("mywork:team"))
    assert response.status_code == 200
    text = response.text
    team = response.context["team"]
    lines = {(line.worker.username if line.worker else None): line for line in team.workers}
    assert lines["sw"].caseload == 1
    assert lines["sw"].overdue == 2
    assert lines["sw2"].caseload == 1
    assert lines["sw2"].overdue == 0
    assert lines[None].caseload == 1
    assert "tm" not in lines  # the manager manages the team, is not a member of it
    assert team.workers[0].worker == worker  # most overdue first
    assert [a.pk for a in team.awaiting_sign_off] == [submitted.pk]
    assert reverse("assessments:authorise", args=[submitted.pk]) in text
    assert reverse("assessments:awaiting-authorisation") in text
    assert [u.person for u in team.unallocated] == [older, waiting]  # not the parent
    assert reverse("frontdoor:allocate", args=[older.pk]) in text
    assert sorted(_rows_of(text)) == ["cin-visit", "single-assessment"]
    assert "Sam Worker" in text


def test_team_page_shows_a_worker_from_another_team_who_holds_a_teams_child(
    manager: User,
    make_user: Callable[..., User],
    make_child: Callable[..., Person],
    signed_in: SignIn,
) -> None:
    elsewhere = Team.objects.create(name="Another team")
    visitor = make_user(
        Role.SOCIAL_WORKER, username="sw9", first_name="Vic", last_name="Away", team=elsewhere
    )
    held = make_child("Hal", allocated_to=visitor, allocated_on=today())
    add_plan(held, visitor, working_days_ago(30))
    response = signed_in(manager).get(reverse("mywork:team"))
    lines = {line.worker.username: line for line in response.context["team"].workers if line.worker}
    assert lines["sw9"].caseload == 1
    assert lines["sw9"].overdue == 1
    assert "Vic Away" in response.text


def test_team_page_pages_overdue_work_and_lists_the_oldest_unallocated(
    manager: User,
    worker: User,
    make_child: Callable[..., Person],
    signed_in: SignIn,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(queries, "TEAM_LIST_LIMIT", 2)
    monkeypatch.setattr(views, "WORK_PER_PAGE", 2)
    for days in (21, 25, 30):
        add_plan(make_child(allocated_on=today()), worker, working_days_ago(days))
    for month in (1, 2, 3):
        make_child(allocated_to="nobody", referral_date=datetime.date(2025, month, 3))
    client = signed_in(manager)
    first = client.get(reverse("mywork:team")).text
    assert "3 items, most urgent first" in first
    assert "Showing 1 to 2" in first
    assert len(_rows_of(first)) == 2
    assert "Overdue by 10 working days" in first
    assert "Overdue by 1 working day" not in first  # the least overdue is on page 2
    assert 'href="?page=2#overdue-work"' in first
    second = client.get(reverse("mywork:team") + "?page=2").text
    assert len(_rows_of(second)) == 1
    assert "Overdue by 1 working day" in second
    assert "oldest first: the oldest 2 shown" in first
    assert first.count("Allocate<span") == 2


def test_team_page_needs_allocation_permission(
    worker: User, make_user: Callable[..., User], signed_in: SignIn
) -> None:
    assert signed_in(worker).get(reverse("mywork:team")).status_code == 403
    lone = make_user(Role.TEAM_MANAGER, username="lone")
    response = signed_in(lone).get(reverse("mywork:team"))
    assert response.status_code == 200
    assert 'id="no-team"' in response.text


def test_team_page_for_a_hundred_children_makes_a_constant_number_of_queries(
    manager: User,
    team: Team,
    make_user: Callable[..., User],
    make_child: Callable[..., Person],
    signed_in: SignIn,
    django_assert_max_num_queries: Any,
) -> None:
    workers = [make_user(Role.SOCIAL_WORKER, team=team) for _ in range(5)]
    for n in range(100):
        child = make_child(allocated_to=workers[n % 5])
        add_plan(child, workers[n % 5], working_days_ago(n % 40))
        if n % 3 == 0:
            add_assessment(child, workers[n % 5], Assessment.Status.SUBMITTED)
    client = signed_in(manager)
    client.get(reverse("mywork:team"))
    # 28: with private fostering's and young carers' due work, case audits, the audit event
    # and the restricted children left out.
    with django_assert_max_num_queries(28):  # sign-off: candidates, then visible_among
        response = client.get(reverse("mywork:team"))
    assert response.status_code == 200
    assert sum(line.caseload for line in response.context["team"].workers) == 100


# --- Rule titles ----------------------------------------------------------------------------------
# (The chair's page, mywork.chair, is tested in test_chair.py.)


def test_rule_titles_come_from_the_catalogue() -> None:
    assert queries.rule_title("not-a-rule") == "not-a-rule"
    assert queries.rule_title("cin-visit") == "Child in need visit"
