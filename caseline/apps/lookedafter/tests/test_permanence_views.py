"""The adoption and permanence page and its forms, through the Django test client."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.audit.models import AuditEvent
from caseline.apps.lookedafter import actions
from caseline.apps.lookedafter.events import LookedAfterEvent
from caseline.apps.lookedafter.models import (
    AdoptionDecision,
    DeprivationOfLibertyOrder,
    Episode,
    PreviousPermanence,
)
from caseline.apps.lookedafter.tests.test_permissions import holding
from caseline.apps.lookedafter.tests.test_views import date, url
from caseline.apps.people.models import Person

D = datetime.date


@pytest.fixture
def as_worker(client: Client, worker: User) -> Client:
    client.force_login(worker)
    return client


def body(response: Any) -> str:
    return str(response.content.decode())


def test_the_care_record_links_to_the_page_once_the_child_has_been_in_care(
    as_worker: Client, child: Person, worker: User
) -> None:
    assert url("permanence", child) not in body(as_worker.get(url("record", child)))
    actions.start_period_of_care(
        acting_user=worker,
        child=child,
        start_date=D(2025, 1, 6),
        legal_status="C1",
        placement=actions.PlacementDetails(
            placement_type="U6", placement_provider="PR1", ofsted_urn="SC100001"
        ),
    )
    assert url("permanence", child) in body(as_worker.get(url("record", child)))
    page = as_worker.get(url("permanence", child))
    assert page.status_code == 200
    text = body(page)
    assert "No decision recorded." in text
    assert "Before the period of care that began on 6 January 2025." in text
    assert "No deprivation of liberty orders recorded." in text
    assert url("adoption-decision", child) in text


def test_a_decision_its_match_and_its_ceasing_through_the_pages(
    as_worker: Client, in_care: Episode, child: Person
) -> None:
    refused = as_worker.post(
        url("adoption-decision", child),
        {**date("decided_on", D(2025, 1, 5)), "decided_by": "Agency decision maker Zed"},
    )
    assert refused.status_code == 400
    assert "on or after the date Ada started to be looked after, 6 January 2025" in body(refused)
    assert not AdoptionDecision.objects.exists()

    response = as_worker.post(
        url("adoption-decision", child),
        {**date("decided_on", D(2025, 3, 3)), "decided_by": "Agency decision maker Zed"},
    )
    assert response.status_code == 302
    assert response["Location"] == url("permanence", child)
    decision = AdoptionDecision.objects.get()
    page = body(as_worker.get(url("permanence", child)))
    assert "3 March 2025 by Agency decision maker Zed" in page
    assert url("adoption-decision", child) not in page  # one decision stands at a time
    match = url("adoption-match", child, decision_id=decision.pk)
    assert match in page

    form = as_worker.get(match)
    assert "Male and female couple (MF)" in body(form)
    response = as_worker.post(
        match,
        {
            **date("matched_on", D(2025, 5, 5)),
            "adopters_sex": "FF",
            "adopters_legal_status": "L11",
            "adopted_by_foster_carers": "yes",
        },
    )
    assert response.status_code == 400
    assert "A married couple of different sexes (L11) must be a male and female couple" in body(
        response
    )
    response = as_worker.post(
        match,
        {
            **date("matched_on", D(2025, 5, 5)),
            "adopters_sex": "FF",
            "adopters_legal_status": "L12",
            "adopted_by_foster_carers": "yes",
        },
    )
    assert response.status_code == 302
    page = body(as_worker.get(url("permanence", child)))
    assert "5 May 2025: FF - Female couple; L12 - Married couple of the same sex; Ada's foster" in (
        page
    )
    again = body(as_worker.get(match))
    assert re.search(r'value="FF"[^>]*checked', again)  # starts from the match
    assert not re.search(r'value="MF"[^>]*checked', again)

    ceased = url("adoption-ceased", child, decision_id=decision.pk)
    response = as_worker.post(ceased, {**date("ceased_on", D(2025, 7, 1)), "reason_ceased": "RD3"})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert (decision.ceased_on, decision.reason_ceased) == (D(2025, 7, 1), "RD3")
    page = body(as_worker.get(url("permanence", child)))
    assert "1 July 2025: RD3 - Prospective adopters could not be found" in page
    assert match not in page
    assert url("adoption-decision", child) in page
    assert AuditEvent.objects.filter(
        event_type=LookedAfterEvent.ADOPTION_DECISION_CEASED, subject_person_id=child.pk
    ).exists()


def test_previous_permanence_with_a_part_known_date_through_the_page(
    as_worker: Client, in_care: Episode, child: Person
) -> None:
    target = url("previous-permanence", child)
    response = as_worker.post(
        target,
        {
            "option": "P2",
            "arranged_by": "800",
            "order_date_day": "",
            "order_date_month": "6",
            "order_date_year": "2019",
        },
    )
    assert response.status_code == 302
    saved = PreviousPermanence.objects.get()
    assert (saved.episode, saved.date_perm) == (in_care, "ZZ/06/2019")
    page = body(as_worker.get(url("permanence", child)))
    assert "Special guardianship order (SGO)" in page
    assert "June 2019" in page
    form = body(as_worker.get(target))
    assert re.search(r'name="order_date_month"[^>]*value="6"', form)
    assert not re.search(r'name="order_date_day"[^>]*value=', form)
    refused = as_worker.post(
        target,
        {"option": "Z1", "arranged_by": "800", "order_date_year": "2019"},
    )
    assert refused.status_code == 400
    assert "Leave the local authority and the date of the order blank" in body(refused)
    letters = as_worker.post(target, {"option": "P1", "arranged_by": "800", "order_date_year": "x"})
    assert letters.status_code == 400
    assert "Date of the order must be numbers" in body(letters)


def test_a_deprivation_of_liberty_order_and_its_end_through_the_pages(
    as_worker: Client, in_care: Episode, child: Person
) -> None:
    response = as_worker.post(url("dolo-new", child), {**date("start_date", D(2025, 2, 1))})
    assert response.status_code == 302
    order = DeprivationOfLibertyOrder.objects.get()
    page = body(as_worker.get(url("permanence", child)))
    assert "In force" in page
    assert url("dolo-new", child) not in page  # until the order in force ends
    end = url("dolo-end", child, order_id=order.pk)
    refused = as_worker.post(end, {**date("end_date", D(2025, 1, 31))})
    assert refused.status_code == 400
    assert "The date the order ended must be on or after the date it started" in body(refused)
    assert as_worker.post(end, {**date("end_date", D(2025, 5, 1))}).status_code == 302
    order.refresh_from_db()
    assert order.end_date == D(2025, 5, 1)
    assert url("dolo-new", child) in body(as_worker.get(url("permanence", child)))


def test_another_childs_decision_or_order_is_not_found(
    as_worker: Client, in_care: Episode, child: Person, make_child: Callable[..., Person]
) -> None:
    other = make_child("Bea")
    decision = AdoptionDecision.objects.create(
        person=other,
        recorded_by=in_care.recorded_by,
        decided_on=D(2025, 3, 3),
        decided_by="Zed",
    )
    order = DeprivationOfLibertyOrder.objects.create(
        person=other, recorded_by=in_care.recorded_by, start_date=D(2025, 3, 3)
    )
    assert as_worker.get(url("adoption-match", child, decision_id=decision.pk)).status_code == 404
    assert as_worker.get(url("adoption-ceased", child, decision_id=decision.pk)).status_code == 404
    assert as_worker.get(url("dolo-end", child, order_id=order.pk)).status_code == 404


def test_a_reader_sees_the_page_without_links_and_cannot_write(
    client: Client,
    in_care: Episode,
    child: Person,
    worker: User,
    make_user: Callable[..., User],
) -> None:
    decision = actions.record_adoption_decision(
        acting_user=worker, child=child, decided_on=D(2025, 3, 3), decided_by="Zed"
    )
    reader = holding(make_user, {Permission.CHILD_VIEW, Permission.CHILD_VIEW_ALL})
    client.force_login(reader)
    page = client.get(url("permanence", child))
    assert page.status_code == 200
    text = body(page)
    assert "3 March 2025 by Zed" in text
    for name, kw in (
        ("adoption-match", {"decision_id": decision.pk}),
        ("adoption-ceased", {"decision_id": decision.pk}),
        ("previous-permanence", {}),
        ("dolo-new", {}),
    ):
        assert url(name, child, **kw) not in text
        assert client.get(url(name, child, **kw)).status_code == 403
    assert AuditEvent.objects.filter(
        event_type="record.viewed", subject_person_id=child.pk, acting_user=reader
    ).exists()


def test_the_page_reads_in_a_fixed_number_of_queries(
    as_worker: Client,
    in_care: Episode,
    child: Person,
    worker: User,
    django_assert_max_num_queries: Any,
) -> None:
    for month in (2, 4, 6):
        decision = actions.record_adoption_decision(
            acting_user=worker, child=child, decided_on=D(2025, month, 3), decided_by="Zed"
        )
        actions.record_adoption_decision_ceased(
            acting_user=worker,
            decision=decision,
            ceased_on=D(2025, month + 1, 1),
            reason_ceased="RD4",
        )
        order = actions.record_deprivation_of_liberty(
            acting_user=worker, child=child, start_date=D(2025, month, 3), end_date=None
        )
        actions.end_deprivation_of_liberty(
            acting_user=worker, order=order, end_date=D(2025, month + 1, 1)
        )
    # 22: the page's 18, its read's audit event sealed into the chain (lock, head, insert),
    # and the restriction in force for the frame's banner.
    with django_assert_max_num_queries(22):
        assert as_worker.get(url("permanence", child)).status_code == 200
