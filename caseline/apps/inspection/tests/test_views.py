"""The inspection pages: who may open them, the import and its review, and the plan's pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.models import AuditEvent
from caseline.apps.inspection.events import InspectionEvent
from caseline.apps.inspection.models import Inspection, ReportImport
from caseline.apps.inspection.tests.conftest import WIRRAL_2011

pytestmark = pytest.mark.django_db


def upload(client: Client, text: bytes, name: str = "wirral.txt") -> Any:
    return client.post("/inspection/import/", {"report": SimpleUploadedFile(name, text)})


def review_data(report_import: ReportImport, client: Client) -> dict[str, str]:
    """The review form's fields as the page fills them."""
    response = client.get(f"/inspection/import/{report_import.pk}/")
    form = response.context["form"]
    data: dict[str, str] = {}
    for name, field in form.fields.items():
        value = form.get_initial_for_field(field, name)
        if hasattr(value, "day"):
            data.update(
                {f"{name}_day": value.day, f"{name}_month": value.month, f"{name}_year": value.year}
            )
        else:
            data[name] = "" if value is None else str(value)
    return data


@pytest.mark.parametrize(
    ("role", "view_status", "manage_status"),
    [
        (Role.QA_LEAD, 200, 200),
        (Role.SENIOR_LEADER, 200, 200),
        (Role.TEAM_MANAGER, 200, 403),
        (Role.SOCIAL_WORKER, 403, 403),
    ],
)
def test_pages_are_closed_to_those_without_the_permission(
    make_user: Callable[..., User],
    client: Client,
    wirral: Inspection,
    role: Role,
    view_status: int,
    manage_status: int,
) -> None:
    client.force_login(make_user(role))
    action = wirral.actions.get(number=16)
    for url in (
        "/inspection/",
        f"/inspection/{wirral.pk}/",
        f"/inspection/actions/{action.pk}/",
        f"/inspection/{wirral.pk}/progress-report/",
    ):
        assert client.get(url).status_code == view_status, url
    for url in (
        "/inspection/import/",
        f"/inspection/{wirral.pk}/actions/add/",
        f"/inspection/actions/{action.pk}/progress/",
        f"/inspection/{wirral.pk}/visits/add/",
        "/inspection/self-evaluations/add/",
    ):
        assert client.get(url).status_code == manage_status, url


def test_import_review_correct_and_confirm(qa_lead: User, client: Client) -> None:
    client.force_login(qa_lead)

    response = upload(client, WIRRAL_2011.read_bytes())

    report_import = ReportImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/inspection/import/{report_import.pk}/"
    page = client.get(response["Location"])
    body = page.content.decode()
    assert "Everything the reader looks for was found" in body
    assert "The report's text" in body
    assert "Record of main findings:" in body  # the report itself, beside the form
    data = review_data(report_import, client)
    assert data["judgement_9_area"] == "Equality and diversity"
    data["judgement_9_grade"] = "good"  # the reviewer corrects one grade

    response = client.post(f"/inspection/import/{report_import.pk}/", data)

    inspection = Inspection.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/inspection/{inspection.pk}/"
    assert inspection.judgements.get(position=9).grade == "good"
    assert inspection.areas.count() == 7
    event = AuditEvent.objects.get(event_type=InspectionEvent.IMPORT_CONFIRMED)
    assert set(event.extra["corrections"]) == {"judgements"}
    # The confirmed import now opens on the inspection.
    assert client.get(f"/inspection/import/{report_import.pk}/")["Location"] == (
        f"/inspection/{inspection.pk}/"
    )


def test_what_could_not_be_read_is_shown_and_must_be_filled_in(
    qa_lead: User, client: Client
) -> None:
    client.force_login(qa_lead)
    text = WIRRAL_2011.read_text(encoding="utf-8").replace(
        "Inspection dates: 24 January-4 February 2011", "Inspection dates: to follow"
    )
    upload(client, text.encode())
    report_import = ReportImport.objects.get()

    page = client.get(f"/inspection/import/{report_import.pk}/").content.decode()
    assert "Some of the report could not be read" in page
    assert "The inspection dates could not be read" in page

    response = client.post(
        f"/inspection/import/{report_import.pk}/", review_data(report_import, client)
    )
    assert response.status_code == 400
    assert "Enter the first day of the inspection" in response.content.decode()
    assert Inspection.objects.count() == 0


def test_an_unreadable_upload_is_refused_on_the_page(qa_lead: User, client: Client) -> None:
    client.force_login(qa_lead)

    response = upload(client, b"%PDF-1.4 not really a pdf", name="report.pdf")

    assert response.status_code == 400
    assert "report.pdf could not be read as a PDF" in response.content.decode()
    assert ReportImport.objects.count() == 0


def test_the_inspection_page_shows_the_plan_at_a_date(
    wirral: Inspection, qa_lead: User, client: Client, django_assert_max_num_queries: Any
) -> None:
    client.force_login(qa_lead)

    with django_assert_max_num_queries(14):
        response = client.get(
            f"/inspection/{wirral.pk}/",
            {"as_at_day": "31", "as_at_month": "8", "as_at_year": "2011"},
        )

    body = response.content.decode()
    assert response.status_code == 200
    assert "As at 31 August 2011: 22 achieved, 20 on track, 2 delayed, 0 not started." in body
    assert "Establish the post of ICS/ESCR Training / Project Manager" in body


def test_recording_progress_on_the_page(wirral: Inspection, qa_lead: User, client: Client) -> None:
    client.force_login(qa_lead)
    action = wirral.actions.get(number=16)

    response = client.post(
        f"/inspection/actions/{action.pk}/progress/",
        {
            "entry_date_day": "14",
            "entry_date_month": "9",
            "entry_date_year": "2011",
            "status": "achieved",
            "note": "Post established",
        },
    )

    assert response.status_code == 302
    page = client.get(f"/inspection/actions/{action.pk}/").content.decode()
    assert "Post established" in page
    assert "Achieved" in page


def test_a_self_evaluation_section_is_written_on_its_page(qa_lead: User, client: Client) -> None:
    client.force_login(qa_lead)
    response = client.post(
        "/inspection/self-evaluations/add/",
        {
            "title": "Self-evaluation 2026",
            "as_at_day": "31",
            "as_at_month": "3",
            "as_at_year": "2026",
        },
    )
    assert response.status_code == 302
    url = response["Location"]
    area = "Overall effectiveness"

    response = client.post(
        f"{url}sections/",
        {"judgement_area": area, "what_we_know": "Good and improving", "how_we_know": "Audits"},
    )

    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Good and improving" in page
    assert page.count("Write this section") == 5


def test_the_plan_is_kept_on_its_pages(wirral: Inspection, qa_lead: User, client: Client) -> None:
    client.force_login(qa_lead)
    base = f"/inspection/{wirral.pk}"

    response = client.post(
        f"{base}/areas/add/",
        {"kind": "council", "text": "Actions from the monitoring of supervision"},
    )
    assert response.status_code == 302
    area = wirral.areas.get(text="Actions from the monitoring of supervision")
    form_page = client.get(f"{base}/actions/add/", {"area": area.pk})
    assert form_page.context["form"].initial["area"] == area.pk

    response = client.post(
        f"{base}/actions/add/",
        {
            "area": area.pk,
            "number": "57",
            "text": "Audit the recording of supervision each quarter",
            "owner": "Quality assurance lead",
            "target_date_day": "1",
            "target_date_month": "12",
            "target_date_year": "2011",
            "created_on_day": "1",
            "created_on_month": "9",
            "created_on_year": "2011",
        },
    )
    assert response.status_code == 302
    action = wirral.actions.get(number=57)

    response = client.post(
        f"/inspection/actions/{action.pk}/evidence/",
        {"title": "Supervision audit, October", "url": "https://example.org/supervision-audit"},
    )
    assert response.status_code == 302
    page = client.get(f"/inspection/actions/{action.pk}/").content.decode()
    assert 'href="https://example.org/supervision-audit"' in page

    response = client.post(
        f"/inspection/actions/{action.pk}/evidence/", {"title": "Bad", "url": "ftp://x"}
    )
    assert response.status_code == 400
    assert "Enter an address starting https://" in response.content.decode()


def test_a_monitoring_visit_and_its_findings_on_the_pages(
    qa_lead: User, client: Client, make_user: Callable[..., User]
) -> None:
    import datetime

    from caseline.apps.inspection import actions as inspection_actions
    from caseline.apps.inspection.models import Judgement

    inspection = Inspection.objects.create(
        framework="sif",
        authority="Wirral",
        start_date=datetime.date(2016, 9, 5),
        end_date=datetime.date(2016, 9, 29),
        recorded_by=qa_lead,
    )
    Judgement.objects.create(
        inspection=inspection, position=0, area="Overall effectiveness", grade="inadequate"
    )
    area = inspection_actions.add_area(
        acting_user=qa_lead, inspection=inspection, kind="area", text="Strategy meetings"
    )
    action = inspection_actions.add_plan_action(
        acting_user=qa_lead,
        area=area,
        number=1,
        text="Health at strategy meetings",
        owner="Head of safeguarding",
        target_date=datetime.date(2018, 12, 31),
        created_on=datetime.date(2016, 12, 1),
    )
    client.force_login(qa_lead)

    response = client.post(
        f"/inspection/{inspection.pk}/visits/add/",
        {
            "start_date_day": "4",
            "start_date_month": "9",
            "start_date_year": "2018",
            "end_date_day": "5",
            "end_date_month": "9",
            "end_date_year": "2018",
            "letter_date_day": "27",
            "letter_date_month": "9",
            "letter_date_year": "2018",
            "inspectors": "Sheena Doyle and Shabana Abasi",
            "areas_examined": "Thresholds for safeguarding referrals",
        },
    )
    assert response.status_code == 302
    visit_url = response["Location"]

    response = client.post(
        f"{visit_url}findings/add/",
        {
            "area": "Strategy meetings",
            "finding": "Most strategy meetings lack health attendance.",
            "actions": [action.pk],
        },
    )
    assert response.status_code == 302
    page = client.get(visit_url).content.decode()
    assert "Most strategy meetings lack health attendance." in page
    assert f'href="/inspection/actions/{action.pk}/"' in page
    assert "Monitoring visit of 4 September 2018 to 5 September 2018" in page
    team_manager = make_user(Role.TEAM_MANAGER)
    client.force_login(team_manager)
    assert client.get(visit_url).status_code == 200
    assert client.get(f"{visit_url}findings/add/").status_code == 403


def test_evidence_for_a_self_evaluation_section(qa_lead: User, client: Client) -> None:
    import datetime

    from caseline.apps.inspection import actions as inspection_actions

    evaluation = inspection_actions.start_self_evaluation(
        acting_user=qa_lead, title="Self-evaluation 2026", as_at=datetime.date(2026, 3, 31)
    )
    entry = inspection_actions.record_self_evaluation_entry(
        acting_user=qa_lead,
        self_evaluation=evaluation,
        judgement_area="Overall effectiveness",
        what_we_know="Improving",
    )
    client.force_login(qa_lead)
    form = client.get(
        f"/inspection/self-evaluations/{evaluation.pk}/sections/",
        {"area": "Overall effectiveness"},
    )
    assert form.context["form"].initial["what_we_know"] == "Improving"

    response = client.post(
        f"/inspection/self-evaluations/sections/{entry.pk}/evidence/",
        {"title": "Indicators", "url": "/returns/"},
    )

    assert response.status_code == 302
    assert 'href="/returns/"' in client.get(response["Location"]).content.decode()
