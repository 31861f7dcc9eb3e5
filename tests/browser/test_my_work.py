"""My work, the team page and a child's summary in the browser (issue 22): every work link a
person is given opens a page they may use; the rest of the work says whose it is; a returned
assessment comes back to the worker; the team page's workers link to their work. The pages
pass axe-core with no violations."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from caseline.apps.accounts.demo import ensure_demo_users
from caseline.apps.accounts.models import Team, User
from caseline.apps.assessments import actions as assessment_actions
from caseline.apps.assessments.models import Assessment
from caseline.apps.mywork.tests.conftest import add_assessment, add_plan
from caseline.apps.people.models import Person
from tests.browser.conftest import axe_violations, describe, sign_in
from tests.factories import ChildFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def child(transactional_db: None) -> Person:
    """Sam Worth's child on a child in need plan (its visit overdue; supervision and
    oversight due for the manager), with an assessment awaiting sign-off."""
    ensure_demo_users()
    worker = User.objects.get(username="social.worker")
    today = timezone.localdate()
    person = ChildFactory.create(
        given_name="Nell",
        family_name="Browsertest",
        date_of_birth=datetime.date(2016, 6, 1),
        team=Team.objects.get(name="Assessment Team North"),
        worker=worker,
        allocated_on=today - datetime.timedelta(days=60),
        referral_date=today - datetime.timedelta(days=60),
    )
    add_plan(person, worker, today - datetime.timedelta(days=45))
    add_assessment(person, worker, Assessment.Status.SUBMITTED)
    return person


def _work_links(page: Any) -> list[str]:
    """The links of the work column of the page's work table."""
    return list(
        page.locator("#work tbody tr td:nth-child(2) a").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
        )
    )


def _opens(page: Any, live_server: Any, href: str) -> int:
    response = page.goto(f"{live_server.url}{href}")
    assert response is not None
    return int(response.status)


def test_the_worker_is_sent_only_where_they_may_work_and_told_whose_the_rest_is(
    live_server: Any, page: Any, child: Person
) -> None:
    sign_in(page, live_server, "social.worker")
    page.goto(f"{live_server.url}/my-work/")
    expect(page.locator("#work")).to_contain_text("Child in need visit")
    expect(page.locator("#work")).not_to_contain_text("Supervision due")
    expect(page.locator("#work")).not_to_contain_text("awaiting authorisation")
    expect(page.locator("#for-others")).to_contain_text("3 more items due for your children")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    links = _work_links(page)
    assert len(links) == 2  # the visit and the plan review
    for href in links:
        assert _opens(page, live_server, href) == 200, href

    page.goto(f"{live_server.url}/people/{child.pk}/")
    supervision = page.locator("tr[data-rule='supervision']")
    expect(supervision).to_contain_text("For the team manager, Tess Manning")
    expect(supervision.get_by_role("link")).to_have_count(0)
    expect(page.locator("tr[data-rule='cin-visit']").get_by_role("link")).to_have_count(1)
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_the_iro_sees_the_childs_work_and_whose_it_is(
    live_server: Any, page: Any, child: Person
) -> None:
    sign_in(page, live_server, "iro")
    page.goto(f"{live_server.url}/people/{child.pk}/")
    visit = page.locator("tr[data-rule='cin-visit']")
    expect(visit).to_contain_text("For the social worker, Sam Worth")
    expect(visit.get_by_role("link")).to_have_count(0)
    expect(page.locator("tr[data-rule='management-oversight']")).to_contain_text(
        "For the team manager, Tess Manning"
    )
    hrefs = page.locator("table tr[data-rule] a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    for href in hrefs:
        assert _opens(page, live_server, href) == 200, href


def test_a_returned_assessment_comes_back_to_the_worker(
    live_server: Any, page: Any, child: Person
) -> None:
    assessment = Assessment.objects.get(person=child)
    assessment_actions.return_assessment(
        acting_user=User.objects.get(username="team.manager"),
        assessment=assessment,
        reasons="Please add Nell's own words about school.",
    )
    sign_in(page, live_server, "social.worker")
    page.goto(f"{live_server.url}/my-work/")
    row = page.locator("#work tr[data-rule='single-assessment']")
    expect(row).to_contain_text("Assessment returned for changes")
    today = timezone.localdate()
    expect(row).to_contain_text(f"Returned on {today.day} {today:%B} {today.year}")
    expect(row).to_contain_text("Please add Nell's own words about school.")
    row.get_by_role("link", name="Assessment returned for changes").click()
    expect(page).to_have_url(f"{live_server.url}/assessments/{assessment.pk}/edit/")


def test_the_manager_opens_a_workers_work_from_the_team_page(
    live_server: Any, page: Any, child: Person
) -> None:
    sign_in(page, live_server, "team.manager")
    page.goto(f"{live_server.url}/my-work/team/")
    page.locator("#workers").get_by_role("link", name="Sam Worth").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sam Worth")
    table = page.locator("#work")
    expect(table).to_contain_text("Nell Browsertest")
    for title in ("Child in need visit", "Supervision due", "Assessment awaiting authorisation"):
        expect(table.get_by_role("link", name=title)).to_have_count(1)
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    for href in _work_links(page):
        assert _opens(page, live_server, href) == 200, href
