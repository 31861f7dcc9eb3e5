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

import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from caseline.apps.lookedafter.models import NO_OFSTED_URN, Episode, PlacementProvider
from caseline.apps.returns.files import atomic_binary_output
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


Sheet = tuple[str, Sequence[str], Iterable[Sequence[str]]]


def _cell(column: int, row: int, value: str) -> str:
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f'<c r="{letters}{row}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'


def _sheet_xml(columns: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = []
    for number, values in enumerate([columns, *rows], start=1):
        cells = "".join(_cell(i, number, v) for i, v in enumerate(values) if v != "")
        lines.append(f'<row r="{number}">{cells}</row>')
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{''.join(lines)}</sheetData></worksheet>"
    )


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_BOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def write_workbook(path: Path, sheets: Sequence[Sheet]) -> None:
    """Write a minimal .xlsx workbook of text cells, whole or not at all."""
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_SHEET_TYPE}"/>'
        for n in range(1, len(sheets) + 1)
    )
    book_sheets = "".join(
        f'<sheet name="{escape(name)}" sheetId="{n}" r:id="rId{n}"/>'
        for n, (name, _, _) in enumerate(sheets, start=1)
    )
    book_rels = "".join(
        f'<Relationship Id="rId{n}" Type="{_RELS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, len(sheets) + 1)
    )
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_BOOK_TYPE}"/>{overrides}'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships '
            f'xmlns="{_PACKAGE_RELS}"><Relationship Id="rId1" '
            f'Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{_MAIN}" '
            f'xmlns:r="{_RELS}"><sheets>{book_sheets}</sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<Relationships xmlns="{_PACKAGE_RELS}">{book_rels}</Relationships>'
        ),
    }
    for n, (_, columns, rows) in enumerate(sheets, start=1):
        parts[f"xl/worksheets/sheet{n}.xml"] = _sheet_xml(columns, rows)
    with (
        atomic_binary_output(path) as stream,
        zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        for name, text in parts.items():
            archive.writestr(name, text)
