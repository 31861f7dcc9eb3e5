"""The app's copy of the SSD spec agrees with the published column list (where it is present)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from caseline.apps.codes.lists import CodeListName
from caseline.apps.ssd import build_spec
from caseline.apps.ssd.spec import spec

REFERENCE = Path("/work/shared/reference/ssd")


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="the published SSD reference is not here")
def test_the_data_file_matches_the_published_columns() -> None:
    with (REFERENCE / f"ssd_columns_v{build_spec.VERSION}.csv").open(
        encoding="utf-8-sig", newline=""
    ) as stream:
        published = [r for r in csv.DictReader(stream) if r["table"] not in build_spec.LEFT_OUT]
    ours = [(t.name, c.name, c.sql_type) for t in spec().tables.values() for c in t.columns]
    assert ours == [(r["table"], r["column"], r["sql_type"].upper()) for r in published]
    data = Path(build_spec.__file__).parent / "data" / "ssd_spec.json"
    assert build_spec.build(REFERENCE) == json.loads(data.read_text("utf-8"))


def test_keys_and_code_lists() -> None:
    tables = spec().tables
    assert spec().version == "1.4.5"
    assert tables["ssd_person"].key is not None
    assert tables["ssd_person"].key.name == "pers_person_id"
    assert (
        tables["ssd_cin_assessments"].columns[2].references == "ssd_cin_episodes.cine_referral_id"
    )
    names = {c.code_list for t in tables.values() for c in t.columns if c.code_list}
    assert names <= {str(n) for n in CodeListName}
    kinds = {c.kind for t in tables.values() for c in t.columns}
    assert kinds <= {"text", "flag", "datetime", "date", "int", "float", "bit"}
