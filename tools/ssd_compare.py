"""Run the comparison of two authorities that ``docs/ssd.md`` shows, in PostgreSQL and DuckDB.

    .venv/bin/python tools/ssd_compare.py postgres://postgres@127.0.0.1:5432/caseline_ssd

Two authorities are generated into two SQLite databases beside each other (300 children,
3 years, seeds 11 and 12, as at 2026-11-02), each exported with ``caseline ssd export`` to a
folder of CSVs and loaded into the PostgreSQL database given (schemas ``la_a`` and ``la_b``,
replaced); then the page's PostgreSQL query runs over the schemas and its DuckDB query over
the CSVs, both are printed, and the script fails if they disagree. The queries are read from
``docs/ssd.md`` itself (the SQL blocks of "Comparing authorities"), so the page shows what runs.
``caseline/apps/ssd/tests/test_compare.py`` does the same on two small authorities.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "ssd.md"
SECTION = "## Comparing authorities"
Result = list[tuple[Any, ...]]


def queries() -> tuple[str, str]:
    """The page's PostgreSQL query and its DuckDB query (the first two ``sql`` blocks of the
    section), as the page prints them."""
    text = DOCS.read_text("utf-8")
    section = text[text.index(SECTION) :]
    section = section[: section.find("\n## ", len(SECTION))]
    blocks = re.findall(r"```sql\n(.*?)```", section, flags=re.DOTALL)
    if len(blocks) < 2:
        raise SystemExit(f"{DOCS}: '{SECTION}' needs a PostgreSQL and a DuckDB sql block")
    return blocks[0], blocks[1]


def normal(rows: Result) -> Result:
    """Rows with every number as a float rounded to one place, so the engines compare."""
    return [
        tuple(round(float(v), 1) if isinstance(v, (int, float, Decimal)) else v for v in row)
        for row in rows
    ]


def run_postgres(url: str) -> Result:
    """The PostgreSQL query over the schemas ``la_a`` and ``la_b`` of ``url``."""
    import psycopg

    with psycopg.connect(url) as connection:
        return normal(list(connection.execute(queries()[0]).fetchall()))


def run_duckdb(folder: Path) -> Result:
    """The DuckDB query over ``folder/extract_a`` and ``folder/extract_b``'s CSVs."""
    import duckdb

    connection = duckdb.connect()
    try:
        previous = os.getcwd()
        os.chdir(folder)  # the page's query names the extracts relative to where it runs
        try:
            return normal(connection.execute(queries()[1]).fetchall())
        finally:
            os.chdir(previous)
    finally:
        connection.close()


def table(rows: Result) -> str:
    """Rows as the page prints them."""
    header = ("la", "referrals", "nfa_percent", "re_referral_percent")
    lines = [" | ".join(header)]
    lines += [" | ".join(str(v) for v in row) for row in rows]
    return "\n".join(lines)


MAKE_ANALYST = """
from caseline.apps.accounts.actions import create_user
from caseline.apps.accounts.permissions import Role
create_user(acting_user=None, username="analyst", password="unused-ssd-compare-1",
            first_name="SSD", last_name="Analyst", roles=[Role.ANALYST])
"""


def _caseline(args: list[str], database: Path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "caseline.settings.dev",
        "PYTHONPATH": str(ROOT),
    }
    subprocess.run(  # noqa: S603 - fixed arguments, this interpreter
        [sys.executable, "-m", "django", *args], cwd=ROOT, env=env, check=True
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database", help="the PostgreSQL database to load into (postgres://...)")
    parser.add_argument("--children", type=int, default=300)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ssd-compare-") as work:
        folder = Path(work)
        for la, seed in (("a", 11), ("b", 12)):
            database = folder / f"la_{la}.sqlite3"
            _caseline(["migrate", "--verbosity", "0"], database)
            _caseline(["shell", "-c", MAKE_ANALYST], database)
            _caseline(
                [
                    "generate",
                    "--children",
                    str(options.children),
                    "--years",
                    "3",
                    "--seed",
                    str(seed),
                    "--as-at",
                    "2026-11-02",
                    "--quiet",
                ],
                database,
            )
            _caseline(
                [
                    "ssd",
                    "export",
                    "--out",
                    str(folder / f"extract_{la}"),
                    "--user",
                    "analyst",
                    "--database",
                    options.database,
                    "--schema",
                    f"la_{la}",
                    "--quiet",
                ],
                database,
            )
        postgres, duck = run_postgres(options.database), run_duckdb(folder)
    print("PostgreSQL, over the schemas la_a and la_b:")
    print(table(postgres))
    print("DuckDB, over the CSVs:")
    print(table(duck))
    if postgres != duck:
        raise SystemExit("The two engines disagree.")
    print("The two agree.")


if __name__ == "__main__":
    main()
