"""Time the SSD export of a whole authority to CSV, with its peak memory.

    .venv/bin/python benchmarks/bench_ssd.py                       # 2,000 children, made if missing
    .venv/bin/python benchmarks/bench_ssd.py --children 10000      # another size, its own file
    .venv/bin/python benchmarks/bench_ssd.py --load postgres://postgres@127.0.0.1:5432/ssd_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/city50k .venv/bin/python benchmarks/bench_ssd.py
    .venv/bin/python benchmarks/bench_ssd.py --import sqlite:///var/bench/ssd_imported.sqlite3
    .venv/bin/python benchmarks/bench_ssd.py --import URL --report var/bench/import_report.csv

The export runs as its own process, as an analyst runs it (``caseline ssd export``), as a user
``ssd-bench`` holding the analyst role (made once, by the system). Printed: the wall time of the
process, the time the command reports, the process's peak resident memory (``wait4``'s
``ru_maxrss``), the people exported, the rows written and the size of the extract.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASELINE = [sys.executable, "-m", "django"]
SETTINGS = os.environ.get("DJANGO_SETTINGS_MODULE", "caseline.settings.dev")
# Debug off unless asked for, as in production: with it on, Django keeps the text of every
# query an import makes (8% of its time at 50,000 children, by py-spy).
DEBUG = os.environ.get("DEBUG", "false")
USER = "ssd-bench"
MAKE_USER = f"""
from caseline.apps.accounts.actions import create_user
from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
if not User.objects.filter(username="{USER}").exists():
    create_user(acting_user=None, username="{USER}", password="unused-ssd-bench-1",
                first_name="SSD", last_name="Benchmark", roles=[Role.ANALYST])
"""
MIGRATOR = "ssd-migrator"
MAKE_MIGRATOR = f"""
from caseline.apps.accounts.actions import create_user
from caseline.apps.accounts.permissions import Role
from caseline.apps.people.models import Person
assert not Person.objects.exists(), "the database to import into must hold no people"
create_user(acting_user=None, username="{MIGRATOR}", password="unused-ssd-bench-1",
            first_name="SSD", last_name="Migrator",
            roles=[Role.ADMINISTRATOR, Role.TEAM_MANAGER, Role.FRONT_DOOR, Role.ANALYST])
"""


def run(
    args: list[str], env: dict[str, str], accept: tuple[int, ...] = (0,)
) -> tuple[str, float, float]:
    """Run one caseline command; its output, wall seconds and peak memory in MB."""
    output, seconds, peak, _ = run_timed(args, env, accept)
    return output, seconds, peak


def run_timed(
    args: list[str], env: dict[str, str], accept: tuple[int, ...] = (0,)
) -> tuple[str, float, float, float]:
    """Run one caseline command; its output, wall seconds, peak memory in MB and CPU seconds
    (user and system: on a loaded machine, wall time is mostly waiting for a core)."""
    started = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603 - fixed arguments, this interpreter
        [*CASELINE, *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) not in accept:
        sys.stderr.write(output)
        raise SystemExit(f"caseline {' '.join(args[:2])} failed")
    return output, seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=2000, help="for a new database")
    parser.add_argument("--years", type=int, default=6, help="for a new database")
    parser.add_argument(
        "--load", metavar="URL", help="also time the export with --database URL (PostgreSQL)"
    )
    parser.add_argument(
        "--import",
        dest="import_into",
        metavar="URL",
        help="then import the CSV extract into this empty database and time it",
    )
    parser.add_argument(
        "--report",
        metavar="FILE",
        type=Path,
        help="with --import: keep the import's report of the people set aside in this file",
    )
    options = parser.parse_args()
    default_db = ROOT / "var" / "bench" / f"ssd_{options.children}.sqlite3"
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{default_db}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": SETTINGS, "DEBUG": DEBUG}
    if url == f"sqlite:///{default_db}" and not default_db.exists():
        default_db.parent.mkdir(parents=True, exist_ok=True)
        run(["migrate", "--verbosity", "0"], env)
        print(f"bench_ssd: generating {options.children:,} children into {default_db}")
        run(
            [
                "generate",
                "--children",
                str(options.children),
                "--years",
                str(options.years),
                "--seed",
                "7",
                "--quiet",
            ],
            env,
        )
    run(["shell", "-c", MAKE_USER], env)
    print(f"bench_ssd: {url.split('@')[-1]}")
    print(
        f"{'step':<26} {'people':>8} {'rows':>10} {'MB':>7} {'export s':>9} {'wall s':>7} "
        f"{'peak MB':>8}"
    )
    steps: list[tuple[str, list[str]]] = [("ssd export (CSV)", [])]
    if options.load:
        steps.append(("ssd export --database", ["--database", options.load]))
    with tempfile.TemporaryDirectory() as folder:
        for label, extra in steps:
            out = Path(folder) / "extract"
            output, wall, peak = run(
                ["ssd", "export", "--out", str(out), "--user", USER, "--quiet", *extra], env
            )
            found = re.search(r"in ([\d.]+) s: (\d+) tables, (\d+) with rows, (\d+) rows", output)
            size = sum(path.stat().st_size for path in out.iterdir()) / 1e6
            people = sum(1 for _ in (out / "ssd_person.csv").open(encoding="utf-8")) - 1
            if found is None:
                raise SystemExit(f"bench_ssd: unexpected output: {output}")
            print(
                f"{label:<26} {people:>8,} {int(found.group(4)):>10,} {size:>7.1f} "
                f"{float(found.group(1)):>9.1f} {wall:>7.1f} {peak:>8.0f}"
            )
        if options.import_into:
            time_import(Path(folder) / "extract", options.import_into, options.report)


def time_import(extract: Path, url: str, report: Path | None = None) -> None:
    """Import ``extract`` into the empty database at ``url`` and print what it took."""
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": SETTINGS, "DEBUG": DEBUG}
    run(["migrate", "--verbosity", "0"], env)
    run(["shell", "-c", MAKE_MIGRATOR], env)
    report = (report or extract.parent / "import_report.csv").resolve()
    output, wall, peak, cpu = run_timed(
        [
            "ssd",
            "import",
            str(extract),
            "--user",
            MIGRATOR,
            "--partial",
            "--quiet",
            "--report",
            str(report),
        ],
        env,
        accept=(0, 3),  # all imported, or some set aside
    )
    imported = re.search(r"Imported (\d+) people .* in ([\d.]+) s", output)
    aside = re.search(r"Set aside (\d+) people: (\d+) problems", output)
    if imported is None:
        raise SystemExit(f"bench_ssd: unexpected output: {output}")
    print(f"bench_ssd: import into {url.split('@')[-1]}")
    set_aside, problems = (int(aside.group(1)), int(aside.group(2))) if aside else (0, 0)
    print(
        f"ssd import --partial: {int(imported.group(1)):,} people imported, "
        f"{set_aside:,} set aside ({problems:,} problems); "
        f"import {float(imported.group(2)):.1f} s, wall {wall:.1f} s, CPU {cpu:.1f} s, "
        f"peak {peak:.0f} MB"
    )
    print(output.strip())


if __name__ == "__main__":
    main()
