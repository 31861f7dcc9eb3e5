"""Time the My work pages under 1, 10 and 50 concurrent users, over loopback HTTP.

    .venv/bin/python benchmarks/bench_mywork.py                 # small authority, made if missing
    DATABASE_URL=sqlite:///var/bench/city10k-mywork.sqlite3 \\
        .venv/bin/python benchmarks/bench_mywork.py --requests-per-user 10

Times, on the synthetic authority in ``DATABASE_URL``:

* ``/my-work/`` signed in as the social worker with the largest caseload (most open
  allocations);
* ``/my-work/team/`` signed in as the manager of the team with the most children allocated;
* ``/my-work/chair/`` signed in as the independent reviewing officer with the most children
  (open IRO allocations), who also chairs conferences;
* ``/indicators/team-week/`` (the team manager's weekly analysis) signed in as that manager;
* the new case note form ``/recording/record/<id>/notes/new/`` signed in as that worker, for
  each of their children.

``--pages`` chooses some of them (``mywork,team,chair,team-week,note-form``; all by default).

The server, the concurrency levels and the figures come from ``bench_pages.py`` (imported,
not copied): gunicorn with Caseline's production settings on 127.0.0.1, reporting each
request's server time in a header, and the client's round trip on loopback. Then the pages'
queries are timed as functions in-process (the team week's whole analysis among them, and its
whole page through Django's test client, paged and with every row), with their query counts
and this process's CPU time in each (on a machine whose cores others share,
the wall time includes waiting for a core), each three ways: with the children's due work
kept since their record last changed, with nothing kept, and with one child changed.

Synthetic users have unusable passwords, so this script gives those three users a benchmark
password in the benchmark database (never run it against real data; the generator refuses
to run in production anyway).
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_pages import (  # the sibling script, found through sys.path
    DEFAULT_DB,
    add_load_options,
    fetch,
    header,
    measure,
    setup_django,
    sign_in,
    start_server,
    stop_server,
    time_function,
)

PASSWORD = "bench-only-password-2"  # noqa: S105 - a local benchmark account


def ensure_database(url: str, children: int, years: int) -> None:
    """Migrate, and generate an authority when the database has no people."""
    from django.core.management import call_command

    from caseline.apps.people.models import Person

    call_command("migrate", verbosity=0)
    if not Person.objects.exists():
        print(f"bench_mywork: generating {children:,} children, {years} years into {url}")
        call_command(
            "generate", "--children", str(children), "--years", str(years), "--seed", "2026",
            "--quiet",
        )  # fmt: skip


def busiest() -> tuple[str, int, str, int, str]:
    """The worker with the largest caseload and the manager of the largest team.

    Returns (worker username, caseload, manager username, team children, team name), and
    gives both the benchmark password.
    """
    from django.db.models import Count

    from caseline.apps.accounts.models import Team, User
    from caseline.apps.people.models import Allocation

    open_allocations = Allocation.objects.filter(end_date__isnull=True).order_by()
    worker_id, caseload = (
        open_allocations.filter(worker__isnull=False)
        .values("worker_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "worker_id")
        .values_list("worker_id", "n")
        .first()
    ) or (None, 0)
    team_id, team_size = (
        open_allocations.filter(team__manager__isnull=False)
        .values("team_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "team_id")
        .values_list("team_id", "n")
        .first()
    ) or (None, 0)
    if worker_id is None or team_id is None:
        raise SystemExit("bench_mywork: the authority has no allocated workers or managed teams")
    worker = User.objects.get(pk=worker_id)
    team = Team.objects.select_related("manager").get(pk=team_id)
    assert team.manager is not None
    for user in (worker, team.manager):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    return worker.username, caseload, team.manager.username, team_size, team.name


def caseload_of(username: str, most: int = 30) -> list[int]:
    """Up to ``most`` of the children allocated to the user, by id."""
    from caseline.apps.people.models import Allocation

    mine = Allocation.objects.filter(worker__username=username, end_date__isnull=True)
    return sorted(set(mine.values_list("person_id", flat=True)))[:most]


def busiest_reviewer() -> tuple[str, int] | None:
    """The IRO with the most open IRO allocations, given the benchmark password.

    Returns (username, children), or None when the authority has no IRO allocations.
    """
    from django.db.models import Count

    from caseline.apps.accounts.models import User
    from caseline.apps.lookedafter.models import IROAllocation

    top = (
        IROAllocation.objects.filter(end_date__isnull=True)
        .order_by()
        .values("iro_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "iro_id")
        .values_list("iro_id", "n")
        .first()
    )
    if top is None:
        return None
    iro = User.objects.get(pk=top[0])
    iro.set_password(PASSWORD)
    iro.save(update_fields=["password"])
    return iro.username, top[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=2000, help="Size if generating.")
    parser.add_argument("--years", type=int, default=5, help="Years if generating.")
    add_load_options(parser)
    parser.add_argument("--calls", type=int, default=10, help="In-process calls per function.")
    parser.add_argument(
        "--pages", default="mywork,team,chair,team-week,note-form", help="Which pages."
    )
    options = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_DB}"
    setup_django(url)
    ensure_database(url, options.children, options.years)
    worker, caseload, manager, team_size, team_name = busiest()
    reviewer = busiest_reviewer()

    from caseline.apps.people.models import Person

    print(f"bench_mywork: {Person.objects.count():,} people in {url.split('@')[-1]}")
    print(f"  worker {worker}: {caseload} children; manager {manager}: {team_name}, {team_size}")
    if reviewer:
        print(f"  IRO {reviewer[0]}: {reviewer[1]} children with an open IRO allocation")
    settings = os.environ["DJANGO_SETTINGS_MODULE"]
    print(f"  settings {settings}, DEBUG={os.environ.get('DEBUG', 'false')}, {os.cpu_count()} CPUs")
    print("  load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    process, base = start_server(url, options.max_minutes, options.workers, options.threads)
    print(f"  server: gunicorn, {options.workers} process(es) of {options.threads} thread(s)")
    try:
        wanted = set(options.pages.split(","))
        pages: list[tuple[str, Any, list[str]]] = []
        worker_opener = sign_in(base, worker, PASSWORD)
        if "mywork" in wanted:
            pages.append(("my work /my-work/", worker_opener, [f"{base}/my-work/"]))
        manager_opener = sign_in(base, manager, PASSWORD)
        if "team" in wanted:
            pages.append(("team /my-work/team/", manager_opener, [f"{base}/my-work/team/"]))
        if reviewer and "chair" in wanted:
            chair_opener = sign_in(base, reviewer[0], PASSWORD)
            pages.append(("chair /my-work/chair/", chair_opener, [f"{base}/my-work/chair/"]))
        if "team-week" in wanted:
            week = f"{base}/indicators/team-week/"
            pages.append(("team week /indicators/team-week/", manager_opener, [week]))
        if "note-form" in wanted:
            notes = [f"{base}/recording/record/{p}/notes/new/" for p in caseload_of(worker)]
            pages.append(("new note /recording/.../notes/new/", worker_opener, notes))
        print(header())
        for label, opener, urls in pages:
            status, _ = fetch(opener, urls[0])
            if status != 200:
                print(f"  {label:<34} not measured: the page answered {status}")
                continue
            measure(opener, label, urls, options)
    finally:
        stop_server(process)
    in_process(worker, manager, reviewer[0] if reviewer else None, options.calls)
    print("  load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


WEEK = "/indicators/team-week/"


def _page(client: Any, path: str) -> object:
    response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"bench_mywork: {path} answered {response.status_code}")
    return response


def in_process(worker_name: str, manager_name: str, reviewer_name: str | None, calls: int) -> None:
    """Time the pages' queries as functions, in this process, with their query counts."""
    from django.test import Client
    from django.utils import timezone

    from caseline.apps.accounts.models import User
    from caseline.apps.indicators import team_week
    from caseline.apps.mywork import chair, queries

    worker = User.objects.get(username=worker_name)
    manager = User.objects.get(username=manager_name)
    today = timezone.localdate()

    def mine() -> object:
        return queries.my_work(worker, today)

    def team() -> object:
        return queries.team_work(manager, today, can_authorise=True)

    functions: list[tuple[str, Callable[[], object]]] = [("my work", mine), ("team", team)]
    if reviewer_name:
        reviewer = User.objects.get(username=reviewer_name)
        functions.append(("chair", lambda: chair.chair_work(reviewer, today)))

    functions.append(("team week", lambda: team_week.analysis(manager, today)))
    # The whole page as the manager asks for it (the analysis, its rendering, the read audit),
    # and with every row for printing (``?all=yes``, not held to the budget).
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(manager)
    for label, path in (("team week page", WEEK), ("team week, all", f"{WEEK}?all=yes")):
        functions.append((label, functools.partial(_page, client, path)))

    # Each function three ways: with every child's due work kept since their record last
    # changed (ADR 0043; the first call keeps it), with nothing kept (every child worked out,
    # as after a restart or on a new day), and with one of the team's children changed before
    # each call (a change event about them, rolled back after the call: theirs is worked
    # out again, and the indicators' results count again, as after any write).
    changed_child = team_week.analysis(manager, today).work.child_ids[0]
    for name, function in functions:
        for way, call in (
            ("kept", function),
            ("nothing kept", _nothing_kept(function)),
            ("one child changed", _one_child_changed(function, manager, changed_child)),
        ):
            _time(f"{name} ({way})", call, calls)


def _nothing_kept(function: Callable[[], object]) -> Callable[[], object]:
    from caseline.apps.people.kept_work import KEPT

    def call() -> object:
        KEPT.clear()
        return function()

    return call


def _one_child_changed(
    function: Callable[[], object], user: Any, child_id: int
) -> Callable[[], object]:
    from django.db import transaction

    from caseline.apps.audit.events import EventType
    from caseline.apps.audit.record import record_event

    def call() -> object:
        with transaction.atomic():
            record_event(acting_user=user, event_type=EventType.UPDATED, subject_person_id=child_id)
            result = function()
            transaction.set_rollback(True)
        return result

    return call


def _time(label: str, function: Callable[[], object], calls: int) -> None:
    """Call ``function`` once to settle what the one before left (a change rolled back is
    worked out again once), once to count its queries, then ``calls`` times: wall and CPU."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    function()
    with CaptureQueriesContext(connection) as captured:
        function()
    # Counted now: a request's start empties the query log the count reads.
    counted = len(captured)
    cpu: list[float] = []
    for _ in range(calls):
        started = time.process_time()
        function()
        cpu.append((time.process_time() - started) * 1000)
    row = time_function(label, [function] * calls)
    middle, high = statistics.median(cpu), sorted(cpu)[max(0, -(-95 * calls // 100) - 1)]
    print(f"{row}  {counted} queries; CPU median {middle:.0f}, p95 {high:.0f} ms")


if __name__ == "__main__":
    main()
