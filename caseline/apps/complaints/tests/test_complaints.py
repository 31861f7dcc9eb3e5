"""Complaints: the stages and their timescales (working days across Easter), findings and
lessons, who sees them, and the annual report."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.events import EventType
from caseline.apps.audit.models import AuditEvent
from caseline.apps.complaints import actions, queries, timescales
from caseline.apps.complaints.events import ComplaintEvent
from caseline.apps.complaints.models import Complaint
from caseline.apps.people.models import Person
from caseline.apps.timescales.rules import CATALOGUE, Certainty, TimelinessStatus
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def officer(make_user: Callable[..., User]) -> User:
    return make_user(Role.COMPLAINTS_OFFICER, username="complaints")


@pytest.fixture
def child() -> Person:
    return PersonFactory.create()


def _complaint(officer: User, child: Person, received: datetime.date, **kw: object) -> Complaint:
    fields: dict[str, object] = {
        "complainant": "parent",
        "complainant_name": "Jo Parent",
        "theme": "communication",
        "summary": "Nobody returned my calls.",
        "advocacy_offered": True,
        "advocacy_taken_up": False,
        **kw,
    }
    return actions.record_complaint(
        acting_user=officer,
        child=child,
        received_date=received,
        **fields,  # type: ignore[arg-type]
    )


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_stage_1_is_due_ten_working_days_later_across_easter() -> None:
    # Wednesday 1 April 2026: Good Friday (3 April) and Easter Monday (6 April) do not count.
    assert CATALOGUE.get("complaint-stage-1").due_date(D(2026, 4, 1)) == D(2026, 4, 17)
    assert CATALOGUE.get("complaint-stage-1-extended").due_date(D(2026, 4, 1)) == D(2026, 5, 1)
    assert CATALOGUE.get("complaint-stage-2").due_date(D(2026, 3, 2)) == D(2026, 4, 8)
    assert CATALOGUE.get("complaint-stage-3-panel").due_date(D(2026, 3, 2)) == D(2026, 4, 15)


def test_only_the_panel_rule_is_checked_and_the_others_say_what_is_not() -> None:
    for rule in timescales.RULES:
        if rule is timescales.STAGE_3:
            assert rule.certainty is Certainty.CHECKED
            assert "19(4)" in rule.source
        else:
            assert rule.certainty is Certainty.SECONDARY
            assert "was not read" in rule.certainty_note


def test_a_complaint_through_three_stages(officer: User, child: Person) -> None:
    complaint = _complaint(officer, child, D(2026, 4, 1))
    stage = complaint.stages.get()
    assert queries.stage_timeliness(stage, D(2026, 4, 16)).due_date == D(2026, 4, 17)
    actions.extend_stage(acting_user=officer, complaint=complaint, reason="Complex")
    stage.refresh_from_db()
    assert queries.stage_timeliness(stage, D(2026, 4, 16)).due_date == D(2026, 5, 1)
    with pytest.raises(ValidationError, match="already been extended"):
        actions.extend_stage(acting_user=officer, complaint=complaint, reason="Again")
    with pytest.raises(ValidationError, match="Complete the stage in progress"):
        actions.escalate(acting_user=officer, complaint=complaint, requested_date=D(2026, 4, 20))
    actions.complete_stage(
        acting_user=officer,
        complaint=complaint,
        completed_date=D(2026, 4, 30),
        outcome="not-upheld",
    )
    actions.escalate(acting_user=officer, complaint=complaint, requested_date=D(2026, 5, 5))
    actions.record_finding(
        acting_user=officer, complaint=complaint, stage=2, finding="Calls unanswered", upheld=True
    )
    actions.complete_stage(
        acting_user=officer,
        complaint=complaint,
        completed_date=D(2026, 6, 30),
        outcome="partly-upheld",
    )
    actions.escalate(acting_user=officer, complaint=complaint, requested_date=D(2026, 7, 1))
    with pytest.raises(ValidationError, match="cannot be extended"):
        actions.extend_stage(acting_user=officer, complaint=complaint, reason="More time")
    actions.complete_stage(
        acting_user=officer, complaint=complaint, completed_date=D(2026, 7, 20), outcome="upheld"
    )
    with pytest.raises(ValidationError, match="last stage"):
        actions.escalate(acting_user=officer, complaint=complaint, requested_date=D(2026, 7, 21))
    actions.record_lesson(
        acting_user=officer,
        complaint=complaint,
        lesson="Calls go unanswered when a worker is away",
        action="Duty cover for phones",
        action_due=D(2026, 12, 31),
    )
    stages = list(complaint.stages.all())
    assert [s.stage for s in stages] == [1, 2, 3]
    # Stage 2 from 5 May 2026: 25 working days (the late May bank holiday falls inside).
    two = queries.stage_timeliness(stages[1], D(2026, 12, 1))
    assert two.status is TimelinessStatus.COMPLETED_LATE
    assert queries.stage_timeliness(stages[2], D(2026, 12, 1)).status is (
        TimelinessStatus.COMPLETED_ON_TIME
    )
    events = AuditEvent.objects.filter(subject_person_id=child.pk).values_list(
        "event_type", flat=True
    )
    assert list(events).count(ComplaintEvent.STAGE_COMPLETED) == 3
    assert ComplaintEvent.LESSON_RECORDED in events


def test_advocacy_taken_up_must_have_been_offered(officer: User, child: Person) -> None:
    with pytest.raises(ValidationError) as error:
        _complaint(officer, child, D(2026, 4, 1), advocacy_offered=False, advocacy_taken_up=True)
    assert "advocacy_taken_up" in error.value.message_dict
    assert not Complaint.objects.exists()


def test_a_social_worker_may_not_record_or_see_complaints(
    officer: User, worker: User, child: Person, make_user: Callable[..., User]
) -> None:
    with pytest.raises(PermissionDenied):
        _complaint(worker, child, D(2026, 4, 1))
    complaint = _complaint(officer, child, D(2026, 4, 1))
    for path in ("/complaints/", f"/complaints/{complaint.pk}/", "/complaints/report/"):
        assert client_for(worker).get(path).status_code == 403
    analyst = make_user(Role.ANALYST)
    summary = client_for(analyst).get(f"/people/{child.pk}/").content.decode()
    assert "Complaints" not in summary.split("<main", 1)[1]
    summary = client_for(officer).get(f"/people/{child.pk}/").content.decode()
    assert complaint.reference in summary


def test_the_work_list_puts_the_soonest_due_first(officer: User, child: Person) -> None:
    later = _complaint(officer, child, D(2026, 11, 20))
    sooner = _complaint(officer, child, D(2026, 11, 2))
    rows = queries.work_list(officer, officer.pk, D(2026, 11, 23))
    assert [r.stage.complaint for r in rows] == [sooner, later]
    assert rows[0].timeliness.status is TimelinessStatus.OVERDUE
    page = client_for(officer).get("/complaints/")
    assert sooner.reference in page.content.decode()


def test_recording_a_complaint_from_the_childs_record(officer: User, child: Person) -> None:
    client = client_for(officer)
    data = {
        "received_date_day": "2",
        "received_date_month": "11",
        "received_date_year": "2026",
        "complainant": "child",
        "complainant_name": "Ada Testchild",
        "theme": "placement",
        "summary": "I want to move.",
        "advocacy_offered": "yes",
        "advocacy_taken_up": "yes",
    }
    response = client.post(f"/complaints/children/{child.pk}/new/", data)
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/complaints/{complaint.pk}/"
    assert complaint.advocacy_taken_up is True
    page = client.get(f"/complaints/{complaint.pk}/")
    assert "I want to move." in page.content.decode()


def test_the_annual_report_and_its_csv(officer: User, child: Person) -> None:
    one = _complaint(officer, child, D(2025, 4, 1))
    actions.complete_stage(
        acting_user=officer, complaint=one, completed_date=D(2025, 4, 8), outcome="upheld"
    )
    actions.record_finding(
        acting_user=officer, complaint=one, stage=1, finding="Late reply", upheld=True
    )
    two = _complaint(officer, child, D(2025, 6, 2), theme="delay", complainant="carer")
    actions.complete_stage(
        acting_user=officer, complaint=two, completed_date=D(2025, 7, 30), outcome="not-upheld"
    )
    actions.escalate(acting_user=officer, complaint=two, requested_date=D(2025, 8, 1))
    report = queries.annual_report(2025, D(2026, 12, 1))
    assert report.received == 2
    assert dict(report.by_theme) == {"Communication": 1, "Delay or failure to act": 1}
    assert (report.advocacy_offered, report.advocacy_taken_up) == (2, 0)
    stage1, stage2, stage3 = report.stages
    assert (stage1.started, stage1.on_time, stage1.late) == (2, 1, 1)
    assert stage1.outcome_rows == [("Not upheld", 1), ("Upheld", 1)]
    assert (stage2.started, stage2.completed) == (1, 0)
    assert stage3.started == 0
    assert report.findings_upheld == 1
    response = client_for(officer).get("/complaints/report.csv?year=2025")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert ["Complaints received", "All", "2"] in rows
    assert ["Stage 1: local resolution", "Completed late", "1"] in rows
    assert AuditEvent.objects.filter(
        event_type=EventType.EXPORTED, extra__export="complaints annual report"
    ).exists()
    page = client_for(officer).get("/complaints/report/?year=2025")
    assert page.status_code == 200


def test_the_childs_summary_block_costs_one_query(
    officer: User, child: Person, django_assert_num_queries: Any
) -> None:
    from caseline.apps.complaints.providers import complaint_summary

    complaint = _complaint(officer, child, D(2026, 4, 1))
    with django_assert_num_queries(1):
        (block,) = complaint_summary(child, D(2026, 12, 1))
    assert block.rows == [(complaint.reference, "Received 1 April 2026: Communication")]


def test_the_chronology_shows_complaints_only_to_the_officer(
    officer: User, child: Person, make_user: Callable[..., User]
) -> None:
    from caseline.apps.chronology.queries import chronology_for

    complaint = _complaint(officer, child, D(2026, 4, 1))
    actions.complete_stage(
        acting_user=officer, complaint=complaint, completed_date=D(2026, 4, 10), outcome="upheld"
    )
    mine = [e.what_happened for e in chronology_for(child, user=officer)]
    assert f"Complaint {complaint.reference} received from a parent, about communication." in mine
    assert f"Complaint {complaint.reference}: stage 1: local resolution completed, upheld." in mine
    assert not any(complaint.reference in e.what_happened for e in chronology_for(child))
    analyst = make_user(Role.ANALYST)
    for user, sees in ((officer, True), (analyst, False)):
        page = client_for(user).get(f"/chronology/record/{child.pk}/").content.decode()
        assert (complaint.reference in page) is sees
        assert "Jo Parent" not in page
