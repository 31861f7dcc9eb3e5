"""The SSD extract: every table in the spec's names and form, a manifest, audited, refused
without the permission, written whole or not at all."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.events import EventType
from caseline.apps.audit.models import AuditEvent
from caseline.apps.frontdoor.models import Referral
from caseline.apps.people.models import Person
from caseline.apps.ssd import export
from caseline.apps.ssd.actions import export_extract
from caseline.apps.ssd.spec import spec
from caseline.apps.ssd.tables import EMPTY, readers
from caseline.apps.synthetic.generator import Builder, Parameters

pytestmark = pytest.mark.django_db

TINY = Parameters(children=40, years=2, seed=18, as_at=datetime.date(2026, 11, 2))


@pytest.fixture
def analyst(make_user: Callable[..., User]) -> User:
    return make_user(Role.ANALYST, username="analyst")


@pytest.fixture
def authority() -> None:
    Builder(TINY).run()


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def test_every_table_has_a_reader_or_a_reason_to_be_empty() -> None:
    tables = set(spec().tables)
    assert set(readers()) | set(EMPTY) == tables
    assert not set(readers()) & set(EMPTY)


def test_the_extract_holds_every_table_with_the_specs_columns_and_a_true_manifest(
    authority: None, analyst: User, tmp_path: Path
) -> None:
    out = tmp_path / "extract"
    written = export_extract(acting_user=analyst, out=out)

    manifest = json.loads((out / export.MANIFEST).read_text())
    assert manifest["spec_version"] == "1.4.5"
    assert set(manifest["tables"]) == set(spec().tables)
    for name, table in spec().tables.items():
        path = out / table.file_name
        with path.open(encoding="utf-8", newline="") as stream:
            header = next(csv.reader(stream))
        assert tuple(header) == table.column_names
        entry = manifest["tables"][name]
        assert entry["rows"] == len(read(path)) == written.rows[name]
        assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert ("empty" in entry) == (name in EMPTY)
    people = read(out / "ssd_person.csv")
    assert len(people) == Person.objects.filter(merged_into__isnull=True).count()
    referrals = read(out / "ssd_cin_episodes.csv")
    assert len(referrals) == Referral.objects.count() > 0
    # Codes and forms as the spec has them: dates ISO, flags Y/N, JSON outcome objects.
    first = Referral.objects.order_by("pk").first()
    assert first is not None
    row = referrals[0]
    assert row["cine_referral_id"] == str(first.pk)
    assert row["cine_referral_date"] == first.referral_date.isoformat()
    assert row["cine_referral_source_code"] == first.source
    assert row["cine_referral_nfa"] == ("Y" if first.nfa else "N")
    assessments = read(out / "ssd_cin_assessments.csv")
    outcomes = [
        json.loads(a["cina_assessment_outcome_json"])
        for a in assessments
        if a["cina_assessment_outcome_json"]
    ]
    assert outcomes
    assert all(o["TOTAL_NO_OF_OUTCOMES"] == 1 for o in outcomes)
    assert read(out / "ssd_cla_episodes.csv"), "the tiny authority has children in care"
    assert manifest["tables"]["ssd_cla_care_plan"]["rows"] == 0
    # What the SSD holds beside the case record: every placement's cost, the child's voice,
    # the education service's EHC plans (the generator makes some of each).
    costs = read(out / "ssd_s251_finance.csv")
    placements = {row["clap_cla_placement_id"] for row in read(out / "ssd_cla_placement.csv")}
    assert {row["s251_cla_placement_id"] for row in costs} == placements
    assert all(float(row["s251_placeholder_1"]) > 0 for row in costs)
    voices = read(out / "ssd_voice_of_child.csv")
    assert voices
    assert {row["voch_explained_worries"] for row in voices} <= {"Y", "N"}
    for name in ("ssd_send", "ssd_ehcp_requests", "ssd_ehcp_active_plans", "ssd_sen_need"):
        assert manifest["tables"][name]["rows"] > 0, name
        assert "empty" not in manifest["tables"][name]


def test_the_export_is_audited_for_every_person(
    authority: None, analyst: User, tmp_path: Path
) -> None:
    export_extract(acting_user=analyst, out=tmp_path / "extract")
    events = AuditEvent.objects.filter(event_type=EventType.EXPORTED, acting_user=analyst)
    whole = events.get(subject_person_id__isnull=True)
    assert whole.extra["export"] == "ssd"
    people = Person.objects.filter(merged_into__isnull=True).count()
    assert events.filter(subject_person_id__isnull=False).count() == people


def test_the_export_is_refused_without_the_permission(
    make_user: Callable[..., User], tmp_path: Path
) -> None:
    worker = make_user(Role.SOCIAL_WORKER)
    with pytest.raises(PermissionDenied):
        export_extract(acting_user=worker, out=tmp_path / "extract")
    assert not (tmp_path / "extract").exists()


def test_a_failed_export_leaves_the_earlier_extract_untouched(
    authority: None, analyst: User, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "extract"
    export_extract(acting_user=analyst, out=out)
    before = (out / "ssd_person.csv").read_bytes()

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(export, "_sha256", broken)
    with pytest.raises(RuntimeError):
        export_extract(acting_user=analyst, out=out)
    assert (out / "ssd_person.csv").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["extract"]


def test_the_command_exits_2_on_a_bad_folder_or_user(analyst: User, tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "mine.txt").write_text("x")
    with pytest.raises(CommandError, match="not an SSD extract") as refused:
        call_command("ssd", "export", "--out", str(tmp_path / "notes"), "--user", "analyst")
    assert refused.value.returncode == 2
    with pytest.raises(CommandError, match="no active user") as refused:
        call_command("ssd", "export", "--out", str(tmp_path / "x"), "--user", "nobody")
    assert refused.value.returncode == 2


def test_the_command_writes_the_extract(authority: None, analyst: User, tmp_path: Path) -> None:
    stdout = io.StringIO()
    call_command(
        "ssd", "export", "--out", str(tmp_path / "x"), "--user", "analyst", "--quiet", stdout=stdout
    )
    assert "Wrote the SSD extract (v1.4.5)" in stdout.getvalue()
    assert (tmp_path / "x" / "manifest.json").exists()
