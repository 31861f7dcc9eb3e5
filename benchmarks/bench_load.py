"""Load-test Caseline with locust: practitioners signed in, following their paths, pausing.

    .venv/bin/python benchmarks/bench_load.py           # 50 users, 1 minute, small authority
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/caseline_bench50k \\
        .venv/bin/python benchmarks/bench_load.py --users 200 --minutes 10

Starts Caseline under gunicorn as ``bench_pages.py`` does (imported, not copied: Caseline's
production settings file, synchronous workers, one per core, on 127.0.0.1, each response
carrying its server time), then runs locust headless with ``benchmarks/locustfile.py``: front
door workers, social workers, team managers, reviewing officers and analysts in the
proportions 10:60:15:10:5, each signed in as an account of the synthetic authority with that
role, pausing ``--pause`` seconds (uniform) between pages. Users start at ``--spawn-rate`` a
second; figures are kept from the moment all have started, for ``--minutes``.

Synthetic users have unusable passwords, so this script gives the accounts it uses the
benchmark password of ``bench_mywork.py`` in the benchmark database (never run it against
real data; the generator refuses to run in production anyway). Analysts sign in as
``bench_pages.py``'s ``bench.reader``. The load test writes: front door workers record contacts
and social workers case notes, far more often than an authority's staff would.

Printed: each page's requests, failures, server time p50/p95, round trip p50/p95/p99 and
requests a second; the load average and the share of the two cores busy while it ran; the
failures' messages. Locust's own CSV files are left in ``--out``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import threading
import urllib.parse
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_mywork import PASSWORD  # the sibling scripts, found through sys.path
from bench_pages import (
    BENCH_PASSWORD,
    BENCH_USER,
    DEFAULT_DB,
    ROOT,
    Result,
    ensure_bench_user,
    ensure_database,
    header,
    misspell,
    setup_django,
    start_server,
    stop_server,
)

# Accounts of each role at most; children per account at most.
MAX_ACCOUNTS = 300
MAX_CHILDREN = 60
# The pages the budget covers ("every page a practitioner uses"); the rest are marked.
ANALYSIS = ("/indicators/",)


def choose_accounts(rng: random.Random) -> dict[str, Any]:
    """The accounts each role signs in as, with the children and records each may open.

    Every id is checked against who the account may see (``visible_among``), so a page
    refused is a failure of the application, not of the choice.
    """
    from django.contrib.auth.hashers import make_password
    from django.db.models import Count

    from caseline.apps.accounts.models import Team, User
    from caseline.apps.accounts.permissions import Role
    from caseline.apps.frontdoor.models import Contact, ContactPerson, Referral
    from caseline.apps.indicators import catalogue
    from caseline.apps.lookedafter.models import Episode, IROAllocation
    from caseline.apps.people.models import Allocation, Person
    from caseline.apps.people.queries import visible_among
    from caseline.apps.protection.models import Conference

    open_allocations = Allocation.objects.filter(end_date__isnull=True).order_by()

    def sample(ids: list[int], n: int = MAX_CHILDREN) -> list[int]:
        return sorted(rng.sample(sorted(set(ids)), min(n, len(set(ids)))))

    def of_role(role: Role) -> list[User]:
        return list(User.objects.filter(groups__name=role.value, is_active=True).order_by("pk"))

    roles: dict[str, list[dict[str, Any]]] = {}
    front_door = of_role(Role.FRONT_DOOR)[:MAX_ACCOUNTS]
    if front_door:
        subjects = ContactPerson.objects.filter(role=ContactPerson.Role.SUBJECT)
        recent = list(
            subjects.order_by("-contact__received_at").values_list("contact_id", "person_id")[:2000]
        )
        seen = visible_among(front_door[0], [p for _, p in recent])
        recent = [(c, p) for c, p in recent if p in seen]
        undecided = set(
            Contact.objects.filter(pk__in=[c for c, _ in recent], decision="").values_list(
                "pk", flat=True
            )
        )
        contacts = sample([c for c, _ in recent if c in undecided] or [c for c, _ in recent])
        children = sample([p for _, p in recent])
        roles["front_door"] = [
            {"username": u.username, "children": children, "contacts": contacts} for u in front_door
        ]

    caseloads = (
        open_allocations.filter(worker__groups__name=Role.SOCIAL_WORKER.value)
        .values("worker_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "worker_id")
        .values_list("worker_id", flat=True)[:MAX_ACCOUNTS]
    )
    roles["social_worker"] = []
    for worker in User.objects.filter(pk__in=list(caseloads)).order_by("pk"):
        mine = open_allocations.filter(worker=worker).values_list("person_id", flat=True)
        children = sample(list(visible_among(worker, mine)))
        if children:
            roles["social_worker"].append({"username": worker.username, "children": children})

    roles["team_manager"] = []
    for team in Team.objects.filter(manager__isnull=False).select_related("manager"):
        manager = team.manager
        assert manager is not None
        allocated = open_allocations.filter(team=team)
        children = sample(
            list(visible_among(manager, allocated.values_list("person_id", flat=True)))
        )
        workers = sorted(
            set(allocated.filter(worker__isnull=False).values_list("worker_id", flat=True))
        )
        if children:
            roles["team_manager"].append(
                {"username": manager.username, "children": children, "workers": workers}
            )

    roles["iro"] = []
    for iro in of_role(Role.IRO)[:MAX_ACCOUNTS]:
        theirs = list(
            IROAllocation.objects.filter(iro=iro, end_date__isnull=True).values_list(
                "person_id", flat=True
            )
        )
        chaired = list(
            Conference.objects.filter(chair=iro)
            .order_by("-pk")
            .values_list("person_id", "pk")[:MAX_CHILDREN]
        )
        seen = visible_among(iro, theirs + [p for p, _ in chaired])
        looked_after = set(
            Episode.objects.filter(person_id__in=theirs).values_list("person_id", flat=True)
        )
        children = sample([p for p in theirs if p in seen] or [p for p, _ in chaired if p in seen])
        if children:
            roles["iro"].append(
                {
                    "username": iro.username,
                    "children": children,
                    "looked_after": sorted(looked_after & seen),
                    "conferences": [[p, c] for p, c in chaired if p in seen],
                }
            )

    ensure_bench_user()
    analyst = User.objects.get(username=BENCH_USER)
    referred = sample(list(Referral.objects.values_list("person_id", flat=True)), 5000)
    roles["analyst"] = [
        {
            "username": BENCH_USER,
            "children": sample(list(visible_among(analyst, referred))),
            "indicators": [i.code for i in catalogue.INDICATORS],
        }
    ]

    names = Person.objects.filter(pk__in=sample(referred, 200)).values_list(
        "given_name", "family_name"
    )
    searches = [
        urllib.parse.urlencode({"name": f"{misspell(g, rng)} {misspell(f, rng)}"}) for g, f in names
    ]
    for role, accounts in roles.items():
        for account in accounts:
            account["password"] = BENCH_PASSWORD if role == "analyst" else PASSWORD
    usernames = [a["username"] for k, accounts in roles.items() if k != "analyst" for a in accounts]
    User.objects.filter(username__in=usernames).update(password=make_password(PASSWORD))
    empty = [role for role, accounts in roles.items() if not accounts]
    if empty:
        raise SystemExit(f"bench_load: no account to sign in as for {', '.join(empty)}")
    return {"roles": roles, "searches": searches}


def two_factor_roles() -> list[str]:
    """Roles the administrator has told to use two factors (the load test signs in with a
    password only, so these would be sent to set one up)."""
    from caseline.apps.accounts.models import TwoFactorRole

    return list(TwoFactorRole.objects.values_list("role", flat=True))


class Machine:
    """The load average and the share of the cores busy, sampled while the test runs."""

    def __init__(self) -> None:
        self.loads: list[float] = []
        self.stop = threading.Event()
        self.busy_from = self._cpu()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    @staticmethod
    def _cpu() -> tuple[int, int, int]:
        """Busy, low-priority (niced: other work told to give way) and all CPU time so far."""
        with open("/proc/stat", encoding="ascii") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
        idle = fields[3] + fields[4]
        return sum(fields) - idle, fields[1], sum(fields)

    def _sample(self) -> None:
        while not self.stop.wait(10):
            self.loads.append(os.getloadavg()[0])

    def restart(self) -> None:
        self.loads.clear()
        self.busy_from = self._cpu()

    def summary(self) -> str:
        self.stop.set()
        busy, niced, total = (b - a for a, b in zip(self.busy_from, self._cpu(), strict=True))
        loads = self.loads or [os.getloadavg()[0]]
        return (
            f"  load average (1 min) while measured: min {min(loads):.2f}, mean "
            f"{sum(loads) / len(loads):.2f}, max {max(loads):.2f}; cores busy "
            f"{100 * busy / max(total, 1):.0f}% ({os.cpu_count()} CPUs), of which "
            f"{100 * niced / max(total, 1):.0f}% low-priority (niced) work beside the test"
        )


def run_locust(base: str, options: argparse.Namespace, accounts: Path, results: Path) -> int:
    """Locust headless with ``locustfile.py``: ramp up, then ``--minutes`` measured."""
    ramp = options.users / options.spawn_rate
    env = {
        **os.environ,
        "CASELINE_LOAD_ACCOUNTS": str(accounts),
        "CASELINE_LOAD_RESULTS": str(results),
        "CASELINE_LOAD_PAUSE": options.pause,
    }
    command = [
        sys.executable, "-m", "locust",
        "-f", str(Path(__file__).with_name("locustfile.py")),
        "--headless", "--host", base,
        "--users", str(options.users), "--spawn-rate", str(options.spawn_rate),
        "--run-time", f"{ramp + options.minutes * 60:.0f}s", "--stop-timeout", "60",
        "--reset-stats", "--only-summary", "--loglevel", "WARNING",
        "--csv", str(options.out / "locust"),
    ]  # fmt: skip
    with (options.out / "locust-summary.txt").open("w", encoding="utf-8") as summary:
        run = subprocess.run(command, env=env, stdout=summary, check=False)  # noqa: S603
    return run.returncode


def print_results(results: Path) -> None:
    data = json.loads(results.read_text(encoding="utf-8"))
    elapsed = max(1.0, float(data["stopped"]) - float(data["started"]))
    print(header())
    failures: dict[str, int] = {}
    total = Result("all requests (sign-ins apart)", int(data["users"]))
    for label, row in sorted(data["rows"].items(), key=lambda kv: kv[0].removeprefix("POST ")):
        result = Result(label, int(data["users"]), row["rt"], row["server"])
        result.errors = sum(row["failures"].values())
        result.elapsed = elapsed
        for message, n in row["failures"].items():
            failures[f"{label}: {message}"] = n
        mark = "  (analysis, not a practitioner page)" if label.startswith(ANALYSIS) else ""
        if label.startswith("POST /accounts/"):
            mark = "  (from the first user's start)"
        print(f"{result.row()}{mark}")
        if not label.startswith("POST /accounts/"):
            total.times_ms += row["rt"]
            total.server_ms += row["server"]
            total.errors += result.errors
    total.elapsed = elapsed
    print(total.row())
    print(f"  measured for {elapsed:.0f} s once all {data['users']} users had started")
    for message, n in sorted(failures.items(), key=lambda kv: -kv[1])[:20]:
        print(f"  failure x{n}: {message}")


def count_trends_overnight() -> None:
    """The director's past months as the daily job leaves them (ADR 0038): counted here, before
    the test, when the authority's are not kept yet, so the page reads them as it would."""
    from django.core.management import call_command
    from django.utils import timezone

    from caseline.apps.indicators.models import TrendFigure
    from caseline.apps.indicators.trends import month_ends

    if not TrendFigure.objects.filter(
        scope="authority", month_end__in=month_ends(timezone.localdate())[:-1]
    ).exists():
        print("bench_load: counting the director's trends (the daily job)", flush=True)
        call_command("indicator_trends")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--children", type=int, default=2000, help="Size if generating.")
    parser.add_argument("--years", type=int, default=5, help="Years if generating.")
    parser.add_argument("--users", type=int, default=50, help="Simulated users.")
    parser.add_argument("--spawn-rate", type=float, default=4, help="Users started a second.")
    parser.add_argument("--minutes", type=float, default=1, help="Measured, after the ramp.")
    parser.add_argument("--pause", default="5,15", help="Shortest,longest pause in seconds.")
    parser.add_argument("--workers", type=int, default=2, help="Server processes.")
    parser.add_argument("--threads", type=int, default=1, help="Threads in each process.")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "var" / "bench" / "load", help="Locust's CSV files."
    )
    parser.add_argument("--seed", type=int, default=2026, help="Which accounts and children.")
    options = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_DB}"
    setup_django(url)
    ensure_database(url, options.children, options.years)
    required = two_factor_roles()
    if required:
        raise SystemExit(
            "bench_load: these roles must use two factors in this database, and the load test "
            f"signs in with a password only: {', '.join(required)}"
        )
    accounts = choose_accounts(random.Random(options.seed))
    count_trends_overnight()

    from caseline.apps.people.models import Person

    options.out.mkdir(parents=True, exist_ok=True)
    accounts_file = options.out / "accounts.json"
    results_file = options.out / "results.json"
    accounts_file.write_text(json.dumps(accounts), encoding="utf-8")
    results_file.unlink(missing_ok=True)
    counts = ", ".join(f"{len(v)} {k}" for k, v in accounts["roles"].items())
    print(f"bench_load: {Person.objects.count():,} people in {url.split('@')[-1]}")
    print(f"  accounts: {counts}")
    print(
        f"  {options.users} users (front door, social workers, managers, IROs, analysts "
        f"10:60:15:10:5), pausing {options.pause} s, started {options.spawn_rate:g} a second, "
        f"measured {options.minutes:g} min"
    )
    settings = os.environ["DJANGO_SETTINGS_MODULE"]
    print(f"  settings {settings}, DEBUG={os.environ.get('DEBUG', 'false')}, {os.cpu_count()} CPUs")
    print("  load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()), flush=True)
    ramp = options.users / options.spawn_rate
    lifetime = (ramp + options.minutes * 60) / 60 + 5
    process, base = start_server(url, lifetime, options.workers, options.threads)
    print(f"  server: gunicorn, {options.workers} process(es) of {options.threads} thread(s)")
    machine = Machine()
    timer = threading.Timer(ramp, machine.restart)
    timer.start()
    try:
        code = run_locust(base, options, accounts_file, results_file)
    finally:
        timer.cancel()
        try:
            stop_server(process)
        except subprocess.TimeoutExpired:  # a worker still in a long request
            os.killpg(process.pid, signal.SIGKILL)
    if not results_file.exists():
        raise SystemExit(f"bench_load: locust wrote no results (exit code {code})")
    print_results(results_file)
    print(machine.summary())
    print("  load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
