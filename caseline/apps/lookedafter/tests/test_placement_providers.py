"""Placements name a provider from the register: its provider code, URN and (at its premises)
postcode are copied onto the episode, and the 903 rules one episode can break about them are
checked when it is recorded."""

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
from caseline.apps.lookedafter.events import LookedAfterEvent
from caseline.apps.lookedafter.models import NO_OFSTED_URN, Episode, PlacementProvider
from caseline.apps.lookedafter.tests.conftest import foster
from caseline.apps.people.models import Person

D = datetime.date
NEEDS_URN = (
    "A U6 placement needs the provider's Ofsted URN: select the provider from the register "
    "(SSDA903 rule 218)"
)
NO_PROVIDER = "A temporary (T) or other (Z) placement has no provider (SSDA903 rule 213)"
MOVE = D(2025, 5, 1)  # collection year 2025-26


def provider(worker: User, **values: Any) -> PlacementProvider:
    fields: dict[str, Any] = {
        "name": "Birch Fostering Ltd",
        "ofsted_urn": "SC200001",
        "postcode": "EF5 6GH",
        "provider_type": "PR4",
        "recorded_by": worker,
    }
    fields.update(values)
    return PlacementProvider.objects.create(**fields)


def move(worker: User, child: Person, day: datetime.date = MOVE, **placement: Any) -> Episode:
    return actions.change_placement(
        acting_user=worker,
        child=child,
        change_date=day,
        placement=foster(**{"ofsted_urn": "", "placement_provider": "", **placement}),
        same_carer=False,
        reason_place_change="CARPL",
    )


def refused(
    worker: User, child: Person, day: datetime.date = MOVE, **placement: Any
) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as excinfo:
        move(worker, child, day, **placement)
    return excinfo.value.message_dict


def test_the_episode_takes_the_providers_code_and_urn_and_keeps_the_carers_postcode(
    in_care: Episode, child: Person, worker: User
) -> None:
    agency = provider(worker)
    episode = move(worker, child, provider=agency, placement_postcode="ab1 2cd")
    assert (episode.provider, episode.placement_provider, episode.ofsted_urn) == (
        agency,
        "PR4",
        "SC200001",
    )
    assert episode.placement_postcode == "AB1 2CD"  # the foster carers' home, not the agency's
    event = AuditEvent.objects.filter(event_type=LookedAfterEvent.PLACEMENT_CHANGED).latest("id")
    assert event.new_values["provider"] == agency.pk
    assert event.new_values["ofsted_urn"] == "SC200001"


def test_a_placement_at_the_providers_premises_has_its_postcode(
    in_care: Episode, child: Person, worker: User, childrens_home: PlacementProvider
) -> None:
    episode = move(
        worker, child, placement_type="K2", provider=childrens_home, placement_postcode="AB1 2CD"
    )
    assert (episode.placement_postcode, episode.ofsted_urn) == ("CD3 4EF", "SC123456")


def test_a_legal_status_change_copies_the_episode_not_the_register(
    in_care: Episode, child: Person, worker: User
) -> None:
    agency = provider(worker)
    move(worker, child, provider=agency)
    PlacementProvider.objects.filter(pk=agency.pk).update(ofsted_urn="SC200002")
    episode = actions.change_legal_status(
        acting_user=worker, child=child, change_date=D(2025, 6, 2), legal_status="C2"
    )
    # Rule 434: a change of legal status alone keeps the placement's details as they were.
    assert (episode.provider, episode.ofsted_urn) == (agency, "SC200001")


def test_a_placement_that_needs_a_urn_must_name_its_provider(
    in_care: Episode, child: Person, worker: User
) -> None:
    assert refused(worker, child, placement_provider="PR1") == {"provider": [NEEDS_URN]}
    # A provider outside England has no URN, and needs none.
    glen = provider(worker, name="Glen School", ofsted_urn="", outside_england=True)
    assert move(worker, child, placement_type="K2", provider=glen).ofsted_urn == ""


def test_the_urn_rules_apply_from_2024_25(child: Person, worker: User) -> None:
    """An episode of 2023-24 was recorded under earlier lists: 218 is not applied to it."""
    episode = actions.start_period_of_care(
        acting_user=worker,
        child=child,
        start_date=D(2023, 6, 1),
        legal_status="C2",
        placement=foster(ofsted_urn=""),
    )
    assert episode.ofsted_urn == ""


def test_no_urn_for_a_placement_type_that_has_none(
    in_care: Episode, child: Person, worker: User
) -> None:
    hospital_with_urn = provider(worker, name="Cedar Clinic", provider_type="PR3")
    assert refused(worker, child, placement_type="R2", provider=hospital_with_urn) == {
        "provider": [
            "A R2 placement has no Ofsted URN, but Cedar Clinic has one: select another "
            "provider, or none (SSDA903 rule 222)"
        ]
    }
    hospital = provider(worker, name="City Hospital", provider_type="PR3", ofsted_urn="")
    assert move(worker, child, placement_type="R2", provider=hospital).provider == hospital


def test_xxxxxxx_is_only_for_adoption_and_fostering_from_2025_26(
    in_care: Episode, child: Person, worker: User
) -> None:
    agency = provider(worker, name="Adoption North", ofsted_urn=NO_OFSTED_URN, provider_type="PR1")
    assert refused(worker, child, placement_type="K2", provider=agency) == {
        "provider": [
            "XXXXXXX (no Ofsted URN) is only for a regional adoption agency, in an adoption or "
            "fostering placement (A3 to A6, U1 to U6), not K2 (SSDA903 rule 242)"
        ]
    }
    assert move(worker, child, placement_type="A4", provider=agency).ofsted_urn == "XXXXXXX"


def test_xxxxxxx_for_another_placement_type_before_2025_26(
    in_care: Episode, child: Person, worker: User
) -> None:
    """Before 2025-26, XXXXXXX was also for a provider inspected by the CQC or ISI."""
    school = provider(worker, name="Rowan School", ofsted_urn=NO_OFSTED_URN, provider_type="PR5")
    episode = move(worker, child, day=D(2025, 3, 3), placement_type="S1", provider=school)
    assert episode.ofsted_urn == NO_OFSTED_URN


def test_the_provider_must_offer_the_placement_type(
    in_care: Episode, child: Person, worker: User, childrens_home: PlacementProvider
) -> None:
    assert refused(worker, child, placement_type="U6", provider=childrens_home) == {
        "provider": [
            "The register says Larch House does not offer U6 placements (SSDA903 rule 219)"
        ]
    }


def test_no_provider_for_parents_or_a_temporary_placement(
    in_care: Episode, child: Person, worker: User
) -> None:
    agency = provider(worker)
    assert refused(worker, child, placement_type="T1", provider=agency) == {
        "provider": [NO_PROVIDER]
    }
    assert refused(worker, child, placement_type="T1", placement_provider="PR1") == {
        "placement_provider": [NO_PROVIDER]
    }
    errors = refused(
        worker,
        child,
        placement_type="P1",
        provider=agency,
        parent_placement_approver="Senior Manager",
        parent_placement_approved_on=D(2025, 4, 30),
        parent_placement_rationale="Safe to go home",
    )
    assert "A child placed with parents has no provider from the register" in errors["provider"][0]


@pytest.mark.parametrize(
    ("code", "place", "message"),
    [
        (
            "PR0",
            "U6",
            "Provider PR0 (parents) is only for a child placed with parents (P1) "
            "(SSDA903 rule 550)",
        ),
        ("PR3", "K2", "Provider PR3 cannot provide a K2 placement (SSDA903 rule 529)"),
        ("PR1", "R5", "Provider PR1 cannot provide a R5 placement (SSDA903 rule 527)"),
        ("PR2", "R2", "Provider PR2 cannot provide a R2 placement (SSDA903 rule 528)"),
    ],
)
def test_the_provider_code_fits_the_placement_type(
    in_care: Episode, child: Person, worker: User, code: str, place: str, message: str
) -> None:
    urn = "" if place in {"R2", "R5"} else "SC300001"
    errors = refused(worker, child, placement_type=place, placement_provider=code, ofsted_urn=urn)
    assert errors["placement_provider"] == [message]


def test_a_provider_out_of_use_stays_on_the_episodes_that_name_it(
    in_care: Episode, child: Person, worker: User
) -> None:
    agency = provider(worker)
    episode = move(worker, child, provider=agency)
    PlacementProvider.objects.filter(pk=agency.pk).update(active=False)
    agency.refresh_from_db()
    errors = refused(worker, child, day=D(2025, 6, 2), provider=agency)
    assert errors["provider"] == [
        "Birch Fostering Ltd is no longer in use in the register: select another provider"
    ]
    corrected = actions.correct_episode(
        acting_user=worker,
        episode=episode,
        start_date=episode.start_date,
        legal_status=episode.legal_status,
        placement=foster(ofsted_urn="", provider=agency, carer_name="Carer household Beta"),
        reason="Carer's name mistyped",
    )
    assert corrected.carer_name == "Carer household Beta"


def test_the_placement_form_offers_the_register_and_a_correction_keeps_a_typed_urn(
    client: Client,
    in_care: Episode,
    child: Person,
    worker: User,
    fostering_service: PlacementProvider,
) -> None:
    out_of_use = provider(worker, name="Old Oak Homes", active=False)
    client.force_login(worker)
    form = client.get(reverse("lookedafter:placement", kwargs={"person_id": child.pk}))
    body = form.content.decode()
    assert "Northshire Fostering Service, AB1 9ZZ (Ofsted URN SC100002)" in body
    assert "Old Oak Homes" not in body
    assert 'name="ofsted_urn"' not in body
    # The episode from before the register keeps its typed URN when corrected.
    correct = reverse(
        "lookedafter:episode-correct", kwargs={"person_id": child.pk, "episode_id": in_care.pk}
    )
    response = client.post(
        correct,
        {
            "start_date_day": "6",
            "start_date_month": "1",
            "start_date_year": "2025",
            "legal_status": "C1",
            "placement_type": "U6",
            "placement_provider": "PR1",
            "carer_name": "Carer household Alpha",
            "placement_postcode": "AB1 2CD",
            "area": "IN",
            "arrangement": "standard",
            "intended_until_18": "yes",
            "reason": "It is intended to last",
        },
    )
    assert response.status_code == 302, response.content.decode()
    in_care.refresh_from_db()
    assert (in_care.ofsted_urn, in_care.intended_until_18) == ("SC100001", True)
    assert out_of_use.pk


def test_a_short_break_needs_no_urn(child: Person, worker: User) -> None:
    """Rule 214: no placement location is returned for a short break (V3, V4), so rule 218's
    URN is not asked for."""
    episode = actions.start_period_of_care(
        acting_user=worker,
        child=child,
        start_date=D(2025, 5, 1),
        legal_status="V3",
        placement=foster(ofsted_urn=""),
    )
    assert episode.ofsted_urn == ""
    # Once looked after in the usual way (V2), a move to foster care needs the URN again.
    actions.change_legal_status(
        acting_user=worker, child=child, change_date=D(2025, 5, 2), legal_status="V2"
    )
    assert refused(worker, child, day=D(2025, 5, 3), placement_provider="PR1") == {
        "provider": [NEEDS_URN]
    }
