"""What care and leaving care add to the child's record: summary, identity bar, due work and
chronology."""

from __future__ import annotations

import datetime

from django.urls import reverse

from caseline.apps.codes.lists import CodeListName, code_list
from caseline.apps.lookedafter import timescales
from caseline.apps.lookedafter.chronology import care_chronology
from caseline.apps.lookedafter.derive import Eligibility
from caseline.apps.lookedafter.permanence_chronology import permanence_chronology
from caseline.apps.lookedafter.queries import CareRecord, care_record
from caseline.apps.lookedafter.work import care_work_items
from caseline.apps.people.contribution import (
    Badge,
    ChronologyEntry,
    RecordContribution,
    SummaryBlock,
)
from caseline.apps.people.models import Person
from caseline.apps.people.queries import RecordsHeld
from caseline.apps.timescales.rules import format_date

CARE_LEAVERS = (Eligibility.RELEVANT, Eligibility.FORMER_RELEVANT, Eligibility.QUALIFYING)


def care_summary(person: Person, as_at: datetime.date) -> list[SummaryBlock]:
    record = care_record(person)
    href = reverse("lookedafter:record", kwargs={"person_id": person.pk})
    blocks = []
    picture = record.pen_picture
    if picture is not None:
        rows = [
            ("Who they are", picture.who_they_are),
            ("What matters to them", picture.what_matters),
        ]
        blocks.append(
            SummaryBlock(5, f"Who {person.given_name} is", rows, "Read the pen picture", href)
        )
    return blocks + _care_blocks(record, as_at, href)


def _care_blocks(record: CareRecord, as_at: datetime.date, href: str) -> list[SummaryBlock]:
    if not record.episodes:
        return []
    period = record.current_period(as_at)
    if period is not None:
        episode = period.current
        rows = [
            ("Looked after since", format_date(period.start_date)),
            ("Legal status", code_list(CodeListName.LEGAL_STATUS).label(episode.legal_status)),
            (
                "Placement",
                code_list(CodeListName.PLACEMENT_TYPE).label(episode.placement_type),
            ),
            ("Placement since", format_date(period.placements[-1].start_date)),
        ]
        plan = record.care_plan
        if plan is not None:
            rows.append(("Permanence plan", plan.get_permanence_plan_display()))
        iro = record.current_iro(as_at)
        rows.append(("IRO", str(iro.iro) if iro else "Not allocated"))
        return [SummaryBlock(35, "Looked after", rows, "View care and leaving care", href)]
    status = record.eligibility(as_at)
    if status is None:
        return []
    adviser = record.current_adviser(as_at)
    rows = [
        ("Care leaver", status.label),
        ("Personal adviser", adviser.name if adviser else "Not allocated"),
    ]
    return [SummaryBlock(35, "Leaving care", rows, "View care and leaving care", href)]


def care_badges(person: Person, as_at: datetime.date) -> list[Badge]:
    record = care_record(person)
    if not record.episodes:
        return []
    if record.current_period(as_at) is not None:
        return [Badge("Looked after", "purple")]
    if any(p.contains(as_at) and p.is_short_breaks for p in record.periods):
        return [Badge("Short breaks", "grey")]
    if record.eligibility(as_at) in CARE_LEAVERS:
        return [Badge("Care leaver", "purple")]
    return []


def chronology(person: Person, held: RecordsHeld) -> list[ChronologyEntry]:
    """Care and leaving care, then adoption and deprivation of liberty."""
    return care_chronology(person, held) + permanence_chronology(person, held)


# The pen picture and care or leaving care on the summary, the badge, everything
# statutory due, and the child's time in care and after in the chronology.
CONTRIBUTION = RecordContribution(
    app_label="lookedafter",
    summary_blocks=care_summary,
    badges=care_badges,
    due_for=care_work_items,
    chronology=chronology,
    chronology_from_own_records=True,
    timescale_rules=timescales.RULES,
)
