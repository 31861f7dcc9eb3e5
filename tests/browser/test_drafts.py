"""What a social worker types into a long form is kept in the browser tab: put back when they
come back after their session ended, discarded when they ask, and gone once saved."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from caseline.apps.accounts.demo import ensure_demo_users
from caseline.apps.accounts.models import Team, User
from caseline.apps.people.models import Allocation, Person
from caseline.apps.recording.models import CaseNote
from tests.browser.conftest import axe_violations, describe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DRAFTS = "() => Object.keys(sessionStorage).filter(k => k.startsWith('caseline-draft:'))"


@pytest.fixture
def child(transactional_db: None) -> Person:
    ensure_demo_users()
    person = Person.objects.create(
        given_name="Nell", family_name="Drafttest", date_of_birth=datetime.date(2016, 6, 1)
    )
    Allocation.objects.create(
        person=person,
        team=Team.objects.get(name="Assessment Team North"),
        worker=User.objects.get(username="social.worker"),
        start_date=timezone.localdate() - datetime.timedelta(days=60),
    )
    return person


def _type_note(page: Any, title: str, body: str) -> None:
    page.get_by_label("Title").fill(title)
    page.get_by_label("What happened").fill(body)
    page.wait_for_function(  # kept once typing pauses
        f"({DRAFTS})().some(k => sessionStorage.getItem(k).includes({body!r}))"
    )


def _sign_in_again(page: Any, live_server: Any, url: str) -> None:
    """The session has ended: opening the form asks to sign in, then goes back to it."""
    page.goto(url)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    page.get_by_label("Username").fill("social.worker")
    page.get_by_label("Password").fill("caseline-demo")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(url)


def test_a_note_typed_before_the_session_ended_is_put_back_and_gone_once_saved(
    live_server: Any, page: Any, child: Person
) -> None:
    url = f"{live_server.url}/recording/record/{child.pk}/notes/new/"
    banner = page.locator("#draft-restored")
    sign_in(page, live_server, "social.worker")
    page.goto(url)
    _type_note(page, "Home visit after school", "Nell showed me her drawings of the new flat.")

    page.context.clear_cookies()  # the session ends (or the server forgot it)
    _sign_in_again(page, live_server, url)
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("We restored what you typed earlier")
    expect(page.get_by_label("Title")).to_have_value("Home visit after school")
    expect(page.get_by_label("What happened")).to_have_value(
        "Nell showed me her drawings of the new flat."
    )
    violations = axe_violations(page)
    assert not violations, describe(violations)

    # Discarded on request: the form is as the server gave it, and stays so.
    page.get_by_role("button", name="Discard what was restored").click()
    expect(banner).to_be_hidden()
    expect(page.get_by_label("Title")).to_have_value("")
    assert page.evaluate(DRAFTS) == []
    page.reload()
    expect(banner).to_be_hidden()

    # Typed again, and saved: the draft goes with the save.
    _type_note(page, "Visit to school", "Nell is settled in class.")
    page.locator("#id_occurred_on_0").fill(str(timezone.localdate().day))
    page.locator("#id_occurred_on_1").fill(str(timezone.localdate().month))
    page.locator("#id_occurred_on_2").fill(str(timezone.localdate().year))
    page.get_by_label("Visit", exact=True).check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    assert CaseNote.objects.filter(person=child, title="Visit to school").exists()
    assert page.evaluate(DRAFTS) == []
    page.goto(url)
    expect(banner).to_be_hidden()
    expect(page.get_by_label("Title")).to_have_value("")


def test_signing_out_clears_the_drafts(live_server: Any, page: Any, child: Person) -> None:
    url = f"{live_server.url}/recording/record/{child.pk}/notes/new/"
    sign_in(page, live_server, "social.worker")
    page.goto(url)
    _type_note(page, "Phone call", "Nell's mother rang about the review.")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    assert page.evaluate(DRAFTS) == []
