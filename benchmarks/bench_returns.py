"""Time producing each DfE return, and the validator checking it, with their peak memory.

    .venv/bin/python benchmarks/bench_returns.py              # 2,000 children, made if missing
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/city50k \\
        .venv/bin/python benchmarks/bench_returns.py --year 2026

Each step runs as its own process, as an analyst or the worker runs it: ``caseline returns
cin-census``, ``caseline returns ssda903`` (this year and the previous, which the validator
reads), then ``caseline returns validate`` on each. Printed: the wall time of the process and
the time the command reports for producing the return alone (both include nothing else), the
process's peak resident memory (``wait4``'s ``ru_maxrss``), and what the return holds.
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
DEFAULT_DB = ROOT / "var" / "bench" / "returns.sqlite3"


def run(args: list[str], env: dict[str, str], *, check: bool = True) -> tuple[str, float, float]:
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
    if check and code not in (0, 1):  # 1: the validator found errors, reported below
        sys.stderr.write(output)
        raise SystemExit(f"caseline {' '.join(args[:2])} failed (exit {code})")
    return output, seconds, usage.ru_maxrss / 1024


def produced_seconds(output: str) -> float:
    found = re.search(r"for (\d+) children in ([\d.]+) s", output)
    return float(found.group(2)) if found else float("nan")


def children(output: str) -> int:
    found = re.search(r"for (\d+) children", output)
    return int(found.group(1)) if found else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--children", type=int, default=2000, help="for a new database")
    parser.add_argument("--years", type=int, default=6, help="for a new database")
    options = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_DB}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": SETTINGS}
    if url == f"sqlite:///{DEFAULT_DB}" and not DEFAULT_DB.exists():
        DEFAULT_DB.parent.mkdir(parents=True, exist_ok=True)
        run(["migrate", "--verbosity", "0"], env)
        print(f"bench_returns: generating {options.children:,} children into {DEFAULT_DB}")
        run(["generate", "--children", str(options.children), "--years", str(options.years),
             "--seed", "7", "--quiet"], env)  # fmt: skip
    year, previous = str(options.year), str(options.year - 1)
    print(f"bench_returns: {url.split('@')[-1]}, collection year {year}")
    print(f"{'step':<34} {'children':>9} {'produce s':>10} {'wall s':>8} {'peak MB':>8}")
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        steps = [
            ("CIN census", ["returns", "cin-census", "--year", year,
                            "--out", str(out / "cin.xml"), "--quiet"]),
            ("SSDA903", ["returns", "ssda903", "--year", year,
                         "--out", str(out / "903"), "--quiet"]),
            ("SSDA903 previous year", ["returns", "ssda903", "--year", previous,
                                       "--out", str(out / "903-previous"), "--quiet"]),
        ]  # fmt: skip
        for label, args in steps:
            output, seconds, peak = run(args, env)
            print(
                f"{label:<34} {children(output):>9,} {produced_seconds(output):>10.1f} "
                f"{seconds:>8.1f} {peak:>8.0f}"
            )
        lookups = out / "903" / "provider_lookups"
        checks = [
            ("validate CIN census", ["returns", "validate", "cin-census", str(out / "cin.xml")]),
            ("validate SSDA903 (with previous)", [
                "returns", "validate", "ssda903", str(out / "903"), "--year", year,
                "--previous", str(out / "903-previous"),
                "--children-homes", str(lookups / "ofsted_childrens_homes.xlsx"),
                "--social-care-providers", str(lookups / "ofsted_social_care_providers.xlsx"),
            ]),
        ]  # fmt: skip
        for label, args in checks:
            output, seconds, peak = run(args, env)
            summary = output.strip().splitlines()[-1] if output.strip() else ""
            print(f"{label:<34} {'':>9} {'':>10} {seconds:>8.1f} {peak:>8.0f}  {summary}")
        print("peak MB: the largest of the process and those it ran (the validator included)")


if __name__ == "__main__":
    main()
