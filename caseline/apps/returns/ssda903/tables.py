"""The SSDA903's tables as the DfE's CSV format has them, and how values are written.

The Data to Insight validator (csc-validator-be-903 0.1.17, ``lac_validator``) recognises each
CSV table by its set of column names, not by its file name (``ingress.read_csvs_from_text``),
and reads every date as DD/MM/YYYY. The column names below are its ``config.column_names``
(a copy is in ``shared/reference/returns/ssda903_csv_column_names_pypi-0.1.17.json``); the file
names are those of its test data and of the clean 2025-26 fixture set.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from caseline.apps.returns.years import CollectionYear


@dataclass(frozen=True)
class Table:
    """One CSV table of the return."""

    name: str  # the validator's name for it: "Episodes"
    file_name: str
    columns: tuple[str, ...]
    # The first collection year (as the DfE names it: 2027 = 2026-27) the table is in.
    from_year: int | None = None

    def in_year(self, year: CollectionYear) -> bool:
        return self.from_year is None or year.year >= self.from_year


HEADER = Table("Header", "header.csv", ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"))
EPISODES = Table(
    "Episodes",
    "episodes.csv",
    (
        "CHILD",
        "DECOM",
        "RNE",
        "LS",
        "CIN",
        "PLACE",
        "PLACE_PROVIDER",
        "DEC",
        "REC",
        "REASON_PLACE_CHANGE",
        "HOME_POST",
        "PL_POST",
        "URN",
    ),
)
REVIEWS = Table("Reviews", "reviews.csv", ("CHILD", "DOB", "REVIEW", "REVIEW_CODE"))
UASC = Table("UASC", "uasc.csv", ("CHILD", "SEX", "DOB", "DUC"))
OC2 = Table(
    "OC2",
    "oc2.csv",
    (
        "CHILD",
        "DOB",
        "SDQ_SCORE",
        "SDQ_REASON",
        "CONVICTED",
        "HEALTH_CHECK",
        "IMMUNISATIONS",
        "TEETH_CHECK",
        "HEALTH_ASSESSMENT",
        "SUBSTANCE_MISUSE",
        "INTERVENTION_RECEIVED",
        "INTERVENTION_OFFERED",
    ),
)
OC3 = Table("OC3", "oc3.csv", ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"))
AD1 = Table(
    "AD1",
    "ad1.csv",
    (
        "CHILD",
        "DOB",
        "DATE_INT",
        "DATE_MATCH",
        "FOSTER_CARE",
        "NB_ADOPTR",
        "SEX_ADOPTR",
        "LS_ADOPTR",
    ),
)
PLACED_ADOPTION = Table(
    "PlacedAdoption",
    "placed_for_adoption.csv",
    ("CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"),
)
PREV_PERM = Table(
    "PrevPerm", "previous_permanence.csv", ("CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM")
)
MISSING = Table("Missing", "missing.csv", ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"))
SW_EPISODES = Table(
    "SWEpisodes",
    "sw_episodes.csv",
    ("CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"),
)
# Deprivation of liberty orders, collected from 2026-27 (validator ruleset lac2026_27).
DOLO = Table("DoLo", "dolo.csv", ("CHILD", "DOB", "DOLO_START", "DOLO_END"), from_year=2027)

TABLES: tuple[Table, ...] = (
    HEADER,
    EPISODES,
    REVIEWS,
    UASC,
    OC2,
    OC3,
    AD1,
    PLACED_ADOPTION,
    PREV_PERM,
    MISSING,
    SW_EPISODES,
    DOLO,
)


def tables_for(year: CollectionYear) -> list[Table]:
    """The tables of the return for ``year``."""
    return [table for table in TABLES if table.in_year(year)]


Row = Sequence[str]


def day(value: datetime.date | None) -> str:
    """A date as the return writes it: DD/MM/YYYY, or blank."""
    return "" if value is None else value.strftime("%d/%m/%Y")


def flag(value: bool | None) -> str:
    """A yes/no item as the return writes it: 1, 0, or blank when not known."""
    return "" if value is None else ("1" if value else "0")
