"""The SSDA903 rules one child's episodes can break are refused where the episodes are written."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError

from caseline.apps.accounts.models import User
from caseline.apps.lookedafter import actions
from caseline.apps.lookedafter.models import Episode
from caseline.apps.lookedafter.tests.conftest import START, foster
from caseline.apps.people.models import Person

D = datetime.date
WITH_PARENTS = {
    "placement_type": "P1",
    "placement_provider": "PR0",
    "parent_placement_approver": "Head of service",
    "parent_placement_approved_on": START,
    "parent_placement_rationale": "Assessed as safe with support",
}


def test_placement_with_parents_under_section_20_is_refused(child: Person, worker: User) -> None:
    with pytest.raises(ValidationError) as excinfo:
        actions.start_period_of_care(
            acting_user=worker,
            child=child,
            start_date=START,
            legal_status="V2",
            placement=foster(**WITH_PARENTS),
        )
    assert excinfo.value.message_dict["legal_status"] == [
        "A child who is placed with parent(s) cannot be looked after under a single period of "
        "accommodation under Section 20 of the Children Act 1989. (SSDA903 rule 378)"
    ]
    assert not Episode.objects.exists()


def test_a_move_home_to_parents_under_section_20_is_refused_but_under_a_care_order_is_not(
    in_care: Episode, child: Person, worker: User
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        actions.change_placement(
            acting_user=worker,
            child=child,
            change_date=D(2025, 3, 3),
            placement=foster(**WITH_PARENTS),
            same_carer=False,
            reason_place_change="CHILD",
            legal_status="V2",
        )
    assert "(SSDA903 rule 378)" in excinfo.value.message_dict["placement_type"][0]
    episode = actions.change_placement(
        acting_user=worker,
        child=child,
        change_date=D(2025, 3, 3),
        placement=foster(**WITH_PARENTS),
        same_carer=False,
        reason_place_change="CHILD",
    )
    assert (episode.legal_status, episode.placement_type) == ("C1", "P1")


def test_a_child_adopted_from_foster_care_is_refused(
    in_care: Episode, child: Person, worker: User
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        actions.end_period_of_care(
            acting_user=worker, child=child, end_date=D(2025, 6, 2), reason_episode_ceased="E11"
        )
    assert "(SSDA903 rule 390)" in excinfo.value.message_dict["reason_episode_ceased"][0]
    in_care.refresh_from_db()
    assert in_care.end_date is None


def test_an_emergency_protection_order_cannot_run_past_21_days(child: Person, worker: User) -> None:
    actions.start_period_of_care(
        acting_user=worker, child=child, start_date=START, legal_status="L2", placement=foster()
    )
    actions.change_placement(
        acting_user=worker,
        child=child,
        change_date=START + datetime.timedelta(days=10),
        placement=foster(carer_name="Carer household Beta"),
        same_carer=False,
        reason_place_change="CARPL",
    )
    with pytest.raises(ValidationError) as excinfo:
        actions.change_legal_status(
            acting_user=worker,
            child=child,
            change_date=START + datetime.timedelta(days=22),
            legal_status="C2",
        )
    assert "(SSDA903 rule 362)" in excinfo.value.message_dict["change_date"][0]
    actions.change_legal_status(
        acting_user=worker,
        child=child,
        change_date=START + datetime.timedelta(days=21),
        legal_status="C2",
    )


def test_staying_with_carers_at_18_is_refused_the_day_before_the_birthday(
    make_child: Callable[..., Person], worker: User
) -> None:
    young = make_child(given="Bo", dob=D(2007, 1, 31))
    actions.start_period_of_care(
        acting_user=worker, child=young, start_date=START, legal_status="C2", placement=foster()
    )
    with pytest.raises(ValidationError) as excinfo:
        actions.end_period_of_care(
            acting_user=worker, child=young, end_date=D(2025, 1, 30), reason_episode_ceased="E17"
        )
    assert excinfo.value.message_dict["reason_episode_ceased"] == [
        "E17 (stayed with current carers at 18) is for care that ends on or after Bo's 18th "
        "birthday (SSDA903 rule 460)"
    ]
    assert Episode.objects.get(person=young).end_date is None
    episode = actions.end_period_of_care(
        acting_user=worker, child=young, end_date=D(2025, 1, 31), reason_episode_ceased="E17"
    )
    assert (episode.end_date, episode.reason_episode_ceased) == (D(2025, 1, 31), "E17")
