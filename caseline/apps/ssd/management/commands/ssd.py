"""``caseline ssd``: the record out as a Standard Safeguarding Dataset extract, and one in."""

from __future__ import annotations

import datetime
import json
import time
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from caseline.apps.accounts.models import User
from caseline.apps.ssd.actions import export_extract
from caseline.apps.ssd.actions.feeding import write_feed_records
from caseline.apps.ssd.actions.importing import import_extract
from caseline.apps.ssd.database import DEFAULT_SCHEMA, DatabaseError
from caseline.apps.ssd.export import MANIFEST, ExportError
from caseline.apps.ssd.feed import FeedError
from caseline.apps.ssd.validate import REPORT_FILE, Checked, is_extract_folder, write_report

# Exit statuses: a request that cannot be carried out as asked (a bad folder or user); an
# import that wrote nothing (problems found); one that imported some children and set others
# aside (--partial).
BAD_INPUT = 2
NOTHING_IMPORTED = 1
SOME_IMPORTED = 3


def user_named(username: str) -> User:
    """The active user the command acts as, or a one-line refusal."""
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"--user {username}: no active user has that name.", returncode=2)
    return user


class Command(BaseCommand):
    help = "Export the record as a Standard Safeguarding Dataset extract, or import one."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="COMMAND")
        export = commands.add_parser("export", help="Write every SSD table to a folder of CSVs.")
        export.add_argument("--out", required=True, type=Path, help="The folder to write.")
        export.add_argument(
            "--user", required=True, help="The user the export is made as (needs SSD export)."
        )
        export.add_argument(
            "--database",
            help="Also load the extract into this PostgreSQL database (postgres://...), "
            "replacing the schema --schema.",
        )
        export.add_argument(
            "--schema", default=DEFAULT_SCHEMA, help="The schema to load into (default: ssd)."
        )
        export.add_argument("--quiet", action="store_true", help="Print no progress.")
        load = commands.add_parser("import", help="Check an SSD extract, then import it.")
        load.add_argument("folder", type=Path, help="The folder holding the extract's CSVs.")
        load.add_argument(
            "--user", required=True, help="The user the import is made as (needs SSD import)."
        )
        load.add_argument(
            "--system",
            help="The system the extract came from, kept with each record's source id "
            "(default: the manifest's producer, else 'ssd').",
        )
        load.add_argument(
            "--partial",
            action="store_true",
            help="Import the children whose records are clean and report the rest.",
        )
        load.add_argument(
            "--report",
            type=Path,
            help="The report file to write (default: FOLDER/import_report.csv).",
        )
        load.add_argument("--quiet", action="store_true", help="Print no progress.")
        feed = commands.add_parser(
            "feed", help="Write the DfE children's social care data feed's JSON records."
        )
        feed.add_argument("--out", required=True, type=Path, help="The folder to write.")
        feed.add_argument(
            "--user", required=True, help="The user the feed is written as (needs SSD export)."
        )
        feed.add_argument(
            "--since",
            help="Only the children whose record changed since then (YYYY-MM-DD, or "
            "YYYY-MM-DDTHH:MM:SS); without it, every child with a referral.",
        )
        feed.add_argument("--quiet", action="store_true", help="Print no progress.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "export":
            self.export(options)
        elif options["subcommand"] == "import":
            self.load(options)
        elif options["subcommand"] == "feed":
            self.feed(options)

    def feed(self, options: dict[str, Any]) -> None:
        """Write the feed's records; exit 2 on a bad argument or a record the schema refuses."""
        user = user_named(options["user"])
        since = _moment(options["since"]) if options["since"] else None
        progress = None if options["quiet"] else self.stdout.write
        try:
            fed = write_feed_records(
                acting_user=user, out=options["out"], since=since, progress=progress
            )
        except (ExportError, FeedError, PermissionDenied) as error:
            raise CommandError(str(error), returncode=BAD_INPUT) from error
        self.stdout.write(
            f"Wrote the feed (spec v{fed.manifest['spec_version']}, {fed.manifest['kind']}) to "
            f"{fed.folder}: {fed.children} children, {fed.purged} purged, "
            f"{len(fed.manifest['files'])} files."
        )

    def export(self, options: dict[str, Any]) -> None:
        user = user_named(options["user"])
        progress = None if options["quiet"] else self.stdout.write
        started = time.perf_counter()
        try:
            written = export_extract(
                acting_user=user,
                out=options["out"],
                database=options["database"],
                schema=options["schema"],
                progress=progress,
            )
        except (ExportError, DatabaseError, PermissionDenied) as error:
            raise CommandError(str(error), returncode=BAD_INPUT) from error
        seconds = time.perf_counter() - started
        held = sum(1 for count in written.rows.values() if count)
        self.stdout.write(
            f"Wrote the SSD extract (v{written.manifest['spec_version']}) to {written.folder} in "
            f"{seconds:.1f} s: {len(written.rows)} tables, {held} with rows, "
            f"{sum(written.rows.values())} rows."
            + (f" Loaded into the schema {options['schema']}." if options["database"] else "")
        )

    def load(self, options: dict[str, Any]) -> None:
        """Check and import; exit 0 when all was imported, 3 when some, 1 when none."""
        user = user_named(options["user"])
        folder: Path = options["folder"]
        if not is_extract_folder(folder):
            raise CommandError(
                f"{folder} is not a folder holding an SSD extract (no ssd_*.csv files).",
                returncode=BAD_INPUT,
            )
        report = options["report"] or folder / REPORT_FILE
        if not report.parent.is_dir():
            raise CommandError(f"--report {report}: its folder does not exist.", returncode=2)
        system = options["system"] or _producer(folder)
        progress = None if options["quiet"] else self.stdout.write
        started = time.perf_counter()
        try:
            result = import_extract(
                acting_user=user,
                folder=folder,
                system=system,
                partial=options["partial"],
                progress=progress,
            )
        except PermissionDenied as error:
            raise CommandError(str(error), returncode=BAD_INPUT) from error
        write_report(Checked(result.problems), report)
        seconds = time.perf_counter() - started
        if not result.committed:
            self.stdout.write(
                f"Imported nothing: {len(result.problems)} problems, listed in {report}."
            )
            raise SystemExit(NOTHING_IMPORTED)
        created = ", ".join(f"{t} {n}" for t, n in sorted(result.created.items())) or "none"
        self.stdout.write(
            f"Imported {result.people_imported} people from {system} in {seconds:.1f} s "
            f"(new rows: {created}; unchanged: {sum(result.unchanged.values())}; "
            f"updated: {sum(result.updated.values())}; changed but not applied: "
            f"{sum(result.changed_not_applied.values())})."
        )
        for what, changes in (("Updated", result.applied), ("Not applied", result.not_applied)):
            for table, (rows, columns) in sorted(_by_table(changes).items()):
                self.stdout.write(f"{what}: {table}, {rows} rows ({', '.join(columns)}).")
        if result.problems:
            self.stdout.write(
                f"Set aside {result.people_set_aside} people: {len(result.problems)} problems, "
                f"listed in {report}."
            )
            raise SystemExit(SOME_IMPORTED)


def _by_table(
    changes: list[tuple[str, str, tuple[str, ...]]],
) -> dict[str, tuple[int, list[str]]]:
    """Changed rows counted by table, with every column that changed in any of them."""
    found: dict[str, tuple[int, list[str]]] = {}
    for table, _, columns in changes:
        rows, seen = found.get(table, (0, []))
        found[table] = (rows + 1, seen + [c for c in columns if c not in seen])
    return found


def _moment(text: str) -> datetime.datetime:
    """``--since``: a date (its midnight) or a moment, in local time; else a one-line refusal."""
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"--since {text}: not a date; give YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS.",
            returncode=BAD_INPUT,
        ) from None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _producer(folder: Path) -> str:
    manifest = folder / MANIFEST
    if manifest.is_file():
        try:
            return str(json.loads(manifest.read_text("utf-8")).get("produced_by") or "ssd")
        except json.JSONDecodeError:
            return "ssd"
    return "ssd"
