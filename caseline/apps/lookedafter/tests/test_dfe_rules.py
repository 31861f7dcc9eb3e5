"""The SSDA903 rules one child's episodes can break are refused where the episodes are written."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError

from caseline.apps.accounts.models import User
from caseline.apps.lookedafter import actions
from caseline.apps.lookedafter.models import Episode, PlacementProvider
from caseline.apps.lookedafter.tests.conftest import START, foster
from caseline.apps.people.models import Address, Person

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


# --- 392d: a placement away from home is not at the home's postcode --------------------------


def home(
    child: Person, postcode: str, start: datetime.date, end: datetime.date | None = None
) -> None:
    """A home address of the child's (test set-up, not an action under test)."""
    Address.objects.create(
        person=child, line_1="1 Test Street", postcode=postcode, start_date=start, end_date=end
    )


def test_a_foster_placement_at_the_home_postcode_is_refused(child: Person, worker: User) -> None:
    home(child, "AB1 2CD", D(2020, 1, 1))
    with pytest.raises(ValidationError) as excinfo:
        actions.start_period_of_care(
            acting_user=worker,
            child=child,
            start_date=START,
            legal_status="C1",
            placement=foster(placement_postcode="ab12cd"),
        )
    assert excinfo.value.message_dict["placement_postcode"] == [
        "The placement's postcode, AB12CD, is that of Ada's home when this period of care "
        "began: only a placement with parents (P1) is at home (SSDA903 rule 392d)"
    ]
    assert not Episode.objects.exists()
    # Placed with parents, at home: allowed.
    actions.start_period_of_care(
        acting_user=worker,
        child=child,
        start_date=START,
        legal_status="C1",
        placement=foster(**WITH_PARENTS, placement_postcode="AB1 2CD"),
    )


def test_a_move_is_checked_against_the_home_when_care_began_not_a_later_one(
    child: Person, worker: User
) -> None:
    # Ada lived at AB1 2CD when care began; the family moved to EF5 6GH while she was in care.
    home(child, "AB1 2CD", D(2020, 1, 1), end=D(2025, 2, 1))
    home(child, "EF5 6GH", D(2025, 2, 1))
    actions.start_period_of_care(
        acting_user=worker,
        child=child,
        start_date=START,
        legal_status="C1",
        placement=foster(placement_postcode="XY1 1AA"),
    )
    with pytest.raises(ValidationError) as excinfo:
        actions.change_placement(
            acting_user=worker,
            child=child,
            change_date=D(2025, 3, 3),
            placement=foster(placement_postcode="AB1 2CD", carer_name="Carer household Beta"),
            same_carer=False,
            reason_place_change="CARPL",
        )
    assert "(SSDA903 rule 392d)" in excinfo.value.message_dict["placement_postcode"][0]
    episode = actions.change_placement(
        acting_user=worker,
        child=child,
        change_date=D(2025, 3, 3),
        placement=foster(placement_postcode="EF5 6GH", carer_name="Carer household Beta"),
        same_carer=False,
        reason_place_change="CARPL",
    )
    assert episode.placement_postcode == "EF5 6GH"


def test_a_correction_to_the_home_postcode_is_refused(
    in_care: Episode, child: Person, worker: User
) -> None:
    home(child, "CD3 4EF", D(2020, 1, 1))
    with pytest.raises(ValidationError) as excinfo:
        actions.correct_episode(
            acting_user=worker,
            episode=in_care,
            start_date=START,
            legal_status="C1",
            placement=foster(placement_postcode="CD3 4EF"),
            reason="Postcode mistyped",
        )
    assert "(SSDA903 rule 392d)" in excinfo.value.message_dict["placement_postcode"][0]


def test_a_childrens_home_at_the_home_postcode_is_refused_on_the_provider(
    in_care: Episode, child: Person, worker: User, childrens_home: PlacementProvider
) -> None:
    # The placement's postcode is the register's (the home's premises), not the one typed.
    home(child, childrens_home.postcode, D(2020, 1, 1))
    with pytest.raises(ValidationError) as excinfo:
        actions.change_placement(
            acting_user=worker,
            child=child,
            change_date=D(2025, 3, 3),
            placement=foster(
                placement_type="K2",
                provider=childrens_home,
                placement_provider="",
                ofsted_urn="",
                placement_postcode="XY1 1AA",
            ),
            same_carer=False,
            reason_place_change="CARPL",
        )
    assert "(SSDA903 rule 392d)" in excinfo.value.message_dict["provider"][0]
