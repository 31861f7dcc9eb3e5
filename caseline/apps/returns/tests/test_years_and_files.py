"""Collection years, and writing a return so that nothing half-written is ever left."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest

from caseline.apps.returns.files import (
    atomic_binary_output,
    atomic_output,
    check_writable_file,
    check_writable_folder,
)
from caseline.apps.returns.years import CollectionYear, ReturnInputError, parse_collection_year


def test_a_collection_year_is_named_by_the_year_it_ends() -> None:
    year = CollectionYear(2026)
    assert (year.start, year.end) == (datetime.date(2025, 4, 1), datetime.date(2026, 3, 31))
    assert year.code_list_year == 2025
    assert year.label == "2025 to 2026"
    assert datetime.date(2025, 4, 1) in year
    assert datetime.date(2026, 4, 1) not in year
    assert datetime.date(2025, 3, 31) not in year


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("twenty", "must be a collection year like 2026"),
        ("2019", "for 2025, 2026 only"),
    ],
)
def test_a_year_that_cannot_be_produced_is_refused_with_the_years_that_can(
    raw: str, message: str
) -> None:
    with pytest.raises(ReturnInputError, match=message):
        parse_collection_year(raw, supported=[2026, 2025], what="CIN census")


def test_a_whole_file_appears_or_none(tmp_path: Path) -> None:
    target = tmp_path / "census.xml"

    def interrupted_write() -> None:
        with atomic_output(target) as stream:
            stream.write("<partial")
            raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        interrupted_write()
    assert list(tmp_path.iterdir()) == []
    with atomic_binary_output(target) as stream:
        stream.write(b"<whole/>")
    assert target.read_bytes() == b"<whole/>"
    assert [path.name for path in tmp_path.iterdir()] == ["census.xml"]


def test_paths_that_cannot_be_written_are_refused_before_anything_is_written(
    tmp_path: Path,
) -> None:
    with pytest.raises(ReturnInputError, match="is a folder"):
        check_writable_file(tmp_path)
    with pytest.raises(ReturnInputError, match="does not exist"):
        check_writable_file(tmp_path / "missing" / "census.xml")
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(ReturnInputError, match="is a file"):
        check_writable_folder(tmp_path / "a-file")
    check_writable_folder(tmp_path / "new")
    assert (tmp_path / "new").is_dir()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders")
def test_a_read_only_folder_is_refused(tmp_path: Path) -> None:
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(ReturnInputError, match="cannot be written to"):
            check_writable_file(tmp_path / "census.xml")
    finally:
        tmp_path.chmod(0o700)


def test_a_child_reference_leads_back_to_the_record() -> None:
    from caseline.apps.returns.identifiers import child_id, person_id_from_child_id

    assert person_id_from_child_id(child_id(4021)) == 4021
    assert person_id_from_child_id(" 77 ") == 77
    assert person_id_from_child_id("RND000215061") is None
