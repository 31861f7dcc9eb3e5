"""Versioned code lists (DfE returns, the Standard Safeguarding Dataset and local lists).

Each list is a CSV file in ``data/`` named after its :class:`CodeListName`, with the columns
``code,label,valid_from_year,valid_to_year,source``. The file starts with ``# key: value``
comment lines: ``list``, ``description``, ``source``, ``version`` and any number of ``note``.

Years are collection years: 2024 means 1 April 2024 to 31 March 2025. A blank
``valid_from_year`` or ``valid_to_year`` leaves that end open. Passing ``year=None`` to the
methods below means "the latest version of the list", i.e. codes that have not been retired.

Plain Python: importing this module needs neither Django nor its settings.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from importlib import resources

__all__ = [
    "COLUMNS",
    "Code",
    "CodeList",
    "CodeListName",
    "code_list",
    "collection_year",
    "parse_code_list",
]

COLUMNS = ("code", "label", "valid_from_year", "valid_to_year", "source")
_HEADER_KEYS = frozenset({"list", "description", "source", "version", "note"})
_REQUIRED_KEYS = ("description", "source", "version")


class CodeListName(StrEnum):
    """Every code list Caseline ships; the value is the CSV file's stem."""

    # CIN census
    ETHNICITY = "ethnicity"
    DISABILITY = "disability"
    SEX = "sex"
    REFERRAL_SOURCE = "referral_source"
    PRIMARY_NEED = "primary_need"
    ASSESSMENT_FACTOR = "assessment_factor"
    CIN_CLOSURE_REASON = "cin_closure_reason"
    CP_CATEGORY = "cp_category"
    # SSDA903
    LEGAL_STATUS = "legal_status"
    REASON_NEW_EPISODE = "reason_new_episode"
    REASON_EPISODE_CEASED = "reason_episode_ceased"
    PLACEMENT_TYPE = "placement_type"
    PLACEMENT_PROVIDER = "placement_provider"
    REASON_PLACEMENT_CHANGE = "reason_placement_change"
    REVIEW_PARTICIPATION = "review_participation"
    CARE_LEAVER_IN_TOUCH = "care_leaver_in_touch"
    CARE_LEAVER_ACTIVITY = "care_leaver_activity"
    CARE_LEAVER_ACCOMMODATION = "care_leaver_accommodation"
    MISSING_TYPE = "missing_type"
    # Local lists (not DfE code sets)
    GENDER_IDENTITY = "gender_identity"
    RELIGION = "religion"
    IMMIGRATION_STATUS = "immigration_status"
    # Added for the returns (issue 15): CIN census and SSDA903
    UPN_UNKNOWN = "upn_unknown"
    SOCIAL_WORKER_CHANGE_REASON = "social_worker_change_reason"
    # CIN census (from 2026-27)
    PRE_PROCEEDINGS_OUTCOME = "pre_proceedings_outcome"
    # SSDA903 adoption and previous permanence (AD1, PlacedAdoption, PrevPerm)
    ADOPTER_SEX = "adopter_sex"
    ADOPTER_LEGAL_STATUS = "adopter_legal_status"
    REASON_PLACED_CEASED = "reason_placed_ceased"
    PREVIOUS_PERMANENCE = "previous_permanence"
    # SSDA903 OC2
    SDQ_REASON = "sdq_reason"


def collection_year(day: date) -> int:
    """Return the collection year that contains ``day`` (years start on 1 April)."""
    return day.year if day.month >= 4 else day.year - 1


@dataclass(frozen=True, slots=True)
class Code:
    """One code in a list, with the collection years in which it may be used."""

    code: str
    label: str
    valid_from_year: int | None = None
    valid_to_year: int | None = None
    source: str = ""

    def is_valid_in(self, year: int | None = None) -> bool:
        """Whether the code may be used in ``year``; ``None`` asks whether it is not retired."""
        if year is None:
            return self.valid_to_year is None
        if self.valid_from_year is not None and year < self.valid_from_year:
            return False
        return self.valid_to_year is None or year <= self.valid_to_year


@dataclass(frozen=True, slots=True)
class CodeList:
    """A named, ordered list of codes. Membership (``in``) ignores years."""

    name: str
    description: str
    source: str
    codes: tuple[Code, ...]
    version: str = ""
    notes: tuple[str, ...] = ()
    _by_code: dict[str, Code] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_code: dict[str, Code] = {}
        for code in self.codes:
            if code.code in by_code:
                raise ValueError(f"Code list {self.name!r} has duplicate code {code.code!r}")
            by_code[code.code] = code
        object.__setattr__(self, "_by_code", by_code)

    def get(self, code: str) -> Code | None:
        """Return the :class:`Code` for ``code``, or ``None`` if the list has no such code."""
        return self._by_code.get(code)

    def label(self, code: str) -> str:
        """Return the label for ``code``, or the code marked "(unknown code)"."""
        found = self._by_code.get(code)
        return found.label if found is not None else f"{code} (unknown code)"

    def is_valid(self, code: str, year: int | None = None) -> bool:
        """Whether ``code`` is in the list and may be used in collection ``year``."""
        found = self._by_code.get(code)
        return found is not None and found.is_valid_in(year)

    def current(self, year: int | None = None) -> tuple[Code, ...]:
        """The codes valid in collection ``year`` (default: not retired), in list order."""
        return tuple(code for code in self.codes if code.is_valid_in(year))

    def choices(self, year: int | None = None) -> list[tuple[str, str]]:
        """``(code, "CODE - label")`` pairs for the codes in :meth:`current`."""
        return [(code.code, f"{code.code} - {code.label}") for code in self.current(year)]

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in self._by_code

    def __iter__(self) -> Iterator[Code]:
        return iter(self.codes)

    def __len__(self) -> int:
        return len(self.codes)


def _parse_year(value: str, *, where: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit() or len(value) != 4:
        raise ValueError(f"{where}: year {value!r} is not a four-digit collection year")
    return int(value)


def parse_code_list(name: str, text: str) -> CodeList:
    """Build a :class:`CodeList` from the text of a code-list CSV; raise ``ValueError`` if bad."""
    header: dict[str, str] = {}
    notes: list[str] = []
    data_lines: list[str] = []
    for line in text.splitlines():
        if line.startswith("#"):
            key, sep, value = line.lstrip("#").strip().partition(":")
            key, value = key.strip(), value.strip()
            if not sep or key not in _HEADER_KEYS or not value:
                raise ValueError(f"{name}.csv: comment {line!r} is not '# key: value'")
            if key == "note":
                notes.append(value)
            elif key in header:
                raise ValueError(f"{name}.csv: comment key {key!r} appears twice")
            else:
                header[key] = value
        elif line.strip():
            data_lines.append(line)

    missing = [key for key in _REQUIRED_KEYS if key not in header]
    if missing:
        raise ValueError(f"{name}.csv: missing comment line(s) for {', '.join(missing)}")
    if header.get("list", name) != name:
        raise ValueError(f"{name}.csv: '# list: {header['list']}' does not match the file name")

    rows = list(csv.reader(data_lines))
    if not rows or tuple(rows[0]) != COLUMNS:
        raise ValueError(f"{name}.csv: the first row must be {','.join(COLUMNS)}")

    codes: list[Code] = []
    for number, row in enumerate(rows[1:], start=1):
        where = f"{name}.csv data row {number}"
        if len(row) != len(COLUMNS):
            raise ValueError(f"{where}: expected {len(COLUMNS)} columns, found {len(row)}")
        code, label, valid_from, valid_to, source = (cell.strip() for cell in row)
        if not code or not label:
            raise ValueError(f"{where}: code and label must not be blank")
        from_year = _parse_year(valid_from, where=where)
        to_year = _parse_year(valid_to, where=where)
        if from_year is not None and to_year is not None and from_year > to_year:
            raise ValueError(f"{where}: valid_from_year {from_year} is after {to_year}")
        codes.append(Code(code, label, from_year, to_year, source))

    return CodeList(
        name=name,
        description=header["description"],
        source=header["source"],
        codes=tuple(codes),
        version=header["version"],
        notes=tuple(notes),
    )


@functools.cache
def _load(name: CodeListName) -> CodeList:
    data = resources.files(__package__ or __name__) / "data"
    return parse_code_list(name.value, (data / f"{name.value}.csv").read_text(encoding="utf-8"))


def code_list(name: str) -> CodeList:
    """Return the named code list, loaded once and cached; ``KeyError`` if there is none."""
    try:
        list_name = CodeListName(name)
    except ValueError:
        known = ", ".join(sorted(member.value for member in CodeListName))
        raise KeyError(f"Unknown code list {name!r}; known lists are: {known}") from None
    return _load(list_name)
