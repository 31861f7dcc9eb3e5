"""The provider lookups the validator's URN rules read, written from Caseline's own record.

The Data to Insight validator checks placements against Ofsted's lists of providers (rules
1008, 219, 221, 224, 227, 228, 229) when given them as two spreadsheets
(``lac_validator.ingress.construct_provider_info_table``): the "Children's homes" list, a sheet
"Provider information" with columns URN, Local Authority, Provider Code, Provider Placement
Code, Closed Date, Setting Postcode; and the "Social care providers" list, a sheet of current
providers (URN, Local authority, Placement code, Placement provider code, Setting postcode) and
a sheet of closed ones (the same and Deregistration date). Without them it skips those rules.

Caseline writes both from its register of placement providers (``PlacementProvider``): each
provider with an Ofsted URN, its provider code (PR0-PR5), its postcode, and the placement codes
it offers together with those its episodes were recorded with. Episodes recorded before the
register, which name no provider, add the URNs typed on them as before (each with every
placement and provider code recorded against it and the postcode of its latest placement).
Children's homes (903 placement K2) go in the first list and the rest in the second. The
register is the council's own, not Ofsted's: the lists check that the episodes agree with the
register and, through the postcode, with the council each provider is in (rule 229); only
Ofsted's own lists check the URNs against the national register of providers.

An .xlsx file is a zip of XML parts; these are written with the standard library (inline
strings, no styles), enough for openpyxl, which the validator reads them with.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from caseline.apps.lookedafter.models import NO_OFSTED_URN, Episode, PlacementProvider
from caseline.apps.returns import xlsx
from caseline.apps.returns.files import atomic_binary_output
from caseline.apps.returns.xlsx import Sheet
from caseline.apps.returns.years import CollectionYear

FOLDER = "provider_lookups"
CHILDRENS_HOMES_FILE = "ofsted_childrens_homes.xlsx"
SOCIAL_CARE_PROVIDERS_FILE = "ofsted_social_care_providers.xlsx"
CHILDRENS_HOME = "K2"  # 903 placement code: children's home
CH_COLUMNS = (
    "URN",
    "Local Authority",
    "Provider Code",
    "Provider Placement Code",
    "Closed Date",
    "Setting Postcode",
)
SCP_CURRENT_COLUMNS = (
    "URN",
    "Local authority",
    "Placement code",
    "Placement provider code",
    "Setting postcode",
)
SCP_CLOSED_COLUMNS = (*SCP_CURRENT_COLUMNS[:4], "Deregistration date", "Setting postcode")


@dataclass
class Provider:
    """A provider as the lists give it."""

    urn: str
    placement_codes: set[str] = field(default_factory=set)
    provider_codes: set[str] = field(default_factory=set)
    postcode: str = ""


def _urn(value: str) -> str:
    return value.strip().upper()


def _postcode(value: str) -> str:
    return " ".join(value.upper().split())


def providers_in(year: CollectionYear) -> list[Provider]:
    """The providers with an Ofsted URN: the register's, and those that episodes up to the end
    of ``year`` name without a provider from the register. Three queries."""
    found: dict[str, Provider] = {}
    by_id: dict[int, Provider] = {}
    registered = (
        PlacementProvider.objects.exclude(ofsted_urn="")
        .exclude(ofsted_urn=NO_OFSTED_URN)
        .order_by("id")
        .values_list("id", "ofsted_urn", "provider_type", "postcode", "placement_types")
    )
    for pk, urn, provider_type, postcode, placement_types in registered:
        provider = found.setdefault(_urn(urn), Provider(_urn(urn)))
        provider.placement_codes.update(placement_types or [])
        if provider_type:
            provider.provider_codes.add(provider_type)
        if postcode:
            provider.postcode = _postcode(postcode)
        by_id[pk] = provider
    used = (
        Episode.objects.filter(start_date__lte=year.end, provider__isnull=False)
        .values_list("provider_id", "placement_type")
        .distinct()
    )
    for provider_id, placement in used:
        if provider_id in by_id:
            by_id[provider_id].placement_codes.add(placement)
    typed = (
        Episode.objects.filter(start_date__lte=year.end, provider__isnull=True)
        .exclude(ofsted_urn="")
        .exclude(ofsted_urn=NO_OFSTED_URN)
        .order_by("start_date", "id")
        .values_list("ofsted_urn", "placement_type", "placement_provider", "placement_postcode")
    )
    unregistered: dict[str, Provider] = {}
    for urn, placement, provider_code, postcode in typed.iterator():
        if _urn(urn) in found:
            continue  # the register's entry stands
        provider = unregistered.setdefault(_urn(urn), Provider(_urn(urn)))
        provider.placement_codes.add(placement)
        if provider_code:
            provider.provider_codes.add(provider_code)
        if postcode:
            provider.postcode = _postcode(postcode)
    found.update(unregistered)
    return sorted(found.values(), key=lambda p: p.urn)


def write_provider_lookups(year: CollectionYear, out: Path) -> list[Path]:
    """Write both lists into ``out/provider_lookups/``; return their paths."""
    folder = out / FOLDER
    folder.mkdir(exist_ok=True)
    providers = providers_in(year)
    homes = [p for p in providers if CHILDRENS_HOME in p.placement_codes]
    others = [p for p in providers if CHILDRENS_HOME not in p.placement_codes]
    # The validator reads the children's homes list's columns by position onto its own names
    # (URN, LA_NAME_FROM_FILE, PLACE_CODES, PROVIDER_CODES, REG_END, POSTCODE): "Provider Code"
    # is where it looks for the placement codes rule 219 checks, and "Provider Placement Code"
    # for the provider codes rule 224 checks (``ingress.construct_provider_info_table``).
    homes_rows = [
        (p.urn, "", ",".join(sorted(p.placement_codes)), ",".join(sorted(p.provider_codes)), "",
         p.postcode)
        for p in homes
    ]  # fmt: skip
    other_rows = [
        (p.urn, "", ",".join(sorted(p.placement_codes)), ",".join(sorted(p.provider_codes)),
         p.postcode)
        for p in others
    ]  # fmt: skip
    homes_path = folder / CHILDRENS_HOMES_FILE
    others_path = folder / SOCIAL_CARE_PROVIDERS_FILE
    write_workbook(homes_path, [("Provider information", CH_COLUMNS, homes_rows)])
    write_workbook(
        others_path,
        [
            ("Current providers", SCP_CURRENT_COLUMNS, other_rows),
            ("Providers closed", SCP_CLOSED_COLUMNS, []),
        ],
    )
    return [homes_path, others_path]


def write_workbook(path: Path, sheets: Sequence[Sheet]) -> None:
    """Write a minimal .xlsx workbook of text cells, whole or not at all."""
    with atomic_binary_output(path) as stream:
        xlsx.write_workbook(stream, sheets)
