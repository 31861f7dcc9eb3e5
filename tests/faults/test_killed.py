"""SIGKILL part way through writing: the web server while case notes are being sent, the
worker producing a return, a return produced from the command line, an SSD import and a
generation. Afterwards nothing is half-written, and every save the user was told of is there.
"""

from __future__ import annotations

import datetime
import threading
import time
from pathlib import Path
from subprocess import Popen

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from lxml import etree
from pytest_django.fixtures import Settings

from caseline.apps.accounts.models import Team
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.models import AuditEvent
from caseline.apps.core.models import FormSubmission
from caseline.apps.people.models import Person
from caseline.apps.recording.models import CaseNote
from caseline.apps.returns import actions as returns_actions
from caseline.apps.returns.models import ReturnRun
from caseline.apps.ssd.actions import export_extract
from caseline.apps.ssd.events import SsdEvent
from caseline.apps.synthetic.events import SyntheticEvent
from caseline.apps.synthetic.generator import Builder, Parameters
from tests.factories import ChildFactory, TeamFactory, UserFactory
from tests.faults.conftest import Processes, ServerGone, Session, SharedDatabase, signed_in

SENDERS = 3


def _note(title: str, hidden: dict[str, str]) -> dict[str, str]:
    day = timezone.localdate() - datetime.timedelta(days=1)
    return {
        **hidden,
        "note_type": "visit",
        "occurred_on_day": str(day.day),
        "occurred_on_month": str(day.month),
        "occurred_on_year": str(day.year),
        "title": title,
        "body": f"{title}: seen alone, room checked.",
    }


def test_notes_being_sent_when_the_server_is_killed_are_whole_or_absent(
    shared_database: SharedDatabase, processes: Processes
) -> None:
    team = TeamFactory.create(service=Team.Service.ASSESSMENT)
    worker = UserFactory.create(username="worker", roles=[Role.SOCIAL_WORKER], team=team)
    child = ChildFactory.create(
        team=team, worker=worker, allocated_on=timezone.localdate() - datetime.timedelta(days=50)
    )
    cookie = signed_in(worker)
    shared_database.publish()
    server = processes.serve()
    url = f"/recording/record/{child.pk}/notes/new/"
    confirmed: list[str] = []
    sent: list[str] = []

    def send(sender: int) -> None:
        session = Session(server.port, {"sessionid": cookie})
        for n in range(1000):
            title = f"Fault note {sender}-{n}"
            try:
                hidden = session.form(url)
                sent.append(title)
                status, location, _ = session.request("POST", url, _note(title, hidden))
            except ServerGone:
                return
            assert status == 302, (title, status)
            assert location.startswith(f"/recording/record/{child.pk}/")
            confirmed.append(title)

    senders = [threading.Thread(target=send, args=(i,)) for i in range(SENDERS)]
    for thread in senders:
        thread.start()
    while len(confirmed) < 10:
        time.sleep(0.02)
    processes.kill(server.process)  # mid-stream: one worker, always busy with a form
    for thread in senders:
        thread.join(timeout=30)
    shared_database.take_back()

    notes = CaseNote.objects.filter(person=child)
    titles = set(notes.values_list("title", flat=True))
    assert set(confirmed) <= titles, "a note the user was told was saved is missing"
    assert titles <= set(sent)
    # Whole: every note has its audit event, written in the same transaction, and no event
    # names a note that is not there.
    note_type = ContentType.objects.get_for_model(CaseNote)
    audited = set(
        AuditEvent.objects.filter(target_type=note_type).values_list("target_id", flat=True)
    )
    assert audited == {str(pk) for pk in notes.values_list("pk", flat=True)}
    # Every form whose token was completed is a saved note; a killed sending left at most
    # one claim per sender without a result (a retry of it is taken over once stale).
    unfinished = FormSubmission.objects.filter(user_id=worker.pk, result_url="").count()
    assert unfinished <= SENDERS
    assert len(titles) - len(confirmed) <= SENDERS


def _wait_for_line(process: Popen[str], wanted: str, timeout: float = 60) -> list[str]:
    """Read the process's output until a line holds ``wanted``; the lines read."""
    assert process.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            raise AssertionError(f"ended before {wanted!r}:\n{''.join(lines)}")
        lines.append(line)
        if wanted in line:
            return lines
    raise AssertionError(f"no {wanted!r} within {timeout} s:\n{''.join(lines)}")


AUTHORITY = Parameters(children=100, years=2, seed=20, as_at=datetime.date(2026, 11, 2))


def test_a_generation_killed_part_way_leaves_the_database_empty_and_can_be_run_again(
    shared_database: SharedDatabase, processes: Processes
) -> None:
    shared_database.publish()
    args = ("generate", "--children", "100", "--years", "2", "--as-at", "2026-11-02")
    generation = processes.caseline(*args)
    _wait_for_line(generation, "children 100/100: ")  # written, not yet committed
    processes.kill(generation)
    shared_database.take_back()
    assert not Person.objects.exists()
    assert not AuditEvent.objects.filter(event_type=SyntheticEvent.AUTHORITY_GENERATED).exists()

    shared_database.publish()
    again = processes.run_caseline(*args, "--quiet")
    assert again.returncode == 0, again.stdout + again.stderr
    shared_database.take_back()
    assert Person.objects.exists()
    assert AuditEvent.objects.filter(event_type=SyntheticEvent.AUTHORITY_GENERATED).count() == 1


def test_an_ssd_import_killed_part_way_imports_nothing(
    shared_database: SharedDatabase, processes: Processes, tmp_path: Path
) -> None:
    migrator = UserFactory.create(
        username="migrator",
        roles=[Role.ADMINISTRATOR, Role.TEAM_MANAGER, Role.FRONT_DOOR, Role.ANALYST],
    )
    extract = tmp_path / "extract"
    with transaction.atomic():
        Builder(AUTHORITY).run()
        export_extract(acting_user=migrator, out=extract)
        transaction.set_rollback(True)
    shared_database.publish()
    load = processes.caseline(
        "ssd", "import", str(extract), "--user", "migrator", "--partial", "--system", "x"
    )
    _wait_for_line(load, "Importing ")
    time.sleep(0.2)  # well into the families
    assert load.poll() is None, "the import finished before it could be killed"
    processes.kill(load)
    shared_database.take_back()
    assert not Person.objects.exists()
    assert not AuditEvent.objects.filter(event_type=SsdEvent.IMPORTED).exists()


def test_a_return_killed_while_written_leaves_no_file_and_the_next_run_tidies_up(
    shared_database: SharedDatabase, processes: Processes, tmp_path: Path
) -> None:
    Builder(AUTHORITY).run()
    shared_database.publish()
    out = tmp_path / "census" / "cin_census_2026.xml"
    out.parent.mkdir()
    args = ("returns", "cin-census", "--year", "2026", "--out", str(out))
    producing = processes.caseline(*args)
    deadline = time.monotonic() + 60
    while not list(out.parent.glob(".*.partial")):  # the census being written
        assert producing.poll() is None, "finished before it could be killed"
        assert time.monotonic() < deadline, "never began writing"
        time.sleep(0.005)
    processes.kill(producing)
    assert not out.exists()  # nothing half-written where the analyst looks
    again = processes.run_caseline(*args, "--quiet")
    assert again.returncode == 0, again.stdout + again.stderr
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # the leftover is gone
    etree.parse(str(out))  # whole


@pytest.mark.usefixtures("validators")
def test_a_run_whose_worker_is_killed_is_shown_failed_with_no_files(
    shared_database: SharedDatabase, processes: Processes, settings: Settings, client: Client
) -> None:
    settings.CASELINE_RETURNS_DIR = processes.tmp_path / "returns"
    analyst = UserFactory.create(username="analyst", roles=[Role.ANALYST])
    child = ChildFactory.create(
        date_of_birth=datetime.date(2015, 5, 1), referral_date=datetime.date(2025, 6, 2)
    )
    run = returns_actions.request_return_run(
        acting_user=analyst, return_slug="cin-census", year=2026
    )
    shared_database.publish()
    worker = processes.caseline(
        "db_worker", "--batch", "--no-startup-delay", CASELINE_RUN_HEARTBEAT_SECONDS="1"
    )
    folder = settings.CASELINE_RETURNS_DIR / str(run.pk)
    deadline = time.monotonic() + 60
    while not list(folder.glob("cin_census_*.xml")):  # produced; the validator checking it
        assert worker.poll() is None, "finished before it could be killed"
        assert time.monotonic() < deadline, "never produced the census"
        time.sleep(0.01)
    processes.kill(worker)
    shared_database.take_back()
    run.refresh_from_db()
    assert run.in_progress  # as the dead worker left it
    assert child.pk  # (the census held the child)

    settings.CASELINE_RUN_HEARTBEAT_SECONDS = 1
    time.sleep(3.1)  # three heartbeats missed
    client.force_login(analyst)
    page = client.get(reverse("returns:run", args=[run.pk])).content.decode()
    run.refresh_from_db()
    assert run.status == ReturnRun.Status.FAILED
    assert "The worker producing this return stopped before it finished" in page
    assert not folder.exists()
    assert client.get(reverse("returns:home")).status_code == 200  # ask again from here
