"""Time the whole indicator set for the authority, as at a date, and its slowest indicators.

    .venv/bin/python benchmarks/bench_indicators.py                # 2,000 children, made if missing
    .venv/bin/python benchmarks/bench_indicators.py --children 10000   # a 10,000-child SQLite one
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/city50k \\
        .venv/bin/python benchmarks/bench_indicators.py --as-at 2026-03-31

Runs in this process against ``DATABASE_URL`` (default: a generated SQLite authority in
``var/bench/``, one file per size). Each run computes every indicator for the authority over
the collection year holding the as-at date in one call, the way ``caseline indicators`` and
the analyst's page do; printed: the wall time of each of ``--runs`` runs (the first reads the
database cold for this process) and the CPU time this process and the child counting the
children's care used in it (ADR 0045; on a machine whose cores others share, the wall time
includes waiting for a core; the CPU time does not, nor a database server's work), the
queries this process made, and the five slowest indicators timed one call
each afterwards (``--each``: every one, in ms; an indicator reading what an earlier one read,
such as the SSDA903's records, shows only its own cost). Each run starts with the results
cache empty (``engine.RESULTS``), so it counts; a last line times the whole set once more
with the results kept since the record last changed (what a page showing figures already
worked out costs).
"""

from __future__ import annotations

import argparse
import datetime
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--as-at", default="2026-03-31")
    parser.add_argument("--period", default="collection-year")
    parser.add_argument("--children", type=int, default=2000, help="for a new database")
    parser.add_argument("--years", type=int, default=6, help="for a new database")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--each", action="store_true", help="print every indicator's time")
    options = parser.parse_args()
    default_db = ROOT / "var" / "bench" / f"indicators-{options.children}.sqlite3"
    url = os.environ.setdefault("DATABASE_URL", f"sqlite:///{default_db}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caseline.settings.dev")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from caseline.apps.indicators.catalogue import INDICATORS
    from caseline.apps.indicators.engine import RESULTS, Context, compute_all
    from caseline.apps.indicators.parallel import processes
    from caseline.apps.indicators.periods import AUTHORITY, make_period
    from caseline.apps.people.models import Person

    if url == f"sqlite:///{default_db}" and not default_db.exists():
        default_db.parent.mkdir(parents=True, exist_ok=True)
        call_command("migrate", verbosity=0)
    if not Person.objects.exists():
        print(f"bench_indicators: generating {options.children:,} children into {url}")
        call_command(
            "generate", "--children", str(options.children), "--years", str(options.years),
            "--seed", "7", "--as-at", "2026-11-23", "--quiet",
        )  # fmt: skip
    as_at = datetime.date.fromisoformat(options.as_at)
    period = make_period(options.period, as_at)
    people = Person.objects.count()
    print(
        f"bench_indicators: {url.split('@')[-1]}, {people:,} people, {len(INDICATORS)} "
        f"indicators as at {as_at} ({period.label})"
    )
    print(f"bench_indicators: counted in {processes()} process(es) (CASELINE_INDICATOR_PROCESSES)")
    for run in range(1, options.runs + 1):
        reset_queries()
        RESULTS.clear()
        with CaptureQueriesContext(connection) as queries:
            started, cpu, forked = time.perf_counter(), time.process_time(), _children_cpu()
            compute_all(INDICATORS, Context(as_at, period), AUTHORITY)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            forked = _children_cpu() - forked
        print(
            f"run {run}: whole set {seconds:.2f} s ({cpu:.2f} s of this process's CPU, "
            f"{forked:.2f} s of the counting child's), {len(queries)} queries in this process"
        )
    # Each indicator timed on its own call, in catalogue order, sharing one context as the
    # whole set does (so an indicator reading what an earlier one read shows only its cost).
    timings: dict[str, float] = {}
    RESULTS.clear()
    context = Context(as_at, period)
    for indicator in INDICATORS:
        began = time.perf_counter()
        compute_all([indicator], context, AUTHORITY)
        timings[indicator.code] = time.perf_counter() - began
    with CaptureQueriesContext(connection) as queries:
        started, cpu = time.perf_counter(), time.process_time()
        compute_all(INDICATORS, Context(as_at, period), AUTHORITY)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"kept: whole set {seconds * 1000:.1f} ms ({cpu * 1000:.1f} ms CPU) with the results "
        f"kept since the record last changed, {len(queries)} queries"
    )
    slowest = sorted(timings.items(), key=lambda item: -item[1])[:5]
    print(
        "slowest (timed one by one): "
        + ", ".join(f"{code} {s * 1000:.0f} ms" for code, s in slowest)
    )
    if options.each:
        print(
            "each (timed one by one): "
            + ", ".join(f"{c} {s * 1000:.0f}" for c, s in timings.items())
        )


def _children_cpu() -> float:
    """CPU seconds used by this process's ended children (the counting child, ADR 0045)."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


if __name__ == "__main__":
    main()
