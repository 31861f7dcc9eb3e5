"""The committee's progress report on the Wirral plan as at 31 August 2011, as the council's
update report of 20 September 2011 gives it, and its PDF."""

from __future__ import annotations

import datetime
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from caseline.apps.accounts.models import User
from caseline.apps.audit.events import EventType
from caseline.apps.audit.models import AuditEvent
from caseline.apps.inspection import actions, queries
from caseline.apps.inspection.models import Inspection, PlanAction
from caseline.apps.inspection.report import committee_report

pytestmark = pytest.mark.django_db
AUGUST_31 = datetime.date(2011, 8, 31)
Status = PlanAction.Status


def numbers(items: list) -> list[int]:  # type: ignore[type-arg]
    return [item.action.number for item in items]


def test_the_plan_at_31_august_2011(wirral: Inspection) -> None:
    plan = queries.plan_for(wirral, AUGUST_31)

    assert len(plan.actions) == 44
    assert plan.counts[Status.ACHIEVED] == 22
    assert plan.counts[Status.ON_TRACK] == 20
    assert plan.counts[Status.DELAYED] == 2
    assert plan.counts[Status.NOT_STARTED] == 0
    assert plan.revised_count == 11
    areas = plan.report_areas
    assert [area.numbers for area in areas] == [
        "13",
        "14 to 17",
        "18 to 23",
        "24",
        "25 to 28",
        "29 to 34",
        "35 to 38",
    ]
    assert numbers(areas[1].achieved) == [14, 15, 17]
    assert numbers(areas[1].delayed) == [16]
    assert areas[1].delayed[0].target_date == datetime.date(2011, 9, 15)
    assert numbers(areas[2].achieved) == [19]
    assert numbers(areas[2].revised) == [18, 20, 21, 22, 23]
    assert {a.target_date for a in areas[2].revised} == {datetime.date(2011, 9, 30)}
    assert numbers(areas[6].revised) == [35, 38]
    [body] = plan.council_areas
    assert body.numbers == "39 to 56"
    assert len(body.achieved) == 12
    assert len(body.on_track) == 5
    assert numbers(body.delayed) == [53]


def test_the_plan_before_any_progress_was_recorded(wirral: Inspection) -> None:
    plan = queries.plan_for(wirral, datetime.date(2011, 8, 30))

    assert plan.counts == {Status.NOT_STARTED: 44}
    assert plan.revised_count == 0
    # Before the plan went to the committee, it had no actions.
    assert queries.plan_for(wirral, datetime.date(2011, 5, 31)).actions == []


def test_later_progress_does_not_change_the_report_for_31_august(
    wirral: Inspection, qa_lead: User
) -> None:
    actions.record_progress(
        acting_user=qa_lead,
        action=wirral.actions.get(number=16),
        entry_date=datetime.date(2011, 9, 14),
        status=Status.ACHIEVED,
        note="Post established",
    )

    assert queries.plan_for(wirral, AUGUST_31).counts[Status.DELAYED] == 2
    assert queries.plan_for(wirral, datetime.date(2011, 9, 14)).counts[Status.DELAYED] == 1


def test_the_report_reads_as_the_councils_did(wirral: Inspection) -> None:
    report = committee_report(wirral, queries.plan_for(wirral, AUGUST_31))

    assert report.summary[0].startswith(
        "This report outlines the progress made up to 31 August 2011 in implementing the "
        "improvement plan that follows Ofsted's inspection of Wirral Metropolitan Borough Council"
    )
    assert report.summary[1] == (
        "The inspection set 7 areas for improvement. The plan has 26 actions under them and "
        "18 actions the council drew from the body of the report."
    )
    assert report.summary[2] == (
        "Of the 44 actions, 22 have been achieved, 20 are on track, 2 are delayed and 0 not "
        "started; 11 have had their target date revised."
    )
    assert report.areas[1].paragraph == (
        "It has 4 actions (actions 14 to 17). Achieved: actions 14, 15 and 17. "
        "Action 16 is delayed, now expected by 15 September 2011."
    )
    assert report.areas[0].paragraph == "It has 1 action (action 13). All have been achieved."
    assert "Action 53 is delayed." in report.council[0].paragraph
    assert [section for section, _ in report.judgements] == [
        "Safeguarding services",
        "Services for looked after children",
    ]


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, timeout=60
    )
    return result.stdout.decode()


def test_the_report_as_a_pdf(
    wirral: Inspection, qa_lead: User, client: Client, tmp_path: Path
) -> None:
    client.force_login(qa_lead)

    response = client.get(
        f"/inspection/{wirral.pk}/progress-report.pdf",
        {"as_at_day": "31", "as_at_month": "8", "as_at_year": "2011"},
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    flat = " ".join(text.split())
    assert "Inspection improvement plan: progress report" in flat
    assert "progress up to 31 August 2011" in flat
    assert "Of the 44 actions, 22 have been achieved, 20 are on track, 2 are delayed" in flat
    assert "Action 16 is delayed, now expected by 15 September 2011." in flat
    assert "Appendix: the improvement plan at 31 August 2011" in flat
    assert "Appoint an Employability Officer using ESF funding" in flat
    assert "Page 1 of" in flat
    export = AuditEvent.objects.get(event_type=EventType.EXPORTED, subject_person_id=None)
    assert export.extra["as_at"] == "2011-08-31"
    assert export.acting_user == qa_lead


def test_the_report_page(
    wirral: Inspection, qa_lead: User, client: Client, django_assert_max_num_queries: Any
) -> None:
    client.force_login(qa_lead)

    with django_assert_max_num_queries(12):
        response = client.get(
            f"/inspection/{wirral.pk}/progress-report/",
            {"as_at_day": "31", "as_at_month": "8", "as_at_year": "2011"},
        )

    assert response.status_code == 200
    body = response.content.decode()
    assert "Inspection improvement plan: progress report up to 31 August 2011" in body
    assert "Action 16 is delayed, now expected by 15 September 2011." in body
    assert body.count('class="govuk-tag govuk-tag--red"') == 2
