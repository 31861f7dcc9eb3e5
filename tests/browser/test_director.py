"""The director's page in a real browser: each headline's chart and table, a figure followed to
the children it counts; the page passes axe-core."""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from caseline.apps.accounts.demo import ensure_demo_users
from caseline.apps.accounts.models import User
from caseline.apps.indicators.tests.builders import Record
from caseline.apps.people.models import Person
from tests.browser.conftest import axe_violations, describe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = datetime.date
QUERY = "as_at_day=31&as_at_month=3&as_at_year=2026&period=collection-year&scope=authority"


@pytest.fixture
def late(transactional_db: None) -> Person:
    """Two assessments authorised in September 2025: one in 45 working days, one in 46."""
    ensure_demo_users()
    record = Record(User.objects.get(username="social.worker"))
    child = record.child(given_name="Lena", family_name="Late")
    record.assessment(child, D(2025, 7, 21), D(2025, 9, 24))
    on_time = record.child(given_name="Ona", family_name="Time")
    record.assessment(on_time, D(2025, 7, 21), D(2025, 9, 23))
    # The daily job has counted the past months (ADR 0038), as it would have overnight.
    call_command("indicator_trends", "--as-at", "2026-03-31", stdout=io.StringIO())
    return child


def test_the_director_sees_chart_and_table_and_follows_a_figure_to_its_children(
    live_server: Any, page: Any, late: Person
) -> None:
    sign_in(page, live_server, "director")
    page.goto(f"{live_server.url}/indicators/director/?{QUERY}")
    expect(page.get_by_role("heading", level=1)).to_have_text("How we are doing: headline measures")
    section = page.locator("#measure-AS1")
    # The chart is drawn by Chart.js into its canvas; the same figures are in the table.
    page.wait_for_function(
        "() => window.Chart && window.Chart.getChart("
        "document.querySelector('[data-trend-chart=AS1] canvas'))"
    )
    drawn = page.evaluate(
        "() => window.Chart.getChart(document.querySelector('[data-trend-chart=AS1] canvas'))"
        ".data.datasets.map(d => [d.label, d.data[d.data.length - 1], d.data[16]])"
    )
    # The latest month counted with the page; August 2025 (nothing authorised yet) as kept.
    assert drawn == [["The whole authority", 50, None], ["England", 85.7, 85.7]]
    table = section.locator("table.app-trend__table")
    expect(table.get_by_role("row")).to_have_count(25)
    expect(table.get_by_role("row").last).to_contain_text("50%")
    violations = axe_violations(page)
    assert violations == [], describe(violations)

    table.get_by_role("row").last.get_by_role("link", name="50%").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Assessments authorised within 45 working days"
    )
    expect(page.get_by_role("heading", name="50% (1 of 2)")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Lena Late")).to_contain_text("46 to 50")
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_the_journey_diagram_opens_onto_the_children_in_a_band(
    live_server: Any, page: Any, late: Person
) -> None:
    sign_in(page, live_server, "director")
    page.goto(f"{live_server.url}/indicators/journey/?{QUERY}")
    expect(page.get_by_role("heading", level=1)).to_have_text("The child's journey")
    expect(page.locator("#journey-table")).to_be_visible()
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    # The assessment band: the two children assessed, each once, with the day they started.
    page.locator('svg a[data-band="assessment"] text').click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Assessment")
    expect(page.get_by_role("heading", name="2 children")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Lena Late")
    expect(row).to_contain_text("21 July 2025")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    row.get_by_role("link", name="Lena Late").click()
    expect(page).to_have_url(f"{live_server.url}/people/{late.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Summary")


def test_the_chart_draws_the_neighbours_average_beside_england(
    live_server: Any, page: Any, late: Person, settings: Any, tmp_path: Path
) -> None:
    figures = tmp_path / "figures.csv"
    figures.write_text(
        "la_number,measure,value,unit,numerator,denominator,period,source\n"
        "840,assessments_within_45_working_days,80,percent,,,2024-25,Hand-built\n"
        "343,assessments_within_45_working_days,90,percent,,,2024-25,Hand-built\n",
        encoding="utf-8",
    )
    settings.CASELINE_LOCAL_AUTHORITY_FIGURES = str(figures)
    sign_in(page, live_server, "director")
    page.goto(f"{live_server.url}/indicators/director/?{QUERY}")
    page.wait_for_function(
        "() => window.Chart && window.Chart.getChart("
        "document.querySelector('[data-trend-chart=AS1] canvas'))"
    )
    drawn = page.evaluate(
        "() => window.Chart.getChart(document.querySelector('[data-trend-chart=AS1] canvas'))"
        ".data.datasets.map(d => [d.label, d.data[d.data.length - 1], d.pointStyle || ''])"
    )
    assert drawn == [
        ["The whole authority", 50, "circle"],
        ["England", 85.7, ""],
        ["Statistical neighbours", 85, "triangle"],
    ]
    row = page.locator("#measure-AS1 table.app-trend__table").get_by_role("row").last
    expect(row).to_contain_text("85%")
