"""SSDA903 rules on a placement's provider and Ofsted URN that one episode, or one entry in the
register of providers, can break, checked where it is written.

Source of each: the DfE's SSDA903 validation rules, as listed in the Data to Insight
validator's rule tables (``903_2023_24_rule_info.csv`` to ``903_2026_27_rule_info.csv`` in
shared/reference/returns/rules, whose messages the docstrings are) and coded in
csc-validator-be-903 0.1.17 (``lac2022_23`` to ``lac2025_26``), read for the codes each rule
names. The DfE also checks a URN against Ofsted's list of providers ("Provider Info": rules
1008, 219, 221, 224, 227 to 229), which Caseline does not hold; where it can, Caseline checks
against its own register instead, and the rule's docstring says so.

The provider codes' rules (213, 527 to 531, 550) are about what the codes mean, and 392d (a
placement away from home is not at the home's postcode) is a matter of fact, so they apply to
records of every year. The URN rules apply to records dated in the years their lists are for:
218 and 222 from 2024-25 (the 2023-24 list has them too, for that year's placement types,
which Caseline does not check), 242 and 243 from 2025-26.
"""

from __future__ import annotations

import re
from collections.abc import Collection as Codes
from typing import ClassVar

from caseline.apps.returns.rules.base import Collection, DfERule

_LISTED = (
    "DfE SSDA903 validation rules 2023-24 to 2026-27 (csc-validator-be-903 rule lists, "
    "903_2023_24_rule_info.csv to 903_2026_27_rule_info.csv)"
)

PLACED_WITH_PARENTS = "P1"
PARENTS = "PR0"
NO_OFSTED_URN = "XXXXXXX"  # the URN of a provider not registered with Ofsted (rule 242)
# Rules 218 and 222 (2024-25 and 2025-26): placement types with no Ofsted URN. Z1 is the
# 2024-25 code, Z11-Z14 the 2025-26 ones; the code lists keep each to its own years.
NO_URN_TYPES = frozenset(
    {"P1", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z1", "Z11", "Z12", "Z13", "Z14"}
)
# Rule 242 (2025-26): XXXXXXX only for adoption and fostering placements (regional adoption
# agencies).
NO_OFSTED_URN_TYPES = frozenset({"A3", "A4", "A5", "A6", "U1", "U2", "U3", "U4", "U5", "U6"})
# Rule 213: temporary (T0-T4) and other (Z) placements have no provider.
NO_PROVIDER_TYPES = re.compile(r"^(T[0-4]|Z[0-9]*)$")
# A 903 URN: SC and six digits, or seven digits for providers registered since 2015 (SSD spec
# item clap_cla_placement_urn, quoting the 903 guide), or XXXXXXX for none.
URN_FORMAT = re.compile(r"^(SC[0-9]{6}|[0-9]{6,7})$")


def is_urn(value: str) -> bool:
    """Whether ``value`` has the shape of a 903 URN (or is ``XXXXXXX``)."""
    return value == NO_OFSTED_URN or bool(URN_FORMAT.match(value))


class _ProviderRule(DfERule):
    """A rule on what a provider code or URN means, in the four rule lists held; checked in
    every year."""

    collection = Collection.SSDA903
    years = range(2024, 2028)
    source = _LISTED
    every_year = True


class SSDA903Rule1008(_ProviderRule):
    """Ofsted Unique Reference Number (URN) is not valid.

    The DfE checks the URN against Ofsted's list; Caseline checks only its shape.
    """

    code = "1008"
    fields = ("URN",)

    @classmethod
    def breaks(cls, *, urn: str) -> bool:
        return bool(urn) and not is_urn(urn)


class SSDA903Rule218(DfERule):
    """Ofsted Unique reference number (URN) is required.

    For every placement type but those with no URN; not for a provider outside England (rule
    243). The return asks it of episodes open on 1 April; Caseline of every placement.
    """

    collection = Collection.SSDA903
    code = "218"
    years = range(2025, 2028)
    source = _LISTED + "; csc-validator-be-903 lac2025_26 rule 218"
    fields = ("URN", "PLACE")

    @classmethod
    def breaks(cls, *, placement_type: str, urn: str, outside_england: bool = False) -> bool:
        return placement_type not in NO_URN_TYPES and not urn and not outside_england


class SSDA903Rule222(DfERule):
    """Ofsted Unique reference number (URN) should not be recorded for this placement type.

    XXXXXXX, no URN, may be.
    """

    collection = Collection.SSDA903
    code = "222"
    years = range(2025, 2028)
    source = _LISTED + "; csc-validator-be-903 lac2025_26 rule 222"
    fields = ("URN", "PLACE")

    @classmethod
    def breaks(cls, *, placement_type: str, urn: str) -> bool:
        return placement_type in NO_URN_TYPES and bool(urn) and urn != NO_OFSTED_URN


class SSDA903Rule242(DfERule):
    """URN = 'XXXXXXX' can only be used for regional adoption agencies

    That is, in an adoption or fostering placement (A3 to A6, U1 to U6).
    """

    collection = Collection.SSDA903
    code = "242"
    years = range(2026, 2028)
    source = (
        "DfE SSDA903 validation rules 2025-26 and 2026-27 (903_2025_26_rule_info.csv, "
        "903_2026_27_rule_info.csv; csc-validator-be-903 0.1.17 lac2025_26 rule 242)"
    )
    fields = ("URN", "PLACE")

    @classmethod
    def breaks(cls, *, placement_type: str, urn: str) -> bool:
        return urn == NO_OFSTED_URN and placement_type not in NO_OFSTED_URN_TYPES


class SSDA903Rule243(DfERule):
    """Only placements with providers registered with Ofsted should have a URN reported.

    A provider outside England is not registered with Ofsted.
    """

    collection = Collection.SSDA903
    code = "243"
    years = range(2026, 2028)
    source = (
        "DfE SSDA903 validation rules 2025-26 and 2026-27 (903_2025_26_rule_info.csv, "
        "903_2026_27_rule_info.csv; csc-validator-be-903 0.1.17 lac2025_26 rule 243)"
    )
    fields = ("URN",)

    @classmethod
    def breaks(cls, *, urn: str, outside_england: bool) -> bool:
        return bool(urn) and outside_england


class SSDA903Rule213(_ProviderRule):
    """Placement provider information not required.

    A temporary (T0 to T4) or other (Z) placement has no provider.
    """

    code = "213"
    fields = ("PLACE_PROVIDER", "PLACE")

    @classmethod
    def breaks(cls, *, placement_type: str, provider_given: bool) -> bool:
        return bool(NO_PROVIDER_TYPES.match(placement_type)) and provider_given


class SSDA903Rule219(_ProviderRule):
    """The Ofsted Unique reference number (URN) provided for the child's placement does not
    match the placement type recorded.

    The DfE checks the placement type against Ofsted's list; Caseline checks the placement
    types its register says the provider offers (none listed: not checked).
    """

    code = "219"
    fields = ("PLACE", "URN")

    @classmethod
    def breaks(cls, *, placement_type: str, offered: Codes[str]) -> bool:
        return bool(offered) and placement_type not in offered


class SSDA903Rule550(_ProviderRule):
    """A placement provider code of PR0 can only be associated with placement P1."""

    code = "550"
    fields = ("PLACE", "PLACE_PROVIDER")

    @classmethod
    def breaks(cls, *, provider: str, placement_type: str) -> bool:
        return provider == PARENTS and placement_type != PLACED_WITH_PARENTS


class _ProviderNotWith(_ProviderRule):
    """A provider code that cannot go with some placement types (rules 527 to 531)."""

    provider: ClassVar[str]
    not_with: ClassVar[frozenset[str]]
    fields = ("PLACE", "PLACE_PROVIDER")

    @classmethod
    def breaks(cls, *, provider: str, placement_type: str) -> bool:
        return provider == cls.provider and placement_type in cls.not_with


class SSDA903Rule527(_ProviderNotWith):
    """A placement provider code of PR1 cannot be associated with placements P1, R2 or R5."""

    code = "527"
    provider = "PR1"
    not_with = frozenset({"P1", "R2", "R5"})


class SSDA903Rule528(_ProviderNotWith):
    """A placement provider code of PR2 cannot be associated with placements P1, R2 or R5."""

    code = "528"
    provider = "PR2"
    not_with = frozenset({"P1", "R2", "R5"})


class SSDA903Rule529(_ProviderNotWith):
    """Placement provider code of PR3 cannot be associated with placements P1, A3 to A6, K1, K2
    and U1 to U6 as these placements cannot be provided by other public organisations."""

    code = "529"
    provider = "PR3"
    not_with = frozenset(
        {"P1", "A3", "A4", "A5", "A6", "K1", "K2", "U1", "U2", "U3", "U4", "U5", "U6"}
    )


class SSDA903Rule530(_ProviderNotWith):
    """A placement provider code of PR4 cannot be associated with placement P1."""

    code = "530"
    provider = "PR4"
    not_with = frozenset({PLACED_WITH_PARENTS})


class SSDA903Rule531(_ProviderNotWith):
    """A placement provider code of PR5 cannot be associated with placements P1."""

    code = "531"
    provider = "PR5"
    not_with = frozenset({PLACED_WITH_PARENTS})


class SSDA903Rule392d(_ProviderRule):
    """Home and placement postcodes should not be same unless the placement type is P1.

    The home postcode is the one the child lived at when the period of care began (HOME_POST);
    a short break (V3, V4) returns neither (rule 214), so is not checked. Postcodes are the
    same when they are the same letters and digits, however spaced.
    """

    code = "392d"
    fields = ("HOME_POST", "PL_POST", "PLACE")

    @classmethod
    def breaks(cls, *, placement_type: str, home_postcode: str, placement_postcode: str) -> bool:
        home, placed = _squeezed(home_postcode), _squeezed(placement_postcode)
        return placement_type != PLACED_WITH_PARENTS and bool(home) and home == placed


def _squeezed(postcode: str) -> str:
    return "".join(postcode.split()).upper()


# Rules 527 to 531, by the provider code each is about.
PROVIDER_NOT_WITH: dict[str, type[_ProviderNotWith]] = {
    rule.provider: rule
    for rule in (SSDA903Rule527, SSDA903Rule528, SSDA903Rule529, SSDA903Rule530, SSDA903Rule531)
}
