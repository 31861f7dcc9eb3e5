"""The run: staff first, then children in chunks, each chunk's families and their casework
written in bulk, and one audit event at the end, all in one transaction.

This is a development tool (the app is installed in dev and test settings, never in
production). It writes with ``bulk_create`` in batches and does NOT go through the domain
actions, so there is no audit event per row: the actions' job is to check and audit what a
person does, and nobody does anything here. A whole authority is millions of rows, which
per-row actions and audit events would take hours to write and would bury the audit trail in
noise. One ``synthetic.authority-generated`` event records the parameters and the counts.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable

from django.db import connection, transaction

from caseline.apps.audit.record import record_event
from caseline.apps.frontdoor.models import Contact, ContactPerson, Referral
from caseline.apps.protection.models import Section47Enquiry, StrategyDiscussion, TransferIn
from caseline.apps.synthetic.events import SyntheticEvent
from caseline.apps.synthetic.generator import families, frontdoor, held, staff, wider
from caseline.apps.synthetic.generator.core import Batch, Generation, Parameters
from caseline.apps.synthetic.generator.families import Family

CHUNK_CHILDREN = 2000


class Builder(Generation):
    """Generates the authority, all of it or nothing; call :meth:`run`."""

    def __init__(
        self, params: Parameters, *, progress: Callable[[str], None] | None = None
    ) -> None:
        super().__init__(params, progress=progress)
        self.child_ids: list[int] = []

    def run(self) -> Counter[str]:
        p = self.params
        self.say(
            f"generating {p.children:,} children over {p.years} years, "
            f"seed {p.seed}, as at {p.as_at}"
        )
        # One transaction: a generation stopped part way (killed, out of disk) leaves the
        # database as it was, empty, not a part of an authority that a second run refuses.
        with transaction.atomic():
            authority = staff.build_staff(self)
            made = 0
            next_uasc = 50  # about 1% of children are unaccompanied asylum seekers
            while made < p.children:
                people, extra = Batch(), Batch()
                # Models whose rows others refer to, first: a transfer in refers to its referral;
                # a conference to its transfer in or its enquiry (whichever a chunk meets first).
                casework = Batch.ordered(
                    Contact,
                    ContactPerson,
                    Referral,
                    TransferIn,
                    StrategyDiscussion,
                    Section47Enquiry,
                )
                chunk: list[Family] = []
                chunk_end = min(p.children, made + CHUNK_CHILDREN)
                while made < chunk_end:
                    if made >= next_uasc:
                        family = families.build_uasc(self, people, extra)
                        next_uasc += 100
                    else:
                        family = families.build_family(self, people, extra, chunk_end - made)
                    chunk.append(family)
                    made += len(family.children)
                # Contacts per child-year under 18 in the period, so the totals match the city's.
                children = [c for f in chunk for c in f.children]
                years_under_18 = sum(
                    (w[1] - w[0]).days / 365.25 for w in map(self.window, children) if w is not None
                )
                scale = (
                    frontdoor.CONTACTS_PER_CHILD_YEAR
                    * p.years
                    * len(children)
                    / max(years_under_18, 0.1)
                )
                for family in chunk:
                    frontdoor.build_casework(self, casework, family, authority, scale)
                rows = self.write(people) + self.write(extra) + self.write(casework)
                rows += self.write(self.later)
                self.later = Batch()
                self.child_ids.extend(c.pk for c in children)
                self.say(f"children {made:,}/{p.children:,}: {rows:,} rows written")
            wider.build_wider(self, authority, self.child_ids)
            held.build_held(self, authority, self.child_ids)
            self.counts["people.Person (children)"] = p.children
            self.counts.pop("_contacts", None)
            record_event(
                acting_user=None,
                event_type=SyntheticEvent.AUTHORITY_GENERATED,
                extra={
                    "children": p.children,
                    "years": p.years,
                    "seed": p.seed,
                    "as_at": p.as_at.isoformat(),
                    "counts": dict(sorted(self.counts.items())),
                },
            )
        analyse_tables()
        self.say("statistics updated (ANALYZE)")
        total = sum(v for k, v in self.counts.items() if "(" not in k)
        elapsed = time.monotonic() - self.started
        for label, count in sorted(self.counts.items()):
            self.say(f"  {label}: {count:,}")
        self.say(
            f"done: {total:,} rows in {elapsed:.1f} s ({total / max(elapsed, 1e-9):,.0f} rows/s)"
        )
        return self.counts


def analyse_tables() -> None:
    """Bring the planner's statistics up to date after the bulk load: a database that has just
    been filled plans its queries from empty tables otherwise. PostgreSQL runs VACUUM ANALYZE
    when no transaction is open (VACUUM cannot run inside one; it also sets the visibility
    map, so index-only scans work) and ANALYZE inside one; SQLite runs ANALYZE."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        elif connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
