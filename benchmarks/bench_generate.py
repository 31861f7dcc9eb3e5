"""Time ``caseline generate`` for one size and print elapsed seconds and rows per second.

    .venv/bin/python benchmarks/bench_generate.py                       # 2,000 children, 10 years
    .venv/bin/python benchmarks/bench_generate.py --children 50000 --years 10

Writes into a throwaway SQLite file (deleted afterwards) unless DATABASE_URL is set, in which
case that database must be empty and migrated. Migrating is not timed; generating is.
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


def run(args: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(  # noqa: S603 - fixed arguments, this interpreter
        [*CASELINE, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"caseline {args[0]} failed (exit {result.returncode})")
    return result.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=2000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--as-at", default="2026-11-23")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="caseline-bench-") as tmp:
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp}/generate.sqlite3"
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": SETTINGS}
        env.setdefault("DEBUG", "false")
        run(["migrate", "--verbosity", "0"], env)
        started = time.monotonic()
        output = run(
            [
                "generate",
                "--children", str(options.children),
                "--years", str(options.years),
                "--seed", str(options.seed),
                "--as-at", options.as_at,
            ],
            env,
        )  # fmt: skip
        elapsed = time.monotonic() - started
    match = re.search(r"done: ([\d,]+) rows", output)
    rows = int(match.group(1).replace(",", "")) if match else 0
    database = "SQLite (temporary file)" if "DATABASE_URL" not in os.environ else url.split("@")[-1]
    print(f"bench_generate: {options.children:,} children, {options.years} years, {database}")
    print(f"  elapsed (process, incl. start-up): {elapsed:8.1f} s")
    print("  load average after (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print(f"  rows written:                      {rows:8,}")
    print(f"  rows per second:                   {rows / elapsed:8,.0f}")
    for line in output.splitlines():
        if re.search(r"\]   \S+\.\S+: ", line):
            print("   ", line.split("]", 1)[1].strip())


if __name__ == "__main__":
    main()
