"""The database lost in the middle of a form post (PostgreSQL: the app's connection ended by
``pg_terminate_backend`` while its insert waits on a lock): the person gets the 503 page with
what they typed, nothing is written, and sending the form again saves it once."""

from __future__ import annotations

import datetime
import threading
import time

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from caseline.apps.accounts.models import Team
from caseline.apps.accounts.permissions import Role
from caseline.apps.recording.models import CaseNote
from tests.factories import ChildFactory, TeamFactory, UserFactory
from tests.faults.conftest import Processes, Session, SharedDatabase, signed_in

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="ends a PostgreSQL backend"
)


def test_a_form_post_whose_connection_is_ended_gets_the_503_page_and_saves_once_on_retry(
    shared_database: SharedDatabase, processes: Processes
) -> None:
    team = TeamFactory.create(service=Team.Service.ASSESSMENT)
    worker = UserFactory.create(username="worker", roles=[Role.SOCIAL_WORKER], team=team)
    child = ChildFactory.create(
        team=team, worker=worker, allocated_on=timezone.localdate() - datetime.timedelta(days=50)
    )
    cookie = signed_in(worker)
    server = processes.serve()
    session = Session(server.port, {"sessionid": cookie})
    url = f"/recording/record/{child.pk}/notes/new/"
    day = timezone.localdate() - datetime.timedelta(days=1)
    note = {
        **session.form(url),
        "note_type": "visit",
        "occurred_on_day": str(day.day),
        "occurred_on_month": str(day.month),
        "occurred_on_year": str(day.year),
        "title": "Visit while the database went away",
        "body": "Seen alone in her room.\nShe said school is better.",
    }

    with psycopg.connect(shared_database.url, autocommit=False) as locker:
        locker.execute(f"LOCK TABLE {CaseNote._meta.db_table} IN ACCESS EXCLUSIVE MODE")
        result: list[tuple[int, str, str]] = []
        sender = threading.Thread(target=lambda: result.append(session.request("POST", url, note)))
        sender.start()
        waiting: list[tuple[int]] = []
        for _ in range(200):  # the app's connection, waiting on the lock
            waiting = locker.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            ).fetchall()
            if waiting:
                break
            time.sleep(0.05)
        assert len(waiting) == 1, waiting
        locker.execute("SELECT pg_terminate_backend(%s)", waiting[0])
        locker.rollback()
        sender.join(timeout=30)

    status, _, page = result[0]
    assert status == 503
    assert '<h1 class="govuk-heading-l">Sorry, there is a problem with the service</h1>' in page
    assert "Nothing was saved from the page you sent" in page
    assert "Visit while the database went away" in page  # what they typed, shown back
    assert "Seen alone in her room.<br>She said school is better." in page
    assert "Traceback" not in page
    assert not CaseNote.objects.exists()

    status, location, _ = session.request("POST", url, note)  # sent again, same token
    assert status == 302, status
    again_status, again_location, _ = session.request("POST", url, note)  # and once more
    assert (again_status, again_location) == (302, location)
    assert CaseNote.objects.filter(person=child).count() == 1
