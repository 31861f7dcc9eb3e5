"""The children in need census as a :class:`~caseline.apps.returns.registry.StatutoryReturn`."""

from __future__ import annotations

import importlib.metadata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from caseline.apps.returns.cin_census import items
from caseline.apps.returns.cin_census.reading import census_person_ids, read_children
from caseline.apps.returns.cin_census.writing import Source, write_census
from caseline.apps.returns.files import atomic_binary_output
from caseline.apps.returns.registry import Produced, Progress
from caseline.apps.returns.years import CollectionYear

# The schemas the census is written to, by census year (spec/README.md says where each is from).
SPEC = Path(__file__).resolve().parent / "spec"
SCHEMAS = {year: SPEC / f"CIN_schema_{year}.xsd" for year in (2026, 2027)}

# How often, in children, progress is reported.
PROGRESS_EVERY = 1000


class CINCensus:
    """The DfE's children in need census: one XML file for a collection year."""

    slug: str = "cin-census"
    title: str = "Children in need census"
    writes_folder: bool = False
    suffix: str = ".xml"
    validated_with_previous_year: bool = False
    years: Sequence[int] = tuple(SCHEMAS)
    as_at: bool = False

    def validator_lists(self, out: Path) -> dict[str, Path]:
        """The census is checked on its own: no lists beside it."""
        return {}

    def produce(
        self, year: CollectionYear, out: Path, *, progress: Progress | None = None
    ) -> Produced:
        person_ids = census_person_ids(year)
        counts: Counter[str] = Counter()
        children = _counted(read_children(year, person_ids), counts, len(person_ids), progress)
        with atomic_binary_output(out) as stream:
            write_census(stream, year, _source(), children)
        return Produced(files=[out], person_ids=person_ids, rows=dict(counts))


def _source() -> Source:
    return Source(
        la_number=settings.CASELINE_LA_NUMBER,
        software="Caseline",
        release=importlib.metadata.version("caseline"),
        made_at=timezone.localtime(),
    )


def _counted(
    children: Iterable[items.Child],
    counts: Counter[str],
    total: int,
    progress: Progress | None,
) -> Iterator[items.Child]:
    """``children`` as they are written, counting each block for the command's summary."""
    for done, child in enumerate(children, start=1):
        counts["children"] += 1
        for episode in child.episodes:
            counts["episodes"] += 1
            counts["assessments"] += len(episode.assessments)
            counts["CIN plans"] += len(episode.plans)
            counts["section 47 enquiries"] += len(episode.section47s)
            counts["child protection plans"] += len(episode.protection_plans)
            if episode.pre_proceedings:
                counts["periods of pre-proceedings"] += len(episode.pre_proceedings)
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
            progress(f"  {done:,} of {total:,} children written")
        yield child
