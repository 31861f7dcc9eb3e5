"""Time the director's page (24 monthly trends of the headline measures), the team manager's
week and the child's journey.

    .venv/bin/python benchmarks/bench_dashboards.py             # 2,000 children, made if missing
    .venv/bin/python benchmarks/bench_dashboards.py --children 1000

Uses the same generated SQLite authority as ``bench_indicators.py`` (``var/bench/``) or
``DATABASE_URL``. Printed: wall time and queries of each of ``--runs`` runs, and for the trend
the time of one month's engine pass, the daily job's 24 (ADR 0038) and the director's page
reading what the job kept.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--as-at", default="2026-03-31")
    parser.add_argument("--children", type=int, default=2000, help="for a new database")
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    default_db = ROOT / "var" / "bench" / f"indicators-{options.children}.sqlite3"
    url = os.environ.setdefault("DATABASE_URL", f"sqlite:///{default_db}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caseline.settings.dev")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from caseline.apps.accounts.models import Team
    from caseline.apps.indicators import dashboards, journey, team_week
    from caseline.apps.indicators.actions import count_trends
    from caseline.apps.indicators.engine import Context, compute_all
    from caseline.apps.indicators.periods import AUTHORITY, PeriodKind, make_period
    from caseline.apps.indicators.trends import month_ends
    from caseline.apps.people.models import Person

    if url == f"sqlite:///{default_db}" and not default_db.exists():
        default_db.parent.mkdir(parents=True, exist_ok=True)
        call_command("migrate", verbosity=0)
    if not Person.objects.exists():
        print(f"bench_dashboards: generating {options.children:,} children into {url}")
        call_command(
            "generate", "--children", str(options.children), "--years", "6",
            "--seed", "7", "--as-at", "2026-11-23", "--quiet",
        )  # fmt: skip
    as_at = datetime.date.fromisoformat(options.as_at)
    children = Person.objects.count()
    manager_team = Team.objects.filter(manager__isnull=False).select_related("manager").first()

    def timed(name: str, work: object) -> None:
        for run in range(1, options.runs + 1):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                work()  # type: ignore[operator]
                seconds = time.perf_counter() - started
            print(f"{name:<34} run {run}: {seconds:7.3f} s, {len(queries):5d} queries")

    print(f"{children:,} people, as at {as_at}, {connection.vendor}")
    headline = dashboards.headline()
    month = Context(as_at, make_period(PeriodKind.LAST_12_MONTHS, as_at))
    timed("headline measures, one month", lambda: compute_all(headline, month, AUTHORITY))
    ends = month_ends(as_at)
    timed(
        "daily job: 24 months, authority",
        lambda: count_trends(scopes=[AUTHORITY], month_ends=ends, indicators=headline),
    )
    timed("director's page (months kept)", lambda: dashboards.director_page(AUTHORITY, as_at))
    year = make_period(PeriodKind.COLLECTION_YEAR, as_at)
    timed("child's journey (collection year)", lambda: journey.flow(as_at, year, AUTHORITY))
    if manager_team is not None and manager_team.manager is not None:
        user = manager_team.manager
        timed("team manager's week", lambda: team_week.analysis(user, as_at))


if __name__ == "__main__":
    main()
