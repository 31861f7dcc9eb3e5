"""Time producing Ofsted's Annex A for a generated authority, with its peak memory.

    .venv/bin/python benchmarks/bench_annex_a.py                   # 2,000 children
    .venv/bin/python benchmarks/bench_annex_a.py --children 10000  # 10,000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/city50k \\
        .venv/bin/python benchmarks/bench_annex_a.py --as-at 2026-11-30

It runs ``caseline returns annex-a`` as its own process, as an analyst or the worker runs it,
``--repeat`` times, and prints for each run: the wall time of the process, the time the
command reports for producing the workbook alone (reading the eleven lists and writing the
xlsx), the process's peak resident memory (``wait4``'s ``ru_maxrss``) and the rows of each
list. Without a DATABASE_URL, a SQLite authority of ``--children`` is generated up to the as-at
date into ``var/bench/`` the first time. The issue's target: under 10 s
for the 50,000-child authority.
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
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.stderr.write(output)
        raise SystemExit(f"caseline {' '.join(args[:2])} failed (exit {code})")
    return output, seconds, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--as-at", default="2026-11-30")
    parser.add_argument("--children", type=int, default=2000, help="for a new database")
    parser.add_argument("--years", type=int, default=6, help="for a new database")
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    database = ROOT / "var" / "bench" / f"annex_a_{options.children}.sqlite3"
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{database}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": SETTINGS}
    if url == f"sqlite:///{database}" and not database.exists():
        database.parent.mkdir(parents=True, exist_ok=True)
        run(["migrate", "--verbosity", "0"], env)
        print(f"bench_annex_a: generating {options.children:,} children into {database}")
        run(["generate", "--children", str(options.children), "--years", str(options.years),
             "--seed", "7", "--as-at", options.as_at, "--quiet"], env)  # fmt: skip
    print(f"bench_annex_a: {url.split('@')[-1]}, as at {options.as_at}")
    print(f"{'run':<5} {'children':>9} {'produce s':>10} {'wall s':>8} {'peak MB':>8}  rows")
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "annex_a.xlsx"
        for number in range(1, options.repeat + 1):
            output, seconds, peak = run(
                ["returns", "annex-a", "--as-at", options.as_at, "--out", str(out), "--quiet"], env
            )
            found = re.search(r"for (\d+) children in ([\d.]+) s: (.*)\.$", output, re.MULTILINE)
            if found is None:
                raise SystemExit(f"bench_annex_a: unexpected output\n{output}")
            children, produced, rows = int(found[1]), float(found[2]), found[3]
            print(
                f"{number:<5} {children:>9,} {produced:>10.1f} {seconds:>8.1f} {peak:>8.0f}  {rows}"
            )
        print(f"workbook: {out.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
