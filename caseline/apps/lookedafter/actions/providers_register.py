"""The council's register of placement providers: adding a provider, and changing one
(including taking it out of use). Kept by those who hold ``lookedafter:provider:manage``.

An episode copies the provider code, URN and (at the provider's premises) postcode from the
register when it is recorded, so changing an entry later does not change what earlier
episodes, and the returns made from them, say.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.audit.record import changed_values, record_event, snapshot
from caseline.apps.codes.lists import CodeListName, code_list
from caseline.apps.core.access import require_permission
from caseline.apps.core.checks import Checks
from caseline.apps.core.concurrency import save_versioned
from caseline.apps.lookedafter.events import LookedAfterEvent
from caseline.apps.lookedafter.models import NO_OFSTED_URN, PLACED_WITH_PARENTS, PlacementProvider
from caseline.apps.lookedafter.placement_rules import POSTCODE, URN_SHAPE_EXPLAINED
from caseline.apps.returns.rules.ssda903_placements import (
    NO_PROVIDER_TYPES,
    SSDA903Rule213,
    SSDA903Rule222,
    SSDA903Rule242,
    SSDA903Rule243,
    SSDA903Rule1008,
)

# What an entry holds, as the audit records it.
FIELDS = ("name", "ofsted_urn", "postcode", "provider_type", "placement_types", "outside_england")


def _entry(
    *,
    name: str,
    ofsted_urn: str,
    postcode: str,
    provider_type: str,
    placement_types: Iterable[str],
    outside_england: bool,
) -> dict[str, Any]:
    """The entry as stored: text trimmed, URN and postcode in capitals, the placement types
    once each, in the code list's order."""
    chosen = set(placement_types)
    order = [code.code for code in code_list(CodeListName.PLACEMENT_TYPE)]
    return {
        "name": name.strip(),
        "ofsted_urn": ofsted_urn.strip().upper(),
        "postcode": postcode.strip().upper(),
        "provider_type": provider_type,
        "placement_types": [c for c in order if c in chosen] + sorted(chosen - set(order)),
        "outside_england": outside_england,
    }


def _check(checks: Checks, entry: dict[str, Any], *, other_than: int | None = None) -> None:
    """What an entry must be: named, a provider code PR1 to PR5, a URN of the right shape that
    no other entry has (none outside England, 903 rule 243), placement types a provider
    offers, and a postcode unless it is outside England."""
    checks.required("name", entry["name"], "Enter the provider's name")
    provider_type = entry["provider_type"]
    if provider_type == "PR0":
        checks.add(
            "provider_type",
            "Parents are not placement providers: a child placed with parents has provider "
            "PR0 and no provider from the register",
        )
    else:
        checks.check(
            code_list(CodeListName.PLACEMENT_PROVIDER).is_valid(provider_type),
            "provider_type",
            "Select the type of provider",
        )
    urn, places = entry["ofsted_urn"], entry["placement_types"]
    today = timezone.localdate()  # an entry in the register is checked by today's rules
    urn_ok = SSDA903Rule1008.check(
        checks,
        "ofsted_urn",
        broken=SSDA903Rule1008.breaks(urn=urn),
        on=today,
        explain=URN_SHAPE_EXPLAINED,
    ) and SSDA903Rule243.check(
        checks,
        "ofsted_urn",
        broken=SSDA903Rule243.breaks(urn=urn, outside_england=entry["outside_england"]),
        on=today,
        explain="A provider outside England is not registered with Ofsted: leave the URN blank",
    )
    if urn_ok and urn and urn != NO_OFSTED_URN:
        same = (
            PlacementProvider.objects.filter(ofsted_urn=urn)
            .exclude(pk__in=[other_than] if other_than is not None else [])
            .first()
        )
        if same is not None:
            checks.add("ofsted_urn", f"{same.name} has the URN {urn} in the register already")
    codes = code_list(CodeListName.PLACEMENT_TYPE)
    unknown = [p for p in places if p not in codes]
    no_provider = [p for p in places if p == PLACED_WITH_PARENTS or NO_PROVIDER_TYPES.match(p)]
    if unknown:
        checks.add("placement_types", "Select placement types from the list")
    elif no_provider:
        SSDA903Rule213.check(
            checks,
            "placement_types",
            broken=True,
            on=today,
            explain=f"{', '.join(no_provider)} placements have no provider from the register: "
            "a placement with parents has PR0, and a temporary (T) or other (Z) one none",
        )
    elif urn == NO_OFSTED_URN:
        others = [p for p in places if SSDA903Rule242.breaks(placement_type=p, urn=urn)]
        SSDA903Rule242.check(
            checks,
            "ofsted_urn",
            broken=bool(others),
            on=today,
            explain="XXXXXXX (no Ofsted URN) is only for a regional adoption agency, in an "
            "adoption or fostering placement (A3 to A6, U1 to U6), not " + ", ".join(others),
        )
    else:
        without = [p for p in places if SSDA903Rule222.breaks(placement_type=p, urn=urn)]
        SSDA903Rule222.check(
            checks,
            "placement_types",
            broken=bool(without),
            on=today,
            explain=f"{', '.join(without)} placements have no Ofsted URN: a provider with a URN "
            "cannot offer them",
        )
    postcode = entry["postcode"]
    if postcode:
        checks.check(
            bool(POSTCODE.match(postcode)), "postcode", "Enter a real postcode, like SW1A 1AA"
        )
    elif not entry["outside_england"]:
        checks.add("postcode", "Enter the provider's postcode")


@transaction.atomic(durable=True)
def add_placement_provider(
    *,
    acting_user: User,
    name: str,
    provider_type: str,
    ofsted_urn: str = "",
    postcode: str = "",
    placement_types: Iterable[str] = (),
    outside_england: bool = False,
) -> PlacementProvider:
    """Add a provider to the register, in use."""
    require_permission(acting_user, Permission.PROVIDERS_MANAGE)
    entry = _entry(
        name=name,
        ofsted_urn=ofsted_urn,
        postcode=postcode,
        provider_type=provider_type,
        placement_types=placement_types,
        outside_england=outside_england,
    )
    checks = Checks()
    _check(checks, entry)
    checks.raise_if_any()
    provider = PlacementProvider.objects.create(recorded_by=acting_user, **entry)
    record_event(
        acting_user=acting_user,
        event_type=LookedAfterEvent.PROVIDER_ADDED,
        target=provider,
        new_values=snapshot(provider, [*FIELDS, "active"]),
    )
    return provider


@transaction.atomic(durable=True)
def change_placement_provider(
    *,
    acting_user: User,
    provider: PlacementProvider,
    read_version: int | None,
    name: str,
    provider_type: str,
    ofsted_urn: str,
    postcode: str,
    placement_types: Iterable[str],
    outside_england: bool,
    active: bool,
) -> PlacementProvider:
    """Change a provider's entry, or take it out of use (``active`` false: it is no longer
    offered for new placements; episodes that name it keep it). Refused with ``EditConflict``
    if someone saved the entry after ``read_version``. Audits what changed."""
    require_permission(acting_user, Permission.PROVIDERS_MANAGE)
    provider = PlacementProvider.objects.select_for_update().get(pk=provider.pk)
    entry = _entry(
        name=name,
        ofsted_urn=ofsted_urn,
        postcode=postcode,
        provider_type=provider_type,
        placement_types=placement_types,
        outside_england=outside_england,
    )
    checks = Checks()
    _check(checks, entry, other_than=provider.pk)
    checks.raise_if_any()
    values = {**entry, "active": active}
    before = snapshot(provider, values)
    old, new = changed_values(before, values)
    if not new:
        checks.add(None, "Nothing has changed: change what is different")
        checks.raise_if_any()
    for field, value in values.items():
        setattr(provider, field, value)
    save_versioned(provider, read_version=read_version or 0, update_fields=list(values))
    record_event(
        acting_user=acting_user,
        event_type=LookedAfterEvent.PROVIDER_CHANGED,
        target=provider,
        old_values=old,
        new_values=new,
    )
    return provider
