"""Simulated practitioners for the load test (``bench_load.py`` runs this with locust).

    .venv/bin/python benchmarks/bench_load.py --users 200 --minutes 10

Five kinds of user, in the proportions of an authority's staff, each signed in as an account
of the synthetic authority with that role and following the paths people with that role
follow, pausing between pages as people reading them do:

* front door worker: the contacts waiting, a contact, the child's record and front door
  history; or a search for a child (a misspelt name), the record and a contact recorded;
* social worker: My work, a child from their caseload, a section or two of the record (the
  chronology, notes, assessments, children in need, front door), and now and then a case
  note written;
* team manager: the team page, one worker's caseload, a child's record and chronology, and
  now and then the team's week;
* independent reviewing officer or conference chair: the chair's page, a child's record, the
  looked-after or child protection section, a conference, the chronology;
* performance analyst: an indicator's children, a search, now and then every indicator or
  the director's page.

``bench_load.py`` chooses the accounts and the children each may see, and writes them to the
JSON file in ``CASELINE_LOAD_ACCOUNTS``. Every request's round trip, the server time the
benchmark server sends back (``X-Bench-Server-Ms``, ``bench_wsgi.py``) and its failure are
kept from the moment every user has started (sign-ins from the start) until locust begins
stopping them (users stopped mid-journey have requests cut off), and written to the JSON
file in ``CASELINE_LOAD_RESULTS`` when locust stops. ``CASELINE_LOAD_PAUSE`` is the shortest
and longest pause in seconds (default ``5,15``).
"""

from __future__ import annotations

import datetime
import itertools
import json
import os
import random
import re
import time
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

from locust import between, events
from locust.contrib.fasthttp import FastHttpUser
from locust.env import Environment

SIGN_IN = "POST /accounts/sign-in/"
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_PAUSE = tuple(float(s) for s in os.environ.get("CASELINE_LOAD_PAUSE", "5,15").split(","))
_ACCOUNTS: dict[str, Any] = {}
if os.environ.get("CASELINE_LOAD_ACCOUNTS"):
    with open(os.environ["CASELINE_LOAD_ACCOUNTS"], encoding="utf-8") as f:
        _ACCOUNTS = json.load(f)
# Each role's accounts, handed out in turn (a role with fewer accounts than simulated users
# signs some accounts in more than once, each with a session of its own).
_NEXT: dict[str, Iterator[dict[str, Any]]] = {
    role: itertools.cycle(accounts)
    for role, accounts in _ACCOUNTS.get("roles", {}).items()
    if accounts
}


class Samples:
    """Every request's figures, by request type and name: round trips and server times in
    milliseconds, failures by message."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[str, Any]] = {}
        self.started = time.time()
        self.stopped: float | None = None
        self.users = 0

    def add(self, key: str, ms: float, server: float | None, failure: str | None) -> None:
        if self.stopped is not None:
            return  # locust is stopping users: requests cut off then are not the server's
        row = self.rows.setdefault(key, {"rt": [], "server": [], "failures": {}})
        if failure is None:
            row["rt"].append(round(ms, 2))
            if server is not None:
                row["server"].append(server)
        else:
            row["failures"][failure] = row["failures"].get(failure, 0) + 1

    def restart(self) -> None:
        """Keep only sign-ins: the run is measured once every user has started."""
        self.rows = {k: v for k, v in self.rows.items() if k == SIGN_IN}
        self.started = time.time()


SAMPLES = Samples()


def _record(
    request_type: str,
    name: str,
    response_time: float,
    response: Any = None,
    exception: BaseException | None = None,
    **_: Any,
) -> None:
    server = None
    if response is not None and getattr(response, "headers", None):
        value = response.headers.get("X-Bench-Server-Ms")
        server = float(value) if value else None
    failure = None if exception is None else f"{type(exception).__name__}: {exception}"[:200]
    key = name if request_type == "GET" else f"{request_type} {name}"
    SAMPLES.add(key, response_time, server, failure)


def _all_started(user_count: int, **_: Any) -> None:
    SAMPLES.restart()
    SAMPLES.users = user_count


def _write(environment: Environment, **_: Any) -> None:
    path = os.environ.get("CASELINE_LOAD_RESULTS")
    if not path:
        return
    SAMPLES.stopped = SAMPLES.stopped or time.time()
    with open(path, "w", encoding="utf-8") as f:
        json.dump(
            {
                "started": SAMPLES.started,
                "stopped": SAMPLES.stopped,
                "users": SAMPLES.users,
                "rows": SAMPLES.rows,
            },
            f,
        )


def _stopped(**_: Any) -> None:
    SAMPLES.stopped = SAMPLES.stopped or time.time()


events.request.add_listener(_record)  # type: ignore[no-untyped-call]
events.spawning_complete.add_listener(_all_started)  # type: ignore[no-untyped-call]
events.test_stopping.add_listener(_stopped)  # type: ignore[no-untyped-call]
events.quitting.add_listener(_write)  # type: ignore[no-untyped-call]


def _date_fields(prefix: str) -> dict[str, str]:
    """Today in the authority's time zone, as the three boxes of a GOV.UK date input."""
    today = datetime.datetime.now(ZoneInfo("Europe/London")).date()
    return {f"{prefix}_day": str(today.day), f"{prefix}_month": str(today.month),
            f"{prefix}_year": str(today.year)}  # fmt: skip


class Practitioner(FastHttpUser):
    """A signed-in user of one role, with the account's children and pages to visit."""

    abstract = True
    role = ""
    wait_time = between(*_PAUSE)

    def on_start(self) -> None:
        self.account: dict[str, Any] = next(_NEXT[self.role])
        self.rng = random.Random()
        self.signed_in = self.sign_in(self.account["username"], self.account["password"])

    def ready(self) -> bool:
        """Whether the user is signed in; if not (a sign-in that failed), sign in again
        instead of asking for pages that would only send them to the sign-in page."""
        if not self.signed_in:
            self.signed_in = self.sign_in(self.account["username"], self.account["password"])
        return self.signed_in

    def pause(self) -> None:
        """Reading the page before the next (the same pauses as between journeys)."""
        time.sleep(self.rng.uniform(*_PAUSE))  # cooperative: locust patches time.sleep

    def page(self, path: str, name: str) -> str:
        """GET a page; anything but a 200 on that page (a lost session is sent to the
        sign-in page) is a failure. Returns the page."""
        with self.client.get(
            path, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                where = response.headers.get("Location", "") if response.headers else ""
                response.failure(f"HTTP {response.status_code} {where}".strip())
                return ""
            return response.text or ""

    def form_post(self, path: str, name: str, data: dict[str, Any], page: str) -> None:
        """POST a form read from ``page`` (its CSRF token); a redirect away from the form,
        not to the sign-in page, is success."""
        token = _TOKEN.search(page)
        if token is None:
            return
        with self.client.post(
            path, data={"csrfmiddlewaretoken": token.group(1), **data}, name=name,
            allow_redirects=False, catch_response=True,
        ) as response:  # fmt: skip
            where = response.headers.get("Location", "") if response.headers else ""
            if response.status_code != 302 or "/accounts/" in where:
                response.failure(f"HTTP {response.status_code} {where}".strip())

    def sign_in(self, username: str, password: str) -> bool:
        page = self.page("/accounts/sign-in/", "/accounts/sign-in/")
        token = _TOKEN.search(page)
        if token is None:
            return False
        with self.client.post(
            "/accounts/sign-in/",
            data={"csrfmiddlewaretoken": token.group(1), "username": username,
                  "password": password},
            name="/accounts/sign-in/", allow_redirects=False, catch_response=True,
        ) as response:  # fmt: skip
            where = response.headers.get("Location", "") if response.headers else ""
            if response.status_code != 302 or "/accounts/" in where:
                response.failure(f"sign-in as {username}: HTTP {response.status_code} {where}")
                return False
        return True

    def child(self, key: str = "children") -> int:
        return int(self.rng.choice(self.account[key]))

    def record_section(self, child: int) -> None:
        """One of the record's sections, as a practitioner opens it from the summary."""
        path, name = self.rng.choice(
            [
                ("/chronology/record/{}/", "/chronology/record/<id>/"),
                ("/chronology/record/{}/", "/chronology/record/<id>/"),
                ("/recording/record/{}/", "/recording/record/<id>/"),
                ("/assessments/record/{}/", "/assessments/record/<id>/"),
                ("/children-in-need/record/{}/", "/children-in-need/record/<id>/"),
                ("/front-door/record/{}/", "/front-door/record/<id>/"),
            ]
        )
        self.page(path.format(child), name)


class FrontDoorWorker(Practitioner):
    role = "front_door"
    weight = 10

    def task_journey(self) -> None:
        if not self.ready():
            return
        if self.rng.random() < 0.6:
            self.page("/front-door/", "/front-door/")
            self.pause()
            contact = self.rng.choice(self.account["contacts"])
            self.page(f"/front-door/contacts/{contact}/", "/front-door/contacts/<id>/")
            self.pause()
            child = self.child()
            self.page(f"/people/{child}/", "/people/<id>/")
            self.pause()
            self.page(f"/front-door/record/{child}/", "/front-door/record/<id>/")
            return
        self.page(f"/people/?{self.rng.choice(_ACCOUNTS['searches'])}", "/people/?name=")
        self.pause()
        child = self.child()
        self.page(f"/people/{child}/", "/people/<id>/")
        self.pause()
        if self.rng.random() < 0.5:
            path = f"/front-door/contacts/new/?person={child}"
            form = self.page(path, "/front-door/contacts/new/?person=")
            self.pause()
            self.form_post(
                path, "/front-door/contacts/new/",
                {**_date_fields("received_on"), "source": "2A", "consent": "given",
                 "concern": "Load test: a concern reported by the school."},
                form,
            )  # fmt: skip

    tasks = [task_journey]


class SocialWorker(Practitioner):
    role = "social_worker"
    weight = 60

    def task_journey(self) -> None:
        if not self.ready():
            return
        self.page("/my-work/", "/my-work/")
        self.pause()
        child = self.child()
        self.page(f"/people/{child}/", "/people/<id>/")
        for _ in range(self.rng.randint(1, 2)):
            self.pause()
            self.record_section(child)
        if self.rng.random() < 0.25:
            self.pause()
            path = f"/recording/record/{child}/notes/new/"
            form = self.page(path, "/recording/record/<id>/notes/new/")
            self.pause()
            self.form_post(
                path, "/recording/.../notes/new/",
                {"note_type": "phone-call", **_date_fields("occurred_on"),
                 "title": "Load test: phone call", "body": "Spoke to the child's mother."},
                form,
            )  # fmt: skip

    tasks = [task_journey]


class TeamManager(Practitioner):
    role = "team_manager"
    weight = 15

    def task_journey(self) -> None:
        if not self.ready():
            return
        self.page("/my-work/team/", "/my-work/team/")
        self.pause()
        if self.account["workers"]:
            worker = self.rng.choice(self.account["workers"])
            self.page(f"/my-work/team/{worker}/", "/my-work/team/<id>/")
            self.pause()
        child = self.child()
        self.page(f"/people/{child}/", "/people/<id>/")
        self.pause()
        self.page(f"/chronology/record/{child}/", "/chronology/record/<id>/")
        if self.rng.random() < 0.1:
            self.pause()
            self.page("/indicators/team-week/", "/indicators/team-week/")

    tasks = [task_journey]


class ReviewingOfficer(Practitioner):
    role = "iro"
    weight = 10

    def task_journey(self) -> None:
        if not self.ready():
            return
        self.page("/my-work/chair/", "/my-work/chair/")
        self.pause()
        child = self.child()
        self.page(f"/people/{child}/", "/people/<id>/")
        self.pause()
        if self.account["looked_after"] and (
            not self.account["conferences"] or self.rng.random() < 0.5
        ):
            looked_after = self.child("looked_after")
            self.page(f"/looked-after/{looked_after}/", "/looked-after/<id>/")
        elif self.account["conferences"]:
            person, conference = self.rng.choice(self.account["conferences"])
            self.page(f"/child-protection/record/{person}/", "/child-protection/record/<id>/")
            self.pause()
            self.page(
                f"/child-protection/record/{person}/conference/{conference}/",
                "/child-protection/.../conference/",
            )
        self.pause()
        self.page(f"/chronology/record/{child}/", "/chronology/record/<id>/")

    tasks = [task_journey]


class Analyst(Practitioner):
    role = "analyst"
    weight = 5

    def task_journey(self) -> None:
        if not self.ready():
            return
        code = self.rng.choice(self.account["indicators"])
        self.page(f"/indicators/{code}/", "/indicators/<code>/")
        self.pause()
        self.page(f"/people/?{self.rng.choice(_ACCOUNTS['searches'])}", "/people/?name=")
        self.pause()
        self.page(f"/people/{self.child()}/", "/people/<id>/")
        roll = self.rng.random()
        if roll < 0.1:
            self.pause()
            self.page("/indicators/", "/indicators/")
        elif roll < 0.2:
            self.pause()
            self.page("/indicators/director/", "/indicators/director/")

    tasks = [task_journey]
