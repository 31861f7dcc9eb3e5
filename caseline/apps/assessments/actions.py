"""Every write to assessments: start, save, submit, return, authorise. Each checks the
permission its page declares first, and is audited."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.assessments.checks import (
    PLACEHOLDER_VIEWS_MESSAGE,
    authorisation_gaps,
    factor_order,
    is_placeholder_views,
    missing_sections,
)
from caseline.apps.assessments.events import AssessmentEvent
from caseline.apps.assessments.models import Assessment, AssessmentReturn
from caseline.apps.audit.record import changed_values, record_event, snapshot
from caseline.apps.codes.lists import CodeListName, code_list, collection_year
from caseline.apps.core.access import require_permission
from caseline.apps.core.checks import Checks
from caseline.apps.core.concurrency import save_versioned
from caseline.apps.frontdoor.models import Referral
from caseline.apps.frontdoor.queries import open_referral_for
from caseline.apps.people.models import Person
from caseline.apps.returns.rules.cin import CINRule1103, CINRule8869
from caseline.apps.timescales.rules import format_date

Status = Assessment.Status

# The fields a worker writes on the assessment form.
CONTENT_FIELDS = (
    "start_date",
    "child_seen",
    "child_seen_alone",
    "date_child_seen",
    "child_views",
    "child_views_method",
    "child_views_method_other",
    "parents_views",
    "identity",
    "family_history",
    "risk_factors",
    "protective_factors",
    "analysis",
    "outcome",
    "recommendation",
    "factors",
    "late_reason",
)
STATE_FIELDS = (
    "status",
    "submitted_at",
    "submitted_by",
    "authorised_on",
    "authorised_by",
)
# What a transition's audit event shows as changed: the state, and what the manager adds.
TRANSITION_FIELDS = (*STATE_FIELDS, "late_reason", "manager_comment")

# Which states each transition may start from.
SAVE_FROM = frozenset({Status.DRAFT, Status.RETURNED})
SUBMIT_FROM = frozenset({Status.DRAFT, Status.RETURNED})
RETURN_FROM = frozenset({Status.SUBMITTED})
AUTHORISE_FROM = frozenset({Status.SUBMITTED})


def _check_state(assessment: Assessment, allowed: frozenset[str], doing: str) -> None:
    if assessment.status not in allowed:
        raise ValidationError(
            f"You cannot {doing} an assessment that is {assessment.get_status_display().lower()}"
        )


def _locked(assessment: Assessment) -> Assessment:
    """Re-read the row under a lock, so two transitions cannot interleave."""
    return (
        Assessment.objects.select_for_update()
        .select_related("person", "referral")
        .get(pk=assessment.pk)
    )


def _check_start(
    checks: Checks, child: Person, referral: Referral, start_date: datetime.date
) -> None:
    """The start date: a day that has happened, not before the referral (or the child's birth)."""
    checks.happened("start_date", start_date, "The start date", child=child)
    CINRule1103.check(
        checks,
        "start_date",
        broken=CINRule1103.breaks(
            assessment_start=start_date, referral_date=referral.referral_date
        ),
        on=start_date,
        explain="The start date must be on or after the referral date "
        f"({format_date(referral.referral_date)})",
    )


@transaction.atomic(durable=True)
def start_assessment(*, acting_user: User, child: Person, start_date: datetime.date) -> Assessment:
    """Start a single assessment within the child's open referral."""
    require_permission(acting_user, Permission.ASSESSMENT_RECORD)
    Person.objects.select_for_update().filter(pk=child.pk).first()
    referral = open_referral_for(child)
    if referral is None:
        raise ValidationError(
            {
                "start_date": [
                    f"{child.full_name} has no open referral. Record a referral before "
                    "starting an assessment"
                ]
            }
        )
    checks = Checks()
    _check_start(checks, child, referral, start_date)
    open_assessment = (
        Assessment.objects.filter(referral=referral).exclude(status=Status.AUTHORISED).first()
    )
    if open_assessment is not None:
        checks.add(
            "start_date",
            f"{child.full_name} already has an assessment in progress (started "
            f"{format_date(open_assessment.start_date)})",
        )
    checks.raise_if_any()
    assessment = Assessment.objects.create(
        person=child, referral=referral, start_date=start_date, recorded_by=acting_user
    )
    record_event(
        acting_user=acting_user,
        event_type=AssessmentEvent.STARTED,
        target=assessment,
        subject_person_id=child.pk,
        new_values=snapshot(assessment, ["referral", "start_date", "status"]),
    )
    return assessment


def _validate_content(assessment: Assessment) -> None:
    checks = Checks()
    _check_start(checks, assessment.person, assessment.referral, assessment.start_date)
    if is_placeholder_views(assessment.child_views):
        checks.add("child_views", PLACEHOLDER_VIEWS_MESSAGE)
    checks.check(
        assessment.child_views_method in {"", *Assessment.ViewsMethod.values},
        "child_views_method",
        "Choose how the child's views were gathered",
    )
    checks.check(
        assessment.outcome in {"", *Assessment.Outcome.values},
        "outcome",
        "Choose the outcome of the assessment",
    )
    checks.check(
        assessment.child_seen is True or not assessment.child_seen_alone,
        "child_seen_alone",
        "The child cannot have been seen alone if they were not seen",
    )
    if assessment.date_child_seen is not None:
        checks.check(
            assessment.child_seen is not False,
            "date_child_seen",
            "Leave the date the child was seen empty if they were not seen",
        )
        checks.happened(
            "date_child_seen",
            assessment.date_child_seen,
            "The date the child was seen",
            child=assessment.person,
        )
    factors = list(assessment.factors)
    year = collection_year(assessment.start_date)
    factor_list = code_list(CodeListName.ASSESSMENT_FACTOR)
    unknown = [code for code in factors if not factor_list.is_valid(code, year)]
    if unknown:
        checks.add(
            "factors", f"{', '.join(unknown)} cannot be used as an assessment factor in this year"
        )
    CINRule8869.check(
        checks,
        "factors",
        broken=CINRule8869.breaks(factors=factors),
        on=assessment.start_date,
        explain="21 (no factors identified) cannot be chosen with any other factor",
    )
    checks.raise_if_any()


@transaction.atomic(durable=True)
def save_assessment(
    *,
    acting_user: User,
    assessment: Assessment,
    read_version: int,
    values: Mapping[str, Any],
) -> Assessment:
    """Save the worker's changes, refusing if someone saved since ``read_version``."""
    require_permission(acting_user, Permission.ASSESSMENT_RECORD)
    unknown = set(values) - set(CONTENT_FIELDS)
    if unknown:
        raise ValueError(f"Not assessment content: {sorted(unknown)}")
    current = _locked(assessment)
    _check_state(current, SAVE_FROM, "change")
    before = snapshot(current, CONTENT_FIELDS)
    for name, value in values.items():
        setattr(current, name, value)
    current.factors = sorted(set(current.factors), key=factor_order)
    _validate_content(current)
    old, new = changed_values(before, snapshot(current, CONTENT_FIELDS))
    save_versioned(current, read_version=read_version, update_fields=list(values))
    record_event(
        acting_user=acting_user,
        event_type=AssessmentEvent.SAVED,
        target=current,
        subject_person_id=current.person_id,
        old_values=old,
        new_values=new,
    )
    return current


def _transition(
    acting_user: User,
    current: Assessment,
    event: AssessmentEvent,
    changes: dict[str, Any],
    extra: Mapping[str, Any] | None = None,
    before: dict[str, Any] | None = None,
) -> Assessment:
    if before is None:
        before = snapshot(current, TRANSITION_FIELDS)
    for name, value in changes.items():
        setattr(current, name, value)
    save_versioned(current, read_version=current.version, update_fields=list(changes))
    old, new = changed_values(before, snapshot(current, TRANSITION_FIELDS))
    record_event(
        acting_user=acting_user,
        event_type=event,
        target=current,
        subject_person_id=current.person_id,
        old_values=old,
        new_values=new,
        extra=extra,
    )
    return current


@transaction.atomic(durable=True)
def submit_assessment(*, acting_user: User, assessment: Assessment) -> Assessment:
    """The worker sends the assessment to their manager.

    Refused, with one message per section, while any section an assessment must hold is
    missing: the same sections the manager's authorisation needs (``checks.REQUIRED_SECTIONS``).
    """
    require_permission(acting_user, Permission.ASSESSMENT_RECORD)
    current = _locked(assessment)
    _check_state(current, SUBMIT_FROM, "submit")
    checks = Checks()
    for gap in missing_sections(current):
        checks.add(gap.field, gap.message)
    checks.raise_if_any()
    return _transition(
        acting_user,
        current,
        AssessmentEvent.SUBMITTED,
        {"status": Status.SUBMITTED, "submitted_at": timezone.now(), "submitted_by": acting_user},
    )


@transaction.atomic(durable=True)
def return_assessment(*, acting_user: User, assessment: Assessment, reasons: str) -> Assessment:
    """The manager sends a submitted assessment back to the worker, saying why."""
    require_permission(acting_user, Permission.ASSESSMENT_AUTHORISE)
    current = _locked(assessment)
    _check_state(current, RETURN_FROM, "return")
    reasons = reasons.strip()
    if not reasons:
        raise ValidationError({"reasons": ["Enter why you are returning the assessment"]})
    returned = AssessmentReturn.objects.create(
        assessment=current, returned_by=acting_user, reasons=reasons
    )
    return _transition(
        acting_user,
        current,
        AssessmentEvent.RETURNED,
        {"status": Status.RETURNED},
        extra={"return_id": returned.pk, "reasons": reasons},
    )


@transaction.atomic(durable=True)
def authorise_assessment(
    *,
    acting_user: User,
    assessment: Assessment,
    authorised_on: datetime.date,
    manager_comment: str,
    late_reason: str = "",
) -> Assessment:
    """The manager signs the assessment off, with their comment on it and its decision
    (management oversight). The authorisation date is its completion date.

    Refused, with one message per missing part, while it is incomplete.
    """
    require_permission(acting_user, Permission.ASSESSMENT_AUTHORISE)
    current = _locked(assessment)
    _check_state(current, AUTHORISE_FROM, "authorise")
    if acting_user.pk in {current.submitted_by_id, current.recorded_by_id}:
        raise ValidationError(
            "You cannot authorise an assessment you wrote or submitted: ask another manager"
        )
    checks = Checks()
    checks.happened("authorised_on", authorised_on, "The authorisation date", child=current.person)
    checks.check(
        authorised_on >= current.start_date,
        "authorised_on",
        "The authorisation date must be on or after the start date "
        f"({format_date(current.start_date)})",
    )
    checks.required(
        "manager_comment",
        manager_comment,
        "Enter your comment on the assessment and its decision",
    )
    checks.raise_if_any()
    before = snapshot(current, TRANSITION_FIELDS)
    changes: dict[str, Any] = {
        "status": Status.AUTHORISED,
        "authorised_on": authorised_on,
        "authorised_by": acting_user,
        "manager_comment": manager_comment.strip(),
    }
    if late_reason.strip():
        current.late_reason = late_reason.strip()
        changes["late_reason"] = current.late_reason
    for gap in authorisation_gaps(current, authorised_on):
        checks.add(gap.field, gap.message)
    checks.raise_if_any()
    return _transition(acting_user, current, AssessmentEvent.AUTHORISED, changes, before=before)


# The sections a completed assessment from another system carries in the words of
# ``record_completed_elsewhere``: what the other system's extract does not hold.
ELSEWHERE_TEXT_FIELDS = (
    "child_views",
    "child_views_method_other",
    "risk_factors",
    "protective_factors",
    "analysis",
    "manager_comment",
)


@transaction.atomic(durable=True)
def record_completed_elsewhere(
    *,
    acting_user: User,
    child: Person,
    start_date: datetime.date,
    authorised_on: datetime.date,
    child_seen: bool | None,
    outcome: str,
    factors: list[str],
    not_carried: str,
) -> Assessment:
    """An assessment completed and authorised in another system, brought in with what that
    system's extract holds (its dates, whether the child was seen, its outcome and factors).

    Its written sections, the manager's comment and any reason for lateness are
    ``not_carried`` (a sentence saying where the assessment was written), so nothing reads as
    blank; every rule a worker's assessment meets on its dates, outcome and factors is
    checked (ADR 0033). It is within the child's open referral, as a started one is.
    """
    require_permission(acting_user, Permission.ASSESSMENT_RECORD)
    require_permission(acting_user, Permission.ASSESSMENT_AUTHORISE)
    not_carried = not_carried.strip()
    if not not_carried:
        raise ValueError("Say where the assessment was written")
    Person.objects.select_for_update().filter(pk=child.pk).first()
    referral = open_referral_for(child)
    if referral is None:
        raise ValidationError(
            {"start_date": [f"{child.full_name} has no open referral for the assessment"]}
        )
    assessment = Assessment(
        person=child,
        referral=referral,
        start_date=start_date,
        child_seen=child_seen,
        child_views_method=Assessment.ViewsMethod.OTHER,
        outcome=outcome,
        factors=sorted(set(factors), key=factor_order),
        status=Status.AUTHORISED,
        authorised_on=authorised_on,
        recorded_by=acting_user,
        **dict.fromkeys(ELSEWHERE_TEXT_FIELDS, not_carried),
    )
    _validate_content(assessment)
    checks = Checks()
    checks.happened("authorised_on", authorised_on, "The authorisation date", child=child)
    checks.check(
        authorised_on >= start_date,
        "authorised_on",
        f"The authorisation date must be on or after the start date ({format_date(start_date)})",
    )
    for gap in authorisation_gaps(assessment, authorised_on):
        if gap.field == "late_reason":
            assessment.late_reason = not_carried
        else:
            checks.add(gap.field, gap.message)
    checks.raise_if_any()
    assessment.save()
    record_event(
        acting_user=acting_user,
        event_type=AssessmentEvent.IMPORTED_COMPLETED,
        target=assessment,
        subject_person_id=child.pk,
        new_values=snapshot(
            assessment,
            ["referral", "start_date", "child_seen", "outcome", "factors", "authorised_on"],
        ),
    )
    return assessment
