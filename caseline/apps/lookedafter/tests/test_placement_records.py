"""Each placement's placement plan (CPPCR reg 9) and notice (reg 13): recorded through their
pages, due on the care record until they are, and judged there once they are. And a due date
counted across bank holidays not yet confirmed says so on the care record."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from caseline.apps.accounts.models import User
from caseline.apps.audit.models import AuditEvent
from caseline.apps.lookedafter import actions
from caseline.apps.lookedafter.events import LookedAfterEvent
from caseline.apps.lookedafter.models import Episode, LACReview, PlacementNotice, PlacementPlan
from caseline.apps.lookedafter.tests.conftest import START, foster
from caseline.apps.lookedafter.tests.test_views import date, url
from caseline.apps.people.models import Person

D = datetime.date
MOVED = D(2025, 6, 2)  # a Monday


@pytest.fixture
def as_worker(client: Client, worker: User) -> Client:
    client.force_login(worker)
    return client


@pytest.fixture
def moved(in_care: Episode, child: Person, worker: User) -> Episode:
    """Ada, in care from START, moved to another foster home on 2 June 2025."""
    return actions.change_placement(
        acting_user=worker,
        child=child,
        change_date=MOVED,
        placement=foster(carer_name="Carer household Beta"),
        same_carer=False,
        reason_place_change="CARPL",
    )


def _due_rows(client: Client, child: Person) -> str:
    body = client.get(url("record", child)).content.decode()
    return body.split('id="due"')[1].split('id="looked-after"')[0]


def test_the_placement_plan_is_due_until_it_is_recorded(
    moved: Episode, child: Person, as_worker: Client
) -> None:
    due = _due_rows(as_worker, child)
    assert "Placement plan" in due
    assert "Notice of the placement" in due
    assert "9 June 2025" in due  # 5 working days after the move
    page = as_worker.get(url("placement-plan", child))
    assert page.status_code == 200
    assert "Record the placement plan" in page.content.decode()
    response = as_worker.post(
        url("placement-plan", child),
        {
            **date("agreed_on", D(2025, 6, 4)),
            "agreed_with": "Carer household Beta",
            "summary": "Ada keeps her school and sees her brother weekly.",
        },
    )
    assert response.status_code == 302
    plan = PlacementPlan.objects.get()
    assert plan.episode == moved
    assert plan.agreed_on == D(2025, 6, 4)
    assert AuditEvent.objects.filter(event_type=LookedAfterEvent.PLACEMENT_PLAN_RECORDED).exists()
    assert "Placement plan" not in _due_rows(as_worker, child)
    body = as_worker.get(url("record", child)).content.decode()
    records = body.split('id="placement-records"')[1].split("</dl>")[0]
    assert "Agreed 4 June 2025 with Carer household Beta" in records
    assert "Completed on time" in records


def test_notice_of_the_placement_says_whether_it_was_an_emergency(
    moved: Episode, child: Person, as_worker: Client
) -> None:
    assert as_worker.get(url("placement-notice", child)).status_code == 200
    refused = as_worker.post(url("placement-notice", child), {**date("given_on", D(2025, 6, 3))})
    assert refused.status_code == 400
    assert "Select whether the placement was made in an emergency" in refused.content.decode()
    nobody = as_worker.post(
        url("placement-notice", child), {"emergency": "yes", **date("given_on", D(2025, 6, 3))}
    )
    assert nobody.status_code == 400
    assert "Select who was given notice, or enter who" in nobody.content.decode()
    response = as_worker.post(
        url("placement-notice", child),
        {
            "emergency": "no",
            **date("given_on", D(2025, 6, 3)),
            "given_to": ["parents", "iro", "gp"],
            "given_to_other": "Ada's youth club leader",
        },
    )
    assert response.status_code == 302
    notice = PlacementNotice.objects.get()
    assert notice.episode == moved
    assert notice.emergency is False
    assert notice.given_to == ["parents", "gp", "iro"]  # in the regulation's order
    assert "Notice of the placement" not in _due_rows(as_worker, child)
    body = as_worker.get(url("record", child)).content.decode()
    records = body.split('id="placement-records"')[1].split("</dl>")[0]
    assert "Given 3 June 2025 (a planned placement)" in records
    assert "Ada&#x27;s youth club leader" in records
    # A planned placement's notice is due before it: a day after is late.
    assert "Completed 1 working day late" in records


def test_a_plan_or_notice_is_for_the_current_placement(
    moved: Episode, child: Person, worker: User
) -> None:
    # Before the previous placement began: refused.
    with pytest.raises(ValidationError) as refused:
        actions.record_placement_plan(
            acting_user=worker,
            child=child,
            agreed_on=START - datetime.timedelta(days=1),
            agreed_with="Carer",
            summary="s",
        )
    assert "on or after the previous placement began, 6 January 2025" in str(refused.value)
    # Before this one began, during the last: a plan made ahead of the move.
    early = actions.record_placement_plan(
        acting_user=worker, child=child, agreed_on=D(2025, 5, 30), agreed_with="C", summary="s"
    )
    assert early.episode == moved
    with pytest.raises(ValidationError) as unknown:
        actions.record_placement_notice(
            acting_user=worker,
            child=child,
            emergency=True,
            given_on=MOVED,
            given_to=["the neighbours"],
        )
    assert "Select who was given notice from the list" in str(unknown.value)


def test_no_plan_for_a_child_who_is_not_looked_after(child: Person, worker: User) -> None:
    with pytest.raises(ValidationError) as refused:
        actions.record_placement_plan(
            acting_user=worker, child=child, agreed_on=START, agreed_with="C", summary="s"
        )
    assert "Ada is not looked after now" in str(refused.value)
    assert not PlacementPlan.objects.exists()


def test_a_due_date_across_unconfirmed_bank_holidays_says_so_beside_it(
    child: Person, worker: User, as_worker: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Looked after from Monday 21 December 2026: the first review, 20 working days on, falls
    in January 2027, whose bank holidays are computed, not announced."""
    today = D(2026, 12, 22)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today)
    actions.start_period_of_care(
        acting_user=worker,
        child=child,
        start_date=D(2026, 12, 21),
        legal_status="V2",
        placement=foster(),
    )
    due = _due_rows(as_worker, child)
    review = due.split("Looked-after review")[1].split("</tr>")[0]
    assert "21 January 2027" in review
    assert "(bank holidays for 2027 not yet confirmed)" in review
    # The placement plan, 5 working days on, is due in December 2026: a firm date.
    plan = due.split("Placement plan")[1].split("</tr>")[0]
    assert "30 December 2026" in plan
    assert "not yet confirmed" not in plan
    # The minutes of a review held today are due in January 2027: said where shown as text.
    held = LACReview.objects.create(
        person=child, recorded_by=worker, chair=worker, review_date=today, participation="PN1"
    )
    body = as_worker.get(url("record", child)).content.decode()
    minutes = body.split("Minutes</dt>")[1].split("</dd>")[0]
    assert "Due 22 January 2027 (bank holidays for 2027 not yet confirmed)" in minutes
    # And on the review's own page, beside the date.
    body = as_worker.get(url("review", child, review_id=held.pk)).content.decode()
    minutes = " ".join(body.split("Minutes</dt>")[1].split("</dd>")[0].split())
    assert (
        'Not complete: due by 22 January 2027 <span class="govuk-body-s">(bank holidays for '
        "2027 not yet confirmed)</span>"
    ) in minutes
