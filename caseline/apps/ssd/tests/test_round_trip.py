"""Export a generated authority, import the extract into an empty database, export again."""

from __future__ import annotations

import csv
import datetime
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import transaction

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.assessments.models import Assessment
from caseline.apps.lookedafter.models import Episode
from caseline.apps.people.models import Person
from caseline.apps.ssd.actions import export_extract
from caseline.apps.ssd.actions.importing import _Rows, import_extract
from caseline.apps.ssd.actions.stage import Stage
from caseline.apps.ssd.validate import IMPORTED
from caseline.apps.synthetic.generator import Builder, Parameters

pytestmark = pytest.mark.django_db

SMALL = Parameters(children=40, years=2, seed=6, as_at=datetime.date(2026, 11, 2))
# Tables the small authority may hold no rows of.
# (The looked-after ones come back exactly in test_import_lookedafter.py.)
RARE = {
    "ssd_linked_identifiers",
    "ssd_missing",
    "ssd_care_leavers",
    "ssd_cla_convictions",
    "ssd_sdq_scores",
}


@pytest.fixture
def migrator(make_user: Callable[..., User]) -> User:
    """The data migration account: SSD import, and the roles whose actions an import uses."""
    return make_user(
        Role.ADMINISTRATOR,
        Role.TEAM_MANAGER,
        Role.FRONT_DOOR,
        Role.ANALYST,
        username="migrator",
    )


def rows(folder: Path, table: str) -> list[str]:
    """The table's rows as sortable text."""
    with (folder / f"{table}.csv").open(encoding="utf-8", newline="") as stream:
        return sorted(repr(sorted(row.items())) for row in csv.DictReader(stream))


def test_a_generated_authority_comes_back_out_as_it_went_in(migrator: User, tmp_path: Path) -> None:
    """Every child is imported, and every row of every table the import covers comes back
    identical (completed assessments among them, through the imported-assessment path)."""
    first, second = tmp_path / "first", tmp_path / "second"
    with transaction.atomic():
        Builder(SMALL).run()
        export_extract(acting_user=migrator, out=first)
        transaction.set_rollback(True)
    assert not Person.objects.exists()

    result = import_extract(acting_user=migrator, folder=first, system="caseline")
    assert result.committed
    assert result.people_imported > 0
    assert not result.problems
    assert result.people_set_aside == 0
    completed = Assessment.objects.filter(status=Assessment.Status.AUTHORISED)
    assert completed.exists()
    assert {a.analysis for a in completed} == {"Not in the SSD extract imported from caseline."}
    # The looked-after children's episodes came through the looked-after actions.
    assert Episode.objects.filter(reason_new_episode="S").exists()
    assert Episode.objects.exclude(reason_new_episode="S").exists()
    export_extract(acting_user=migrator, out=second)

    for table in IMPORTED:
        before, after = rows(first, table), rows(second, table)
        assert after == before, table
        assert after or table in RARE, f"{table} is empty: the comparison shows nothing"
    assert len(rows(second, "ssd_person")) == result.people_imported

    again = import_extract(acting_user=migrator, folder=first, system="caseline")
    assert not again.created
    # Group ids (a household, a period of care) are remembered beside their rows, not seen.
    assert sum(again.unchanged.values()) == sum(result.created.values()) - sum(
        n for t, n in result.created.items() if "." in t
    )
    assert result.created["ssd_cla_episodes.clae_cla_id"] > 0


def test_the_import_holds_one_familys_rows_at_a_time(
    migrator: User, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The extract's rows wait on disk (a stage deleted afterwards); while a family is imported
    the importer holds its rows and no one else's (issue 18: memory bounded by a family, not
    by the extract)."""
    folder = tmp_path / "extract"
    with transaction.atomic():
        Builder(Parameters(children=12, years=1, seed=6, as_at=SMALL.as_at)).run()
        export_extract(acting_user=migrator, out=folder)
        transaction.set_rollback(True)
    held: list[tuple[set[str], set[str], int]] = []  # members, people held, factors held
    stages: list[Stage] = []
    load = _Rows.load

    def watched(rows: _Rows, members: list[str]) -> None:
        load(rows, members)
        stages.append(rows.stage)
        owners = {*rows.people, *rows.by_person, *rows.mothers_of, *rows.family_of}
        held.append((set(members), owners, len(rows.factors)))

    monkeypatch.setattr(_Rows, "load", watched)
    result = import_extract(acting_user=migrator, folder=folder, system="caseline")

    assert result.committed
    assert not result.problems
    assert len(held) > 1  # families, each loaded in turn
    for members, owners, _ in held:
        assert owners <= members
    assert max(len(owners) for _, owners, _ in held) < result.people_imported / 2
    assert sum(factors for *_, factors in held) > 0  # an assessment's factors, with its child
    assert not stages[0].path.parent.exists()  # the stage is deleted
