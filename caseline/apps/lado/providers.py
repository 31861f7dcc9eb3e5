"""What the lado app adds to a child's record: a link to the allegations that name the child,
shown only to those who hold ``LADO_MANAGE`` (it names no adult), and its timescale rules."""

from __future__ import annotations

import datetime

from django.urls import reverse

from caseline.apps.accounts.permissions import Permission
from caseline.apps.lado import timescales
from caseline.apps.lado.models import Allegation, AllegationChild
from caseline.apps.people.contribution import RecordContribution, SummaryBlock
from caseline.apps.people.models import Person
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


CONTRIBUTION = RecordContribution(
    app_label="lado",
    summary_blocks=allegation_summary,
    timescale_rules=timescales.RULES,
)
