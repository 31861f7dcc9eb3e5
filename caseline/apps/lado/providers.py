"""What the lado app adds to a child's record: a link to the allegations that name the child
and their chronology entries, shown only to those who hold ``LADO_MANAGE`` (neither names the
adult), and its timescale rules."""

from __future__ import annotations

import datetime

from django.urls import reverse

from caseline.apps.accounts.permissions import Permission
from caseline.apps.lado import timescales
from caseline.apps.lado.models import Allegation, AllegationChild
from caseline.apps.people.contribution import (
    Category,
    ChronologyEntry,
    RecordContribution,
    SummaryBlock,
)
from caseline.apps.people.models import Person
from caseline.apps.people.queries import RecordsHeld
from caseline.apps.timescales.rules import format_date


def allegation_summary(person: Person, as_at: datetime.date) -> list[SummaryBlock]:
    """One block listing the allegations that name the child, by reference and status."""
    ids = AllegationChild.objects.filter(person=person).values("allegation_id")
    items = list(
        Allegation.objects.filter(pk__in=ids, received_date__lte=as_at)
        .only("pk", "received_date", "outcome", "outcome_date")
        .order_by("-received_date")
    )
    if not items:
        return []
    rows = [
        (
            a.reference,
            f"Received {format_date(a.received_date)}: "
            + (a.get_outcome_display() if a.outcome else "open"),
        )
        for a in items
    ]
    return [
        SummaryBlock(
            order=95,
            title="Allegations against adults (LADO)",
            rows=rows,
            link_text="Allegations naming this child",
            link_href=reverse("lado:child", args=[person.pk]),
            permission=Permission.LADO_MANAGE,
        )
    ]


def chronology(person: Person, held: RecordsHeld) -> list[ChronologyEntry]:
    """Each allegation naming the child: received, and its outcome. By reference only (no
    adult, no employer, nothing of what was alleged), for holders of ``LADO_MANAGE``. One
    query, only where the child is named on one."""
    ids = held.rows(AllegationChild).values("allegation_id")
    items = Allegation.objects.filter(pk__in=ids).only(
        "pk", "received_date", "sector", "outcome", "outcome_date"
    )
    href = reverse("lado:child", args=[person.pk])
    entries: list[ChronologyEntry] = []
    for a in items.order_by("received_date", "pk"):
        common = {
            "category": Category.PROTECTION,
            "source": "Designated officer (LADO)",
            "href": href,
            "permission": Permission.LADO_MANAGE,
        }
        entries.append(
            ChronologyEntry(
                date=a.received_date,
                what_happened=f"Allegation against an adult who works with children "
                f"({a.get_sector_display().lower()}) received by the designated officer: "
                f"{a.reference}.",
                why_it_matters="The child may have been harmed by an adult in a position of "
                "trust; the allegations procedure applies.",
                significant=True,
                **common,  # type: ignore[arg-type]
            )
        )
        if a.outcome and a.outcome_date:
            entries.append(
                ChronologyEntry(
                    date=a.outcome_date,
                    what_happened=f"Allegation {a.reference} concluded: "
                    f"{a.get_outcome_display().lower()}.",
                    **common,  # type: ignore[arg-type]
                )
            )
    return entries


CONTRIBUTION = RecordContribution(
    app_label="lado",
    summary_blocks=allegation_summary,
    chronology=chronology,
    chronology_from_own_records=True,
    timescale_rules=timescales.RULES,
)
