"""A social worker opens an allocated child's chronology, filters it to significant events and
the page passes axe-core with no violations."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from caseline.apps.accounts.demo import ensure_demo_users
from caseline.apps.accounts.models import Team, User
from caseline.apps.chronology.queries import ChronologyFilter, chronology_for
from caseline.apps.chronology.tests.builders import Cast, build_child_with_every_event
from caseline.apps.people.models import Allocation, Person
from tests.browser.conftest import axe_violations, describe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def child(transactional_db: None) -> Person:
    ensure_demo_users()
    team = Team.objects.get(name="Assessment Team North")
    worker = User.objects.get(username="social.worker")
    cast = Cast(
        front_door=User.objects.get(username="front.door"),
        worker=worker,
        manager=User.objects.get(username="team.manager"),
        team=team,
    )
    person, _ = build_child_with_every_event(cast)
    Allocation.objects.filter(person=person, end_date__isnull=True).update(worker=worker)
    return person


def test_a_social_worker_filters_the_chronology_to_significant_events(
    live_server: Any, page: Any, child: Person
) -> None:
    everything = chronology_for(child)
    significant = chronology_for(child, ChronologyFilter(significant_only=True))
    sign_in(page, live_server, "social.worker")
    page.goto(f"{live_server.url}/chronology/record/{child.pk}/")
    assert page.title() == "Chronology - Mia Chronotest - Caseline"
    rows = page.locator("table.app-chronology tbody tr")
    expect(rows).to_have_count(len(everything))
    main = page.locator("main")
    expect(main).to_contain_text("Single assessment started.")
    # Codes in plain words, each type and source said once, and the time where there is one.
    expect(main).to_contain_text("Contact from the police: Police called to the home")
    expect(main).to_contain_text("Referral to children's social care from a school.")
    expect(main).not_to_contain_text("(source")
    born = rows.filter(has_text="Mia was born.")
    expect(born.locator("td").last).to_have_text("Family events")
    contact = rows.filter(has_text="Contact from Northtown Primary School (a school)")
    expect(contact.locator("td").first).to_have_text(re.compile(r"^9 Jan 2023\s*10:00$"))
    expect(contact.locator("td").last).to_have_text(
        re.compile(r"^\s*Contacts\s*Front door\s*Recorded by Farah Doorley\s*$")
    )
    violations = axe_violations(page)
    assert violations == [], describe(violations)

    page.get_by_label("Significant events only").check()
    page.get_by_role("button", name="Apply filter").click()
    expect(page.locator("#chronology-count")).to_contain_text(
        f"{len(significant)} events, {len(significant)} significant"
    )
    expect(page.locator("#chronology-count")).to_contain_text("Showing significant events only")
    expect(rows).to_have_count(len(significant))
    expect(rows.locator(".govuk-tag", has_text="Significant")).to_have_count(len(significant))
    expect(main).not_to_contain_text("Single assessment started.")
    expect(main).to_contain_text("Mia's father, Dean Chronotest, died.")
    expect(main).to_contain_text(
        "Assessment authorised by Tess Manning: outcome child in need plan."
    )
    pdf_link = page.get_by_role("link", name="Download as PDF")
    assert "significant_only=on" in (pdf_link.get_attribute("href") or "")
    violations = axe_violations(page)
    assert violations == [], describe(violations)

    # Printed, the page is the chronology alone: no service header, navigation or filter.
    page.emulate_media(media="print")
    expect(page.locator("form[method=get]")).to_be_hidden()
    expect(page.locator(".moj-sub-navigation")).to_be_hidden()
    expect(page.get_by_role("link", name="Download as PDF")).to_be_hidden()
    expect(page.locator("table.app-chronology")).to_be_visible()
