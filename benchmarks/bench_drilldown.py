"""Time indicators' drill-down lists through the page: the indicator computed, narrowed to
the children the user may see, paged, named, audited and rendered.

    DATABASE_URL=sqlite:///$PWD/var/bench/copy.sqlite3 \\
        .venv/bin/python benchmarks/bench_drilldown.py
    .venv/bin/python benchmarks/bench_drilldown.py --codes FD1,LA3 --repeat 20

Requests ``/indicators/<code>/`` in this process with Django's test client as ``drill-bench``
(an analyst, who may see every child; made once, by the system), for the authority over the
collection year holding ``--as-at``. By default the five indicators with the most rows are
timed (the longest lists), each ``--repeat`` times after one request to warm up, at page 1
and at the middle page in turn. Printed per indicator: its rows, the median and the 95th
percentile of the request's wall time and of this process's CPU time in it (on a machine
whose cores others share, the wall time includes waiting for a core), and its queries. The
warm-up request is made with the results cache empty (``engine.RESULTS``), as after a write:
it counts the indicator, and is printed as "first"; the timed ones find its rows kept, as a
drill-down after the page that showed the figure does.

Each request runs in a transaction rolled back afterwards, so the audit rows it writes (one
per child shown) are not kept; the user and its session are the only rows left behind. Run
it against a database of your own (a copy, not one others are measuring).
"""

from __future__ import annotations

import argparse
import datetime
import math
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
USER = "drill-bench"


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile of ``values`` (``share`` 0.95 for the 95th)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--as-at", default="2026-03-31")
    parser.add_argument("--codes", default="", help="comma-separated; default the 5 longest")
    parser.add_argument("--repeat", type=int, default=20)
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caseline.settings.dev")
    os.environ.setdefault("DEBUG", "false")

    import django

    django.setup()
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from caseline.apps.accounts.actions import create_user
    from caseline.apps.accounts.models import User
    from caseline.apps.accounts.permissions import Role
    from caseline.apps.indicators.catalogue import INDICATORS
    from caseline.apps.indicators.engine import RESULTS, Context, compute_all
    from caseline.apps.indicators.periods import AUTHORITY, PeriodKind, make_period
    from caseline.apps.indicators.views import ROWS_PER_PAGE

    as_at = datetime.date.fromisoformat(options.as_at)
    results = compute_all(
        INDICATORS, Context(as_at, make_period(PeriodKind.COLLECTION_YEAR, as_at)), AUTHORITY
    )
    rows = {result.indicator.code: len(result.rows) for result in results}
    codes = [c for c in options.codes.split(",") if c] or sorted(rows, key=lambda c: -rows[c])[:5]

    if not User.objects.filter(username=USER).exists():
        create_user(
            acting_user=None, username=USER, password="unused-drill-bench-1",  # noqa: S106
            first_name="Drill", last_name="Benchmark", roles=[Role.ANALYST],
        )  # fmt: skip
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=USER))
    query = (
        f"as_at_day={as_at.day}&as_at_month={as_at.month}&as_at_year={as_at.year}"
        f"&period={PeriodKind.COLLECTION_YEAR.value}&scope=authority"
    )
    print(
        f"bench_drilldown: {connection.settings_dict['NAME']}, as at {as_at}, "
        f"{options.repeat} requests each (pages 1 and middle in turn)"
    )
    for code in codes:
        middle = max(1, math.ceil(rows[code] / ROWS_PER_PAGE) // 2)
        timings: list[float] = []
        cpu_times: list[float] = []
        queries = 0
        first = (0.0, 0.0)
        RESULTS.clear()
        for n in range(options.repeat + 1):
            page = 1 if n % 2 == 0 else middle
            with transaction.atomic(), CaptureQueriesContext(connection) as captured:
                started, cpu = time.perf_counter(), time.process_time()
                response = client.get(f"/indicators/{code}/?{query}&page={page}")
                elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
                transaction.set_rollback(True)
            if response.status_code != 200:
                raise SystemExit(
                    f"bench_drilldown: {code} page {page} answered {response.status_code}"
                )
            if not n:  # the first counts the indicator and warms up
                first = (elapsed * 1000, cpu * 1000)
            else:
                timings.append(elapsed * 1000)
                cpu_times.append(cpu * 1000)
                queries = len(captured)
        print(
            f"{code}: {rows[code]:,} rows, median {statistics.median(timings):.0f} ms, "
            f"p95 {percentile(timings, 0.95):.0f} ms (CPU: median "
            f"{statistics.median(cpu_times):.0f} ms, p95 {percentile(cpu_times, 0.95):.0f} ms), "
            f"{queries} queries; first {first[0]:.0f} ms ({first[1]:.0f} ms CPU)"
        )


if __name__ == "__main__":
    main()
