"""Every page that shows an assessment's due date shows it as ``includes/due_date.html`` does:
with a note when it rests on bank holidays not yet confirmed. And the edit page says the
timescale of the rule in force, not always 45 working days."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client

from caseline.apps.accounts.models import Team, User
from caseline.apps.assessments import actions
from caseline.apps.assessments.models import Assessment
from caseline.apps.assessments.providers import summary_blocks
from caseline.apps.assessments.queries import due_date, timescale
from caseline.apps.assessments.tests.conftest import fill
from caseline.apps.frontdoor.models import Referral
from caseline.apps.people.models import Person
from tests.factories import ChildFactory

D = datetime.date
pytestmark = pytest.mark.django_db
# Referred on Monday 30 November 2026: 45 working days on is in February 2027, and the count
# crosses the bank holidays of 2027, which the calendar has computed, not yet confirmed.
REFERRED = D(2026, 11, 30)
DUE = "4 February 2027"
NOTE = "(bank holidays for 2027 not yet confirmed)"


@pytest.fixture
def unconfirmed(make_child: Callable[..., Person], team: Team, worker: User) -> Assessment:
    child = make_child("Nia", team=team, referral_date=REFERRED)
    assessment = actions.start_assessment(acting_user=worker, child=child, start_date=REFERRED)
    assert due_date(assessment) == D(2027, 2, 4)
    return assessment


def signed_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def between(page: str, start: str, end: str) -> str:
    return page.split(start, 1)[1].split(end, 1)[0]


def test_the_pages_of_an_assessment_say_its_due_date_may_move(
    client: Client, worker: User, unconfirmed: Assessment
) -> None:
    signed_in(client, worker)
    detail = client.get(f"/assessments/{unconfirmed.pk}/").content.decode()
    due = between(detail, "Due</dt>", "</dd>")
    assert DUE in due
    assert NOTE in due
    listed = client.get(f"/assessments/record/{unconfirmed.person_id}/").content.decode()
    row = between(listed, "<tbody", "</tr>")
    assert DUE in row
    assert NOTE in row
    edit = client.get(f"/assessments/{unconfirmed.pk}/edit/").content.decode()
    assert (
        f'Due {DUE} <span class="govuk-body-s">{NOTE}</span> (45 working days from the '
        "referral on 30 November 2026)."
    ) in edit
    [block] = summary_blocks(unconfirmed.person, D(2026, 12, 2))
    assert dict(block.rows)["Timescale"] == f"Due {DUE} {NOTE}"


def test_the_manager_awaiting_it_is_told_too(
    client: Client, worker: User, manager: User, unconfirmed: Assessment
) -> None:
    fill(unconfirmed, worker, date_child_seen=REFERRED)
    actions.submit_assessment(acting_user=worker, assessment=unconfirmed)
    page = signed_in(client, manager).get("/assessments/awaiting-authorisation/")
    row = between(page.content.decode(), "Nia Testchild", "</tr>")
    assert DUE in row
    assert NOTE in row


def test_a_firm_due_date_has_no_note(client: Client, worker: User, assessment: Assessment) -> None:
    detail = signed_in(client, worker).get(f"/assessments/{assessment.pk}/").content.decode()
    assert "10 March 2025" in between(detail, "Due</dt>", "</dd>")
    assert "not yet confirmed" not in detail


def _before_2013(worker: User, team: Team, referral: D, *starts: D) -> list[Assessment]:
    """Assessments of a referral from before the single assessment, as a migration would
    bring them."""
    child = ChildFactory.create(
        date_of_birth=D(2008, 1, 1), team=team, allocated_on=referral, referral_date=referral
    )
    made = Referral.objects.get(person=child)
    return [
        Assessment.objects.create(person=child, referral=made, start_date=start, recorded_by=worker)
        for start in starts
    ]


def test_the_edit_page_says_the_timescale_in_force_on_the_referral(
    client: Client, worker: User, team: Team
) -> None:
    """Before 15 April 2013: the initial assessment, 10 working days from the referral, and
    the core assessment after it, 35 working days from its start."""
    initial, core = _before_2013(worker, team, D(2012, 3, 1), D(2012, 3, 1), D(2012, 3, 20))
    signed_in(client, worker)
    page = client.get(f"/assessments/{initial.pk}/edit/").content.decode()
    assert "Due 15 March 2012 (10 working days from the referral on 1 March 2012)." in page
    assert "45 working days" not in between(page, "<h1", "</p>")
    page = client.get(f"/assessments/{core.pk}/edit/").content.decode()
    assert "Due 11 May 2012 (35 working days from its start on 20 March 2012)." in page
    assert (timescale(core).interval, timescale(core).counted_from) == (
        "35 working days",
        "its start",
    )
