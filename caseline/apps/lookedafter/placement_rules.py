"""The DfE's SSDA903 rules about a placement's provider and Ofsted URN that one episode, or one
entry in the register of providers, can break. Each is a :class:`Rule` whose code is the 903
rule's (``903:218``), so a worker sees the rule the return would fail on when they record it.

Sources: the rule lists of data-to-insight/csc-validator-be-903 (``903_2025_26_rule_info.csv``
in the shared reference), and the rules' code in csc-validator-be-903 0.1.17 (PyPI),
``lac2024_25`` and ``lac2025_26``. The DfE also checks a URN against Ofsted's list of
providers ("Provider Info": rules 1008, 219, 221, 224, 227 to 229), which Caseline does not
hold; where it can, Caseline checks against its own register instead, and says so.

Rules on the whole return or on a year (218's "episode open on 1 April", 214's short breaks,
the OC2 cohort) are the exporter's; these are the ones a single record breaks whenever it is
entered. The URN rules are applied to dates in the collection years their lists are for:
from 2024-25 (218, 222) and from 2025-26 (242, 243); earlier episodes were recorded under
other lists and are not judged by these.
"""

from __future__ import annotations

import datetime
import re

from caseline.apps.codes.lists import collection_year
from caseline.apps.core.checks import Checks, Rule
from caseline.apps.lookedafter.models import NO_OFSTED_URN, PLACED_WITH_PARENTS, PlacementProvider

_SOURCE = "DfE SSDA903 validation rule {} (903_2025_26_rule_info.csv; csc-validator-be-903 {})"

# 903 rules 218 and 222 (2024-25 and 2025-26): placement types with no Ofsted URN. Z1 is the
# 2024-25 code, Z11-Z14 the 2025-26 ones; the code lists keep each to its own years.
NO_URN_TYPES = frozenset(
    {"P1", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z1", "Z11", "Z12", "Z13", "Z14"}
)
URN_RULES_FROM = 2024  # collection year 2024-25
# 903 rule 242 (2025-26): XXXXXXX only for adoption and fostering placements (regional
# adoption agencies).
NO_OFSTED_URN_TYPES = frozenset({"A3", "A4", "A5", "A6", "U1", "U2", "U3", "U4", "U5", "U6"})
NO_OFSTED_URN_RULE_FROM = 2025  # collection year 2025-26
# 903 rule 213: temporary (T0-T4) and other (Z) placements have no provider.
NO_PROVIDER_TYPES = re.compile(r"^(T[0-4]|Z[0-9]*)$")
# Placements where the child lives at the provider's own premises, so the placement postcode
# is the provider's: 903 rule 221 holds K1, K2, K3, R3 and S1 to the URN's postcode; R1, R2
# and R5 (a care home, hospital, young offender institution) are Caseline's addition. In a
# foster or adoptive placement the child lives at the carers' home, not the agency's office.
AT_PROVIDER_PREMISES = frozenset({"K1", "K2", "K3", "R1", "R2", "R3", "R5", "S1"})
# A 903 URN: SC and six digits, or seven digits for providers registered since 2015 (SSD spec
# item clap_cla_placement_urn, quoting the 903 guide), or XXXXXXX for none.
URN_FORMAT = re.compile(r"^(SC[0-9]{6}|[0-9]{6,7})$")
# A UK postcode's shape (Caseline's own check; it does not look the postcode up).
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")

URN_SHAPE = Rule(
    "903:1008",
    _SOURCE.format("1008", "lac2022_23")
    + ". The DfE checks the URN against Ofsted's list; Caseline checks only its shape",
    "Enter the Ofsted URN, like SC123456 or 1234567, or XXXXXXX for a provider with none",
)
URN_REQUIRED = Rule(
    "903:218",
    _SOURCE.format("218", "lac2025_26"),
    "A {place} placement needs the provider's Ofsted URN: select the provider from the "
    "register (DfE rule 218)",
)
URN_NOT_FOR_TYPE = Rule(
    "903:222",
    _SOURCE.format("222", "lac2025_26"),
    "A {place} placement has no Ofsted URN, but {provider} has one: select another provider, "
    "or none (DfE rule 222)",
)
NO_OFSTED_URN_ONLY_ADOPTION = Rule(
    "903:242",
    _SOURCE.format("242", "0.1.17 lac2025_26"),
    "XXXXXXX (no Ofsted URN) is only for a regional adoption agency, in an adoption or "
    "fostering placement (A3 to A6, U1 to U6), not {place} (DfE rule 242)",
)
NO_URN_TYPES_OFFERED = Rule(
    "903:222",
    _SOURCE.format("222", "lac2025_26"),
    "{places} placements have no Ofsted URN (DfE rule 222): a provider with a URN cannot "
    "offer them",
)
NO_URN_OUTSIDE_ENGLAND = Rule(
    "903:243",
    _SOURCE.format("243", "0.1.17 lac2025_26"),
    "A provider outside England is not registered with Ofsted: leave the URN blank (DfE rule 243)",
)
PROVIDER_NOT_NEEDED = Rule(
    "903:213",
    _SOURCE.format("213", "lac2025_26"),
    "A temporary (T) or other (Z) placement has no provider (DfE rule 213)",
)
OFFERED_BY_PROVIDER = Rule(
    "903:219",
    _SOURCE.format("219", "lac2022_23")
    + ". The DfE checks the placement type against Ofsted's list; Caseline checks the "
    "placement types the register says the provider offers",
    "The register says {provider} does not offer {place} placements (DfE rule 219)",
)
PARENTS_ONLY = Rule(
    "903:550",
    _SOURCE.format("550", "lac2022_23"),
    "Provider PR0 (parents) is only for a child placed with parents (P1) (DfE rule 550)",
)
# 903 rules 527 to 531: placement types a provider code cannot go with. For P1 the provider
# is always PR0, which the placement check says first.
PROVIDER_NOT_WITH: dict[str, tuple[Rule, frozenset[str]]] = {
    code: (
        Rule(
            f"903:{rule}",
            _SOURCE.format(rule, "lac2022_23"),
            "Provider {code} cannot provide a {place} placement (DfE rule " + rule + ")",
        ),
        places,
    )
    for code, rule, places in (
        ("PR1", "527", frozenset({"P1", "R2", "R5"})),
        ("PR2", "528", frozenset({"P1", "R2", "R5"})),
        (
            "PR3",
            "529",
            frozenset(
                {"P1", "A3", "A4", "A5", "A6", "K1", "K2", "U1", "U2", "U3", "U4", "U5", "U6"}
            ),
        ),
        ("PR4", "530", frozenset({PLACED_WITH_PARENTS})),
        ("PR5", "531", frozenset({PLACED_WITH_PARENTS})),
    )
}


def is_urn(value: str) -> bool:
    """Whether ``value`` has the shape of a 903 URN (or is ``XXXXXXX``)."""
    return value == NO_OFSTED_URN or bool(URN_FORMAT.match(value))


def check_provider_code(checks: Checks, field: str, code: str, place: str) -> None:
    """903 rules 527 to 531 and 550: the provider code fits the placement type."""
    if code == "PR0" and place != PLACED_WITH_PARENTS:
        checks.broken(PARENTS_ONLY, field)
    elif code in PROVIDER_NOT_WITH and place in PROVIDER_NOT_WITH[code][1]:
        checks.broken(PROVIDER_NOT_WITH[code][0], field, code=code, place=place)


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
    placement location returned for legal status V3 or V4).
    """
    year = collection_year(day)
    if year < URN_RULES_FROM:
        return
    outside_england = provider is not None and provider.outside_england
    if place in NO_URN_TYPES:
        if urn and urn != NO_OFSTED_URN:
            who = provider.name if provider is not None else "the provider"
            checks.broken(URN_NOT_FOR_TYPE, field, place=place, provider=who)
    elif needed and not urn and not outside_england:
        checks.broken(URN_REQUIRED, field, place=place)
    in_use = year >= NO_OFSTED_URN_RULE_FROM
    if in_use and urn == NO_OFSTED_URN and place not in NO_OFSTED_URN_TYPES:
        checks.broken(NO_OFSTED_URN_ONLY_ADOPTION, field, place=place)
