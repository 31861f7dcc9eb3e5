"""A child on a plan in another area moves here: we record the transfer in when we are told,
the transfer-in conference is due from then (15 working days) and awaited until it is held."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from caseline.apps.accounts.models import User
from caseline.apps.audit.models import AuditEvent
from caseline.apps.people.models import Person
from caseline.apps.plans.tests.posting import date_fields
from caseline.apps.protection import actions, queries
from caseline.apps.protection.models import Conference, ProtectionPlan, TransferIn
from caseline.apps.protection.tests.conftest import conference_values, transferred_in
from caseline.apps.protection.tests.test_views import conference_post
from caseline.apps.protection.timescales import TRANSFER_IN_CONFERENCE
from caseline.apps.timescales.rules import TimelinessStatus

pytestmark = pytest.mark.django_db
D = datetime.date
TOLD = D(2025, 4, 28)
DUE = D(2025, 5, 20)  # 15 working days on: 5 May 2025 was a bank holiday


def url(name: str, person: Person, **kwargs: int) -> str:
    return reverse(f"protection:{name}", kwargs={"person_id": person.pk, **kwargs})


def test_a_transfer_in_makes_its_conference_due_until_it_is_held(
    client: Client, child: Person, worker: User, chair: User
) -> None:
    client.force_login(worker)
    record = url("record", child)
    assert url("transfer-in-notice", child) in client.get(record).content.decode()
    response = client.post(url("transfer-in-notice", child), date_fields("notified_on", None))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter the date we were told the child had moved here" in html
    assert "Enter the local authority the child moved from" in html
    response = client.post(
        url("transfer-in-notice", child),
        {
            **date_fields("notified_on", TOLD),
            "from_authority": "Northshire",
            "notes": "On a plan for neglect since January.",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == record
    page = client.get(record).content.decode()
    assert "The transfer-in conference is due by 20 May 2025" in page  # the success message
    assert "Transfer-in conference awaited" in page
    assert "Northshire, on a child protection plan there" in page
    assert "On a plan for neglect since January." in page
    assert "Record a transfer-in conference" not in page  # the worker does not chair
    transfer_in = TransferIn.objects.get(person=child)
    assert transfer_in.referral is not None
    event = AuditEvent.objects.get(event_type="protection.transfer-in-recorded")
    assert event.subject_person_id == child.pk
    assert event.new_values["notified_on"] == "2025-04-28"

    # Due work for the child, from the day we were told.
    [item] = queries.transfer_in_conferences_awaited([child.pk], D(2025, 5, 21))
    conference_page = url("transfer-in-new", child, transfer_id=transfer_in.pk)
    assert (item.person_id, item.rule_code, item.href) == (
        child.pk,
        TRANSFER_IN_CONFERENCE.code,
        conference_page,
    )
    assert item.title == "Transfer-in child protection conference"
    assert item.timeliness.due_date == DUE
    assert item.timeliness.status == TimelinessStatus.OVERDUE
    assert queries.awaiting_transfer_in_conference() == {child.pk}

    client.force_login(chair)
    page = client.get(record).content.decode()
    assert conference_page in page
    form = client.get(conference_page).content.decode()
    assert (
        "We were told on 28 April 2025 that Ada Testchild had moved here from Northshire, on "
        "a child protection plan there. The conference is due by 20 May 2025"
    ) in form
    response = client.post(
        conference_page,
        conference_post(
            D(2025, 5, 14),
            decision="plan",
            category="NEG",
            lead_social_worker=str(worker.pk),
            outline_plan="Carry on the plan Northshire made.",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    conference = Conference.objects.get(transfer_in=transfer_in)
    assert (conference.kind, conference.transfer_notified_on) == (
        Conference.Kind.TRANSFER_IN,
        TOLD,
    )
    shown = client.get(response["Location"]).content.decode()
    assert "Moved here from" in shown
    assert "Northshire (we were told on 28 April 2025)" in shown
    assert "Completed on time" in shown
    assert ProtectionPlan.objects.get(person=child).conference == conference
    # Held: nothing awaits it any more.
    assert queries.transfer_in_conferences_awaited([child.pk], D(2025, 5, 21)) == []
    assert queries.awaiting_transfer_in_conference() == set()
    assert "Transfer-in conference awaited" not in client.get(record).content.decode()
    response = client.post(conference_page, conference_post(D(2025, 5, 15), decision="no-plan"))
    assert response.status_code == 400
    assert "A conference has already been recorded for this transfer in" in (
        response.content.decode()
    )


def test_one_transfer_in_awaits_at_a_time_and_stays_with_its_child(
    client: Client,
    child: Person,
    worker: User,
    chair: User,
    make_child: Callable[..., Person],
) -> None:
    transfer_in = transferred_in(child, worker, TOLD)
    with pytest.raises(ValidationError, match="already awaited for Ada Testchild"):
        transferred_in(child, worker, D(2025, 4, 29))
    other = make_child("Bea")
    with pytest.raises(ValidationError, match="about another child"):
        actions.hold_initial_conference(
            acting_user=chair,
            child=other,
            transfer_in=transfer_in,
            lead_social_worker=worker,
            **conference_values(conference_date=D(2025, 5, 6)),
        )
    client.force_login(chair)
    assert client.get(url("transfer-in-new", other, transfer_id=transfer_in.pk)).status_code == 404
    # Once its conference is held, another move may be recorded.
    actions.hold_initial_conference(
        acting_user=chair,
        child=child,
        transfer_in=transfer_in,
        **conference_values(conference_date=D(2025, 5, 6), decision=Conference.Decision.NO_PLAN),
    )
    assert transferred_in(child, worker, D(2025, 9, 1)).notified_on == D(2025, 9, 1)


def test_the_conferences_awaited_take_one_query_however_many_children(
    worker: User, make_child: Callable[..., Person], django_assert_num_queries: Any
) -> None:
    children = [make_child(name) for name in ("Ada", "Bea", "Cal", "Dee")]
    for number, child in enumerate(children[:3]):
        transferred_in(child, worker, TOLD + datetime.timedelta(days=number))
    with django_assert_num_queries(1):
        items = queries.transfer_in_conferences_awaited([c.pk for c in children], D(2025, 5, 1))
    assert [item.person_id for item in items] == [c.pk for c in children[:3]]
    assert {item.timeliness.status for item in items} == {TimelinessStatus.NOT_DUE_YET}


def test_a_transfer_in_awaiting_its_conference_is_due_work_and_in_the_chairs_queue(
    make_child: Callable[..., Person], worker: User
) -> None:
    from caseline.apps.mywork.chair import awaiting_initial_conference
    from caseline.apps.protection.work import protection_work_items

    child = make_child("Tia")
    actions.record_transfer_in(
        acting_user=worker,
        child=child,
        notified_on=datetime.date(2025, 4, 1),
        from_authority="Another council",
    )
    [item] = [
        i
        for i in protection_work_items([child.pk], datetime.date(2025, 4, 2))
        if i.rule_code == "transfer-in-conference"
    ]
    # 15 working days from Tuesday 1 April 2025, past Good Friday and Easter Monday.
    assert item.timeliness.due_date == datetime.date(2025, 4, 24)
    assert child.pk in awaiting_initial_conference()
