"""Assessments in the child's chronology: started, child seen, submitted, returned, authorised.

Two queries per child: the assessments (with referral and people), and their returns.
"""

from __future__ import annotations

import datetime

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from caseline.apps.assessments.models import Assessment, AssessmentReturn
from caseline.apps.assessments.queries import assessment_rule
from caseline.apps.core.text import excerpt, lower_first, sentence
from caseline.apps.people.contribution import Category, ChronologyEntry, Step
from caseline.apps.people.models import Person
from caseline.apps.people.queries import RecordsHeld
from caseline.apps.timescales.calendar import england_and_wales

SOURCE = "Assessment"

WHY_AUTHORISED = "The assessment's analysis and outcome decide what help the child gets next."
WHY_NOT_SEEN = "The child was not seen during the assessment, so their views rest on others."


def _timeliness_sentence(assessment: Assessment) -> str:
    """ "Completed in 52 working days from the referral, 7 over the 45-working-day timescale",
    by the rule in force on the referral date (a core assessment counts from its start)."""
    assert assessment.authorised_on is not None
    rule, trigger = assessment_rule(assessment)
    days = england_and_wales().working_days_between(trigger, assessment.authorised_on)
    limit = rule.effective_interval.count
    since = "the referral" if trigger == assessment.referral.referral_date else "its start"
    taken = f"Completed in {days} working day{'s' if days != 1 else ''} from {since}"
    if days > limit:
        return f"{taken}, {days - limit} over the {limit}-working-day timescale."
    return f"{taken}, within the {limit}-working-day timescale."


def assessment_chronology(person: Person, held: RecordsHeld) -> list[ChronologyEntry]:
    """Each assessment's milestones, with the manager's decision and reasons."""
    name = person.given_name
    assessments = (
        held.rows(Assessment)
        .select_related("referral", "recorded_by", "submitted_by", "authorised_by")
        .prefetch_related(
            Prefetch("returns", queryset=AssessmentReturn.objects.select_related("returned_by"))
        )
        .order_by("start_date", "id")
    )
    entries: list[ChronologyEntry] = []
    for assessment in assessments:
        href = reverse("assessments:detail", kwargs={"pk": assessment.pk})

        def add(
            when: datetime.date | datetime.datetime,
            what: str,
            recorded_by: object = "",
            why: str = "",
            step: Step = Step.DECISION,
            href: str = href,
        ) -> None:
            # A date, or the moment it happened (its local date and time).
            moment = timezone.localtime(when) if isinstance(when, datetime.datetime) else None
            entries.append(
                ChronologyEntry(
                    date=moment.date() if moment else when,
                    category=Category.ASSESSMENT,
                    what_happened=what,
                    source=SOURCE,
                    recorded_by=str(recorded_by or ""),
                    why_it_matters=why,
                    significant=bool(why),
                    href=href,
                    time=moment.time() if moment else None,
                    step=step,
                )
            )

        add(
            assessment.start_date,
            "Single assessment started.",
            assessment.recorded_by,
            step=Step.ASSESSMENT,
        )
        if assessment.date_child_seen:
            alone = (
                f"{name} was seen alone."
                if assessment.child_seen_alone
                else f"{name} was not seen alone."
            )
            add(
                assessment.date_child_seen,
                f"{name} seen for the assessment. {alone}",
                step=Step.EVENT,
            )
        if assessment.submitted_at:
            add(
                assessment.submitted_at,
                "Assessment submitted to the manager for authorisation.",
                assessment.submitted_by,
            )
        for returned in assessment.returns.all():
            add(
                returned.returned_at,
                f"Assessment returned to the social worker by {returned.returned_by}. "
                f"Reasons: {sentence(excerpt(returned.reasons))}",
                returned.returned_by,
            )
        if assessment.authorised_on:
            outcome = (
                lower_first(assessment.get_outcome_display())
                if assessment.outcome
                else "not recorded"
            )
            parts = [f"Assessment authorised by {assessment.authorised_by}: outcome {outcome}."]
            if assessment.risk_factors:
                parts.append(f"Risk: {sentence(excerpt(assessment.risk_factors))}")
            if assessment.recommendation:
                parts.append(f"Recommendation: {sentence(excerpt(assessment.recommendation))}")
            if assessment.child_seen is False:
                parts.append(f"{name} was not seen during the assessment.")
            parts.append(_timeliness_sentence(assessment))
            if assessment.late_reason:
                parts.append(f"Reason for the delay: {sentence(excerpt(assessment.late_reason))}")
            add(
                assessment.authorised_on,
                " ".join(parts),
                assessment.authorised_by,
                why=WHY_NOT_SEEN if assessment.child_seen is False else WHY_AUTHORISED,
            )
    return entries
