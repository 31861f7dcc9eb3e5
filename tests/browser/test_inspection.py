"""The quality assurance lead imports Ofsted's 2011 report on Wirral in a real browser, checks
what was read beside the report's text, corrects one grade and confirms; the pages pass
axe-core."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from caseline.apps.accounts.demo import ensure_demo_users
from caseline.apps.inspection.models import Inspection
from caseline.apps.inspection.tests.conftest import WIRRAL_2011
from tests.browser.conftest import axe_violations, describe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_qa_lead_imports_corrects_and_confirms_a_report(live_server: Any, page: Any) -> None:
    ensure_demo_users()
    sign_in(page, live_server, "qa.lead")
    page.get_by_role("link", name="Inspection").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inspection")
    page.get_by_role("link", name="Import an inspection report").click()
    violations = axe_violations(page)
    assert violations == [], describe(violations)

    page.get_by_label("Upload the report").set_input_files(str(WIRRAL_2011))
    page.get_by_role("button", name="Read the report").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check what was read from the report")
    expect(page.get_by_label("Authority inspected")).to_have_value(
        "Wirral Metropolitan Borough Council"
    )
    expect(page.get_by_label("Area for improvement 1", exact=True)).to_have_value(
        "Ensure the records of assessments include the risk and protective factors."
    )
    expect(page.get_by_role("region", name="The report's text")).to_contain_text(
        "Record of main findings"
    )
    violations = axe_violations(page)
    assert violations == [], describe(violations)

    expect(page.get_by_label("Judgement 10: area")).to_have_value("Equality and diversity")
    page.get_by_label("Judgement 10: grade").select_option("Good")
    page.get_by_role("button", name="Confirm and save the inspection").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Inspection saved")
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Wirral Metropolitan Borough Council: inspection 24 January 2011 to 4 February 2011"
    )
    row = page.locator("#judgements tbody tr").nth(9)
    expect(row).to_contain_text("Equality and diversity")
    expect(row).to_contain_text("Good")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    inspection = Inspection.objects.get()
    assert inspection.judgements.get(position=9).grade == "good"
    assert inspection.areas.count() == 7
