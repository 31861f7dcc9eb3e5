"""Surveys of children's views (results by question and age group, the trend from the survey
before, what changed) and the Children in Care Council's members and meetings."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.models import AuditEvent
from caseline.apps.privatefostering import actions, queries
from caseline.apps.privatefostering.events import PrivateFosteringEvent
from caseline.apps.privatefostering.models import Survey
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def lead(make_user: Callable[..., User]) -> User:
    return make_user(Role.QA_LEAD, username="qa")


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _survey(lead: User, opened: datetime.date, *questions: str) -> Survey:
    return actions.create_survey(
        acting_user=lead, title=f"Survey {opened:%Y}", opened_on=opened, questions=list(questions)
    )


def test_results_by_question_and_age_group_with_the_change_since_the_survey_before(
    lead: User,
) -> None:
    first = _survey(lead, D(2025, 1, 6), "I feel safe where I live", "My worker listens")
    q1, _ = first.questions.order_by("number")
    for group, score in (("11-15", 2), ("11-15", 3)):
        actions.record_survey_response(
            acting_user=lead,
            survey=first,
            responded_on=D(2025, 1, 10),
            age_group=group,
            scores={q1.pk: score},
        )
    second = _survey(lead, D(2026, 1, 5), "My worker listens", "I feel safe where I live")
    listens, safe = second.questions.order_by("number")
    for group, answers in (
        ("under-11", {safe.pk: 5, listens.pk: 4}),
        ("11-15", {safe.pk: 3}),
        ("11-15", {safe.pk: 4, listens.pk: 2}),
    ):
        actions.record_survey_response(
            acting_user=lead,
            survey=second,
            responded_on=D(2026, 1, 9),
            age_group=group,
            scores=answers,
        )
    results, before, responses = queries.survey_results(second)
    assert before == first
    assert responses == 3
    by_text = {r.text: r for r in results}
    safe_row = by_text["I feel safe where I live"]
    assert safe_row.answered == 3
    assert safe_row.mean == 4.0
    assert safe_row.by_age == (5.0, 3.5, None, None)
    assert safe_row.before == 2.5  # matched by wording, whatever its number
    assert safe_row.change == 1.5
    assert by_text["My worker listens"].before is None  # nobody answered it before
    assert by_text["My worker listens"].mean == 3.0


def test_what_changed_closes_the_survey_and_responses_are_checked(lead: User) -> None:
    survey = _survey(lead, D(2026, 1, 5), "I know how to complain")
    question = survey.questions.get()
    with pytest.raises(ValidationError):
        actions.record_survey_response(
            acting_user=lead,
            survey=survey,
            responded_on=D(2026, 1, 4),  # before it opened
            age_group="16-17",
            scores={question.pk: 6},
        )
    actions.record_what_changed(
        acting_user=lead,
        survey=survey,
        what_changed="Every child now gets the complaints leaflet at their review.",
        closed_on=D(2026, 3, 1),
    )
    survey.refresh_from_db()
    assert survey.closed_on == D(2026, 3, 1)
    assert AuditEvent.objects.filter(
        event_type=PrivateFosteringEvent.SURVEY_CHANGES_RECORDED
    ).exists()


def test_council_members_and_the_meetings_they_attended(lead: User) -> None:
    ada, ben = PersonFactory.create(given_name="Ada"), PersonFactory.create(given_name="Ben")
    member = actions.add_council_member(acting_user=lead, child=ada, joined_on=D(2025, 9, 1))
    with pytest.raises(ValidationError):
        actions.add_council_member(acting_user=lead, child=ada, joined_on=D(2025, 10, 1))
    late = actions.add_council_member(acting_user=lead, child=ben, joined_on=D(2026, 2, 1))
    with pytest.raises(ValidationError):
        actions.record_council_meeting(
            acting_user=lead, meeting_on=D(2026, 1, 15), attended=[member, late]
        )
    actions.record_council_meeting(acting_user=lead, meeting_on=D(2026, 1, 15), attended=[member])
    members, meetings = queries.council()
    assert [(m.person_id, m.attended_count) for m in members] == [(ada.pk, 1), (ben.pk, 0)]  # type: ignore[attr-defined]
    assert len(meetings) == 1
    events = AuditEvent.objects.filter(event_type=PrivateFosteringEvent.COUNCIL_MEETING_RECORDED)
    assert [e.subject_person_id for e in events] == [ada.pk]


def test_only_the_permission_runs_them(lead: User, make_user: Callable[..., User]) -> None:
    worker = make_user(Role.SOCIAL_WORKER)
    with pytest.raises(PermissionDenied):
        _survey(worker, D(2026, 1, 5), "Q")
    for path in (
        "/private-fostering/participation/surveys/",
        "/private-fostering/participation/surveys/new/",
        "/private-fostering/participation/council/",
    ):
        assert client_for(worker).get(path).status_code == 403
        assert client_for(lead).get(path).status_code == 200


def test_the_pages_start_a_survey_record_a_response_and_show_the_results(lead: User) -> None:
    client = client_for(lead)
    assert client.get("/private-fostering/participation/surveys/new/").status_code == 200
    data = {
        "title": "Bright Spots 2026",
        "opened_on_day": "5",
        "opened_on_month": "1",
        "opened_on_year": "2026",
        "questions": "I feel safe\nMy worker listens\n",
    }
    response = client.post("/private-fostering/participation/surveys/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    survey = Survey.objects.get()
    assert [q.text for q in survey.questions.order_by("number")] == [
        "I feel safe",
        "My worker listens",
    ]
    url = f"/private-fostering/participation/surveys/{survey.pk}/responses/new/"
    page = client.get(url)
    assert "1. I feel safe" in page.content.decode()
    safe = survey.questions.get(number=1)
    data = {
        "responded_on_day": "9",
        "responded_on_month": "1",
        "responded_on_year": "2026",
        "age_group": "16-17",
        f"q{safe.pk}": "4",
    }
    assert client.post(url, data).status_code == 302
    results = client.get(f"/private-fostering/participation/surveys/{survey.pk}/").content.decode()
    assert "4.0" in results
    assert "1 response." in " ".join(results.split())
