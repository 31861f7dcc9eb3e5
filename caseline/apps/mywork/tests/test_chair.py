"""The chair's page: a conference chair's and IRO's own children, their conferences and
reviews due, and the initial conferences every chair sees."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

import pytest
from django.contrib.auth.models import Permission as DjangoPermission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from caseline.apps.accounts.demo import ensure_demo_users
from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission, Role
from caseline.apps.lookedafter import actions as care_actions
from caseline.apps.lookedafter.models import IROAllocation
from caseline.apps.lookedafter.tests.conftest import START, foster
from caseline.apps.mywork import chair
from caseline.apps.people.contribution import DueItem
from caseline.apps.people.models import Person
from caseline.apps.people.summary import work_items
from caseline.apps.protection import actions as cp_actions
from caseline.apps.protection.models import Conference, ProtectionPlan
from caseline.apps.protection.tests.conftest import (
    awaiting_conference,
    conference_values,
    on_plan,
)
from caseline.apps.synthetic.demo import DEMO_CHAIR_CASELOAD, attach_demo_iro

pytestmark = pytest.mark.django_db

D = datetime.date
AS_AT = D(2025, 8, 4)
SignIn = Callable[[User], Client]
MakeChild = Callable[..., Person]


@pytest.fixture
def chair_a(make_user: Callable[..., User]) -> User:
    return make_user(Role.IRO, username="chair-a", first_name="Ana", last_name="Chair")


@pytest.fixture
def chair_b(make_user: Callable[..., User]) -> User:
    return make_user(Role.IRO, username="chair-b", first_name="Ben", last_name="Chair")


def review(plan: ProtectionPlan, chair_user: User, day: datetime.date) -> Conference:
    values = conference_values(conference_date=day, decision=Conference.Decision.CONTINUE)
    values.pop("outline_plan")
    return cp_actions.hold_review_conference(
        acting_user=chair_user, plan=plan, progress="good", **values
    )


def looked_after(child: Person, worker: User, iro: User) -> IROAllocation:
    """Looked after from START, with ``iro`` as IRO from then."""
    care_actions.start_period_of_care(
        acting_user=worker, child=child, start_date=START, legal_status="C1", placement=foster()
    )
    return care_actions.allocate_iro(acting_user=worker, child=child, iro=iro, start_date=START)


def own(work: chair.ChairWork) -> set[tuple[int, str]]:
    """The (child, rule prefix) of each of the chair's own items."""
    return {(r.person.pk, r.item.rule_code.rsplit("-", 1)[0]) for r in work.work.rows}


def rows_of(html: str, attribute: str = "data-rule") -> list[str]:
    return re.findall(rf'{attribute}="([^"]+)"', html)


def figure(html: str, element_id: str) -> int:
    match = re.search(rf'id="{element_id}">\s*(\d+)', html)
    assert match is not None, element_id
    return int(match.group(1))


def test_a_chair_sees_only_their_own_childrens_conferences_and_reviews(
    worker: User,
    chair_a: User,
    chair_b: User,
    make_child: MakeChild,
    signed_in: SignIn,
) -> None:
    cp_mine = make_child("Cora")
    on_plan(cp_mine, worker, chair_a)
    cp_theirs = make_child("Dan")
    on_plan(cp_theirs, worker, chair_b)
    lac_mine = make_child("Eli")
    looked_after(lac_mine, worker, chair_a)
    lac_theirs = make_child("Fay")
    looked_after(lac_theirs, worker, chair_b)
    both = make_child("Gus")  # on B's plan, and looked after with A as IRO
    on_plan(both, worker, chair_b)
    looked_after(both, worker, chair_a)

    work = chair.chair_work(chair_a, AS_AT)
    assert work.caseload.chaired_plans == {cp_mine.pk}
    assert work.caseload.iro_for == {lac_mine.pk, both.pk}
    assert (work.caseload.plan_count, work.caseload.iro_count, work.caseload.total) == (1, 2, 3)
    assert chair.chair_children(chair_a) == work.caseload
    # The review conference for A's plan, the looked-after reviews for A's children; no
    # visits, core groups or health, and nothing for B's children or B's plan for Gus.
    assert own(work) == {
        (cp_mine.pk, "rcpc"),
        (lac_mine.pk, "lac-review"),
        (both.pk, "lac-review"),
    }
    assert work.work.children == 3
    theirs = chair.chair_work(chair_b, AS_AT)
    assert theirs.caseload.chaired_plans == {cp_theirs.pk, both.pk}
    assert theirs.caseload.iro_for == {lac_theirs.pk}
    assert own(theirs) == {
        (cp_theirs.pk, "rcpc"),
        (both.pk, "rcpc"),
        (lac_theirs.pk, "lac-review"),
    }

    response = signed_in(chair_a).get(reverse("mywork:chair"))
    assert response.status_code == 200
    text = response.text
    assert (figure(text, "caseload-plans"), figure(text, "caseload-iro")) == (1, 2)
    assert figure(text, "caseload-total") == 3
    assert figure(text, "count-children") == 3
    assert sorted(rows_of(text)) == ["lac-review-first", "lac-review-first", "rcpc-first"]
    for child in (cp_mine, lac_mine, both):
        assert reverse("people:record", args=[child.pk]) in text
    for child in (cp_theirs, lac_theirs):
        assert reverse("people:record", args=[child.pk]) not in text
    assert "Working Together to Safeguard Children 2023" in text
    filtered = signed_in(chair_a).get(reverse("mywork:chair"), {"kind": "rcpc-first"})
    assert rows_of(filtered.text) == ["rcpc-first"]


def test_a_review_chaired_by_someone_else_moves_the_child_to_them(
    worker: User, chair_a: User, chair_b: User, make_child: MakeChild
) -> None:
    child = make_child("Hal")
    plan = on_plan(child, worker, chair_a)
    assert chair.chair_children(chair_a).chaired_plans == {child.pk}
    review(plan, chair_b, D(2025, 7, 1))
    assert chair.chair_children(chair_a).chaired_plans == set()
    assert chair.chair_children(chair_b).chaired_plans == {child.pk}
    assert own(chair.chair_work(chair_b, AS_AT)) == {(child.pk, "rcpc")}
    assert own(chair.chair_work(chair_a, AS_AT)) == set()
    review(plan, chair_a, D(2025, 7, 15))  # A chairs the next one: back to A
    assert chair.chair_children(chair_a).chaired_plans == {child.pk}
    assert chair.chair_children(chair_b).chaired_plans == set()
    cp_actions.end_plan(
        acting_user=worker,
        plan=plan,
        end_date=D(2025, 7, 20),
        end_reason=ProtectionPlan.EndReason.MOVED,
        end_note="Moved to another authority.",
    )
    assert chair.chair_children(chair_a).chaired_plans == set()  # an ended plan drops out


def test_an_ended_iro_allocation_drops_the_child(
    worker: User, chair_a: User, chair_b: User, make_child: MakeChild
) -> None:
    moved = make_child("Ida")
    looked_after(moved, worker, chair_a)
    ended = make_child("Jon")
    allocation = looked_after(ended, worker, chair_a)
    assert chair.chair_children(chair_a).iro_for == {moved.pk, ended.pk}
    care_actions.allocate_iro(acting_user=worker, child=moved, iro=chair_b, start_date=AS_AT)
    IROAllocation.objects.filter(pk=allocation.pk).update(end_date=AS_AT)
    assert chair.chair_children(chair_a).iro_for == set()
    assert chair.chair_children(chair_b).iro_for == {moved.pk}
    assert own(chair.chair_work(chair_a, AS_AT)) == set()
    assert own(chair.chair_work(chair_b, AS_AT)) == {(moved.pk, "lac-review")}


def test_initial_conferences_awaited_show_for_every_chair(
    worker: User,
    chair_a: User,
    chair_b: User,
    make_child: MakeChild,
    signed_in: SignIn,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    later = make_child("Kit")
    awaiting_conference(later, worker, D(2025, 4, 14))
    sooner = make_child("Lux")
    enquiry = awaiting_conference(sooner, worker)
    on_plan(make_child("Max"), worker, chair_a)  # held: not awaited
    for user in (chair_a, chair_b):
        work = chair.chair_work(user, AS_AT)
        assert [(r.person, r.item.rule_code) for r in work.initial] == [
            (sooner, "icpc"),
            (later, "icpc"),
        ]
        assert all(r.person not in (sooner, later) for r in work.work.rows)
    text = signed_in(chair_b).get(reverse("mywork:chair")).text
    assert rows_of(text, "data-initial-rule") == ["icpc", "icpc"]
    assert "2 initial conferences to arrange, most urgent first" in text
    new_icpc = reverse(
        "protection:icpc-new", kwargs={"person_id": sooner.pk, "enquiry_id": enquiry.pk}
    )
    assert new_icpc in text
    assert 'id="initial-limit"' not in text

    monkeypatch.setattr(chair, "INITIAL_LIST_LIMIT", 1)
    text = signed_in(chair_b).get(reverse("mywork:chair")).text
    assert rows_of(text, "data-initial-rule") == ["icpc"]
    assert "2 initial conferences are awaited. The 1 most urgent are shown." in text
    assert new_icpc in text  # the most overdue is kept


def test_a_child_the_chair_may_not_see_never_shows(
    worker: User, make_user: Callable[..., User], make_child: MakeChild, signed_in: SignIn
) -> None:
    """A chair without access to every record (here a social worker who also chairs) sees
    only the children ``visible_people`` gives them."""
    restricted = make_user(Role.SOCIAL_WORKER, username="restricted")
    for permission in (Permission.CONFERENCE_CHAIR, Permission.REVIEW_CHAIR):
        restricted.user_permissions.add(DjangoPermission.objects.get(codename=permission.codename))
    restricted = User.objects.get(pk=restricted.pk)  # no cached permissions
    seen = make_child("Ned", allocated_to=restricted)
    on_plan(seen, worker, restricted)
    hidden_plan = make_child("Ola")  # allocated to another worker
    on_plan(hidden_plan, worker, restricted)
    hidden_care = make_child("Pia")
    looked_after(hidden_care, worker, restricted)
    hidden_awaiting = make_child("Quin")
    awaiting_conference(hidden_awaiting, worker)

    work = chair.chair_work(restricted, AS_AT)
    assert work.caseload.children == {seen.pk}
    assert {r.person.pk for r in work.work.rows} == {seen.pk}
    assert work.initial == []
    text = signed_in(restricted).get(reverse("mywork:chair")).text
    assert figure(text, "caseload-total") == 1
    for child in (hidden_plan, hidden_care, hidden_awaiting):
        assert reverse("people:record", args=[child.pk]) not in text
        assert child.full_name not in text


def test_the_page_for_a_chair_with_nothing(chair_a: User, worker: User, signed_in: SignIn) -> None:
    response = signed_in(chair_a).get(reverse("mywork:chair"))
    assert response.status_code == 200
    text = response.text
    assert 'id="no-caseload"' in text
    assert "you are not the independent reviewing officer for any child" in text
    assert "No conferences or reviews are due for your children." in text
    assert "No initial conferences are waiting to be arranged." in text
    assert figure(text, "count-children") == 0
    assert signed_in(worker).get(reverse("mywork:chair")).status_code == 403


def test_only_the_chairs_apps_give_a_chairs_rule(
    worker: User, chair_a: User, make_child: MakeChild
) -> None:
    """The page asks only the apps of CHAIR_APPS: every app together gives no chair's item
    they do not."""
    children = [make_child(f"Child{n}") for n in range(4)]
    looked_after(children[0], worker, chair_a)
    on_plan(children[1], worker, chair_a)
    review(on_plan(children[2], worker, chair_a), chair_a, D(2025, 7, 1))
    awaiting_conference(children[3], worker)
    people = [c.pk for c in children]

    def chair_items(items: list[DueItem]) -> set[tuple[int, str, datetime.date]]:
        return {
            (i.person_id, i.rule_code, i.timeliness.due_date)
            for i in items
            if chair.is_chair_rule(i.rule_code)
        }

    everything = chair_items(work_items(people, AS_AT))
    assert len(everything) >= 4
    assert chair_items(work_items(people, AS_AT, apps=chair.CHAIR_APPS)) == everything


def test_the_page_makes_the_same_number_of_queries_for_two_children_or_ten(
    worker: User, chair_a: User, make_child: MakeChild, signed_in: SignIn
) -> None:
    client = signed_in(chair_a)
    client.get(reverse("mywork:chair"))  # warm the session

    def add(n: int) -> None:
        for i in range(n):
            child = make_child()
            if i % 2:
                looked_after(child, worker, chair_a)
            else:
                on_plan(child, worker, chair_a)
        awaiting_conference(make_child(), worker)

    def page() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("mywork:chair"))
        assert response.status_code == 200
        return len(queries), response.text

    add(2)
    few, text = page()
    assert figure(text, "caseload-total") == 2
    add(8)
    many, text = page()
    assert figure(text, "caseload-total") == 10
    assert len(rows_of(text)) == 10
    assert len(rows_of(text, "data-initial-rule")) == 2
    assert many == few
    assert many <= 40


def test_chair_rules_are_those_with_conference_and_review_codes() -> None:
    assert chair.is_chair_rule("icpc")
    assert chair.is_chair_rule("lac-review-first")
    assert chair.is_chair_rule("rcpc", chair.CP_REVIEW_PREFIXES)
    assert not chair.is_chair_rule("icpc", chair.CP_REVIEW_PREFIXES)
    assert not chair.is_chair_rule("cin-visit")
    codes = [code for code, _ in chair.chair_rules()]
    assert all(chair.is_chair_rule(code) for code in codes)
    assert {"icpc", "transfer-in-conference", "rcpc", "lac-review-first"} <= set(codes)
    assert "supervision" not in codes


# --- The demo -------------------------------------------------------------------------------


def test_the_demo_iro_takes_over_looked_after_children_and_plans(
    worker: User, chair_b: User, make_child: MakeChild
) -> None:
    in_care = [make_child(f"Care{n}") for n in range(3)]
    for child in in_care:
        looked_after(child, worker, chair_b)
    left_care = make_child("Left")
    looked_after(left_care, worker, chair_b)
    care_actions.end_period_of_care(
        acting_user=worker, child=left_care, end_date=D(2025, 3, 3), reason_episode_ceased="E13"
    )
    plans = [on_plan(make_child(f"Plan{n}"), worker, chair_b) for n in range(2)]
    reviewed = review(plans[0], chair_b, D(2025, 7, 1))

    ensure_demo_users()
    assert attach_demo_iro(AS_AT) == (3, 2)  # the child who left care is skipped
    iro = User.objects.get(username="iro")
    assert chair.chair_children(iro).iro_for == {c.pk for c in in_care}
    assert chair.chair_children(iro).chaired_plans == {p.person_id for p in plans}
    # Care ending closed the left child's IRO allocation, so chair_b keeps no one.
    assert chair.chair_children(chair_b).iro_for == set()
    assert IROAllocation.objects.get(person=left_care).end_date == D(2025, 3, 3)
    assert chair.chair_children(chair_b).chaired_plans == set()
    ended = IROAllocation.objects.filter(person__in=in_care, iro=chair_b)
    assert set(ended.values_list("end_date", flat=True)) == {AS_AT}
    reviewed.refresh_from_db()
    assert reviewed.chair == iro  # the latest conference, not the plan's initial one
    assert plans[0].conference.chair == chair_b
    assert len(plans) <= DEMO_CHAIR_CASELOAD
    allocations = IROAllocation.objects.count()
    assert attach_demo_iro(AS_AT) == (3, 2)  # the same again: nothing changes
    assert IROAllocation.objects.count() == allocations
