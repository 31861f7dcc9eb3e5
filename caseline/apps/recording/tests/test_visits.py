"""The visits and notes tab lists every visit to the child, wherever the plan apps recorded it,
and offers "Record a visit" on the child's current plan (issue 22)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Role
from caseline.apps.cin import actions as cin_actions
from caseline.apps.cin.models import CINVisit
from caseline.apps.lookedafter import actions as care_actions
from caseline.apps.lookedafter.tests.conftest import foster
from caseline.apps.people.models import Person
from caseline.apps.protection import actions as cp_actions
from caseline.apps.protection.models import ProtectionPlan
from caseline.apps.protection.tests.conftest import REFERRAL_DATE, on_plan
from caseline.apps.recording.queries import VisitKind, visit_links_for, visit_rows, visits_of
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

D = datetime.date
CIN_VISIT = D(2025, 4, 7)
CP_VISIT = D(2025, 5, 6)
CARE_START = D(2025, 6, 2)
CARE_VISIT = D(2025, 6, 10)


@pytest.fixture
def referred(team: Team, worker: User) -> Person:
    """Ada, allocated to Wren, with a child in need episode open since 1 April 2025."""
    return ChildFactory.create(
        given_name="Ada",
        date_of_birth=D(2012, 5, 1),
        team=team,
        worker=worker,
        allocated_on=REFERRAL_DATE,
        referral_date=REFERRAL_DATE,
    )


@pytest.fixture
def chair(make_user: Callable[..., User]) -> User:
    return make_user(Role.IRO, username="chair", first_name="Corin", last_name="Dale")


def _cin_visit(child: Person, user: User, day: datetime.date = CIN_VISIT) -> None:
    cin_actions.record_visit(
        acting_user=user,
        child=child,
        visit_date=day,
        child_seen=True,
        child_seen_alone=True,
        seen_bedroom=True,
        purpose="See Ada at home after the referral",
        observations="Ada showed me her room.",
    )


def _on_plan_with_a_visit(child: Person, worker: User, chair: User) -> ProtectionPlan:
    plan = on_plan(child, worker, chair)
    cp_actions.record_visit(
        acting_user=worker,
        plan=plan,
        visit_date=CP_VISIT,
        child_seen=True,
        child_seen_alone=False,
        observations="Ada was with her mum throughout.",
    )
    return plan


def _looked_after_with_a_visit(child: Person, manager: User) -> None:
    care_actions.start_period_of_care(
        acting_user=manager,
        child=child,
        start_date=CARE_START,
        legal_status="C1",
        placement=foster(),
    )
    care_actions.record_visit(
        acting_user=manager,
        child=child,
        visit_date=CARE_VISIT,
        child_seen=False,
        seen_alone=False,
        note="Ada was at school camp; carers seen.",
    )


def _tab(child: Person) -> str:
    return f"/recording/record/{child.pk}/"


def _visit_rows(html: str) -> list[list[str]]:
    """The visits table's rows, each as its cells' text."""
    table = html.split('id="visits"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', table, re.S)[1:]
    return [
        [
            " ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r"<td.*?</td>", row, re.S)
        ]
        for row in rows
    ]


def test_every_visit_from_the_plan_apps_is_on_the_tab_newest_first(
    client: Client, worker: User, manager: User, chair: User, referred: Person
) -> None:
    _cin_visit(referred, worker)
    plan = _on_plan_with_a_visit(referred, worker, chair)
    _looked_after_with_a_visit(referred, manager)
    client.force_login(worker)
    html = client.get(_tab(referred)).content.decode()
    # Each says when, what kind of visit, whether the child was seen (alone), who recorded
    # it, and links to where it is recorded.
    assert _visit_rows(html) == [
        [
            "10 June 2025",
            "Looked-after child visit",
            "Not seen",
            "Mina User",
            "Care record : looked-after child visit on 10 June 2025",
        ],
        [
            "6 May 2025",
            "Child protection visit",
            "Seen, not alone",
            "Wren User",
            "Child protection plan : child protection visit on 6 May 2025",
        ],
        [
            "7 April 2025",
            "Child in need visit",
            "Seen alone",
            "Wren User",
            "Child in need visits : child in need visit on 7 April 2025",
        ],
    ]
    assert f'href="/looked-after/{referred.pk}/#visits"' in html
    assert f'href="/child-protection/record/{referred.pk}/plan/{plan.pk}/"' in html
    assert f'href="/children-in-need/record/{referred.pk}/visits/"' in html
    assert "3 in all" in html
    for place in (
        f"/looked-after/{referred.pk}/",
        f"/child-protection/record/{referred.pk}/plan/{plan.pk}/",
        f"/children-in-need/record/{referred.pk}/visits/",
    ):
        assert client.get(place).status_code == 200, place


def test_record_a_visit_leads_to_the_form_for_the_childs_current_plan(
    client: Client, worker: User, manager: User, chair: User, referred: Person
) -> None:
    client.force_login(worker)
    # No plan but the child in need episode: a child in need visit.
    html = client.get(_tab(referred)).content.decode()
    new_cin = f"/children-in-need/record/{referred.pk}/visits/new/"
    assert f'<a class="govuk-button" href="{new_cin}">Record a visit</a>' in html
    # On a child protection plan: a visit on that plan.
    plan = _on_plan_with_a_visit(referred, worker, chair)
    html = client.get(_tab(referred)).content.decode()
    new_cp = f"/child-protection/record/{referred.pk}/plan/{plan.pk}/visit/new/"
    assert f'<a class="govuk-button" href="{new_cp}">Record a visit</a>' in html
    assert new_cin not in html
    # Looked after as well: both, each saying which.
    _looked_after_with_a_visit(referred, manager)
    html = client.get(_tab(referred)).content.decode()
    assert f'href="{new_cp}">Record a child protection visit</a>' in html
    assert (
        f'href="/looked-after/{referred.pk}/visits/new/">Record a looked-after child visit</a>'
        in html
    )
    assert ">Record a visit</a>" not in html
    # Each link opens its form.
    for url in (new_cp, f"/looked-after/{referred.pk}/visits/new/"):
        assert client.get(url).status_code == 200


def test_the_plan_that_has_ended_is_not_offered(
    worker: User, chair: User, referred: Person
) -> None:
    plan = _on_plan_with_a_visit(referred, worker, chair)
    assert [link.text for link in visit_links_for(referred, CP_VISIT)] == [
        "Record a child protection visit"
    ]
    ProtectionPlan.objects.filter(pk=plan.pk).update(end_date=D(2025, 7, 1))
    assert [link.text for link in visit_links_for(referred, D(2025, 7, 1))] == [
        "Record a child in need visit"
    ]
    assert [link.text for link in visit_links_for(referred, D(2025, 4, 30))] == [
        "Record a child in need visit"
    ]


def test_who_cannot_record_visits_is_not_offered_the_button(
    client: Client, make_user: Callable[..., User], referred: Person
) -> None:
    client.force_login(make_user(Role.IRO))
    html = client.get(_tab(referred)).content.decode()
    assert "/visits/new/" not in html
    assert "No visits have been recorded." in html


def test_a_long_history_is_paged_in_a_fixed_number_of_queries(
    client: Client,
    django_assert_max_num_queries: Any,
    worker: User,
    referred: Person,
) -> None:
    def add_visits(count: int, start: int) -> None:
        CINVisit.objects.bulk_create(
            CINVisit(
                person=referred,
                visit_date=D(2025, 4, 2) + datetime.timedelta(days=start + n),
                child_seen=True,
                child_seen_alone=n % 2 == 0,
                purpose="Visit",
                observations="Seen at home",
                recorded_by=worker,
            )
            for n in range(count)
        )

    add_visits(3, 0)
    client.force_login(worker)
    client.get(_tab(referred))  # warm the session and content-type caches
    with CaptureQueriesContext(connection) as few:
        client.get(_tab(referred))
    add_visits(242, 3)
    # The record frame takes about a dozen; the visits three (count, page, who recorded them).
    # 20: the page's 16, its read's audit event sealed into the chain (lock, head, insert), and
    # the restriction in force for the frame's banner.
    with django_assert_max_num_queries(20):
        response = client.get(_tab(referred))
    html = response.content.decode()
    assert len(_visit_rows(html)) == 20
    assert "245 in all" in html
    assert _visit_rows(html)[0][0] == "2 December 2025"
    with CaptureQueriesContext(connection) as many:
        client.get(_tab(referred))
    assert len(many) == len(few)
    # The last page, its links keeping the notes' own page and landing on the visits.
    last = client.get(_tab(referred), {"page": "13", "notes": "1"}).content.decode()
    assert [row[0] for row in _visit_rows(last)] == [
        "6 April 2025",
        "5 April 2025",
        "4 April 2025",
        "3 April 2025",
        "2 April 2025",
    ]
    assert 'href="?notes=1&amp;page=12#visits"' in last


def test_visit_rows_name_the_kind_and_the_place(
    worker: User, manager: User, chair: User, referred: Person
) -> None:
    _cin_visit(referred, worker)
    _looked_after_with_a_visit(referred, manager)
    rows = visit_rows(referred, visits_of(referred))
    assert [(row.kind, row.seen_label, row.recorded_by) for row in rows] == [
        (VisitKind.LOOKED_AFTER, "Not seen", "Mina User"),
        (VisitKind.CHILD_IN_NEED, "Seen alone", "Wren User"),
    ]
    assert rows[0].kind.label == "Looked-after child visit"
