"""What education adds to the child's record: the SEN and EHC plan flags the education
service holds, read-only, on the summary."""

from __future__ import annotations

import datetime

from caseline.apps.education.models import EhcpActivePlan, EhcpRequest, SendRecord, SenNeed
from caseline.apps.people.contribution import RecordContribution, SummaryBlock
from caseline.apps.people.models import Person
from caseline.apps.timescales.rules import format_date

SOURCE = "From the education service's records (imported); changed there, not here."


def education_summary(person: Person, as_at: datetime.date) -> list[SummaryBlock]:
    """The child's EHC plan in force and its needs, and their last EHC request, if any."""
    records = SendRecord.objects.filter(person=person)
    if not records.exists():
        return []
    rows: list[tuple[str, str]] = []
    plans = EhcpActivePlan.objects.filter(request__send_record__person=person).order_by(
        "-last_reviewed_on", "-pk"
    )
    plan = plans.first()
    if plan is None:
        rows.append(("EHC plan", "None in force"))
    else:
        reviewed = format_date(plan.last_reviewed_on) if plan.last_reviewed_on else "not known"
        rows.append(("EHC plan", f"In force, last reviewed {reviewed}"))
        needs = [
            need.need_type
            for need in SenNeed.objects.filter(active_plan=plan).order_by("-is_primary", "pk")
            if need.need_type
        ]
        if needs:
            rows.append(("Needs named", ", ".join(needs)))
    request = (
        EhcpRequest.objects.filter(send_record__person=person)
        .order_by("-requested_on", "-pk")
        .first()
    )
    if request is not None and request.requested_on is not None:
        outcome = f": {request.outcome}" if request.outcome else ""
        rows.append(
            ("Last EHC assessment request", f"{format_date(request.requested_on)}{outcome}")
        )
    upns = sorted({r.upn for r in records if r.upn})
    if upns:
        rows.append(("Unique pupil number (education)", ", ".join(upns)))
    rows.append(("Source", SOURCE))
    return [SummaryBlock(order=60, title="Special educational needs", rows=rows)]


CONTRIBUTION = RecordContribution(app_label="education", summary_blocks=education_summary)
