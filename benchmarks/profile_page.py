"""Profile one page in-process: where its server time goes, function by function.

    DATABASE_URL=sqlite:///var/bench/big.sqlite3 .venv/bin/python benchmarks/profile_page.py \\
        /people/1234/ --user bench.reader --repeat 5

Requests the page with Django's test client as ``--user`` (``bench.reader``, made by
``bench_pages.py``, may see every child), once to warm up and then ``--repeat`` times under
cProfile, and prints the wall time of each request, the number of SQL queries and their
total time, and the functions with the most cumulative time. A tool for finding what to
make faster; the figures to report come from ``bench_pages.py``.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", help="The page, e.g. /people/1234/")
    parser.add_argument("--user", default="bench.reader")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--top", type=int, default=40, help="Functions to list.")
    parser.add_argument("--sort", default="cumulative", help="A pstats sort key.")
    parser.add_argument("--queries", action="store_true", help="Print each query's time.")
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caseline.settings.dev")
    os.environ.setdefault("DEBUG", "false")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from caseline.apps.accounts.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=options.user))
    response = client.get(options.path)
    if response.status_code != 200:
        raise SystemExit(f"profile_page: {options.path} answered {response.status_code}")

    profile = cProfile.Profile()
    for _ in range(options.repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            profile.enable()
            client.get(options.path)
            profile.disable()
            ms = (time.perf_counter() - started) * 1000
        sql_ms = sum(float(q["time"]) for q in captured.captured_queries) * 1000
        print(f"{ms:8.1f} ms, {len(captured)} queries taking {sql_ms:.1f} ms (profiled)")
    if options.queries:
        for query in sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:15]:
            print(f"{float(query['time']) * 1000:8.1f} ms  {query['sql'][:300]}")
    pstats.Stats(profile).sort_stats(options.sort).print_stats(options.top)


if __name__ == "__main__":
    main()
