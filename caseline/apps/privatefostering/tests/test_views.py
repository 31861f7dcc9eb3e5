"""The pages: closed by permission, the record page audited, forms call actions."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.models import AuditEvent
from caseline.apps.people.models import Person
from caseline.apps.privatefostering import actions
from caseline.apps.privatefostering.models import (
    Arrangement,
    ParticipationRecord,
    YoungCarerAssessment,
)

D = datetime.date


def _url(name: str, child: Person, **kwargs: int) -> str:
    return reverse(f"privatefostering:{name}", kwargs={"person_id": child.pk, **kwargs})


def test_record_page_is_audited_and_shows_the_arrangement(
    client: Client, worker: User, child: Person, django_assert_max_num_queries: Any
) -> None:
    arrangement = actions.record_notification(
        acting_user=worker,
        child=child,
        notified_on=D(2025, 4, 17),
        notified_by="carer",
        carer_name="Bea Okafor",
    )
    actions.record_private_fostering_visit(
        acting_user=worker,
        arrangement=arrangement,
        visit_date=D(2025, 4, 24),
        child_seen=True,
        child_seen_alone=True,
        observations="Settled and well.",
    )
    client.force_login(worker)
    with django_assert_max_num_queries(30):
        response = client.get(_url("record", child))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Arrangement with Bea Okafor, notified 17 April 2025" in text
    assert "Settled and well." in text
    assert "Record the decision" not in text  # the manager's, not the worker's
    assert AuditEvent.objects.filter(
        event_type="record.viewed", subject_person_id=child.pk
    ).exists()


def test_notification_form_records_and_redirects(
    client: Client, worker: User, child: Person
) -> None:
    client.force_login(worker)
    data = {
        "notified_on_day": "3",
        "notified_on_month": "3",
        "notified_on_year": "2025",
        "notified_by": "professional",
        "proposed": "no",
        "carer_name": "Bea Okafor",
    }
    response = client.post(_url("notification-new", child), data)
    assert response.status_code == 302
    assert Arrangement.objects.get().notified_by == "professional"


def test_notification_form_bad_input_keeps_what_was_typed(
    client: Client, worker: User, child: Person
) -> None:
    client.force_login(worker)
    response = client.post(
        _url("notification-new", child), {"carer_name": "Bea Okafor", "proposed": "no"}
    )
    assert response.status_code == 400
    assert "Enter the date we were notified" in response.content.decode()
    assert "Bea Okafor" in response.content.decode()
    assert not Arrangement.objects.exists()


def test_pages_are_closed_to_those_without_the_permission(
    client: Client, make_user: Callable[..., User], child: Person
) -> None:
    client.force_login(make_user(Role.ANALYST))
    assert client.get(_url("notification-new", child)).status_code == 403
    assert client.get(_url("told-new", child)).status_code == 403
    assert client.get(_url("visit-new", child, arrangement_id=1)).status_code == 403


def test_told_form_records_each_subject(client: Client, worker: User, child: Person) -> None:
    client.force_login(worker)
    response = client.post(
        _url("told-new", child),
        {"on_day": "1", "on_month": "6", "on_year": "2025", "subjects": ["cicc", "visitor"]},
    )
    assert response.status_code == 302
    assert sorted(ParticipationRecord.objects.values_list("subject", flat=True)) == [
        "cicc",
        "visitor",
    ]
    page = client.get(_url("record", child)).content.decode()
    assert "1 June 2025" in page


def test_young_carer_forms_record_assessment_and_support(
    client: Client, worker: User, child: Person
) -> None:
    client.force_login(worker)
    response = client.post(
        _url("young-carer-new", child),
        {
            "identified_on_day": "1",
            "identified_on_month": "5",
            "identified_on_year": "2025",
            "cares_for": "Mum",
            "caring_role": "Cooking and shopping",
        },
    )
    assert response.status_code == 302
    assessment = YoungCarerAssessment.objects.get()
    response = client.post(
        _url("young-carer-assessed", child, assessment_id=assessment.pk),
        {
            "assessed_on_day": "2",
            "assessed_on_month": "6",
            "assessed_on_year": "2025",
            "needs_support": "yes",
            "outcome": "A break each week",
        },
    )
    assert response.status_code == 302
    response = client.post(
        _url("young-carer-support", child, assessment_id=assessment.pk),
        {
            "support": "Young carers' group",
            "started_on_day": "9",
            "started_on_month": "6",
            "started_on_year": "2025",
        },
    )
    assert response.status_code == 302
    page = client.get(_url("record", child)).content.decode()
    assert "Young carers&#x27; group" in page
    assert "Done 2 June 2025" in page


def test_referral_form_and_someone_elses_arrangement_is_not_found(
    client: Client, worker: User, child: Person, make_child: Callable[..., Person]
) -> None:
    client.force_login(worker)
    response = client.post(
        _url("referral-new", child),
        {
            "kind": "visitor-match",
            "on_day": "3",
            "on_month": "3",
            "on_year": "2025",
            "who": "Pat Friend",
        },
    )
    assert response.status_code == 302
    assert ParticipationRecord.objects.get().who == "Pat Friend"
    other = make_child("Bo")
    arrangement = actions.record_notification(
        acting_user=worker,
        child=other,
        notified_on=D(2025, 3, 3),
        notified_by="carer",
        carer_name="Cy",
    )
    url = _url("visit-new", child, arrangement_id=arrangement.pk)
    assert client.get(url).status_code == 404
