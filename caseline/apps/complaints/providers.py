"""What the complaints app adds to a child's record: the child's complaints and their
chronology entries, shown only to those who hold ``COMPLAINTS_MANAGE``, and the procedure's
timescale rules."""

from __future__ import annotations

import datetime

from django.urls import reverse

from caseline.apps.accounts.permissions import Permission
from caseline.apps.complaints import timescales
from caseline.apps.complaints.models import Complaint, ComplaintStage
from caseline.apps.people.contribution import (
    Category,
    ChronologyEntry,
    RecordContribution,
    SummaryBlock,
)
from caseline.apps.people.models import Person
from caseline.apps.people.queries import RecordsHeld
from caseline.apps.timescales.rules import format_date


def complaint_summary(person: Person, as_at: datetime.date) -> list[SummaryBlock]:
    """One block listing the child's complaints by reference, date and theme."""
    items = list(
        Complaint.objects.filter(person=person, received_date__lte=as_at)
        .only("pk", "received_date", "theme")
        .order_by("-received_date")
    )
    if not items:
        return []
    rows = [
        (c.reference, f"Received {format_date(c.received_date)}: {c.get_theme_display()}")
        for c in items
    ]
    return [
        SummaryBlock(
            order=96,
            title="Complaints",
            rows=rows,
            link_text="The child's complaints",
            link_href=reverse("complaints:child", args=[person.pk]),
            permission=Permission.COMPLAINTS_MANAGE,
        )
    ]


def chronology(person: Person, held: RecordsHeld) -> list[ChronologyEntry]:
    """Each complaint about the child's service: received (by whom, about what), and each
    stage's response with its outcome. For holders of ``COMPLAINTS_MANAGE`` only; no
    complainant's name. Two queries, only where the child has a complaint."""
    complaints = list(held.rows(Complaint).order_by("received_date", "pk"))
    stages = ComplaintStage.objects.filter(
        complaint_id__in=[c.pk for c in complaints], completed_date__isnull=False
    ).order_by("completed_date", "pk")
    href = reverse("complaints:child", args=[person.pk])
    common = {
        "category": Category.OVERSIGHT,
        "source": "Complaints",
        "href": href,
        "permission": Permission.COMPLAINTS_MANAGE,
    }
    references = {c.pk: c.reference for c in complaints}
    entries = [
        ChronologyEntry(
            date=c.received_date,
            what_happened=f"Complaint {c.reference} received from "
            f"{c.get_complainant_display()[0].lower()}{c.get_complainant_display()[1:]}, "
            f"about {c.get_theme_display().lower()}.",
            **common,  # type: ignore[arg-type]
        )
        for c in complaints
    ]
    entries += [
        ChronologyEntry(
            date=stage.completed_date,  # type: ignore[arg-type]
            what_happened=f"Complaint {references[stage.complaint_id]}: "
            f"{stage.get_stage_display().lower()} completed"
            + (f", {stage.get_outcome_display().lower()}." if stage.outcome else "."),
            **common,  # type: ignore[arg-type]
        )
        for stage in stages
    ]
    return entries if complaints else []


CONTRIBUTION = RecordContribution(
    app_label="complaints",
    summary_blocks=complaint_summary,
    chronology=chronology,
    chronology_from_own_records=True,
    timescale_rules=timescales.RULES,
)
