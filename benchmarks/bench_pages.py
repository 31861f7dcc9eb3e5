"""Time Caseline's busiest pages under 1, 10 and 50 concurrent users, over loopback HTTP.

    .venv/bin/python benchmarks/bench_pages.py                  # small authority, made if missing
    DATABASE_URL=sqlite:///var/bench/big.sqlite3 .venv/bin/python benchmarks/bench_pages.py \\
        --requests-per-user 20

Starts Caseline under gunicorn with the settings production uses (``caseline/gunicorn.conf.py``:
synchronous workers, one process per core), bound to 127.0.0.1, signs in as a benchmark user
who may see every child, and times:

* the child's record summary ``/people/<id>/`` for a sample of children, including the ones
  with the longest histories, and the record's sections for the same children: chronology,
  front door, assessments, children in need, case notes; child protection and looked after
  for a sample of children with a plan or a care episode;
* the people search ``/people/?name=...`` with misspelt names;
* the duplicate check ``people.duplicates.probable_duplicates`` (a function, timed directly).

Two figures per request: the server time, measured by a wrapper round Django's WSGI
application (``benchmarks/bench_wsgi.py``, not in the application) from the request reaching
Django to the whole body made and the request finished, sent back in an ``X-Bench-Server-Ms``
header; and the client's round trip on loopback. The server runs ``--workers`` processes
(default 2, one per core), each serving one request at a time (``--threads`` more than 1
gives gunicorn's threaded worker instead): a request waiting for a free worker waits in the
socket's queue and counts in the round trip, not in the server time. Each simulated user
asks for its next page as soon as the last arrives; ``--think-seconds`` adds a run of 50
users who pause between pages. Every run is bounded (requests per user and seconds per level),
and the server is stopped after ``--max-minutes`` whatever happens.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.cookiejar
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "var" / "bench" / "bench.sqlite3"
SETTINGS = os.environ.get("DJANGO_SETTINGS_MODULE", "caseline.settings.dev")
BENCH_USER = "bench.reader"
BENCH_PASSWORD = "bench-only-password-1"  # noqa: S105 - a local benchmark account
LEVELS = (1, 10, 50)


def _percentiles(times: list[float]) -> list[float]:
    t = sorted(times)
    return statistics.quantiles(t, n=100, method="inclusive") if len(t) > 1 else [t[0]] * 99


@dataclass
class Result:
    label: str
    users: int
    times_ms: list[float] = field(default_factory=list)
    server_ms: list[float] = field(default_factory=list)
    errors: int = 0
    elapsed: float = 0.0

    def row(self) -> str:
        if not self.times_ms:
            return (
                f"  {self.label:<34} {self.users:>5}  no successful requests ({self.errors} errors)"
            )
        rt = _percentiles(self.times_ms)
        server = (
            f"{_percentiles(self.server_ms)[49]:>8.0f} {_percentiles(self.server_ms)[94]:>8.0f}"
            if self.server_ms
            else f"{'-':>8} {'-':>8}"
        )
        return (
            f"  {self.label:<34} {self.users:>5} {len(self.times_ms):>6} {self.errors:>4} "
            f"{server} {rt[49]:>8.0f} {rt[94]:>8.0f} {rt[98]:>8.0f} "
            f"{len(self.times_ms) / self.elapsed:>8.1f}"
        )


def header() -> str:
    return (
        f"  {'page':<34} {'users':>5} {'reqs':>6} {'errs':>4} "
        f"{'srv p50':>8} {'srv p95':>8} {'rt p50':>8} {'rt p95':>8} {'rt p99':>8} {'req/s':>8}\n"
        f"  {'':<34} {'':>5} {'':>6} {'':>4} "
        "server time (ms), then round trip on loopback (ms)"
    )


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    os.environ.setdefault("DEBUG", "false")  # the in-process timings too
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def ensure_database(url: str, children: int, years: int) -> None:
    """Migrate, and generate a small authority when the database has no people."""
    from django.core.management import call_command

    from caseline.apps.people.models import Person

    call_command("migrate", verbosity=0)
    if not Person.objects.exists():
        print(f"bench_pages: generating {children:,} children, {years} years into {url}")
        call_command(
            "generate", "--children", str(children), "--years", str(years), "--seed", "2026",
            "--quiet",
        )  # fmt: skip


def ensure_bench_user() -> None:
    from caseline.apps.accounts.actions import create_user
    from caseline.apps.accounts.models import User
    from caseline.apps.accounts.permissions import Permission, Role

    user = User.objects.filter(username=BENCH_USER).first()
    if user is None:
        user = create_user(
            acting_user=None, username=BENCH_USER, password=BENCH_PASSWORD,
            first_name="Bench", last_name="Reader", roles=[Role.ANALYST],
        )  # fmt: skip
    assert user.can(Permission.CHILD_VIEW_ALL)


def sample_children(count: int, rng: random.Random) -> list[int]:
    """The children with the most contacts, and a random sample of children referred."""
    from django.db.models import Count, Q

    from caseline.apps.frontdoor.models import Referral
    from caseline.apps.people.models import Person

    longest = list(
        Person.objects.annotate(n=Count("contact_roles", filter=Q(contact_roles__role="subject")))
        .order_by("-n", "id")
        .values_list("id", flat=True)[:5]
    )
    pool = sorted(set(Referral.objects.values_list("person_id", flat=True)))
    rest = rng.sample(pool, min(len(pool), max(0, count - len(longest))))
    return longest + rest


def misspell(name: str, rng: random.Random) -> str:
    """One slip: a swapped, dropped or doubled letter."""
    if len(name) < 4:
        return name
    i = rng.randrange(1, len(name) - 2)
    slip = rng.choice(("swap", "drop", "double"))
    if slip == "swap":
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    if slip == "drop":
        return name[:i] + name[i + 1 :]
    return name[:i] + name[i] + name[i:]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(
    url: str, max_minutes: float, workers: int = 2, threads: int = 1
) -> tuple[subprocess.Popen[str], str]:
    """Gunicorn with Caseline's production settings file (``caseline/gunicorn.conf.py``),
    serving ``benchmarks/bench_wsgi.py``; stopped after ``max_minutes`` whatever happens."""
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": SETTINGS}
    env.setdefault("DEBUG", "false")
    port = free_port()
    command = [
        "timeout", f"{max_minutes * 60:.0f}",
        str(Path(sys.executable).with_name("gunicorn")),
        "--config", str(ROOT / "caseline" / "gunicorn.conf.py"),
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers),
        "--threads", str(threads),
        "--log-level", "warning",
        "--pythonpath", str(ROOT / "benchmarks"),
        "bench_wsgi:application",
    ]  # fmt: skip
    process = subprocess.Popen(  # noqa: S603 - fixed arguments, this virtualenv
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, text=True, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("bench_pages: the server did not start")
        try:
            urllib.request.urlopen(f"{base}/accounts/sign-in/", timeout=5).read()  # noqa: S310
            return process, base
        except OSError:
            time.sleep(0.2)
    stop_server(process)
    raise SystemExit("bench_pages: the server did not answer within a minute")


def stop_server(process: subprocess.Popen[str]) -> None:
    """Stop the server and the worker processes it forked (its own process group)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def sign_in(
    base: str, username: str = BENCH_USER, password: str = BENCH_PASSWORD
) -> urllib.request.OpenerDirector:
    """An opener holding a signed-in session (one session shared by every simulated user)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/accounts/sign-in/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, "no CSRF token on the sign-in page"
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "username": username, "password": password}
    ).encode()
    request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1 only
        f"{base}/accounts/sign-in/", data=data, headers={"Referer": f"{base}/accounts/sign-in/"}
    )
    opener.open(request, timeout=30).read()
    if not any(c.name == "sessionid" for c in jar):
        raise SystemExit(f"bench_pages: could not sign in as {username}")
    return opener


def fetch_timed(opener: urllib.request.OpenerDirector, url: str) -> tuple[int, float, float | None]:
    """Status, round trip (ms) and the server time the benchmark server reported (ms)."""
    started = time.perf_counter()
    server: str | None = None
    try:
        with opener.open(url, timeout=60) as response:
            response.read()
            server = response.headers.get("X-Bench-Server-Ms")
            # A lost session is redirected to the sign-in page: count it as a failure.
            status = 401 if "/accounts/" in response.geturl() else response.status
    except urllib.error.HTTPError as error:
        status = error.code
    ms = (time.perf_counter() - started) * 1000
    return status, ms, float(server) if server else None


def fetch(opener: urllib.request.OpenerDirector, url: str) -> tuple[int, float]:
    status, ms, _ = fetch_timed(opener, url)
    return status, ms


def run_level(
    opener: urllib.request.OpenerDirector,
    label: str,
    urls: list[str],
    users: int,
    per_user: int,
    max_seconds: float,
    think_seconds: float = 0.0,
) -> Result:
    """Each of ``users`` threads requests ``per_user`` pages, one after another; with
    ``think_seconds``, it first pauses a random time (exponential, that mean) before each, as a
    practitioner reading the last page would. Without, every user asks again at once."""
    result = Result(label, users)
    lock = threading.Lock()
    deadline = time.monotonic() + max_seconds

    def user(number: int) -> None:
        pauses = random.Random(number)
        for i in range(per_user):
            if think_seconds:
                time.sleep(pauses.expovariate(1 / think_seconds))
            if time.monotonic() > deadline:
                return
            status, ms, server = fetch_timed(opener, urls[(number * per_user + i) % len(urls)])
            with lock:
                if status == 200:
                    result.times_ms.append(ms)
                    if server is not None:
                        result.server_ms.append(server)
                else:
                    result.errors += 1

    started = time.monotonic()
    threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.elapsed = time.monotonic() - started
    return result


def time_function(label: str, calls: list[Callable[[], object]]) -> str:
    times = []
    for call in calls:
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    t = sorted(times)
    pct = statistics.quantiles(t, n=100, method="inclusive") if len(t) > 1 else [t[0]] * 99
    return (
        f"  {label:<34} {1:>5} {len(t):>6} {0:>4} {'-':>8} {'-':>8} "
        f"{pct[49]:>8.0f} {pct[94]:>8.0f} {pct[98]:>8.0f}   (in-process, ms)"
    )


def add_load_options(parser: argparse.ArgumentParser) -> None:
    """The options every page benchmark shares: server, load and bounds."""
    parser.add_argument("--requests-per-user", type=int, default=4)
    parser.add_argument(
        "--min-requests",
        type=int,
        default=40,
        help="At least this many requests at each level (fewer users ask more times each).",
    )
    parser.add_argument("--max-seconds", type=float, default=60, help="Per page and level.")
    parser.add_argument("--max-minutes", type=float, default=20, help="Server lifetime.")
    parser.add_argument(
        "--workers", type=int, default=2, help="Server processes (one per core is usual)."
    )
    parser.add_argument(
        "--threads", type=int, default=1, help="Request threads in each server process."
    )
    parser.add_argument(
        "--think-seconds",
        type=float,
        default=0.0,
        help="Also time 50 users who pause this long on average before each request.",
    )
    parser.add_argument(
        "--levels",
        default=",".join(str(n) for n in LEVELS),
        help="Numbers of users, comma-separated (none: only the --think-seconds run).",
    )


def measure(
    opener: urllib.request.OpenerDirector, label: str, urls: list[str], options: argparse.Namespace
) -> None:
    """Warm the server up on the page, then time it at each level and print the rows.

    The warm-up (untimed) asks for the page three times from as many users as the server
    has workers, so every worker has imported the page's code and read its templates and
    code lists, as the long-lived workers of a server in use have.
    """
    run_level(opener, "warm-up", urls, options.workers * options.threads, 3, options.max_seconds)
    for users in [int(n) for n in options.levels.split(",") if n]:
        each = max(options.requests_per_user, -(-options.min_requests // users))
        print(run_level(opener, label, urls, users, each, options.max_seconds).row(), flush=True)
    if options.think_seconds:
        result = run_level(
            opener, label, urls, LEVELS[-1], options.requests_per_user,
            options.max_seconds, options.think_seconds,
        )  # fmt: skip
        print(f"{result.row()}  (pausing {options.think_seconds:g} s)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=2000, help="Size if generating.")
    parser.add_argument("--years", type=int, default=5, help="Years if generating.")
    parser.add_argument("--sample", type=int, default=30, help="Children to visit.")
    add_load_options(parser)
    parser.add_argument(
        "--pages", default="", help="Comma-separated words: time only pages whose label has one."
    )
    options = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_DB}"
    setup_django(url)
    ensure_database(url, options.children, options.years)
    ensure_bench_user()
    rng = random.Random(2026)

    from caseline.apps.people.duplicates import probable_duplicates
    from caseline.apps.people.models import Person

    ids = sample_children(options.sample, rng)
    people = {p.pk: p for p in Person.objects.filter(pk__in=ids)}
    children = [people[i] for i in ids if i in people]

    def with_records(app: str, model: str) -> list[Person]:
        """Up to ``--sample`` children with such a record (none if the app has no table)."""
        from django.apps import apps
        from django.db import DatabaseError

        try:
            records = apps.get_model(app, model).objects.order_by("person_id")
            pool = sorted(set(records.values_list("person_id", flat=True)))
        except (LookupError, DatabaseError):
            return []
        picked = rng.sample(pool, min(len(pool), options.sample))
        return list(Person.objects.filter(pk__in=picked).order_by("pk"))

    print(f"bench_pages: {Person.objects.count():,} people in {url.split('@')[-1]}")
    print(f"  settings {SETTINGS}, DEBUG={os.environ.get('DEBUG', 'false')}, {os.cpu_count()} CPUs")
    print("  load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))

    process, base = start_server(url, options.max_minutes, options.workers, options.threads)
    print(
        f"  server: {options.workers} process(es) of {options.threads} request threads"
        f" each, on {base}"
    )
    try:
        opener = sign_in(base)

        def each(path: str, people: list[Person]) -> list[str]:
            return [f"{base}{path.format(p.pk)}" for p in people]

        def conference_urls() -> list[str]:
            """Up to ``--sample`` child protection conference pages (none without the app)."""
            from django.db import DatabaseError

            try:
                from caseline.apps.protection.models import Conference

                rows = list(Conference.objects.order_by("pk").values_list("person_id", "pk"))
            except (ImportError, DatabaseError):
                return []
            picked = sorted(rng.sample(rows, min(len(rows), options.sample)))
            return [f"{base}/child-protection/record/{p}/conference/{c}/" for p, c in picked]

        pages = {
            "record summary /people/<id>/": each("/people/{}/", children),
            "people search /people/?name=": [
                f"{base}/people/?"
                + urllib.parse.urlencode(
                    {"name": f"{misspell(c.given_name, rng)} {misspell(c.family_name, rng)}"}
                )
                for c in children
            ],
            "chronology /chronology/record/<id>/": each("/chronology/record/{}/", children),
            "front door /front-door/record/<id>/": each("/front-door/record/{}/", children),
            "assessments /assessments/record/": each("/assessments/record/{}/", children),
            "CIN /children-in-need/record/<id>/": each("/children-in-need/record/{}/", children),
            "notes /recording/record/<id>/": each("/recording/record/{}/", children),
            "protection /child-protection/record/": each(
                "/child-protection/record/{}/", with_records("protection", "ProtectionPlan")
            ),
            "conference /child-protection/.../conference/": conference_urls(),
            "looked after /looked-after/<id>/": each(
                "/looked-after/{}/", with_records("lookedafter", "Episode")
            ),
        }
        chosen = [w for w in options.pages.split(",") if w]
        print(header())
        for label, urls in pages.items():
            if chosen and not any(w in label for w in chosen):
                continue
            if not urls:
                print(f"  {label:<34} not measured: no child in this database has such a record")
                continue
            status, _ = fetch(opener, urls[0])
            if status == 404:
                print(f"  {label:<34} not measured: page not built at the time")
                continue
            if status != 200:
                print(f"  {label:<34} not measured: the page answered {status}")
                continue
            measure(opener, label, urls, options)
    finally:
        stop_server(process)

    calls: list[Callable[[], object]] = [
        functools.partial(
            probable_duplicates,
            given_name=misspell(c.given_name, rng),
            family_name=c.family_name,
            date_of_birth=c.date_of_birth,
        )
        for c in children
    ]
    print(time_function("duplicate check (function)", calls))
    print("  load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
