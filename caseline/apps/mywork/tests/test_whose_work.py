"""Issue 22: each person is shown only the work they can do, and told whose the rest is.

My work lists only what the user may do; a child's summary, the team page and a worker's
page list everything, with what the viewer may not do unlinked and saying whose it is; a
returned assessment is due again for the worker; the team page's workers link to their work.
"""

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
from caseline.apps.assessments import actions as assessment_actions
from caseline.apps.assessments.models import Assessment
from caseline.apps.assessments.tests.conftest import fill
from caseline.apps.lookedafter import actions as care_actions
from caseline.apps.lookedafter.tests.conftest import START, foster
from caseline.apps.mywork import chair
from caseline.apps.mywork.tests.conftest import add_assessment, add_plan
from caseline.apps.people.models import Person
from caseline.apps.protection.tests.conftest import on_plan
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

SignIn = Callable[[User], Client]
MakeChild = Callable[..., Person]
D = datetime.date


@pytest.fixture
def iro(make_user: Callable[..., User]) -> User:
    return make_user(Role.IRO, username="iro", first_name="Ana", last_name="Chair")


def looked_after(child: Person, worker: User, iro: User) -> None:
    care_actions.start_period_of_care(
        acting_user=worker, child=child, start_date=START, legal_status="C1", placement=foster()
    )
    care_actions.allocate_iro(acting_user=worker, child=child, iro=iro, start_date=START)


def rules_of(html: str) -> list[str]:
    return re.findall(r'data-rule="([^"]+)"', html)


def row_of(html: str, rule: str) -> str:
    """The table row of the first item of this rule."""
    match = re.search(rf'<tr class="govuk-table__row" data-rule="{rule}">(.*?)</tr>', html, re.S)
    assert match is not None, rule
    return match.group(1)


# --- A child's summary ----------------------------------------------------------------------


def test_the_summary_links_only_work_the_viewer_may_do_and_says_whose_the_rest_is(
    worker: User,
    manager: User,
    iro: User,
    make_child: MakeChild,
    signed_in: SignIn,
) -> None:
    """Issue 22: the IRO was sent from a child's summary to the supervision, oversight and
    visit forms, which refuse them."""
    child = make_child("Ada")
    plan = add_plan(child, worker, D(2025, 3, 3))
    url = reverse("people:record", args=[child.pk])
    supervision = reverse("recording:supervision-new", kwargs={"person_id": child.pk})
    visit = reverse("cin:visit-new", kwargs={"person_id": child.pk})
    review = reverse("cin:review-new", kwargs={"person_id": child.pk, "plan_id": plan.pk})

    as_iro = signed_in(iro).get(url).text
    assert f'href="{supervision}"' not in as_iro
    assert signed_in(iro).get(supervision).status_code == 403
    assert sorted(rules_of(as_iro)) == [
        "cin-plan-review",
        "cin-visit",
        "management-oversight",
        "supervision",
    ]
    assert "For the team manager, Tess Manager" in row_of(as_iro, "supervision")
    assert "For the team manager, Tess Manager" in row_of(as_iro, "management-oversight")
    assert f'href="{visit}"' not in as_iro
    assert "For the social worker, Sam Worker" in row_of(as_iro, "cin-visit")
    # A children in need plan review is the social worker's work, not the IRO's.
    assert f'href="{review}"' not in as_iro
    assert "For the social worker, Sam Worker" in row_of(as_iro, "cin-plan-review")

    as_worker = signed_in(worker).get(url).text
    assert f'href="{visit}"' in as_worker
    assert f'href="{supervision}"' not in as_worker
    assert "For the team manager, Tess Manager" in row_of(as_worker, "supervision")

    as_manager = signed_in(manager).get(url).text
    assert f'href="{supervision}"' in as_manager
    assert f'href="{visit}"' in as_manager
    assert "For the" not in as_manager


def test_the_summary_names_the_iro_for_a_looked_after_childs_review(
    worker: User, iro: User, make_child: MakeChild, signed_in: SignIn
) -> None:
    child = make_child("Eli")
    looked_after(child, worker, iro)
    url = reverse("people:record", args=[child.pk])
    review = reverse("lookedafter:review-new", kwargs={"person_id": child.pk})
    visit = reverse("lookedafter:visit-new", kwargs={"person_id": child.pk})

    as_worker = signed_in(worker).get(url).text
    assert f'href="{visit}"' in as_worker  # the visit is the worker's: on its form
    assert f'href="{review}"' not in as_worker
    [review_rule] = [r for r in rules_of(as_worker) if r.startswith("lac-review")]
    assert "For the IRO, Ana Chair" in row_of(as_worker, review_rule)

    as_iro = signed_in(iro).get(url).text
    assert f'href="{review}"' in as_iro
    assert "For the IRO" not in as_iro


def test_the_summary_says_when_nobody_is_allocated_to_do_it(
    worker: User, make_child: MakeChild, signed_in: SignIn, iro: User
) -> None:
    child = make_child("Cai", allocated_to="team")  # the team has a manager, no worker yet
    add_plan(child, worker, D(2025, 3, 3))
    text = signed_in(iro).get(reverse("people:record", args=[child.pk])).text
    assert "For the social worker: none allocated" in text
    assert "For the social worker: none allocated" in row_of(text, "cin-visit")


# --- My work and the chair's page -----------------------------------------------------------


def test_a_returned_assessment_is_due_again_for_the_worker_until_resubmitted(
    worker: User, manager: User, make_child: MakeChild, signed_in: SignIn
) -> None:
    """Issue 22: after a manager returned an assessment, the worker's My work did not say
    it had come back, or why."""
    child = make_child("Ada")
    assessment = add_assessment(child, worker, Assessment.Status.SUBMITTED)
    client = signed_in(worker)
    assessment_actions.return_assessment(
        acting_user=manager, assessment=assessment, reasons="Please add the child's own words."
    )
    today = timezone.localdate()
    text = client.get(reverse("mywork:mine")).text
    row = row_of(text, "single-assessment")
    assert "Assessment returned for changes" in row
    assert f"Returned on {today.day} {today:%B} {today.year}" in row
    assert "Please add the child&#x27;s own words." in row
    assert f'href="{reverse("assessments:edit", args=[assessment.pk])}"' in row

    assessment.refresh_from_db()
    assessment = fill(assessment, worker, date_child_seen=assessment.start_date)
    assessment_actions.submit_assessment(acting_user=worker, assessment=assessment)
    # Submitted again, it is no longer the worker's to do.
    assert "single-assessment" not in rules_of(client.get(reverse("mywork:mine")).text)
    # It is the manager's to authorise, and no longer says it was returned.
    team = signed_in(manager).get(reverse("mywork:team")).text
    assert "Assessment awaiting authorisation" in row_of(team, "single-assessment")
    assert "Returned on" not in team


def test_the_chairs_page_lists_only_the_reviews_the_user_may_chair(
    worker: User,
    make_user: Callable[..., User],
    make_child: MakeChild,
    signed_in: SignIn,
) -> None:
    """A conference chair who no longer chairs looked-after reviews (but is still some
    child's IRO) was sent to the review form, which refuses them."""
    chair_user = make_user(Role.SOCIAL_WORKER, username="cc", first_name="Cy")
    grants = {
        p: DjangoPermission.objects.get(codename=p.codename)
        for p in (Permission.CONFERENCE_CHAIR, Permission.REVIEW_CHAIR)
    }
    chair_user.user_permissions.add(*grants.values())
    chair_user = User.objects.get(pk=chair_user.pk)  # no cached permissions
    on_plan(make_child("Cora", allocated_to=chair_user), worker, chair_user)
    in_care = make_child("Eli", allocated_to=chair_user)
    looked_after(in_care, worker, chair_user)
    chair_user.user_permissions.remove(grants[Permission.REVIEW_CHAIR])
    conference_only = User.objects.get(pk=chair_user.pk)

    work = chair.chair_work(conference_only, timezone.localdate())
    assert work.caseload.total == 2
    assert {r.item.rule_code.rsplit("-", 1)[0] for r in work.work.rows} == {"rcpc"}
    text = signed_in(conference_only).get(reverse("mywork:chair")).text
    assert reverse("lookedafter:review-new", kwargs={"person_id": in_care.pk}) not in text


# --- The team page and a worker's page ------------------------------------------------------


def test_the_team_pages_workers_link_to_their_work(
    manager: User,
    worker: User,
    other_worker: User,
    make_user: Callable[..., User],
    make_child: MakeChild,
    signed_in: SignIn,
) -> None:
    """Issue 22: the team page's worker names were not links to their caseloads."""
    make_child("Ada")
    make_child("Bea", allocated_to=other_worker)
    visitor = make_user(Role.SOCIAL_WORKER, first_name="Vic", last_name="Away", team=None)
    make_child("Hal", allocated_to=visitor)  # held by someone outside the team
    text = signed_in(manager).get(reverse("mywork:team")).text
    for member in (worker, other_worker):
        link = reverse("mywork:worker", args=[member.pk])
        assert re.search(rf'href="{link}">{member.get_full_name()}<', text)
    assert reverse("mywork:worker", args=[visitor.pk]) not in text
    assert "Vic Away" in text


def test_a_workers_page_shows_everything_due_for_their_children_as_the_manager_sees_it(
    manager: User,
    worker: User,
    other_worker: User,
    iro: User,
    make_child: MakeChild,
    signed_in: SignIn,
) -> None:
    ada = make_child("Ada")
    plan = add_plan(ada, worker, D(2025, 3, 3))
    eli = make_child("Eli")
    looked_after(eli, worker, iro)
    make_child("Bea", allocated_to=other_worker)
    response = signed_in(manager).get(reverse("mywork:worker", args=[worker.pk]))
    assert response.status_code == 200
    text = response.text
    assert "Sam Worker" in text
    assert re.search(r'id="count-children">2<', text)
    rules = rules_of(text)
    assert {"cin-visit", "cin-plan-review", "supervision", "management-oversight"} <= set(rules)
    assert any(rule.startswith("lac-review") for rule in rules)
    assert "Bea" not in text  # another worker's child
    # The manager's own work and the worker's are linked; the IRO's says whose it is.
    assert reverse("recording:supervision-new", kwargs={"person_id": ada.pk}) in text
    assert reverse("cin:review-new", kwargs={"person_id": ada.pk, "plan_id": plan.pk}) in text
    [review_rule] = [r for r in rules if r.startswith("lac-review")]
    assert "For the IRO, Ana Chair" in row_of(text, review_rule)
    assert reverse("lookedafter:review-new", kwargs={"person_id": eli.pk}) not in text
    # The team page counts the same children and work for the worker.
    team = signed_in(manager).get(reverse("mywork:team"))
    [line] = [line for line in team.context["team"].workers if line.worker == worker]
    assert line.caseload == 2
    assert line.overdue == sum(1 for r in response.context["work"].rows if r.is_overdue)


def test_a_workers_page_is_only_for_members_of_the_managers_teams(
    manager: User,
    worker: User,
    make_user: Callable[..., User],
    signed_in: SignIn,
) -> None:
    url = reverse("mywork:worker", args=[worker.pk])
    elsewhere = TeamFactory.create(name="Another team")
    other_manager = make_user(Role.TEAM_MANAGER, username="tm2", manages=elsewhere)
    assert signed_in(other_manager).get(url).status_code == 404
    assert signed_in(worker).get(url).status_code == 403  # no allocating, no team pages
    assert signed_in(manager).get(url).status_code == 200
    missing = reverse("mywork:worker", args=[worker.pk + 1000])
    assert signed_in(manager).get(missing).status_code == 404


def test_a_workers_page_leaves_out_children_the_manager_may_not_see(
    manager: User,
    worker: User,
    make_child: MakeChild,
    signed_in: SignIn,
) -> None:
    mine = make_child("Ada")
    elsewhere: Team = TeamFactory.create(name="Another team")
    held_elsewhere = make_child("Ola")
    held_elsewhere.allocations.update(team=elsewhere)  # write-outside-actions: test set-up
    text = signed_in(manager).get(reverse("mywork:worker", args=[worker.pk])).text
    assert reverse("people:record", args=[mine.pk]) in text
    assert reverse("people:record", args=[held_elsewhere.pk]) not in text
    assert re.search(r'id="count-children">1<', text)


def test_a_workers_page_makes_the_same_number_of_queries_for_two_children_or_twenty(
    manager: User,
    worker: User,
    iro: User,
    make_child: MakeChild,
    signed_in: SignIn,
    django_assert_max_num_queries: Any,
) -> None:
    client = signed_in(manager)
    url = reverse("mywork:worker", args=[worker.pk])
    client.get(url)

    def add(n: int) -> None:
        for i in range(n):
            child = make_child()
            add_plan(child, worker, D(2025, 3, 3))
            add_assessment(child, worker, Assessment.Status.SUBMITTED)
            if i % 2:
                looked_after(child, worker, iro)

    add(2)
    # 30: the page's 24, 3 for case audits and IRO challenges, and the audit event naming the
    # children shown (chain lock, head, insert).
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    add(18)
    with django_assert_max_num_queries(30) as many:
        response = client.get(url)
    assert re.search(r'id="count-children">20<', response.text)
    assert len(many) == len(few)
