"""What the complaints app adds to a child's record: the child's complaints, shown only to
those who hold ``COMPLAINTS_MANAGE``, and the procedure's timescale rules."""

from __future__ import annotations

import datetime

from django.urls import reverse

from caseline.apps.accounts.permissions import Permission
from caseline.apps.complaints import timescales
from caseline.apps.complaints.models import Complaint
from caseline.apps.people.contribution import RecordContribution, SummaryBlock
from caseline.apps.people.models import Person
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


CONTRIBUTION = RecordContribution(
    app_label="complaints",
    summary_blocks=complaint_summary,
    timescale_rules=timescales.RULES,
)
