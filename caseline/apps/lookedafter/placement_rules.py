"""How a placement's provider and Ofsted URN are checked where an episode is written, and
Caseline's own rules on them.

The DfE's SSDA903 rules (213, 218, 219, 222, 242, 243, 527 to 531, 550, 1008) are classes in
the rule catalogue, :mod:`caseline.apps.returns.rules.ssda903_placements`; the functions here
apply them to an episode, in the worker's words.
"""

from __future__ import annotations

import datetime
import re

from caseline.apps.core.checks import Checks
from caseline.apps.lookedafter.models import PlacementProvider
from caseline.apps.returns.rules.ssda903_placements import (
    PROVIDER_NOT_WITH,
    SSDA903Rule218,
    SSDA903Rule222,
    SSDA903Rule242,
    SSDA903Rule550,
)

# Placements where the child lives at the provider's own premises, so the placement postcode
# is the provider's: 903 rule 221 holds K1, K2, K3, R3 and S1 to the URN's postcode; R1, R2
# and R5 (a care home, hospital, young offender institution) are Caseline's addition. In a
# foster or adoptive placement the child lives at the carers' home, not the agency's office.
AT_PROVIDER_PREMISES = frozenset({"K1", "K2", "K3", "R1", "R2", "R3", "R5", "S1"})
# A UK postcode's shape (Caseline's own check; it does not look the postcode up).
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
# What a worker is told of a URN of the wrong shape (903 rule 1008).
URN_SHAPE_EXPLAINED = (
    "Enter the Ofsted URN, like SC123456 or 1234567, or XXXXXXX for a provider with none"
)


def check_provider_code(
    checks: Checks, field: str, code: str, place: str, *, on: datetime.date
) -> None:
    """903 rules 527 to 531 and 550: the provider code fits the placement type."""
    if not SSDA903Rule550.check(
        checks,
        field,
        broken=SSDA903Rule550.breaks(provider=code, placement_type=place),
        on=on,
        explain="Provider PR0 (parents) is only for a child placed with parents (P1)",
    ):
        return
    rule = PROVIDER_NOT_WITH.get(code)
    if rule is not None:
        rule.check(
            checks,
            field,
            broken=rule.breaks(provider=code, placement_type=place),
            on=on,
            explain=f"Provider {code} cannot provide a {place} placement",
        )


def check_urn(
    checks: Checks,
    field: str,
    *,
    urn: str,
    place: str,
    day: datetime.date,
    provider: PlacementProvider | None,
    needed: bool = True,
) -> None:
    """903 rules 218, 222 and 242: the placement has a URN if, and only if, its type has one.

    ``urn`` is the episode's (the register's, when ``provider`` is given); a provider outside
    England needs none, and neither does a short break (``needed`` false: rule 214 has no
    placement location returned for legal status V3 or V4). Each rule applies to placements
    dated in the years its lists are for.
    """
    who = provider.name if provider is not None else "the provider"
    outside_england = provider is not None and provider.outside_england
    SSDA903Rule222.check(
        checks,
        field,
        broken=SSDA903Rule222.breaks(placement_type=place, urn=urn),
        on=day,
        explain=f"A {place} placement has no Ofsted URN, but {who} has one: select another "
        "provider, or none",
    )
    # The words "select ... from" are the worker's, not SQL (ruff S608).
    needs_urn = f"A {place} placement needs the provider's Ofsted URN"
    SSDA903Rule218.check(
        checks,
        field,
        broken=needed
        and SSDA903Rule218.breaks(placement_type=place, urn=urn, outside_england=outside_england),
        on=day,
        explain=f"{needs_urn}: select the provider from the register",  # noqa: S608
    )
    SSDA903Rule242.check(
        checks,
        field,
        broken=SSDA903Rule242.breaks(placement_type=place, urn=urn),
        on=day,
        explain="XXXXXXX (no Ofsted URN) is only for a regional adoption agency, in an adoption "
        f"or fostering placement (A3 to A6, U1 to U6), not {place}",
    )
