"""What assessments add to a child's record: the summary, due work and the chronology."""

from __future__ import annotations

import datetime

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from caseline.apps.accounts.permissions import Permission
from caseline.apps.assessments.chronology import assessment_chronology
from caseline.apps.assessments.models import Assessment, AssessmentReturn
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
        ("Timescale", timeliness(latest, as_at).label_with_note),
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


# How much of a manager's reasons for returning an assessment its due item shows.
RETURN_REASONS_SHOWN = 150

# What each open assessment's due item is called: the worker's to write or put right, or
# the manager's to authorise.
OPEN_TITLES = {
    Assessment.Status.DRAFT: "Assessment",
    Assessment.Status.RETURNED: "Assessment returned for changes",
    Assessment.Status.SUBMITTED: "Assessment awaiting authorisation",
}


def _returned(returned_at: datetime.datetime | None, reasons: str | None) -> str:
    """ "Returned on 3 June 2025: <the manager's reasons>", or nothing if no return is
    recorded."""
    if returned_at is None:
        return ""
    when = format_date(timezone.localtime(returned_at).date())
    return f"Returned on {when}: {Truncator(reasons or '').chars(RETURN_REASONS_SHOWN)}"


def work_items(person_ids: PersonIds, as_at: datetime.date) -> list[DueItem]:
    """Each child's open assessments, due 45 working days from the referral: a draft or a
    returned one for the worker to finish (a returned one says when and why it came back,
    until it is submitted again), a submitted one for the manager to authorise. One query,
    with each assessment's latest return. Items come by child, then newest first."""
    authorise = url_builder("assessments:authorise", "pk")
    edit = url_builder("assessments:edit", "pk")
    latest_return = AssessmentReturn.objects.filter(assessment=OuterRef("pk")).order_by(
        "-returned_at", "-id"
    )
    open_assessments = (
        Assessment.objects.filter(person_id__any_of=person_ids)
        .exclude(status=Assessment.Status.AUTHORISED)
        .select_related("referral")
        .only("person_id", "status", "authorised_on", "referral__referral_date")
        .annotate(
            returned_at=Subquery(latest_return.values("returned_at")[:1]),
            return_reasons=Subquery(latest_return.values("reasons")[:1]),
        )
        .order_by("person_id", "-start_date", "-id")
    )
    items = []
    for assessment in open_assessments:
        awaiting = assessment.status == Assessment.Status.SUBMITTED
        returned = assessment.status == Assessment.Status.RETURNED
        items.append(
            DueItem(
                assessment.person_id,
                OPEN_TITLES.get(Assessment.Status(assessment.status), "Assessment"),
                SINGLE_ASSESSMENT.code,
                timeliness(assessment, as_at),
                (authorise if awaiting else edit)(pk=assessment.pk),
                permission=(
                    Permission.ASSESSMENT_AUTHORISE if awaiting else Permission.ASSESSMENT_RECORD
                ),
                detail=(
                    _returned(assessment.returned_at, assessment.return_reasons) if returned else ""
                ),
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
