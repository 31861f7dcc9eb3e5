"""Subject access requests: the deadline (one calendar month, extendable by two), recording,
extending and answering them, and the handler's My work."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.models import AuditEvent
from caseline.apps.people.models import Person
from caseline.apps.subjectaccess import actions
from caseline.apps.subjectaccess.deadline import clock_start, response_due
from caseline.apps.subjectaccess.events import SubjectAccessEvent
from caseline.apps.subjectaccess.models import SubjectAccessRequest
from tests.factories import PersonFactory

D = datetime.date


@pytest.mark.parametrize(
    ("received", "extension", "due"),
    [
        # The ICO's example: received 3 September, due 3 October (a Friday in 2025).
        (D(2025, 9, 3), 0, D(2025, 10, 3)),
        # No 31 February: the last day of the month.
        (D(2025, 1, 31), 0, D(2025, 2, 28)),
        (D(2024, 1, 30), 0, D(2024, 2, 29)),
        # A Saturday moves to Monday; Christmas and Boxing Day to the 29th.
        (D(2025, 9, 6), 0, D(2025, 10, 6)),
        (D(2025, 11, 25), 0, D(2025, 12, 29)),
        # Extended by two months: three in all from the start.
        (D(2025, 9, 3), 2, D(2025, 12, 3)),
        (D(2025, 9, 3), 1, D(2025, 11, 3)),
    ],
)
def test_the_deadline_is_a_calendar_month_to_the_next_working_day(
    received: D, extension: int, due: D
) -> None:
    assert response_due(received, extension) == due


def test_the_clock_starts_when_the_identity_is_confirmed_if_later() -> None:
    assert clock_start(D(2025, 9, 3), None) == D(2025, 9, 3)
    assert clock_start(D(2025, 9, 3), D(2025, 9, 10)) == D(2025, 9, 10)
    assert clock_start(D(2025, 9, 3), D(2025, 9, 1)) == D(2025, 9, 3)
    with pytest.raises(ValueError, match="1 or 2 months"):
        response_due(D(2025, 9, 3), 3)


@pytest.fixture
def handler(make_user: Callable[..., User]) -> User:
    return make_user(Role.SENIOR_LEADER, username="handler")


@pytest.fixture
def person(db: None) -> Person:
    return PersonFactory.create(
        given_name="Asker", family_name="Leaver", date_of_birth=D(1990, 1, 1)
    )


@pytest.mark.django_db
def test_recording_extending_and_answering_are_audited(handler: User, person: Person) -> None:
    request = actions.record_request(
        acting_user=handler, person=person, requester="self", received_on=D(2025, 9, 3)
    )
    assert (request.handler, request.due) == (handler, D(2025, 10, 3))
    actions.extend_request(
        acting_user=handler,
        request=request,
        months=2,
        reason="Forty years of records",
        as_at=D(2025, 9, 20),
    )
    request.refresh_from_db()
    assert request.due == D(2025, 12, 3)
    actions.complete_request(acting_user=handler, request=request, completed_on=D(2025, 11, 28))
    events = list(
        AuditEvent.objects.filter(subject_person_id=person.pk).values_list(
            "event_type", "new_values"
        )
    )
    assert [e for e, _ in events][::-1] == [
        SubjectAccessEvent.REQUEST_RECORDED,
        SubjectAccessEvent.REQUEST_EXTENDED,
        SubjectAccessEvent.REQUEST_COMPLETED,
    ]
    assert events[-1][1]["due"] == "2025-10-03"


@pytest.mark.django_db
def test_an_extension_after_the_first_month_or_a_second_is_refused(
    handler: User, person: Person
) -> None:
    request = actions.record_request(
        acting_user=handler, person=person, requester="parent", received_on=D(2025, 9, 3)
    )
    with pytest.raises(
        ValidationError, match="only be extended within the first month, by 3 October 2025"
    ):
        actions.extend_request(
            acting_user=handler, request=request, months=1, reason="Late", as_at=D(2025, 10, 6)
        )
    with pytest.raises(ValidationError) as raised:
        actions.extend_request(
            acting_user=handler, request=request, months=3, reason=" ", as_at=D(2025, 9, 4)
        )
    assert raised.value.message_dict == {
        "months": ["Select an extension of 1 or 2 months"],
        "reason": ["Enter why the request needs longer"],
    }
    request.refresh_from_db()
    assert request.extension_months == 0


@pytest.mark.django_db
def test_only_the_holder_of_the_permission_records_requests(
    make_user: Callable[..., User], person: Person, handler: User
) -> None:
    worker = make_user(Role.SOCIAL_WORKER)
    with pytest.raises(PermissionDenied):
        actions.record_request(
            acting_user=worker, person=person, requester="self", received_on=D(2025, 9, 3)
        )
    with pytest.raises(ValidationError) as raised:
        actions.record_request(
            acting_user=handler,
            person=person,
            requester="self",
            received_on=D(2025, 9, 3),
            handler=worker,
        )
    assert "handler" in raised.value.message_dict
    assert not SubjectAccessRequest.objects.exists()


@pytest.mark.django_db
def test_my_work_lists_the_handlers_open_requests_with_their_deadline(
    client: Client, handler: User, person: Person, make_user: Callable[..., User]
) -> None:
    client.force_login(handler)
    received = timezone.localdate()
    response = client.post(
        reverse("subjectaccess:new", args=[person.pk]),
        {
            "requester": "self",
            "received_on_day": received.day,
            "received_on_month": received.month,
            "received_on_year": received.year,
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("mywork:mine")
    request = SubjectAccessRequest.objects.get()
    page = response.content.decode()
    assert f"answer by {request.due:%-d %B %Y}" in page
    section = page.split('id="subject-access"')[1]
    assert "Asker Leaver" in section
    assert f"{request.due:%-d %B %Y}" in section
    assert reverse("subjectaccess:extend", args=[request.pk]) in section
    # Answered, it leaves the list.
    client.post(
        reverse("subjectaccess:complete", args=[request.pk]),
        {
            "completed_on_day": received.day,
            "completed_on_month": received.month,
            "completed_on_year": received.year,
        },
    )
    assert (
        "You have no open subject access requests"
        in client.get(reverse("mywork:mine")).content.decode()
    )
    # Someone without the permission sees no section and may not open the pages.
    worker = make_user(Role.SOCIAL_WORKER)
    client.force_login(worker)
    assert 'id="subject-access"' not in client.get(reverse("mywork:mine")).content.decode()
    assert client.get(reverse("subjectaccess:new", args=[person.pk])).status_code == 403
