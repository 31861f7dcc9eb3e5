"""An audit round in the browser, from sample to moderated results (issue 17): the QA lead
sets up the round, the team manager audits the child's record and submits, the social worker
reflects from My work, the director moderates and changes the grade, and the results open
onto the audit. The pages pass axe-core with no violations."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from importlib import import_module
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import expect

from caseline.apps.accounts.demo import ensure_demo_users
from caseline.apps.accounts.models import Team, User
from caseline.apps.people.models import Person
from caseline.apps.quality.models import AuditStatus, CaseAudit
from tests.browser.conftest import axe_violations, describe, sign_in
from tests.factories import ChildFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def default_audit_tool() -> None:
    """The default audit tool, as its data migration installs it: a browser test before this
    one empties every table when it ends, the migration's rows with them."""
    import_module("caseline.apps.quality.migrations.0002_default_audit_tool").install(apps, None)


@pytest.fixture
def child(transactional_db: None) -> Person:
    ensure_demo_users()
    today = timezone.localdate()
    return ChildFactory.create(
        given_name="Ola",
        family_name="Auditcase",
        date_of_birth=datetime.date(2017, 2, 3),
        team=Team.objects.get(name="Assessment Team North"),
        worker=User.objects.get(username="social.worker"),
        allocated_on=today - datetime.timedelta(days=120),
        referral_date=today - datetime.timedelta(days=120),
    )


@pytest.fixture
def as_user(browser: Any, live_server: Any) -> Iterator[Any]:
    """A new browser page signed in as the named demo user."""
    contexts = []

    def open_as(username: str) -> Any:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        sign_in(page, live_server, username)
        return page

    yield open_as
    for context in contexts:
        context.close()


def fill_date(page: Any, name: str, day: datetime.date) -> None:
    page.locator(f'input[name="{name}_day"]').fill(str(day.day))
    page.locator(f'input[name="{name}_month"]').fill(str(day.month))
    page.locator(f'input[name="{name}_year"]').fill(str(day.year))


def no_violations(page: Any) -> None:
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_an_audit_round_runs_from_sample_to_moderated_results(
    live_server: Any, as_user: Any, child: Person
) -> None:
    today = timezone.localdate()
    url = live_server.url

    # The QA lead sets up a round: one child from Assessment Team North.
    qa = as_user("qa.lead")
    qa.goto(f"{url}/quality/")
    no_violations(qa)
    qa.get_by_role("link", name="Set up an audit round").click()
    qa.get_by_label("Title").fill("Browser audit round")
    qa.get_by_label("Random, a number from each team").check()
    qa.get_by_label("How many children").fill("1")
    qa.get_by_label("Assessment Team North", exact=True).check()
    fill_date(qa, "as_at", today)
    fill_date(qa, "deadline", today + datetime.timedelta(days=21))
    qa.get_by_label("Seed (optional)").fill("2026")
    qa.locator("fieldset", has_text="Auditors").get_by_label("Tess Manning").check()
    qa.locator("fieldset", has_text="Moderators").get_by_label("Dee Rector").check()
    no_violations(qa)
    qa.get_by_role("button", name="Draw the sample and set up the round").click()
    expect(qa.get_by_role("heading", level=1)).to_have_text("Browser audit round")
    expect(qa.locator("main")).to_contain_text("2026")
    expect(qa.locator("main")).to_contain_text("Ola Auditcase")
    no_violations(qa)

    # The team manager audits the record and submits.
    auditor = as_user("team.manager")
    auditor.goto(f"{url}/quality/")
    auditor.get_by_role("link", name="Ola Auditcase").click()
    auditor.get_by_role("link", name="Record answers and grades").click()
    no_violations(auditor)
    grades = auditor.locator("select[name^='grade_']")
    for index in range(grades.count()):
        grades.nth(index).select_option("requires-improvement")
    auditor.locator("textarea[name^='answer_']").first.fill("Ola's words are not recorded.")
    auditor.get_by_label("Overall grade").select_option("requires-improvement")
    auditor.get_by_label("Summary: what made the difference to the child").fill(
        "Visits happen but Ola's voice is missing."
    )
    auditor.get_by_role("button", name="Save answers").click()
    expect(auditor.get_by_role("alert", name="Success")).to_contain_text("Answers saved")
    auditor.get_by_role("link", name="Set an action").click()
    auditor.get_by_label("Who").select_option(label="Sam Worth")
    auditor.get_by_label("What must be done").fill("Record Ola's own words at each visit")
    auditor.get_by_role("button", name="Save").click()
    auditor.get_by_role("link", name="Submit the audit").click()
    auditor.get_by_role("button", name="Submit for reflection and moderation").click()
    expect(auditor.locator("#audit-status")).to_have_text("Awaiting reflection and moderation")
    no_violations(auditor)

    # The social worker finds the reflection and the action in My work.
    worker = as_user("social.worker")
    worker.goto(f"{url}/my-work/")
    expect(worker.locator("#work")).to_contain_text("Audit action: Record Ola's own words")
    worker.locator("#work").get_by_role("link", name="Reflection on a case audit").click()
    worker.get_by_label("Your reflection").fill("I will write down what Ola tells me.")
    worker.get_by_role("button", name="Save reflection").click()
    expect(worker.get_by_role("heading", level=1)).to_have_text("Audits and IRO challenges")
    expect(worker.locator("main")).to_contain_text("Awaiting moderation")
    no_violations(worker)

    # The director moderates and changes the grade with a reason.
    director = as_user("director")
    director.goto(f"{url}/quality/")
    director.get_by_role("link", name="Ola Auditcase").click()
    director.get_by_role("link", name="Moderate the audit").click()
    director.get_by_label("Changed the grade").check()
    director.get_by_label("Moderated grade (if you change it)").select_option("inadequate")
    director.get_by_label("Reason").fill("No evidence Ola was seen alone in four months.")
    no_violations(director)
    director.get_by_role("button", name="Save moderation").click()
    expect(director.locator("#moderated-grade")).to_contain_text("Changed the grade: Inadequate")

    # The results count it, and the figure opens onto the audit.
    qa.goto(f"{url}/quality/results/")
    expect(qa.locator("#moderated-count")).to_have_text("1")
    no_violations(qa)
    month_table = qa.locator("table", has_text="By month moderated")
    month_table.get_by_role("link", name="1").first.click()
    expect(qa.get_by_role("heading", level=1)).to_contain_text("Moderated audits")
    qa.get_by_role("link", name="Ola Auditcase").click()
    expect(qa.locator("#audit-status")).to_have_text("Moderated")
    audit = CaseAudit.objects.get(person=child)
    assert (audit.status, audit.final_grade, audit.overall_grade) == (
        AuditStatus.MODERATED,
        "inadequate",
        "requires-improvement",
    )
