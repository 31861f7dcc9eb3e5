"""What assessments add to a child's record: the summary, due work and the chronology."""

from __future__ import annotations

import datetime

from django.urls import reverse

from caseline.apps.assessments.chronology import assessment_chronology
from caseline.apps.assessments.models import Assessment
from caseline.apps.assessments.queries import assessments_for_person, timeliness
from caseline.apps.core.links import url_builder
from caseline.apps.people.contribution import (
    DueItem,
    PersonIds,
    RecordContribution,
    SummaryBlock,
)
from caseline.apps.people.models import Person
from caseline.apps.timescales.rules import SINGLE_ASSESSMENT, format_date


def summary_blocks(person: Person, as_at: datetime.date) -> list[SummaryBlock]:
    """The latest assessment: status, dates, outcome and whether it is (or was) on time."""
    latest = assessments_for_person(person).first()
    if latest is None:
        return []
    rows = [
        ("Status", latest.get_status_display()),
        ("Started", format_date(latest.start_date)),
        (
            "Authorised",
            format_date(latest.authorised_on) if latest.authorised_on else "Not yet authorised",
        ),
        ("Outcome", latest.get_outcome_display() or "Not recorded yet"),
        ("Timescale", timeliness(latest, as_at).label),
    ]
    return [
        SummaryBlock(
            order=20,
            title="Assessment",
            rows=rows,
            link_text="View assessments",
            link_href=reverse("assessments:record-list", kwargs={"person_id": person.pk}),
        )
    ]


def work_items(person_ids: PersonIds, as_at: datetime.date) -> list[DueItem]:
    """Each child's open assessments, due 45 working days from the referral, and those
    awaiting sign-off (1 query). Items come by child, then newest assessment first."""
    authorise = url_builder("assessments:authorise", "pk")
    edit = url_builder("assessments:edit", "pk")
    items = []
    open_assessments = (
        Assessment.objects.filter(person_id__any_of=person_ids)
        .exclude(status=Assessment.Status.AUTHORISED)
        .select_related("referral")
        .order_by("person_id", "-start_date", "-id")
    )
    for assessment in open_assessments:
        awaiting = assessment.status == Assessment.Status.SUBMITTED
        items.append(
            DueItem(
                person_id=assessment.person_id,
                title="Assessment awaiting authorisation" if awaiting else "Assessment",
                rule_code=SINGLE_ASSESSMENT.code,
                timeliness=timeliness(assessment, as_at),
                href=(authorise if awaiting else edit)(pk=assessment.pk),
            )
        )
    return items


# The latest assessment on the summary, open assessments due, and every assessment's
# milestones in the chronology.
CONTRIBUTION = RecordContribution(
    app_label="assessments",
    summary_blocks=summary_blocks,
    due_for=work_items,
    chronology=assessment_chronology,
)
