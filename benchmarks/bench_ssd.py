"""Time the SSD export of a whole authority to CSV, with its peak memory.

    .venv/bin/python benchmarks/bench_ssd.py                       # 2,000 children, made if missing
    .venv/bin/python benchmarks/bench_ssd.py --children 10000      # another size, its own file
    .venv/bin/python benchmarks/bench_ssd.py --load postgres://postgres@127.0.0.1:5432/ssd_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/city50k .venv/bin/python benchmarks/bench_ssd.py

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
USER = "ssd-bench"
MAKE_USER = f"""
from caseline.apps.accounts.actions import create_user
from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
if not User.objects.filter(username="{USER}").exists():
    create_user(acting_user=None, username="{USER}", password="unused-ssd-bench-1",
                first_name="SSD", last_name="Benchmark", roles=[Role.ANALYST])
"""


def run(args: list[str], env: dict[str, str]) -> tuple[str, float, float]:
    """Run one caseline command; its output, wall seconds and peak memory in MB."""
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
    if os.waitstatus_to_exitcode(status) != 0:
        sys.stderr.write(output)
        raise SystemExit(f"caseline {' '.join(args[:2])} failed")
    return output, seconds, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=2000, help="for a new database")
    parser.add_argument("--years", type=int, default=6, help="for a new database")
    parser.add_argument(
        "--load", metavar="URL", help="also time the export with --database URL (PostgreSQL)"
    )
    options = parser.parse_args()
    default_db = ROOT / "var" / "bench" / f"ssd_{options.children}.sqlite3"
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{default_db}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": SETTINGS}
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
    for label, extra in steps:
        with tempfile.TemporaryDirectory() as folder:
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


if __name__ == "__main__":
    main()
