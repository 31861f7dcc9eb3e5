"""Count the queries and CPU time of an SSD import, run in this process.

    DATABASE_URL=sqlite:///var/bench/n.sqlite3 .venv/bin/python benchmarks/count_ssd_import.py DIR

``DIR`` is a folder written by ``caseline ssd export`` (``bench_ssd.py`` writes one to a
temporary folder; ``caseline ssd export --out DIR`` keeps one). The database must be new or hold
no people: it is migrated, a migrating user made (as ``bench_ssd.py`` makes one), and the extract
imported with ``--partial``, every query counted through ``connection.execute_wrapper``.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caseline.settings.dev")


def main() -> None:
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from caseline.apps.accounts.actions import create_user
    from caseline.apps.accounts.permissions import Role

    call_command("migrate", verbosity=0)
    create_user(
        acting_user=None,
        username="ssd-migrator",
        password=None,
        first_name="SSD",
        last_name="Migrator",
        roles=[Role.ADMINISTRATOR, Role.TEAM_MANAGER, Role.FRONT_DOOR, Role.ANALYST],
    )
    count = 0

    def counted(execute: Callable[..., Any], *args: Any) -> Any:
        nonlocal count
        count += 1
        return execute(*args)

    started = time.process_time()
    with connection.execute_wrapper(counted):
        try:
            call_command(
                "ssd", "import", sys.argv[1], "--user", "ssd-migrator", "--partial", "--quiet"
            )
        except SystemExit as exited:  # 3: some people set aside
            print(f"ssd import exited with {exited.code}")
    print(f"{count:,} queries, {time.process_time() - started:.1f} s of CPU")


if __name__ == "__main__":
    main()
