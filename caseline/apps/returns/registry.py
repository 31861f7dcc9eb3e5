"""The statutory returns Caseline produces, each behind one small interface.

The ``caseline returns`` command and the analyst's page know a return only through
:class:`StatutoryReturn`: what it is called, which collection years it can be produced for,
whether it is one file or a folder of tables, and how to produce it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from caseline.apps.returns.years import AsAtDate, CollectionYear

Period = CollectionYear | AsAtDate

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Produced:
    """What producing a return wrote: its files, the children in it, rows per table."""

    files: Sequence[Path]
    person_ids: Sequence[int]
    rows: dict[str, int] = field(default_factory=dict)


class StatutoryReturn(Protocol):
    """One DfE return."""

    slug: str  # on the command line and in addresses: "cin-census"
    title: str  # "Children in need census"
    writes_folder: bool  # a folder of tables (SSDA903) rather than one file (CIN census)
    suffix: str  # the file's extension, ".xml"; "" for a folder
    validated_with_previous_year: bool  # the validator reads last year's return beside it
    years: Sequence[int]  # the collection years whose specification and code lists Caseline has
    as_at: bool  # made for any as-at date (Annex A: an ``AsAtDate``), not a collection year

    def produce(self, year: Any, out: Path, *, progress: Progress | None = None) -> Produced:
        """Write the return for ``year`` to ``out``: a file, or a folder that exists.
        ``year`` is a :class:`CollectionYear`, or an :class:`AsAtDate` when ``as_at``."""
        ...

    def validator_lists(self, out: Path) -> dict[str, Path]:
        """Lists written beside the return that its validator reads, by ``validate`` keyword."""
        ...


RETURNS: dict[str, StatutoryReturn] = {}


def register(statutory_return: StatutoryReturn) -> StatutoryReturn:
    """Make a return available to the command and the analyst's page."""
    RETURNS[statutory_return.slug] = statutory_return
    return statutory_return
