"""The provider lookups the validator's URN rules read, written from Caseline's own record.

The Data to Insight validator checks placements against Ofsted's lists of providers (rules
1008, 219, 221, 224, 227, 228, 229) when given them as two spreadsheets
(``lac_validator.ingress.construct_provider_info_table``): the "Children's homes" list, a sheet
"Provider information" with columns URN, Local Authority, Provider Code, Provider Placement
Code, Closed Date, Setting Postcode; and the "Social care providers" list, a sheet of current
providers (URN, Local authority, Placement code, Placement provider code, Setting postcode) and
a sheet of closed ones (the same and Deregistration date). Without them it skips those rules.

Caseline writes both from the providers its episodes name (each URN with every placement code
and provider code recorded against it, and the postcode of its latest placement), children's
homes (903 placement K2) in the first list and the rest in the second. Built from the same
episodes, the lists check that the episodes agree with each other and, through the postcode,
with the council each provider is in (rule 229); only Ofsted's own lists check the URNs
against the register of providers. The placement-provider register, once the episodes name
providers from it, is the better source: swap :func:`providers_in` for it.

An .xlsx file is a zip of XML parts; these are written with the standard library (inline
strings, no styles), enough for openpyxl, which the validator reads them with.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from caseline.apps.lookedafter.models import Episode
from caseline.apps.returns.files import atomic_binary_output
from caseline.apps.returns.years import CollectionYear

FOLDER = "provider_lookups"
CHILDRENS_HOMES_FILE = "ofsted_childrens_homes.xlsx"
SOCIAL_CARE_PROVIDERS_FILE = "ofsted_social_care_providers.xlsx"
CHILDRENS_HOME = "K2"  # 903 placement code: children's home
NO_OFSTED_URN = "XXXXXXX"
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
    """A provider as the episodes name it."""

    urn: str
    placement_codes: set[str] = field(default_factory=set)
    provider_codes: set[str] = field(default_factory=set)
    postcode: str = ""


def providers_in(year: CollectionYear) -> list[Provider]:
    """The providers with an Ofsted URN that episodes open up to the end of ``year`` name."""
    found: dict[str, Provider] = {}
    episodes = (
        Episode.objects.filter(start_date__lte=year.end)
        .exclude(ofsted_urn="")
        .exclude(ofsted_urn=NO_OFSTED_URN)
        .order_by("start_date", "id")
        .values_list("ofsted_urn", "placement_type", "placement_provider", "placement_postcode")
    )
    for urn, placement, provider_code, postcode in episodes.iterator():
        provider = found.setdefault(urn.strip().upper(), Provider(urn.strip().upper()))
        provider.placement_codes.add(placement)
        if provider_code:
            provider.provider_codes.add(provider_code)
        if postcode:
            provider.postcode = " ".join(postcode.upper().split())
    return sorted(found.values(), key=lambda p: p.urn)


def write_provider_lookups(year: CollectionYear, out: Path) -> list[Path]:
    """Write both lists into ``out/provider_lookups/``; return their paths."""
    folder = out / FOLDER
    folder.mkdir(exist_ok=True)
    providers = providers_in(year)
    homes = [p for p in providers if CHILDRENS_HOME in p.placement_codes]
    others = [p for p in providers if CHILDRENS_HOME not in p.placement_codes]
    homes_rows = [
        (p.urn, "", ",".join(sorted(p.provider_codes)), ",".join(sorted(p.placement_codes)), "",
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
