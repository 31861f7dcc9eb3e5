"""The register of placement providers: its entries' checks, its audit, and its pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission, Role
from caseline.apps.audit.models import AuditEvent
from caseline.apps.core.concurrency import EditConflict
from caseline.apps.lookedafter import actions
from caseline.apps.lookedafter.events import LookedAfterEvent
from caseline.apps.lookedafter.models import NO_OFSTED_URN, PlacementProvider
from caseline.apps.lookedafter.placement_rules import URN_SHAPE_EXPLAINED


@pytest.fixture
def keeper(make_user: Callable[..., User]) -> User:
    return make_user(Role.TEAM_MANAGER, username="keeper", first_name="Kim", last_name="Keeper")


def entry(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": "Larch House",
        "provider_type": "PR4",
        "ofsted_urn": "sc123456 ",
        "postcode": "cd3 4ef",
        "placement_types": ["K2"],
        "outside_england": False,
    }
    values.update(overrides)
    return values


def errors_of(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def test_a_provider_is_added_tidied_and_audited(keeper: User) -> None:
    provider = actions.add_placement_provider(
        acting_user=keeper, **entry(placement_types=["K2", "K1"])
    )
    assert (provider.ofsted_urn, provider.postcode, provider.active) == (
        "SC123456",
        "CD3 4EF",
        True,
    )
    assert provider.placement_types == ["K1", "K2"]  # in the code list's order
    event = AuditEvent.objects.get(event_type=LookedAfterEvent.PROVIDER_ADDED)
    assert event.acting_user == keeper
    assert event.subject_person_id is None
    assert event.new_values["ofsted_urn"] == "SC123456"
    assert event.new_values["active"] is True


def test_only_those_who_keep_the_register_can_change_it(
    make_user: Callable[..., User], worker: User
) -> None:
    with pytest.raises(PermissionDenied):
        actions.add_placement_provider(acting_user=worker, **entry())
    admin = make_user(Role.ADMINISTRATOR, username="admin")
    assert actions.add_placement_provider(acting_user=admin, **entry()).pk


URN_REFUSED = f"{URN_SHAPE_EXPLAINED} (SSDA903 rule 1008)"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": " "}, "name", "Enter the provider's name"),
        ({"provider_type": "PR0"}, "provider_type", "Parents are not placement providers"),
        ({"provider_type": "PR9"}, "provider_type", "Select the type of provider"),
        ({"ofsted_urn": "SC12345"}, "ofsted_urn", URN_REFUSED),
        ({"ofsted_urn": "XXXXXX"}, "ofsted_urn", URN_REFUSED),  # six Xs, not seven
        ({"postcode": ""}, "postcode", "Enter the provider's postcode"),
        ({"postcode": "nowhere"}, "postcode", "Enter a real postcode"),
        ({"placement_types": ["Q9"]}, "placement_types", "Select placement types from the list"),
        ({"placement_types": ["P1"]}, "placement_types", "P1 placements have no provider"),
        ({"placement_types": ["T0"]}, "placement_types", "(SSDA903 rule 213)"),
        (
            {"placement_types": ["K2", "R1"]},
            "placement_types",
            "R1 placements have no Ofsted URN: a provider with a URN cannot offer them "
            "(SSDA903 rule 222)",
        ),
        (
            {"ofsted_urn": NO_OFSTED_URN, "placement_types": ["A4", "K2"]},
            "ofsted_urn",
            "XXXXXXX (no Ofsted URN) is only for a regional adoption agency, in an adoption or "
            "fostering placement (A3 to A6, U1 to U6), not K2 (SSDA903 rule 242)",
        ),
        (
            {"outside_england": True},
            "ofsted_urn",
            "A provider outside England is not registered with Ofsted: leave the URN blank "
            "(SSDA903 rule 243)",
        ),
    ],
)
def test_an_entry_is_checked(
    keeper: User, overrides: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        actions.add_placement_provider(acting_user=keeper, **entry(**overrides))
    assert any(message in text for text in errors_of(excinfo)[field])
    assert not PlacementProvider.objects.exists()
    assert not AuditEvent.objects.filter(event_type=LookedAfterEvent.PROVIDER_ADDED).exists()


def test_entries_that_need_no_urn_or_postcode(keeper: User) -> None:
    agency = actions.add_placement_provider(
        acting_user=keeper,
        **entry(
            name="Regional Adoption Agency North",
            provider_type="PR1",
            ofsted_urn="xxxxxxx",
            placement_types=["A4", "A6"],
        ),
    )
    assert agency.ofsted_urn == NO_OFSTED_URN
    # Another regional adoption agency may have XXXXXXX too: it is not a URN.
    actions.add_placement_provider(
        acting_user=keeper, **entry(name="Adoption South", ofsted_urn="XXXXXXX", placement_types=[])
    )
    scottish = actions.add_placement_provider(
        acting_user=keeper,
        **entry(name="Glen School", ofsted_urn="", postcode="", outside_england=True),
    )
    assert scottish.postcode == ""
    hospital = actions.add_placement_provider(
        acting_user=keeper,
        **entry(name="City Hospital", provider_type="PR3", ofsted_urn="", placement_types=["R2"]),
    )
    assert hospital.ofsted_urn == ""


def test_a_urn_is_in_the_register_once(keeper: User) -> None:
    first = actions.add_placement_provider(acting_user=keeper, **entry())
    with pytest.raises(ValidationError) as excinfo:
        actions.add_placement_provider(acting_user=keeper, **entry(name="Larch House again"))
    assert errors_of(excinfo)["ofsted_urn"] == [
        "Larch House has the URN SC123456 in the register already"
    ]
    # Changing the entry itself keeps its own URN.
    changed = actions.change_placement_provider(
        acting_user=keeper,
        provider=first,
        read_version=first.version,
        **entry(name="Larch House (Oakfield Care Ltd)"),
        active=True,
    )
    assert changed.name == "Larch House (Oakfield Care Ltd)"


def test_a_change_is_audited_with_what_changed_and_refuses_a_stale_version(keeper: User) -> None:
    provider = actions.add_placement_provider(acting_user=keeper, **entry())
    actions.change_placement_provider(
        acting_user=keeper,
        provider=provider,
        read_version=1,
        **entry(postcode="CD3 4EG"),
        active=False,
    )
    provider.refresh_from_db()
    assert (provider.postcode, provider.active, provider.version) == ("CD3 4EG", False, 2)
    event = AuditEvent.objects.get(event_type=LookedAfterEvent.PROVIDER_CHANGED)
    assert event.old_values == {"postcode": "CD3 4EF", "active": True}
    assert event.new_values == {"postcode": "CD3 4EG", "active": False}
    with pytest.raises(EditConflict):
        actions.change_placement_provider(
            acting_user=keeper, provider=provider, read_version=1, **entry(), active=True
        )
    with pytest.raises(ValidationError) as excinfo:
        actions.change_placement_provider(
            acting_user=keeper,
            provider=provider,
            read_version=2,
            **entry(postcode="CD3 4EG"),
            active=False,
        )
    assert "Nothing has changed" in errors_of(excinfo)["__all__"][0]


# --- The pages ------------------------------------------------------------------------------


def test_the_register_pages(client: Client, keeper: User) -> None:
    client.force_login(keeper)
    home = client.get("/").content.decode()
    assert reverse("lookedafter:providers") in home
    response = client.post(
        reverse("lookedafter:provider-new"),
        {
            "name": "Larch House",
            "provider_type": "PR4",
            "ofsted_urn": "SC123456",
            "postcode": "CD3 4EF",
            "placement_types": ["K2"],
        },
    )
    assert response.status_code == 302
    provider = PlacementProvider.objects.get()
    listing = client.get(reverse("lookedafter:providers")).content.decode()
    assert "Larch House" in listing
    assert "SC123456" in listing
    assert "PR4 - Private provision" in listing
    edit = reverse("lookedafter:provider-edit", kwargs={"provider_id": provider.pk})
    page = client.get(edit).content.decode()
    assert 'value="SC123456"' in page
    assert 'name="active"' in page
    response = client.post(
        edit,
        {
            "name": "Larch House",
            "provider_type": "PR4",
            "ofsted_urn": "SC123456",
            "postcode": "CD3 4EF",
            "placement_types": ["K2"],
            "version": "1",
        },
    )
    assert response.status_code == 302
    provider.refresh_from_db()
    assert not provider.active
    assert "Not in use" in client.get(reverse("lookedafter:providers")).content.decode()
    response = client.post(
        reverse("lookedafter:provider-new"),
        {"name": "", "provider_type": "PR0", "ofsted_urn": "SC1"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Enter the provider&#x27;s name" in body
    assert (
        client.get(reverse("lookedafter:provider-edit", kwargs={"provider_id": 999})).status_code
        == 404
    )


def test_a_social_worker_cannot_reach_the_register(client: Client, worker: User) -> None:
    client.force_login(worker)
    assert client.get(reverse("lookedafter:providers")).status_code == 403
    assert client.get(reverse("lookedafter:provider-new")).status_code == 403
    assert reverse("lookedafter:providers") not in client.get("/").content.decode()
    assert Permission.PROVIDERS_MANAGE not in {p for p in Permission if worker.can(p)}
