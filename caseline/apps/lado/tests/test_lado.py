"""Allegations: actions and their audit, timescales across bank holidays, who may see what,
and the annual report."""

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
from caseline.apps.lado import actions, queries, timescales
from caseline.apps.lado.events import LadoEvent
from caseline.apps.lado.models import Allegation
from caseline.apps.people.models import Person
from caseline.apps.timescales.rules import CATALOGUE, TimelinessStatus
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def lado(make_user: Callable[..., User]) -> User:
    return make_user(Role.LADO, username="lado", first_name="Lara")


@pytest.fixture
def children() -> list[Person]:
    return [PersonFactory.create(), PersonFactory.create(given_name="Bo")]


def _allegation(
    lado: User, kids: list[Person], received: datetime.date, **kw: object
) -> Allegation:
    fields: dict[str, object] = {
        "source": "employer",
        "adult_name": "Pat Teacherson",
        "adult_employer": "Hillside Primary",
        "adult_role": "Class teacher",
        "sector": "education",
        "what_was_alleged": "Grabbed a pupil by the arm.",
        **kw,
    }
    return actions.record_allegation(
        acting_user=lado,
        received_date=received,
        child_ids=[k.pk for k in kids],
        **fields,  # type: ignore[arg-type]
    )


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Actions -------------------------------------------------------------------------------


def test_recording_an_allegation_audits_it_on_each_childs_record(
    lado: User, children: list[Person]
) -> None:
    allegation = _allegation(lado, children, D(2026, 3, 2))
    assert allegation.officer == lado
    assert sorted(allegation.children.values_list("person_id", flat=True)) == sorted(
        c.pk for c in children
    )
    events = AuditEvent.objects.filter(event_type=LadoEvent.ALLEGATION_RECORDED)
    assert sorted(e.subject_person_id or 0 for e in events) == sorted(c.pk for c in children)
    # The adult is not named in the audit trail, which others may read.
    assert all("Pat" not in str(e.new_values) for e in events)


def test_an_allegation_needs_a_known_child_and_refuses_everything_at_once(lado: User) -> None:
    with pytest.raises(ValidationError) as error:
        actions.record_allegation(
            acting_user=lado,
            received_date=None,
            source="nonsense",
            adult_name=" ",
            adult_employer="X",
            adult_role="Y",
            sector="education",
            what_was_alleged="Z",
            child_ids=[987654],
        )
    fields = error.value.message_dict
    assert set(fields) == {"received_date", "source", "adult_name", "child_ids"}
    assert fields["child_ids"] == ["No child you may see has the record number 987654"]
    assert not Allegation.objects.exists()


def test_a_social_worker_cannot_record_an_allegation(worker: User, children: list[Person]) -> None:
    with pytest.raises(PermissionDenied):
        _allegation(worker, children, D(2026, 3, 2))


def test_the_steps_of_an_allegation_through_to_its_outcome(
    lado: User, children: list[Person]
) -> None:
    allegation = _allegation(lado, children[:1], D(2026, 3, 2))
    with pytest.raises(ValidationError, match="initial consideration before the outcome"):
        actions.record_outcome(
            acting_user=lado,
            allegation=allegation,
            police_action="",
            employer_action="",
            outcome="unfounded",
            outcome_date=D(2026, 3, 3),
        )
    actions.record_initial_consideration(
        acting_user=lado,
        allegation=allegation,
        consideration_date=D(2026, 3, 3),
        threshold_met=True,
        notes="Meets the harm test.",
    )
    actions.record_strategy_meeting(
        acting_user=lado,
        allegation=allegation,
        meeting_date=D(2026, 3, 12),
        attendees="LADO; police; head teacher",
        decisions="Police to investigate.",
    )
    actions.record_outcome(
        acting_user=lado,
        allegation=allegation,
        police_action="No further action",
        employer_action="Suspended, then returned to work",
        outcome="unsubstantiated",
        outcome_date=D(2026, 5, 1),
    )
    allegation.refresh_from_db()
    assert allegation.outcome == "unsubstantiated"
    s = queries.stages(allegation, D(2026, 3, 12), D(2026, 6, 1))
    assert s.initial.status is TimelinessStatus.COMPLETED_ON_TIME
    assert s.meeting is not None
    # Initial consideration on Tuesday 3 March: five working days is Tuesday 10 March.
    assert s.meeting.due_date == D(2026, 3, 10)
    assert s.meeting.status is TimelinessStatus.COMPLETED_LATE
    assert AuditEvent.objects.filter(
        event_type=LadoEvent.OUTCOME_RECORDED, subject_person_id=children[0].pk
    ).get().new_values == {"outcome": "unsubstantiated", "outcome_date": "2026-05-01"}


def test_a_meeting_before_the_allegation_was_received_is_refused(
    lado: User, children: list[Person]
) -> None:
    allegation = _allegation(lado, children[:1], D(2026, 3, 2))
    with pytest.raises(ValidationError) as error:
        actions.record_strategy_meeting(
            acting_user=lado,
            allegation=allegation,
            meeting_date=D(2026, 3, 1),
            attendees="LADO",
            decisions="None",
        )
    assert "meeting_date" in error.value.message_dict


# --- Timescales ----------------------------------------------------------------------------


def test_initial_consideration_is_due_the_next_working_day_across_christmas() -> None:
    rule = CATALOGUE.get(timescales.INITIAL_CONSIDERATION.code)
    # Thursday 24 December 2026: Christmas Day (Friday), the weekend and the Boxing Day
    # substitute (Monday 28 December) are not working days.
    assert rule.due_date(D(2026, 12, 24)) == D(2026, 12, 29)
    assert rule.due_date(D(2026, 3, 2)) == D(2026, 3, 3)


def test_every_rule_is_on_the_catalogue_with_its_source() -> None:
    for rule in timescales.RULES:
        catalogued = CATALOGUE.get(rule.code)
        assert catalogued.source.startswith("Local practice standard")
        assert "not checked" in catalogued.certainty_note.lower() or "Not checked" in (
            catalogued.certainty_note
        )


# --- Pages and who sees what ---------------------------------------------------------------


def test_only_the_lado_sees_the_allegation_on_the_childs_record(
    lado: User, make_user: Callable[..., User], children: list[Person]
) -> None:
    _allegation(lado, children[:1], D(2026, 3, 2))
    child = children[0]
    analyst = make_user(Role.ANALYST)  # reads every child's record
    seen = client_for(analyst).get(f"/people/{child.pk}/")
    assert seen.status_code == 200
    assert "Allegations against adults" not in seen.content.decode()
    assert client_for(analyst).get(f"/allegations/children/{child.pk}/").status_code == 403
    page = client_for(lado).get(f"/people/{child.pk}/")
    assert "Allegations against adults (LADO)" in page.content.decode()
    assert "Pat Teacherson" not in page.content.decode()


def test_the_work_list_shows_what_is_due_next(lado: User, children: list[Person]) -> None:
    first = _allegation(lado, children[:1], D(2026, 3, 2))
    second = _allegation(lado, children[1:], D(2026, 3, 4))
    actions.record_initial_consideration(
        acting_user=lado,
        allegation=second,
        consideration_date=D(2026, 3, 4),
        threshold_met=True,
    )
    rows = queries.work_list(lado.pk, D(2026, 3, 5))
    assert [(r.allegation, r.next_step) for r in rows] == [
        (first, "Initial consideration"),
        (second, "Strategy meeting"),
    ]
    assert rows[0].timeliness is not None
    assert rows[0].timeliness.status is TimelinessStatus.OVERDUE
    response = client_for(lado).get("/allegations/")
    assert response.status_code == 200
    assert "Pat Teacherson" in response.content.decode()


def test_pages_are_closed_to_those_without_the_permission(
    worker: User, lado: User, children: list[Person]
) -> None:
    allegation = _allegation(lado, children[:1], D(2026, 3, 2))
    client = client_for(worker)
    for path in ("/allegations/", f"/allegations/{allegation.pk}/", "/allegations/report/"):
        assert client.get(path).status_code == 403


def test_reading_an_allegation_is_audited_against_each_child(
    lado: User, children: list[Person]
) -> None:
    allegation = _allegation(lado, children, D(2026, 3, 2))
    response = client_for(lado).get(f"/allegations/{allegation.pk}/")
    assert response.status_code == 200
    assert "Hillside Primary" in response.content.decode()
    # One event for the response, naming every child it shows (people.middleware).
    listed = AuditEvent.objects.get(event_type=EventType.CHILDREN_LISTED)
    assert listed.extra["people"] == sorted(c.pk for c in children)


def test_recording_an_allegation_from_its_page(lado: User, children: list[Person]) -> None:
    response = client_for(lado).post(
        "/allegations/new/",
        {
            "received_date_day": "2",
            "received_date_month": "3",
            "received_date_year": "2026",
            "source": "police",
            "adult_name": "Sam Coach",
            "adult_employer": "Town FC",
            "adult_role": "Coach",
            "sector": "sport",
            "what_was_alleged": "Inappropriate messages.",
            "child_ids": f"{children[0].pk}, x",
        },
    )
    assert response.status_code == 400
    assert "x is not one" in response.content.decode()
    assert "Enter the date" not in response.content.decode()
    assert not Allegation.objects.exists()


# --- The annual report ---------------------------------------------------------------------


def test_the_annual_report_counts_by_sector_source_outcome_and_timeliness(
    lado: User, children: list[Person]
) -> None:
    on_time = _allegation(lado, children[:1], D(2025, 5, 5))
    actions.record_initial_consideration(
        acting_user=lado, allegation=on_time, consideration_date=D(2025, 5, 6), threshold_met=False
    )
    actions.record_outcome(
        acting_user=lado,
        allegation=on_time,
        police_action="",
        employer_action="",
        outcome="unfounded",
        outcome_date=D(2025, 6, 1),
    )
    late = _allegation(lado, children[1:], D(2025, 9, 1), sector="sport", source="parent")
    actions.record_initial_consideration(
        acting_user=lado, allegation=late, consideration_date=D(2025, 9, 5), threshold_met=True
    )
    _allegation(lado, children[:1], D(2026, 4, 1))  # the next year
    report = queries.annual_report(2025, D(2026, 12, 1))
    assert report.total == 2
    assert dict(report.by_sector) == {
        "Education (schools and colleges)": 1,
        "Sport and leisure": 1,
    }
    assert dict(report.by_source) == {"Employer or volunteer organisation": 1, "Parent or carer": 1}
    assert dict(report.by_outcome) == {"Unfounded": 1, "Not yet concluded": 1}
    assert (report.initial_on_time, report.initial_late, report.initial_pending) == (1, 1, 0)
    assert (report.threshold_met, report.meeting_late) == (1, 1)


def test_the_report_downloads_as_csv_and_the_export_is_audited(
    lado: User, children: list[Person]
) -> None:
    _allegation(lado, children[:1], D(2025, 5, 5))
    response = client_for(lado).get("/allegations/report.csv?year=2025")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Measure", "Category", "Count"]
    assert ["Allegations received", "All", "1"] in rows
    assert "Pat" not in response.content.decode()
    assert AuditEvent.objects.filter(
        event_type=EventType.EXPORTED, extra__export="lado annual report"
    ).exists()
    assert client_for(lado).get("/allegations/report.csv?year=soon").status_code == 400
    page = client_for(lado).get("/allegations/report/?year=2025")
    assert "Annual LADO report 2025 to 2026" in page.content.decode()


def test_the_childs_summary_block_costs_one_query_and_names_no_adult(
    lado: User, children: list[Person], django_assert_num_queries: Any
) -> None:
    from caseline.apps.lado.providers import allegation_summary

    allegation = _allegation(lado, children, D(2026, 3, 2))
    with django_assert_num_queries(1):
        blocks = allegation_summary(children[0], D(2026, 12, 1))
    (block,) = blocks
    assert block.rows == [(allegation.reference, "Received 2 March 2026: open")]
    assert block.permission is not None
    assert allegation_summary(children[0], D(2026, 3, 1)) == []


def test_the_work_list_reads_local_standards_once_however_many_allegations(
    lado: User, children: list[Person], django_assert_num_queries: Any
) -> None:
    for day in (2, 3, 4, 5):
        _allegation(lado, children, D(2026, 3, day))
    with django_assert_num_queries(2):  # the allegations, the local standards
        rows = queries.work_list(lado.pk, D(2026, 3, 9))
    assert len(rows) == 4


def test_the_chronology_shows_allegations_only_to_the_officer(
    lado: User, children: list[Person], make_user: Callable[..., User]
) -> None:
    from caseline.apps.chronology.queries import chronology_for

    allegation = _allegation(lado, children, D(2026, 3, 2))
    child = children[0]
    [entry] = [
        e for e in chronology_for(child, user=lado) if allegation.reference in e.what_happened
    ]
    assert entry.significant
    assert "Pat" not in entry.what_happened
    assert "Hillside" not in entry.what_happened
    assert not any(allegation.reference in e.what_happened for e in chronology_for(child))
    front_door = make_user(Role.FRONT_DOOR)  # sees every child, not allegations
    for user, sees in ((lado, True), (front_door, False)):
        page = client_for(user).get(f"/chronology/record/{child.pk}/").content.decode()
        assert (allegation.reference in page) is sees
        assert "Pat Teacherson" not in page
