"""Correcting a mistyped episode: the same checks as recording it, the episodes kept in order,
and every row changed audited with its old and new values and the reason."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from caseline.apps.accounts.models import User
from caseline.apps.audit.models import AuditEvent
from caseline.apps.lookedafter import actions
from caseline.apps.lookedafter.actions import PlacementDetails
from caseline.apps.lookedafter.events import LookedAfterEvent
from caseline.apps.lookedafter.models import Episode
from caseline.apps.lookedafter.tests.conftest import START, foster
from caseline.apps.people.models import Person

D = datetime.date
MOVE, STATUS = D(2025, 3, 3), D(2025, 4, 1)


def messages(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def correct(worker: User, episode: Episode, **changes: Any) -> Episode:
    """Correct ``episode``, keeping what ``changes`` does not name."""
    values: dict[str, Any] = {
        "start_date": episode.start_date,
        "legal_status": episode.legal_status,
        "placement": PlacementDetails.of(episode),
        "reason_place_change": episode.reason_place_change,
        "reason_episode_ceased": episode.reason_episode_ceased,
        "reason": "Mistyped when it was recorded",
    }
    values.update(changes)
    return actions.correct_episode(acting_user=worker, episode=episode, **values)


def moved(worker: User, child: Person, **kw: Any) -> Episode:
    """Ada moves to a residential placement on MOVE."""
    return actions.change_placement(
        acting_user=worker,
        child=child,
        change_date=MOVE,
        placement=foster(placement_type="K2", placement_provider="PR4", carer_name="Home Beta"),
        same_carer=False,
        reason_place_change="CARPL",
        **kw,
    )


def episodes(child: Person) -> list[tuple[Any, ...]]:
    return list(
        Episode.objects.filter(person=child).values_list(
            "start_date", "end_date", "reason_new_episode", "legal_status", "placement_type"
        )
    )


def test_a_mistyped_start_date_is_corrected_and_audited_with_the_reason(
    in_care: Episode, child: Person, worker: User
) -> None:
    correct(worker, in_care, start_date=D(2025, 1, 7), reason="Typed the 6th, not the 7th")
    in_care.refresh_from_db()
    assert in_care.start_date == D(2025, 1, 7)
    assert (in_care.corrected_by, in_care.correction_reason) == (
        worker,
        "Typed the 6th, not the 7th",
    )
    assert in_care.corrected_at is not None
    event = AuditEvent.objects.get(event_type=LookedAfterEvent.EPISODE_CORRECTED)
    assert event.subject_person_id == child.pk
    assert event.old_values["start_date"] == "2025-01-06"
    assert event.new_values["start_date"] == "2025-01-07"
    assert event.extra == {"reason": "Typed the 6th, not the 7th", "episode": in_care.pk}
    assert "legal_status" not in event.new_values  # only what changed


def test_moving_the_start_of_a_later_episode_moves_the_end_of_the_one_before(
    in_care: Episode, child: Person, worker: User
) -> None:
    later = moved(worker, child)
    correct(worker, later, start_date=D(2025, 3, 10))
    assert episodes(child) == [
        (START, D(2025, 3, 10), "S", "C1", "U6"),
        (D(2025, 3, 10), None, "P", "C1", "K2"),
    ]
    events = AuditEvent.objects.filter(event_type=LookedAfterEvent.EPISODE_CORRECTED)
    assert {e.target_id: e.new_values for e in events} == {
        str(in_care.pk): {"end_date": "2025-03-10"},
        str(later.pk): {
            "start_date": "2025-03-10",
            "corrected_by": worker.pk,
            "corrected_at": events.get(target_id=later.pk).new_values["corrected_at"],
            "correction_reason": "Mistyped when it was recorded",
        },
    }
    with pytest.raises(ValidationError) as excinfo:
        correct(worker, later, start_date=START)
    assert messages(excinfo) == {
        "start_date": ["The start date must be after the episode before began, on 6 January 2025"]
    }


def test_a_start_date_must_stay_before_the_episode_ended_and_after_the_period_before(
    in_care: Episode, child: Person, worker: User
) -> None:
    moved(worker, child)
    in_care.refresh_from_db()
    with pytest.raises(ValidationError) as excinfo:
        correct(worker, in_care, start_date=MOVE)
    assert messages(excinfo) == {
        "start_date": ["The start date must be before the episode ended, on 3 March 2025"]
    }
    actions.end_period_of_care(
        acting_user=worker, child=child, end_date=D(2025, 5, 1), reason_episode_ceased="E13"
    )
    again = actions.start_period_of_care(
        acting_user=worker,
        child=child,
        start_date=D(2025, 6, 2),
        legal_status="V2",
        placement=foster(),
    )
    with pytest.raises(ValidationError) as excinfo:
        correct(worker, again, start_date=D(2025, 4, 20))
    assert messages(excinfo) == {
        "start_date": [
            "The start date must be on or after the period of care before ended, on 1 May 2025: "
            "periods of care cannot overlap"
        ]
    }
    with pytest.raises(ValidationError) as excinfo:
        correct(worker, again, start_date=D(2099, 1, 1))
    assert messages(excinfo) == {"start_date": ["The start date must be today or in the past"]}
    with pytest.raises(ValidationError) as excinfo:
        correct(worker, in_care, start_date=D(2012, 4, 1))
    assert messages(excinfo)["start_date"] == [
        "The start date must be on or after Ada's date of birth (1 May 2012)"
    ]
    # The day the period before ended will do.
    assert correct(worker, again, start_date=D(2025, 5, 1)).start_date == D(2025, 5, 1)


def test_codes_must_be_valid_in_their_year(in_care: Episode, child: Person, worker: User) -> None:
    with pytest.raises(ValidationError) as excinfo:
        correct(
            worker,
            in_care,
            legal_status="ZZ",
            placement=foster(placement_type="Q9", placement_provider=""),
        )
    assert messages(excinfo) == {
        "legal_status": ["Select a valid legal status for 6 January 2025"],
        "placement_type": ["Select a valid placement type for 6 January 2025"],
        "placement_provider": ["Select the placement provider"],
    }
    with pytest.raises(ValidationError) as excinfo:
        correct(worker, in_care, placement=foster(placement_type="P1", placement_provider="PR1"))
    assert set(messages(excinfo)) == {
        "placement_provider",
        "parent_placement_approver",
        "parent_placement_rationale",
        "parent_placement_approved_on",
    }


def test_a_corrected_legal_status_derives_again_why_each_episode_began(
    in_care: Episode, child: Person, worker: User
) -> None:
    both = moved(worker, child, legal_status="C2")  # moved and the status changed: B
    status = actions.change_legal_status(
        acting_user=worker, child=child, change_date=STATUS, legal_status="D1"
    )
    assert [e[2] for e in episodes(child)] == ["S", "B", "L"]
    # The move did not change the legal status after all: B becomes P.
    correct(worker, both, legal_status="C1")
    assert [e[2:4] for e in episodes(child)] == [("S", "C1"), ("P", "C1"), ("L", "D1")]
    # An episode that began only with a change of status cannot have the same status.
    with pytest.raises(ValidationError) as excinfo:
        correct(worker, status, legal_status="C1")
    assert messages(excinfo) == {
        "legal_status": [
            "This episode began with a change of legal status, so the legal status of the two "
            "episodes cannot be the same (C1)"
        ]
    }
    with pytest.raises(ValidationError) as excinfo:
        correct(worker, Episode.objects.get(pk=both.pk), legal_status="D1")
    assert messages(excinfo) == {
        "legal_status": [
            "The episode after it began with a change of legal status, so the legal status of "
            "the two episodes cannot be the same (D1)"
        ]
    }


def test_a_corrected_placement_applies_to_every_episode_of_the_placement(
    in_care: Episode, child: Person, worker: User
) -> None:
    status = actions.change_legal_status(
        acting_user=worker, child=child, change_date=STATUS, legal_status="C2"
    )
    correct(worker, status, placement=foster(placement_type="U4", carer_name="Carer Gamma"))
    assert list(Episode.objects.values_list("placement_type", "carer_name")) == [
        ("U4", "Carer Gamma"),
        ("U4", "Carer Gamma"),
    ]
    corrected = Episode.objects.get(pk=status.pk)
    assert corrected.correction_reason == "Mistyped when it was recorded"
    assert Episode.objects.get(pk=in_care.pk).corrected_at is None  # corrected through it
    assert AuditEvent.objects.filter(event_type=LookedAfterEvent.EPISODE_CORRECTED).count() == 2


def test_why_the_child_moved_or_care_ended_can_be_corrected(
    in_care: Episode, child: Person, worker: User
) -> None:
    later = moved(worker, child)
    in_care.refresh_from_db()
    correct(worker, in_care, reason_place_change="CLOSE")
    assert Episode.objects.get(pk=in_care.pk).reason_place_change == "CLOSE"
    with pytest.raises(ValidationError) as excinfo:
        correct(worker, Episode.objects.get(pk=in_care.pk), reason_place_change="")
    assert messages(excinfo) == {
        "reason_place_change": ["Select the reason for the placement change"]
    }
    actions.end_period_of_care(
        acting_user=worker, child=child, end_date=D(2025, 5, 1), reason_episode_ceased="E13"
    )
    later.refresh_from_db()
    correct(worker, later, reason_episode_ceased="E4A")
    assert Episode.objects.get(pk=later.pk).reason_episode_ceased == "E4A"
    with pytest.raises(ValidationError) as excinfo:
        correct(worker, Episode.objects.get(pk=later.pk), reason_episode_ceased="X1")
    assert messages(excinfo) == {
        "reason_episode_ceased": [
            "X1 is for a change of placement or legal status: choose why care ended"
        ]
    }


def test_a_correction_that_changes_nothing_or_gives_no_reason_is_refused(
    in_care: Episode, child: Person, worker: User
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        correct(worker, in_care)
    assert messages(excinfo) == {"__all__": ["Nothing has changed: correct what was wrong"]}
    with pytest.raises(ValidationError) as excinfo:
        correct(worker, in_care, start_date=D(2025, 1, 7), reason=" ")
    assert messages(excinfo) == {"reason": ["Enter why you are correcting the episode"]}
    assert not AuditEvent.objects.filter(event_type=LookedAfterEvent.EPISODE_CORRECTED).exists()


# --- The page ---------------------------------------------------------------------------------


def url(child: Person, episode: Episode) -> str:
    return reverse(
        "lookedafter:episode-correct", kwargs={"person_id": child.pk, "episode_id": episode.pk}
    )


FORM = {
    "start_date_day": "7",
    "start_date_month": "1",
    "start_date_year": "2025",
    "legal_status": "C1",
    "placement_type": "U6",
    "placement_provider": "PR1",
    "carer_name": "Carer household Alpha",
    "placement_postcode": "AB1 2CD",
    "area": "IN",
    "arrangement": "standard",
    "intended_until_18": "no",
}


def test_correcting_an_episode_through_the_page(
    client: Client, in_care: Episode, child: Person, worker: User
) -> None:
    client.force_login(worker)
    later = moved(worker, child)
    page = client.get(url(child, in_care)).content.decode()
    assert "The episode from 6 January 2025 to 3 March 2025" in page
    assert 'value="Carer household Alpha"' in page
    assert 'name="reason_place_change"' in page  # it ended with a move
    assert 'name="reason_episode_ceased"' not in page
    assert 'name="reason_place_change"' not in client.get(url(child, later)).content.decode()
    response = client.post(url(child, in_care), {**FORM, "reason_place_change": "CARPL"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Enter why you are correcting the episode" in body
    assert 'value="7"' in body  # what was typed is kept
    response = client.post(
        url(child, in_care),
        {**FORM, "reason_place_change": "CARPL", "reason": "The date was mistyped"},
    )
    assert response.status_code == 302
    assert Episode.objects.get(pk=in_care.pk).start_date == D(2025, 1, 7)
    record = client.get(response.url).content.decode()  # type: ignore[attr-defined]
    assert "Episode corrected" in record
    assert "Corrected" in record
    assert "by Wren User: The date was mistyped" in record
    assert url(child, later) in record
    other = Person.objects.create(given_name="Zed", family_name="Testchild")
    assert client.get(url(other, in_care)).status_code in (403, 404)


def test_the_record_says_who_recorded_each_row(
    client: Client, in_care: Episode, child: Person, worker: User
) -> None:
    actions.record_visit(
        acting_user=worker,
        child=child,
        visit_date=D(2025, 1, 10),
        child_seen=True,
        seen_alone=True,
        note="Ada showed me her room.",
    )
    client.force_login(worker)
    body = client.get(reverse("lookedafter:record", kwargs={"person_id": child.pk})).content
    text = body.decode()
    assert text.count('<th scope="col" class="govuk-table__header">Recorded by</th>') == 2
    assert text.count('<td class="govuk-table__cell">Wren User</td>') == 1  # the visit
    assert "Wren User" in text.split("Episodes of care")[1].split("</table>")[0]
