"""Episodes: starting care, changes of legal status and placement, ending care; validation."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from caseline.apps.accounts.models import User
from caseline.apps.audit.models import AuditEvent
from caseline.apps.lookedafter import actions, derive
from caseline.apps.lookedafter.events import LookedAfterEvent
from caseline.apps.lookedafter.models import Episode
from caseline.apps.lookedafter.placement_rules import URN_SHAPE_EXPLAINED
from caseline.apps.lookedafter.tests.conftest import START, foster
from caseline.apps.people.models import Person

D = datetime.date


def errors_of(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def test_starting_care_records_an_s_episode_and_audits_it(child: Person, worker: User) -> None:
    episode = actions.start_period_of_care(
        acting_user=worker,
        child=child,
        start_date=START,
        legal_status="V2",
        placement=foster(distance_from_home=Decimal("4.5"), ofsted_urn="sc123456"),
    )
    assert episode.reason_new_episode == "S"
    assert episode.placement_postcode == "AB1 2CD"
    assert episode.ofsted_urn == "SC123456"
    event = AuditEvent.objects.get(event_type=LookedAfterEvent.PERIOD_STARTED)
    assert event.subject_person_id == child.pk
    assert event.new_values["legal_status"] == "V2"


def test_a_second_period_cannot_start_while_looked_after(
    in_care: Episode, child: Person, worker: User
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        actions.start_period_of_care(
            acting_user=worker,
            child=child,
            start_date=D(2025, 3, 1),
            legal_status="V2",
            placement=foster(),
        )
    assert "already looked after, since 6 January 2025" in errors_of(excinfo)["start_date"][0]
    assert Episode.objects.count() == 1


def test_overlapping_a_past_period_is_refused(
    in_care: Episode, child: Person, worker: User
) -> None:
    actions.end_period_of_care(
        acting_user=worker, child=child, end_date=D(2025, 6, 1), reason_episode_ceased="E4A"
    )
    with pytest.raises(ValidationError) as excinfo:
        actions.start_period_of_care(
            acting_user=worker,
            child=child,
            start_date=D(2025, 5, 1),
            legal_status="V2",
            placement=foster(),
        )
    assert "periods of care cannot overlap" in errors_of(excinfo)["start_date"][0]
    # A new period after the end is fine, and makes a second period of care.
    actions.start_period_of_care(
        acting_user=worker,
        child=child,
        start_date=D(2025, 9, 1),
        legal_status="V2",
        placement=foster(),
    )
    periods = derive.periods_of_care(Episode.objects.filter(person=child))
    assert [(p.start_date, p.end_date) for p in periods] == [
        (START, D(2025, 6, 1)),
        (D(2025, 9, 1), None),
    ]
    assert periods[0].reason_ceased == "E4A"


def test_bad_codes_and_versioned_placement_types_are_refused(child: Person, worker: User) -> None:
    with pytest.raises(ValidationError) as excinfo:
        actions.start_period_of_care(
            acting_user=worker,
            child=child,
            start_date=D(2025, 5, 1),
            legal_status="ZZ",
            placement=foster(
                placement_type="H5",
                placement_provider="",
                ofsted_urn="X1",
                placement_postcode="nowhere",
                distance_from_home=Decimal(-1),
            ),
        )
    errors = errors_of(excinfo)
    assert errors["legal_status"] == ["Select a valid legal status for 1 May 2025"]
    # H5 is not in use in 2025-26, the collection year of 1 May 2025.
    assert errors["placement_type"] == ["Select a valid placement type for 1 May 2025"]
    assert errors["placement_provider"] == ["Select the placement provider"]
    assert errors["ofsted_urn"] == [f"{URN_SHAPE_EXPLAINED} (SSDA903 rule 1008)"]
    assert errors["placement_postcode"] == ["Enter a real postcode, like SW1A 1AA"]
    assert "between 0 and 999.9" in errors["distance_from_home"][0]
    assert not Episode.objects.exists()


def test_h5_is_accepted_in_a_year_it_was_in_use(child: Person, worker: User) -> None:
    episode = actions.start_period_of_care(
        acting_user=worker,
        child=child,
        start_date=D(2024, 5, 1),
        legal_status="V2",
        placement=foster(placement_type="H5"),
    )
    assert episode.placement_type == "H5"


def test_future_and_pre_birth_dates_are_refused(child: Person, worker: User) -> None:
    for day, message in [
        (D(2099, 1, 1), "must be today or in the past"),
        (D(2010, 1, 1), "on or after Ada's date of birth"),
    ]:
        with pytest.raises(ValidationError) as excinfo:
            actions.start_period_of_care(
                acting_user=worker,
                child=child,
                start_date=day,
                legal_status="V2",
                placement=foster(),
            )
        assert message in errors_of(excinfo)["start_date"][0]


def test_placement_with_parents_needs_senior_manager_approval(child: Person, worker: User) -> None:
    with pytest.raises(ValidationError) as excinfo:
        actions.start_period_of_care(
            acting_user=worker,
            child=child,
            start_date=START,
            legal_status="C2",
            placement=foster(placement_type="P1", placement_provider="PR1"),
        )
    errors = errors_of(excinfo)
    assert set(errors) == {
        "placement_provider",
        "parent_placement_approver",
        "parent_placement_approved_on",
        "parent_placement_rationale",
    }
    episode = actions.start_period_of_care(
        acting_user=worker,
        child=child,
        start_date=START,
        legal_status="C2",
        placement=foster(
            placement_type="P1",
            placement_provider="PR0",
            parent_placement_approver="Head of service (synthetic)",
            parent_placement_approved_on=D(2025, 1, 3),
            parent_placement_rationale="Mother has completed the residential assessment.",
        ),
    )
    assert episode.parent_placement_approved_on == D(2025, 1, 3)


def test_approval_fields_are_cleared_for_other_placements(child: Person, worker: User) -> None:
    episode = actions.start_period_of_care(
        acting_user=worker,
        child=child,
        start_date=START,
        legal_status="V2",
        placement=foster(parent_placement_approver="Someone", parent_placement_rationale="x"),
    )
    assert episode.parent_placement_approver == ""
    assert episode.parent_placement_rationale == ""


def test_change_of_legal_status_ends_the_episode_with_x1_and_starts_l(
    in_care: Episode, child: Person, worker: User
) -> None:
    new = actions.change_legal_status(
        acting_user=worker, child=child, change_date=D(2025, 4, 1), legal_status="C2"
    )
    in_care.refresh_from_db()
    assert (in_care.end_date, in_care.reason_episode_ceased) == (D(2025, 4, 1), "X1")
    assert (new.reason_new_episode, new.legal_status, new.placement_type) == ("L", "C2", "U6")
    assert new.carer_name == "Carer household Alpha"
    period = derive.periods_of_care([in_care, new])
    assert len(period) == 1
    assert len(period[0].placements) == 1  # a legal status change is not a move


def test_same_legal_status_is_refused(in_care: Episode, child: Person, worker: User) -> None:
    with pytest.raises(ValidationError) as excinfo:
        actions.change_legal_status(
            acting_user=worker, child=child, change_date=D(2025, 4, 1), legal_status="C1"
        )
    assert "already C1" in errors_of(excinfo)["legal_status"][0]


@pytest.mark.parametrize(
    ("same_carer", "legal_status", "rne"),
    [(False, "", "P"), (True, "", "T"), (False, "C2", "B"), (True, "C2", "U"), (False, "C1", "P")],
)
def test_placement_change_derives_the_reason_for_new_episode(
    in_care: Episode, child: Person, worker: User, same_carer: bool, legal_status: str, rne: str
) -> None:
    new = actions.change_placement(
        acting_user=worker,
        child=child,
        change_date=D(2025, 3, 3),
        placement=foster(
            placement_type="K2",
            placement_provider="PR4",
            carer_name="Home B",
            ofsted_urn="SC654321",
            area=Episode.Area.OUT,
        ),
        same_carer=same_carer,
        reason_place_change="CARPL",
        legal_status=legal_status,
    )
    assert new.reason_new_episode == rne
    in_care.refresh_from_db()
    assert in_care.reason_place_change == "CARPL"
    assert AuditEvent.objects.filter(event_type=LookedAfterEvent.PLACEMENT_CHANGED).count() == 2


def test_a_placement_outside_an_episode_is_refused(
    in_care: Episode, child: Person, worker: User, make_child: Callable[..., Person]
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        actions.change_placement(
            acting_user=worker,
            child=child,
            change_date=D(2025, 1, 6),
            placement=foster(),
            same_carer=False,
            reason_place_change="CARPL",
        )
    assert (
        "after the current episode began, on 6 January 2025" in errors_of(excinfo)["change_date"][0]
    )
    other = make_child("Bea")
    with pytest.raises(ValidationError) as excinfo:
        actions.change_placement(
            acting_user=worker,
            child=other,
            change_date=D(2025, 2, 6),
            placement=foster(),
            same_carer=False,
            reason_place_change="CARPL",
        )
    assert "Bea is not looked after" in errors_of(excinfo)["change_date"][0]
    with pytest.raises(ValidationError) as excinfo:
        actions.change_placement(
            acting_user=worker,
            child=child,
            change_date=D(2099, 2, 6),
            placement=foster(),
            same_carer=False,
            reason_place_change="",
        )
    errors = errors_of(excinfo)
    assert "today or in the past" in errors["change_date"][0]
    assert errors["reason_place_change"] == ["Select the reason for the placement change"]


def test_temporary_placement_needs_no_reason_or_provider(
    in_care: Episode, child: Person, worker: User
) -> None:
    new = actions.change_placement(
        acting_user=worker,
        child=child,
        change_date=D(2025, 3, 3),
        placement=foster(placement_type="T1", placement_provider=""),
        same_carer=False,
        reason_place_change="",
    )
    assert new.reason_new_episode == "P"


def test_end_of_care_needs_an_e_code_and_a_date_in_the_episode(
    in_care: Episode, child: Person, worker: User
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        actions.end_period_of_care(
            acting_user=worker, child=child, end_date=D(2024, 12, 1), reason_episode_ceased="X1"
        )
    errors = errors_of(excinfo)
    assert "on or after the current episode began" in errors["end_date"][0]
    assert "X1 is for a change" in errors["reason_episode_ceased"][0]
    with pytest.raises(ValidationError):
        actions.end_period_of_care(
            acting_user=worker, child=child, end_date=D(2099, 12, 1), reason_episode_ceased="E4A"
        )
    ended = actions.end_period_of_care(
        acting_user=worker, child=child, end_date=D(2025, 12, 1), reason_episode_ceased="E4A"
    )
    assert ended.reason_episode_ceased == "E4A"
    with pytest.raises(ValidationError) as excinfo:
        actions.end_period_of_care(
            acting_user=worker, child=child, end_date=D(2025, 12, 2), reason_episode_ceased="E4A"
        )
    assert errors_of(excinfo)["end_date"] == ["Ada is not looked after"]


def test_a_short_break_cannot_last_more_than_17_days(child: Person, worker: User) -> None:
    actions.start_period_of_care(
        acting_user=worker,
        child=child,
        start_date=START,
        legal_status="V3",
        placement=foster(),
    )
    with pytest.raises(ValidationError) as excinfo:
        actions.end_period_of_care(
            acting_user=worker, child=child, end_date=D(2025, 1, 24), reason_episode_ceased="E8"
        )
    assert "more than 17 days" in errors_of(excinfo)["end_date"][0]
    actions.end_period_of_care(
        acting_user=worker, child=child, end_date=D(2025, 1, 23), reason_episode_ceased="E8"
    )
    [period] = derive.periods_of_care(Episode.objects.filter(person=child))
    assert period.is_short_breaks
    assert derive.period_on([period], D(2025, 1, 10)) is None
    # Reviews and visits are recorded for short breaks (test_short_breaks); the rest not yet.
    with pytest.raises(ValidationError) as excinfo:
        actions.record_health(
            acting_user=worker, child=child, kind="dental", event_date=D(2025, 1, 10)
        )
    assert errors_of(excinfo)["event_date"] == [
        "Ada was on a short break on that date: for short breaks Caseline records only reviews "
        "and visits"
    ]


def test_a_backdated_open_period_cannot_run_into_a_later_one(child: Person, worker: User) -> None:
    actions.start_period_of_care(
        acting_user=worker,
        child=child,
        start_date=D(2025, 3, 3),
        legal_status="V2",
        placement=foster(),
    )
    actions.end_period_of_care(
        acting_user=worker, child=child, end_date=D(2025, 6, 2), reason_episode_ceased="E4A"
    )
    with pytest.raises(ValidationError) as excinfo:
        actions.start_period_of_care(
            acting_user=worker,
            child=child,
            start_date=D(2025, 1, 6),
            legal_status="V2",
            placement=foster(),
        )
    assert errors_of(excinfo)["start_date"] == [
        "Ada has a later period of care recorded (an episode from 3 March 2025 to 2 June 2025): "
        "periods of care cannot overlap"
    ]


def test_short_breaks_cannot_add_up_to_more_than_75_days_in_12_months(
    child: Person, worker: User
) -> None:
    day = D(2024, 6, 3)
    for _ in range(4):  # four breaks of 16 days: 64 days
        actions.start_period_of_care(
            acting_user=worker, child=child, start_date=day, legal_status="V3", placement=foster()
        )
        end = day + datetime.timedelta(days=16)
        actions.end_period_of_care(
            acting_user=worker, child=child, end_date=end, reason_episode_ceased="E8"
        )
        day = end + datetime.timedelta(days=30)
    actions.start_period_of_care(
        acting_user=worker, child=child, start_date=day, legal_status="V3", placement=foster()
    )
    with pytest.raises(ValidationError) as excinfo:
        actions.end_period_of_care(
            acting_user=worker,
            child=child,
            end_date=day + datetime.timedelta(days=16),
            reason_episode_ceased="E8",
        )
    message = errors_of(excinfo)["end_date"][0]
    assert "more than 75 days in 12 months" in message
    assert "this makes 80" in message
    # Nothing was written: the fifth break is still open.
    assert Episode.objects.filter(person=child, end_date__isnull=True).count() == 1
