"""A subject access pack for a child in a real browser: the director assembles it from My
work, reviews the proposed redactions (removes one, adds one, each with a reason), the QA lead
approves it as the second person, and the director downloads the PDF, in which no redacted
name is left. The pages pass axe-core."""

from __future__ import annotations

import datetime
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from caseline.apps.accounts.demo import ensure_demo_users
from caseline.apps.accounts.models import User
from caseline.apps.audit.models import AuditEvent
from caseline.apps.chronology.models import AgencyEvent
from caseline.apps.people.models import Person, Relationship
from caseline.apps.subjectaccess.actions import record_request
from caseline.apps.subjectaccess.models import AccessPack
from tests.browser.conftest import axe_violations, describe, sign_in
from tests.factories import PersonFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils needed"),
]


@pytest.fixture
def child(transactional_db: None) -> Person:
    """Kit Lantern, whose mother's record mentions him; his request recorded by the director."""
    ensure_demo_users()
    director = User.objects.get(username="director")
    kit = PersonFactory.create(
        given_name="Kit", family_name="Lantern", date_of_birth=datetime.date(2012, 4, 2)
    )
    mother = PersonFactory.create(given_name="Ivy", family_name="Marsh")
    Relationship.objects.create(person=mother, other=kit, kind=Relationship.Kind.PARENT)
    for person, what in (
        (kit, "Kit told the teacher that Ivy and her friend Bram argued."),
        (mother, "Ivy Marsh said Kit was at school all week."),
    ):
        AgencyEvent.objects.create(
            person=person,
            event_date=datetime.date(2021, 3, 1),
            agency="School",
            what_happened=what,
            why_it_matters="Reported by the school",
            recorded_by=director,
        )
    record_request(
        acting_user=director,
        person=kit,
        requester="parent",
        received_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    return kit


def _check_axe(page: Any) -> None:
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_a_pack_is_assembled_redacted_approved_and_produced(
    page: Any, live_server: Any, child: Person, tmp_path: Path
) -> None:
    sign_in(page, live_server, "director")
    page.goto(f"{live_server.url}/my-work/")
    page.get_by_role("link", name="Pack for the request about Kit Lantern").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Subject access pack")
    _check_axe(page)
    page.get_by_role("link", name="Assemble the pack").click()
    page.get_by_role("button", name="Assemble the pack").click()
    expect(page.get_by_text("Pack assembled: review the proposed redactions")).to_be_visible()
    expect(page.get_by_text("Awaiting approval")).to_be_visible()
    _check_axe(page)

    # The mother's first name alone is released (Kit knows it); her full name stays redacted.
    page.get_by_role("link", name="Remove the redaction of Ivy", exact=True).click()
    page.get_by_role("button", name="Remove the redaction").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter why the redaction is removed"
    )
    page.get_by_label("Why is this released?").fill("Kit knows his mother's first name")
    page.get_by_role("button", name="Remove the redaction").click()
    page.get_by_role("link", name="Add a redaction").click()
    page.get_by_label("Words to redact").fill("Bram")
    page.get_by_label("Why are they redacted?").fill("A third party's name, not on the record")
    page.get_by_role("button", name="Add the redaction").click()
    expect(page.get_by_text("Redaction added")).to_be_visible()
    # Not producible before approval.
    expect(page.get_by_role("link", name="Download the pack (PDF)")).to_have_count(0)

    page.context.clear_cookies()
    sign_in(page, live_server, "qa.lead")
    page.goto(f"{live_server.url}/my-work/")
    page.get_by_role("link", name="Approve the pack about Kit Lantern").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Approve the pack")
    _check_axe(page)
    page.get_by_label("I have reviewed the pack and its redactions and approve its release").check()
    page.get_by_role("button", name="Approve the pack").click()
    expect(page.get_by_text("Pack approved: it may now be produced")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, live_server, "director")
    pack = AccessPack.objects.get()
    page.goto(f"{live_server.url}/subject-access/{pack.request_id}/pack/")
    expect(page.get_by_text("Approved", exact=True)).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the pack (PDF)").click()
    path = tmp_path / "pack.pdf"
    download.value.save_as(path)
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
        ).stdout.split()
    )
    assert "Subject access pack for Kit Lantern" in text
    assert "Index" in text
    assert "Marsh" not in text
    assert "Bram" not in text
    assert "[REDACTED] said Kit was at school all week." in text
    assert "that Ivy and her friend [REDACTED] argued." in text
    assert AuditEvent.objects.filter(extra__export="Subject access pack PDF").exists()
    # The request stays on My work until its answer is recorded.
    page.goto(f"{live_server.url}/my-work/")
    expect(page.get_by_role("link", name="Pack for the request about Kit Lantern")).to_be_visible()
