"""Producing the SSDA903: every table written into one folder, a batch of children at a time.

Each table is written beside its destination and renamed into place when the whole return has
been written (``files.atomic_output``): a failed run leaves no table behind, old or new.
"""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Sequence
from pathlib import Path

from caseline.apps.returns import cohorts
from caseline.apps.returns.files import atomic_output
from caseline.apps.returns.registry import Produced, Progress
from caseline.apps.returns.ssda903 import lookups, rows
from caseline.apps.returns.ssda903.lookups import write_provider_lookups
from caseline.apps.returns.ssda903.records import (
    ChildRecords,
    batches,
    children_in_return,
    load_batch,
)
from caseline.apps.returns.ssda903.tables import (
    AD1,
    DOLO,
    EPISODES,
    HEADER,
    MISSING,
    OC2,
    OC3,
    PLACED_ADOPTION,
    PREV_PERM,
    REVIEWS,
    SW_EPISODES,
    UASC,
    Row,
    Table,
    tables_for,
)
from caseline.apps.returns.years import CollectionYear


def child_tables(child: ChildRecords, year: CollectionYear) -> dict[Table, list[Row]]:
    """The rows of every table for one child (none if the return does not hold them)."""
    in_year = cohorts.episodes_in_year(child.episodes, year)
    looked_after = bool(in_year)
    leaver = cohorts.care_leaver_birthday(child.person, child.episodes, year)
    if not looked_after and leaver is None:
        return {}
    # Looked after in the year other than on short breaks (V3/V4): the Header's motherhood
    # items are for these children only (903 rules 165, 399).
    fully = any(not e.is_short_break for e in in_year)
    tables: dict[Table, list[Row]] = {HEADER: [rows.header_row(child, fully)]}
    if leaver is not None:
        tables[OC3] = [rows.oc3_row(child, leaver)]
    if looked_after:
        # A care leaver in the OC3 has no UASC row (903 rule 1014).
        tables[EPISODES] = rows.episode_rows(child, year)
        tables[REVIEWS] = rows.review_rows(child)
        tables[UASC] = [] if leaver is not None else rows.uasc_rows(child, year)
        tables[OC2] = rows.oc2_rows(child, year)
        tables[AD1] = rows.ad1_rows(child, year)
        tables[PLACED_ADOPTION] = rows.placed_adoption_rows(child, year)
        tables[PREV_PERM] = rows.previous_permanence_rows(child, year)
        tables[MISSING] = rows.missing_rows(child, year)
        tables[SW_EPISODES] = rows.social_worker_rows(child, year)
        tables[DOLO] = rows.dolo_rows(child, year)
    return tables


def write_return(year: CollectionYear, out: Path, progress: Progress | None = None) -> Produced:
    """Write the SSDA903 for ``year`` into the folder ``out`` (which exists)."""
    tables = tables_for(year)
    ids = children_in_return(year)
    counts = {table.name: 0 for table in tables}
    person_ids: list[int] = []
    with contextlib.ExitStack() as files:
        writers = {}
        writers_streams = []
        for table in tables:
            stream = files.enter_context(atomic_output(out / table.file_name, newline=""))
            writers_streams.append(stream)
            writers[table] = csv.writer(stream, lineterminator="\n")
            writers[table].writerow(table.columns)
        done = 0
        for batch in batches(ids):
            done += len(batch)
            for child in load_batch(batch, year):
                child_rows = child_tables(child, year)
                if not child_rows:
                    continue
                person_ids.append(child.person.pk)
                for table, table_rows in child_rows.items():
                    if table in writers:
                        writers[table].writerows(table_rows)
                        counts[table.name] += len(table_rows)
            if progress is not None:
                progress(f"Read {done} of {len(ids)} children: {len(person_ids)} in the return.")
        # Every table reaches the disk before any is renamed into place: a full disk met while
        # the last is flushed would otherwise leave the tables renamed before it.
        for stream in writers_streams:
            stream.flush()
    lookups = write_provider_lookups(year, out)
    return Produced(
        files=[*(out / table.file_name for table in tables), *lookups],
        person_ids=person_ids,
        rows=counts,
    )


class SSDA903:
    """The SSDA903 return (children looked after), as the DfE's CSV tables."""

    slug = "ssda903"
    title = "SSDA903 (children looked after)"
    writes_folder = True
    suffix = ""
    validated_with_previous_year = True
    # The collection years whose tables and validation rules Caseline follows (Data to
    # Insight validator rulesets lac2023_24 to lac2026_27).
    years: Sequence[int] = (2024, 2025, 2026, 2027)
    as_at = False

    def produce(
        self, year: CollectionYear, out: Path, *, progress: Progress | None = None
    ) -> Produced:
        return write_return(year, out, progress)

    def validator_lists(self, out: Path) -> dict[str, Path]:
        """Ofsted's provider lists, as written beside the tables, for the URN rules."""
        folder = out / lookups.FOLDER
        return {
            "children_homes": folder / lookups.CHILDRENS_HOMES_FILE,
            "social_care_providers": folder / lookups.SOCIAL_CARE_PROVIDERS_FILE,
        }
