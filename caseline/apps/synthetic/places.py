"""Where the synthetic authority is: real postcodes of the authority and of its neighbours,
shipped as data with their source (``data/postcodes.csv``, ``data/postcode_districts.csv`` and
``data/authority_neighbours.csv``, derived from the ONS Postcode Directory by
``data/derive_postcodes.py``).

A generated address is a real postcode of the authority with a made-up street, so that the
DfE's validators can place it (903 placement LA, location and distance) while naming nobody's
home. An authority the data does not cover falls back to the made-up "CL" area
(``identifiers.postcode``).
"""

from __future__ import annotations

import csv
import functools
import random
from collections import defaultdict
from importlib import resources

from caseline.apps.synthetic import identifiers


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("caseline.apps.synthetic").joinpath(f"data/{name}")
    lines = [line for line in text.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    return list(csv.DictReader(lines))


@functools.cache
def postcodes_by_authority() -> dict[str, tuple[str, ...]]:
    """The shipped postcodes, by the ONS code of their authority, in file order."""
    found: dict[str, list[str]] = defaultdict(list)
    for row in _rows("postcodes.csv"):
        found[row["ons_code"]].append(row["postcode"])
    return {code: tuple(rows) for code, rows in found.items()}


@functools.cache
def authority_names() -> dict[str, str]:
    """Each authority's name, by ONS code."""
    return {row["ons_code"]: row["authority"] for row in _rows("postcode_districts.csv")}


@functools.cache
def neighbours() -> dict[str, tuple[str, ...]]:
    """The ONS codes of the authorities nearest each authority, nearest first."""
    found: dict[str, list[str]] = defaultdict(list)
    for row in _rows("authority_neighbours.csv"):
        found[row["ons_code"]].append(row["neighbour"])
    return {code: tuple(rows) for code, rows in found.items()}


class Places:
    """The postcodes of one authority (by ONS code) and of its neighbours."""

    def __init__(self, ons_code: str) -> None:
        self.ons_code = ons_code
        self.town = authority_names().get(ons_code, "Caseline")
        self.home = postcodes_by_authority().get(ons_code, ())
        self.near = tuple(
            (authority_names().get(code, ""), postcode)
            for code in neighbours().get(ons_code, ())
            for postcode in postcodes_by_authority().get(code, ())
        )

    @property
    def known(self) -> bool:
        return bool(self.home)

    def address(self, rng: random.Random) -> tuple[str, str]:
        """A (town, postcode) in the authority."""
        if not self.home:
            return self.town, identifiers.postcode(rng)
        return self.town, rng.choice(self.home)

    def out_of_area(self, rng: random.Random) -> tuple[str, str]:
        """A (town, postcode) in a neighbouring authority (or, with none known, in this one)."""
        if not self.near:
            return self.address(rng)
        return rng.choice(self.near)
