"""What the SSD holds beside the case record, imported and exported: the child's voice and the
education service's SEN and EHC plan records come back out exactly; a second import changes
nothing; a row an action refuses is reported at its file, row and column; the education
records show, read-only, on the child's summary."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone

from caseline.apps.accounts.models import User
from caseline.apps.education import actions as education
from caseline.apps.education.models import EhcpRequest, SendRecord
from caseline.apps.education.providers import education_summary
from caseline.apps.people.models import Person
from caseline.apps.recording.actions import record_child_voice
from caseline.apps.recording.models import ChildVoice
from caseline.apps.ssd.actions import export_extract
from caseline.apps.ssd.actions.held import HELD
from caseline.apps.ssd.actions.importing import import_extract
from caseline.apps.ssd.tests.test_import import build_family, inner, migrator, table

__all__ = ["migrator"]  # the fixture, used here

pytestmark = pytest.mark.django_db

D = datetime.date


def build_held(user: User) -> None:
    """Ada's answers; Ben's EHC plan (requested, assessed, issued, in force, two needs)."""
    ada = Person.objects.get(given_name="Ada")
    ben = Person.objects.get(given_name="Ben")
    inner(record_child_voice)(
        acting_user=user,
        child=ada,
        asked_on=D(2024, 2, 1),
        answers={"explained_worries": True, "agrees_with_worker": False, "plan_keeps_safe": True},
    )
    record = inner(education.add_send_record)(acting_user=user, child=ben, upn_unknown="UN2")
    request = inner(education.add_ehcp_request)(
        acting_user=user,
        send_record=record,
        requested_on=D(2023, 5, 2),
        outcome_on=D(2023, 6, 9),
        outcome="Assessment agreed",
    )
    assessment = inner(education.add_ehcp_assessment)(
        acting_user=user, request=request, outcome_on=D(2023, 9, 1), outcome="Plan issued"
    )
    inner(education.add_ehcp_named_plan)(
        acting_user=user, assessment=assessment, start_date=D(2023, 9, 1)
    )
    plan = inner(education.add_ehcp_active_plan)(
        acting_user=user, request=request, last_reviewed_on=D(2024, 9, 2)
    )
    inner(education.add_sen_need)(
        acting_user=user, active_plan=plan, need_type="SLCN", is_primary=True
    )
    inner(education.add_sen_need)(
        acting_user=user, active_plan=plan, need_type="SEMH", is_primary=False
    )


@pytest.fixture
def extract(migrator: User, tmp_path: Path) -> Path:
    out = tmp_path / "extract"
    with transaction.atomic():
        build_family(migrator)
        build_held(migrator)
        export_extract(acting_user=migrator, out=out)
        transaction.set_rollback(True)
    assert not Person.objects.exists()
    return out


def test_the_held_tables_come_back_out_exactly(
    extract: Path, migrator: User, tmp_path: Path
) -> None:
    assert len(table(extract, "ssd_sen_need")) == 2
    result = import_extract(acting_user=migrator, folder=extract, system="caseline")
    assert result.committed
    assert not result.problems
    for name in HELD:
        if name != "ssd_s251_finance":
            assert result.created[name] >= 1, name
    again = tmp_path / "again"
    export_extract(acting_user=migrator, out=again)
    for name in HELD:
        assert table(again, name) == table(extract, name), name
    ben = Person.objects.get(given_name="Ben")
    [block] = education_summary(ben, timezone.localdate())
    rows = dict(block.rows)
    assert rows["EHC plan"] == "In force, last reviewed 2 September 2024"
    assert rows["Needs named"] == "SLCN, SEMH"
    assert rows["Last EHC assessment request"] == "2 May 2023: Assessment agreed"
    assert education_summary(Person.objects.get(given_name="Ada"), timezone.localdate()) == []

    second = import_extract(acting_user=migrator, folder=extract, system="caseline")
    assert not second.created
    assert all(second.unchanged[name] >= 1 for name in HELD if name != "ssd_s251_finance")
    assert ChildVoice.objects.count() == 1
    assert SendRecord.objects.count() == 1


def test_a_held_row_an_action_refuses_is_reported_and_nothing_is_imported(
    extract: Path, migrator: User
) -> None:
    path = extract / "ssd_ehcp_requests.csv"
    path.write_text(path.read_text().replace("2023-06-09", "2023-04-01"))
    result = import_extract(acting_user=migrator, folder=extract, system="caseline")
    assert not result.committed
    [problem] = result.refused
    assert (problem.file, problem.row, problem.column) == (
        "ssd_ehcp_requests.csv",
        2,
        "ehcr_ehcp_req_outcome_date",
    )
    assert problem.problem == "The outcome cannot be before the request"
    assert not Person.objects.exists()
    assert not EhcpRequest.objects.exists()
