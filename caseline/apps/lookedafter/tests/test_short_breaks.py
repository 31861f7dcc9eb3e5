"""A child on a series of short breaks (CPPCR reg 48, legal status V3/V4): the rules make its
reviews and visits due, so they can be recorded, through the actions and the record page; and
the IRO who chairs the reviews stays allocated between breaks while the series goes on."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from caseline.apps.accounts.models import User
from caseline.apps.audit.models import AuditEvent
from caseline.apps.lookedafter import actions, queries
from caseline.apps.lookedafter.events import LookedAfterEvent
from caseline.apps.lookedafter.models import IROAllocation, LACReview, LACVisit
from caseline.apps.lookedafter.tests.conftest import START, foster
from caseline.apps.people.models import Person

D = datetime.date
pytestmark = pytest.mark.django_db
# Two breaks: 6 to 10 January 2025 and 3 to 7 February 2025. The series lapses 12 months
# after the latest, on 7 February 2026.
FIRST_BREAK = (START, D(2025, 1, 10))
SECOND_BREAK = (D(2025, 2, 3), D(2025, 2, 7))
BETWEEN = D(2025, 2, 20)
ON_A_BREAK = D(2025, 2, 5)


def take_break(child: Person, worker: User, start: D, end: D | None) -> None:
    actions.start_period_of_care(
        acting_user=worker, child=child, start_date=start, legal_status="V3", placement=foster()
    )
    if end is not None:
        actions.end_period_of_care(
            acting_user=worker, child=child, end_date=end, reason_episode_ceased="E8"
        )


@pytest.fixture
def on_breaks(child: Person, worker: User, iro: User) -> Person:
    """Ada has had two short breaks, with an IRO allocated at the first."""
    actions.start_period_of_care(
        acting_user=worker, child=child, start_date=START, legal_status="V3", placement=foster()
    )
    actions.allocate_iro(acting_user=worker, child=child, iro=iro, start_date=START)
    actions.end_period_of_care(
        acting_user=worker, child=child, end_date=FIRST_BREAK[1], reason_episode_ceased="E8"
    )
    take_break(child, worker, *SECOND_BREAK)
    return child


def errors(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def visit(child: Person, worker: User, day: D) -> LACVisit:
    return actions.record_visit(
        acting_user=worker,
        child=child,
        visit_date=day,
        child_seen=True,
        seen_alone=False,
        note="Ada showed me the sensory room.",
    )


# --- The IRO stays while the series goes on ---------------------------------------------------


def test_the_end_of_a_short_break_keeps_the_iro_while_the_series_goes_on(
    on_breaks: Person, worker: User, iro: User
) -> None:
    """Ending a break leaves the series open (it lapses 12 months after its latest break), so
    the IRO who chairs its reviews stays allocated; ending care in the usual way ends the
    allocation, as before."""
    allocation = IROAllocation.objects.get(person=on_breaks)
    assert allocation.end_date is None
    assert queries.iro_on(on_breaks, BETWEEN) == allocation
    assert not AuditEvent.objects.filter(event_type=LookedAfterEvent.IRO_ALLOCATION_ENDED).exists()
    # Looked after in the usual way from 3 March: the series is over, the IRO carries on, and
    # the allocation ends with that period of care.
    actions.start_period_of_care(
        acting_user=worker,
        child=on_breaks,
        start_date=D(2025, 3, 3),
        legal_status="V2",
        placement=foster(),
    )
    actions.end_period_of_care(
        acting_user=worker, child=on_breaks, end_date=D(2025, 6, 2), reason_episode_ceased="E4A"
    )
    allocation.refresh_from_db()
    assert allocation.end_date == D(2025, 6, 2)


# --- Reviews and visits in the series ---------------------------------------------------------


def test_a_review_is_recorded_on_a_break_or_between_breaks_until_the_series_lapses(
    on_breaks: Person, iro: User
) -> None:
    for day in (D(2025, 1, 8), BETWEEN):
        review = actions.record_review(
            acting_user=iro, child=on_breaks, review_date=day, participation="PN1"
        )
        assert review.chair == iro
    # The first review was due within 3 months of the first break, and was held in time.
    due = {d.rule.code: d for d in queries.care_record(on_breaks).due(BETWEEN)}
    assert due["lac-review-short-breaks"].timeliness.due_date == D(2025, 8, 20)
    with pytest.raises(ValidationError) as excinfo:
        actions.record_review(
            acting_user=iro, child=on_breaks, review_date=D(2026, 2, 9), participation="PN1"
        )
    assert errors(excinfo)["review_date"] == ["Ada was not looked after on that date"]


def test_a_visit_is_recorded_on_a_day_of_a_break_only(on_breaks: Person, worker: User) -> None:
    visit(on_breaks, worker, ON_A_BREAK)
    due = {d.rule.code: d for d in queries.care_record(on_breaks).due(BETWEEN)}
    assert due["lac-visit-short-breaks"].timeliness.due_date == D(2025, 8, 5)
    with pytest.raises(ValidationError) as excinfo:
        visit(on_breaks, worker, BETWEEN)
    assert errors(excinfo)["visit_date"] == [
        "The visit date must be a day Ada was on a short break (regulation 48): on that date "
        "they were between breaks"
    ]
    assert LACVisit.objects.count() == 1


def test_a_child_never_on_breaks_is_still_refused(child: Person, worker: User) -> None:
    with pytest.raises(ValidationError) as excinfo:
        visit(child, worker, ON_A_BREAK)
    assert errors(excinfo)["visit_date"] == [
        "Ada has never been looked after: start a period of care first"
    ]


# --- The record page --------------------------------------------------------------------------


def url(name: str, child: Person, **kw: Any) -> str:
    return reverse(f"lookedafter:{name}", kwargs={"person_id": child.pk, **kw})


def date(prefix: str, day: D) -> dict[str, str]:
    return {
        f"{prefix}_day": str(day.day),
        f"{prefix}_month": str(day.month),
        f"{prefix}_year": str(day.year),
    }


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_record_page_offers_the_review_and_the_visit_during_short_breaks(
    on_breaks: Person, worker: User, iro: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: BETWEEN)
    as_iro, as_worker = signed_in(iro), signed_in(worker)
    page = as_iro.get(url("record", on_breaks)).content.decode()
    looked_after = page.split('id="looked-after"')[1].split("<h2")[0]
    assert "A series of short breaks since 6 January 2025" in looked_after
    assert "the series ends after 7 February 2026" in looked_after
    assert "Indra Reviewer, since 6 January 2025" in looked_after
    assert f'href="{url("review-new", on_breaks)}">Record a review' in page
    assert url("earlier-review", on_breaks) not in page  # not for short breaks
    assert url("visit-new", on_breaks) not in page  # an IRO does not record visits
    page = as_worker.get(url("record", on_breaks)).content.decode()
    assert f'href="{url("visit-new", on_breaks)}">Record a visit' in page
    assert url("review-new", on_breaks) not in page  # the IRO's
    assert f'href="{url("start", on_breaks)}">Start a period of care' in page
    assert url("end", on_breaks) not in page  # between breaks: nothing to end

    response = as_iro.post(
        url("review-new", on_breaks), {**date("review_date", BETWEEN), "participation": "PN1"}
    )
    review = LACReview.objects.get(person=on_breaks)
    assert response.url == url("recommendation-new", on_breaks, review_id=review.pk)  # type: ignore[attr-defined]
    response = as_worker.post(
        url("visit-new", on_breaks),
        {
            **date("visit_date", D(2025, 2, 19)),
            "child_seen": "yes",
            "seen_alone": "no",
            "note": "n",
        },
    )
    assert response.status_code == 400
    assert "they were between breaks" in response.content.decode()
    response = as_worker.post(
        url("visit-new", on_breaks),
        {**date("visit_date", ON_A_BREAK), "child_seen": "yes", "seen_alone": "no", "note": "n"},
    )
    assert response.status_code == 302
    due = as_worker.get(url("record", on_breaks)).content.decode().split('id="due"')[1]
    due = due.split("</table>")[0]
    rows = {row.split("</td>")[0].split(">")[-1]: row for row in due.split("<tr")[2:]}
    assert "20 August 2025" in rows["Short-break review"]
    assert "5 August 2025" in rows["Short-break visit"]


def test_on_a_break_the_page_offers_to_end_it(
    on_breaks: Person, worker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    take_break(on_breaks, worker, D(2025, 3, 3), None)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: D(2025, 3, 4))
    page = signed_in(worker).get(url("record", on_breaks)).content.decode()
    assert "On a break now." in page
    assert f'href="{url("end", on_breaks)}">End the short break' in page
    assert f'href="{url("visit-new", on_breaks)}">Record a visit' in page
    assert url("start", on_breaks) not in page
