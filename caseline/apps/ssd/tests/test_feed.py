"""The DfE children's social care data feed: every child with a referral, each record meeting
the payload schema, built from the SSD rows; changes only since a moment; audited; refused
without the permission."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from jsonschema import Draft202012Validator, FormatChecker

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.events import EventType
from caseline.apps.audit.models import AuditEvent
from caseline.apps.people.actions import merge_people, update_person_identity
from caseline.apps.people.models import Person
from caseline.apps.ssd.actions.feeding import FEED_NAME, write_feed_records
from caseline.apps.ssd.feed import BATCH, problems
from caseline.apps.ssd.tables import person_id, readers
from caseline.apps.synthetic.generator import Builder, Parameters

pytestmark = pytest.mark.django_db

TINY = Parameters(children=40, years=2, seed=18, as_at=datetime.date(2026, 11, 2))


def schema_validator() -> Draft202012Validator:
    """The shipped schema, read straight from the data file (not through the feed's code)."""
    path = resources.files("caseline.apps.ssd").joinpath("data/csc_feed_v0.8.schema.json")
    schema = json.loads(path.read_text("utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def records(folder: Path) -> list[dict[str, Any]]:
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    found: list[dict[str, Any]] = []
    for entry in manifest["files"]:
        batch = json.loads((folder / entry["file"]).read_text("utf-8"))
        assert len(batch) == entry["children"] <= BATCH
        found.extend(batch)
    return found


@pytest.fixture
def analyst(make_user: Callable[..., User]) -> User:
    return make_user(Role.ANALYST, username="analyst")


def test_every_child_with_a_referral_is_fed_and_meets_the_schema(
    analyst: User, tmp_path: Path
) -> None:
    Builder(TINY).run()
    call_command("ssd", "feed", "--out", str(tmp_path / "feed"), "--user", "analyst", "--quiet")
    fed = records(tmp_path / "feed")
    check = schema_validator()
    for child in fed:
        assert not list(check.iter_errors(child)), child["la_child_id"]
    referred = {row["cine_person_id"] for row in readers()["ssd_cin_episodes"]()}
    assert {child["la_child_id"] for child in fed} == referred
    # The records are the SSD rows: every referral and assessment of the extract is there.
    episodes = {e["social_care_episode_id"] for c in fed for e in c["social_care_episodes"]}
    assert episodes == {row["cine_referral_id"] for row in readers()["ssd_cin_episodes"]()}
    assessments = {
        a["child_and_family_assessment_id"]
        for c in fed
        for e in c["social_care_episodes"]
        for a in e["child_and_family_assessments"]
    }
    assert assessments == {r["cina_assessment_id"] for r in readers()["ssd_cin_assessments"]()}
    placements = [
        p
        for c in fed
        for e in c["social_care_episodes"]
        for p in e["child_looked_after_placements"]
    ]
    assert len(placements) == sum(1 for _ in readers()["ssd_cla_placement"]())
    assert any(c["child_details"]["disabilities"] != ["NONE"] for c in fed)
    manifest = json.loads((tmp_path / "feed" / "manifest.json").read_text("utf-8"))
    assert manifest["spec_version"] == "0.8"
    assert manifest["kind"] == "full"
    assert manifest["children"] == len(fed)
    exported = AuditEvent.objects.filter(
        event_type=EventType.EXPORTED, extra__export=FEED_NAME, subject_person_id__isnull=True
    ).get()
    assert exported.extra["children"] == len(fed)
    assert AuditEvent.objects.filter(
        event_type=EventType.EXPORTED, extra__export=FEED_NAME, subject_person_id__isnull=False
    ).count() == len(fed)


def test_changes_only_holds_the_children_changed_since_and_purges_the_merged(
    analyst: User, make_user: Callable[..., User], tmp_path: Path
) -> None:
    Builder(TINY).run()
    editor = make_user(Role.ADMINISTRATOR, Role.TEAM_MANAGER, Role.SOCIAL_WORKER)
    referred = Person.objects.filter(referrals__isnull=False).distinct().order_by("pk")
    changed, duplicate, kept = referred[0], referred[1], referred[2]
    since = timezone.now()
    update_person_identity(
        acting_user=editor,
        person=changed,
        read_version=changed.version,
        given_name="Renamed",
    )
    merge_people(acting_user=editor, kept=kept, merged=duplicate, reason="The same child")

    fed = write_feed_records(acting_user=analyst, out=tmp_path / "changes", since=since)
    sent = {child["la_child_id"]: child for child in records(tmp_path / "changes")}
    assert sent[person_id(changed.pk)]["child_details"]["first_name"] == "Renamed"
    assert sent[person_id(duplicate.pk)] == {
        "la_child_id": person_id(duplicate.pk),
        "mis_child_id": person_id(duplicate.pk),
        "purge": True,
    }
    assert person_id(kept.pk) in sent  # the kept record gained the duplicate's history
    assert len(sent) == 3
    assert fed.manifest["kind"] == "changes"
    assert fed.purged == 1
    check = schema_validator()
    assert all(not list(check.iter_errors(child)) for child in sent.values())

    later = write_feed_records(acting_user=analyst, out=tmp_path / "none", since=timezone.now())
    assert later.children == 0
    assert records(tmp_path / "none") == []


def test_the_schema_names_what_is_wrong_and_where() -> None:
    found = problems(
        {
            "la_child_id": "1",
            "mis_child_id": "1",
            "purge": False,
            "child_details": {"sex": "X", "disabilities": [], "uasc_flag": False},
            "social_care_episodes": [{"social_care_episode_id": "9", "referral_date": "3/4/25"}],
            "unknown": 1,
        }
    )
    text = "\n".join(found)
    assert "child_details/sex" in text
    assert "child_details/disabilities" in text
    assert "social_care_episodes/0/referral_date" in text
    assert "(the record): Additional properties are not allowed ('unknown'" in text


def test_refused_without_the_permission_and_on_a_bad_since(
    make_user: Callable[..., User], tmp_path: Path
) -> None:
    worker = make_user(Role.SOCIAL_WORKER, username="worker")
    with pytest.raises(PermissionDenied):
        write_feed_records(acting_user=worker, out=tmp_path / "x")
    make_user(Role.ANALYST, username="analyst")
    with pytest.raises(CommandError, match="--since 3/4/25: not a date") as refused:
        call_command(
            "ssd", "feed", "--out", str(tmp_path / "x"), "--user", "analyst", "--since", "3/4/25"
        )
    assert refused.value.returncode == 2
    assert not (tmp_path / "x").exists()
