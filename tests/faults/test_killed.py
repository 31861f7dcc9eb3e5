"""SIGKILL part way through writing: the web server while case notes are being sent, the
worker producing a return, a return produced from the command line, an SSD import and a
generation. Afterwards nothing is half-written, and every save the user was told of is there.
"""

from __future__ import annotations

import datetime
import threading
import time
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.models import AuditEvent
from caseline.apps.core.models import FormSubmission
from caseline.apps.people.models import Person
from caseline.apps.recording.models import CaseNote
from caseline.apps.returns import actions as returns_actions
from caseline.apps.returns.models import ReturnRun
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
