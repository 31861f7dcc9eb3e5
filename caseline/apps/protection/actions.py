"""Every write in child protection. Each action needs its permission, checks what it is
given, and is atomic and audited.

Strategy discussions, section 47 enquiries, police decisions and core groups need the
permission to record enquiries; conferences are recorded by their chair; visits need the
permission to record visits; the plan, its outcomes and actions the permission to record
plans. The outcomes and actions are the shared SMART plan's (``plans.actions``), bound here to
this kind of plan.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.accounts.queries import can_hold_cases
from caseline.apps.audit.record import changed_values, record_event, snapshot
from caseline.apps.codes.lists import CodeListName, code_list, collection_year
from caseline.apps.core.access import require_permission
from caseline.apps.core.checks import Checks, RowRefused
from caseline.apps.people.models import Person
from caseline.apps.plans import actions as smart
from caseline.apps.plans.identity import check_identity
from caseline.apps.plans.kinds import SmartPlanKind
from caseline.apps.protection.events import ProtectionEvent
from caseline.apps.protection.models import (
    Agency,
    Conference,
    ConferenceAttendee,
    CoreGroup,
    Participation,
    PoliceDecision,
    ProtectionAction,
    ProtectionHistory,
    ProtectionOutcome,
    ProtectionPlan,
    ProtectionVisit,
    Section47Enquiry,
    StrategyDiscussion,
    StrategyParticipant,
    TransferIn,
)
from caseline.apps.protection.queries import referral_open_on
from caseline.apps.returns.rules.cin import CINRule8868
from caseline.apps.timescales.rules import format_date

# agency code -> (participation code, name and role)
AgencyParticipation = Mapping[str, tuple[str, str]]

STRATEGY_FIELDS = ["kind", "held_at", "information_shared", "decision", "rationale", "s47_decision"]
CONFERENCE_FIELDS = [
    "kind",
    "enquiry",
    "plan",
    "transfer_notified_on",
    "conference_date",
    "chair",
    "reports_shared",
    "decision",
    "category",
    "progress",
    "lead_social_worker",
    "transfer_in",
    "identity_needs",
]
PLAN_STARTED_FIELDS = [
    "conference",
    "start_date",
    "initial_category",
    "lead_social_worker",
    "identity_needs",
]
TRANSFER_IN_FIELDS = ["notified_on", "from_authority", "notes"]
ICPC_NOT_REQUIRED_FIELDS = [
    "icpc_not_required",
    "icpc_not_required_on",
    "icpc_not_required_reason",
]
COMPLETION_FIELDS = [
    "outcome",
    "completed_on",
    "outcome_note",
    "icpc_not_required",
    "icpc_not_required_on",
]
HISTORY_FIELDS = ["plans_before_caseline", "source_note"]
# A number of plans before Caseline above this is a typing slip. Caseline's own limit.
MOST_PLANS_BEFORE_CASELINE = 30

SMART_PLAN: SmartPlanKind[ProtectionPlan, ProtectionOutcome, ProtectionAction] = SmartPlanKind.of(
    ProtectionPlan,
    events=ProtectionEvent,
    outcome_label="what needs to change",
    outcome_missing="Enter what needs to change",
    progress_at_meetings=True,
)

add_outcome = partial(smart.add_outcome, SMART_PLAN)
add_action = partial(smart.add_action, SMART_PLAN)
update_action_status = partial(smart.update_action_status, SMART_PLAN)

AGENCY_PHRASES = {
    Agency.SOCIAL_CARE: "children's social care",
    Agency.POLICE: "the police",
    Agency.HEALTH: "health",
    Agency.EDUCATION: "education",
    Agency.OTHER: "other agencies",
}


def agency_field(prefix: str, agency: str) -> str:
    """The form field name for an agency's participation, e.g. ``participation_social_care``."""
    return f"{prefix}{agency.replace('-', '_')}"


def _every_agency_answered(checks: Checks, participants: AgencyParticipation, prefix: str) -> None:
    for agency in Agency:
        checks.check(
            participants.get(agency.value, ("", ""))[0] in Participation.values,
            agency_field(prefix, agency.value),
            f"Select how {AGENCY_PHRASES[agency]} took part",
        )


def _not_before(
    checks: Checks, field: str, day: datetime.date, earliest: datetime.date, message: str
) -> None:
    """``day`` on or after ``earliest``, unless ``field`` already has a problem."""
    if not checks.has(field):
        checks.check(day >= earliest, field, f"{message}, {format_date(earliest)}")


def _check_lead(checks: Checks, lead_social_worker: User | None) -> None:
    """A lead social worker is given, and may hold cases (``accounts.queries.can_hold_cases``)."""
    if checks.required("lead_social_worker", lead_social_worker, "Select the lead social worker"):
        assert lead_social_worker is not None  # narrowed by the check
        checks.check(
            can_hold_cases(lead_social_worker),
            "lead_social_worker",
            "Select a lead social worker who can hold cases",
        )


# --- Strategy discussion and section 47 ------------------------------------------------------


@transaction.atomic(durable=True)
def record_strategy_discussion(
    *,
    acting_user: User,
    child: Person,
    kind: str,
    held_at: datetime.datetime,
    participants: AgencyParticipation,
    information_shared: str,
    decision: str,
    rationale: str,
    s47_decision: str,
) -> StrategyDiscussion:
    """Record a strategy discussion; when it decides on a section 47 enquiry, start one."""
    require_permission(acting_user, Permission.ENQUIRY_RECORD)
    held_on = timezone.localdate(held_at)
    checks = Checks()
    checks.check(
        kind in StrategyDiscussion.Kind.values,
        "kind",
        "Select whether this was a discussion or a meeting",
    )
    if checks.check(
        held_at <= timezone.now(),
        "held_at",
        "The date and time of the strategy discussion must be in the past",
    ):
        checks.happened("held_at", held_on, "The date of the strategy discussion", child=child)
    _every_agency_answered(checks, participants, "participation_")
    checks.required("information_shared", information_shared, "Enter the information shared")
    checks.required("decision", decision, "Enter the decision")
    checks.required("rationale", rationale, "Enter the reasons for the decision")
    checks.check(
        s47_decision in StrategyDiscussion.S47Decision.values,
        "s47_decision",
        "Select whether a section 47 enquiry starts",
    )
    checks.raise_if_any()
    referral = referral_open_on(child, held_on)
    discussion = StrategyDiscussion.objects.create(
        person=child,
        referral=referral,
        kind=kind,
        held_at=held_at,
        information_shared=information_shared.strip(),
        decision=decision.strip(),
        rationale=rationale.strip(),
        s47_decision=s47_decision,
        recorded_by=acting_user,
    )
    StrategyParticipant.objects.bulk_create(
        StrategyParticipant(
            discussion=discussion,
            agency=agency.value,
            participation=participants[agency.value][0],
            name=participants[agency.value][1].strip(),
        )
        for agency in Agency
    )
    record_event(
        acting_user=acting_user,
        event_type=ProtectionEvent.STRATEGY_RECORDED,
        target=discussion,
        subject_person_id=child.pk,
        new_values={
            **snapshot(discussion, STRATEGY_FIELDS),
            "participants": {a: p[0] for a, p in participants.items()},
        },
    )
    if s47_decision != StrategyDiscussion.S47Decision.NONE:
        enquiry = Section47Enquiry.objects.create(
            person=child,
            referral=referral,
            strategy_discussion=discussion,
            start_date=held_on,
            joint_with_police=s47_decision == StrategyDiscussion.S47Decision.JOINT,
            recorded_by=acting_user,
        )
        record_event(
            acting_user=acting_user,
            event_type=ProtectionEvent.S47_STARTED,
            target=enquiry,
            subject_person_id=child.pk,
            new_values=snapshot(
                enquiry, ["strategy_discussion", "start_date", "joint_with_police"]
            ),
        )
    return discussion


@transaction.atomic(durable=True)
def complete_enquiry(
    *,
    acting_user: User,
    enquiry: Section47Enquiry,
    outcome: str,
    completed_on: datetime.date,
    outcome_note: str,
) -> Section47Enquiry:
    """Record the section 47 enquiry's outcome and completion date."""
    require_permission(acting_user, Permission.ENQUIRY_RECORD)
    current = Section47Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    if current.completed_on is not None:
        raise ValidationError(
            f"This enquiry was completed on {format_date(current.completed_on)} and cannot be "
            "completed again"
        )
    checks = Checks()
    checks.check(
        outcome in Section47Enquiry.Outcome.values, "outcome", "Select the outcome of the enquiry"
    )
    checks.happened("completed_on", completed_on, "The completion date", child=current.person)
    _not_before(
        checks,
        "completed_on",
        completed_on,
        current.start_date,
        "The completion date must be on or after the strategy discussion that started the enquiry",
    )
    checks.required("outcome_note", outcome_note, "Enter the reasons for the outcome")
    checks.raise_if_any()
    current.outcome = outcome
    current.completed_on = completed_on
    current.outcome_note = outcome_note.strip()
    # An outcome other than a conference is the decision that none is required: the CIN
    # census's ICPCnotRequired, recorded now, on the day the enquiry was completed.
    if outcome != Section47Enquiry.Outcome.CONFERENCE:
        current.icpc_not_required = True
        current.icpc_not_required_on = completed_on
    current.save(update_fields=COMPLETION_FIELDS)
    record_event(
        acting_user=acting_user,
        event_type=ProtectionEvent.S47_COMPLETED,
        target=current,
        subject_person_id=current.person_id,
        new_values=snapshot(current, COMPLETION_FIELDS),
    )
    return current


@transaction.atomic(durable=True)
def decide_icpc_not_required(
    *,
    acting_user: User,
    enquiry: Section47Enquiry,
    decided_on: datetime.date,
    reason: str,
) -> Section47Enquiry:
    """Record that the initial conference a completed enquiry called for is not required
    after all (for example, the family moved away, or new information showed the child is
    not at continuing risk of significant harm): the CIN census's ICPCnotRequired. No
    conference is then due for the enquiry, and none may be recorded for it."""
    require_permission(acting_user, Permission.ENQUIRY_RECORD)
    current = Section47Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    if current.completed_on is None:
        raise ValidationError(
            "Record the outcome of the enquiry first: an outcome other than a conference "
            "records that a conference is not required"
        )
    if current.icpc_not_required:
        raise ValidationError(
            "It is already recorded that this enquiry needs no initial conference (from "
            f"{format_date(current.icpc_not_required_on or current.completed_on)})"
        )
    checks = Checks()
    if not CINRule8868.check(
        checks,
        None,
        broken=CINRule8868.breaks(
            conference_held=Conference.objects.filter(enquiry=current).exists(),
            icpc_not_required=True,
        ),
        on=decided_on,
        explain="An initial conference has been recorded for this enquiry, so it cannot also "
        "be recorded as not required",
    ):
        checks.raise_if_any()
    if checks.happened("decided_on", decided_on, "The date of the decision", child=current.person):
        _not_before(
            checks,
            "decided_on",
            decided_on,
            current.completed_on,
            "The date of the decision must be on or after the enquiry was completed",
        )
    checks.required("reason", reason, "Enter why a conference is not required")
    checks.raise_if_any()
    current.icpc_not_required = True
    current.icpc_not_required_on = decided_on
    current.icpc_not_required_reason = reason.strip()
    current.save(update_fields=ICPC_NOT_REQUIRED_FIELDS)
    record_event(
        acting_user=acting_user,
        event_type=ProtectionEvent.ICPC_NOT_REQUIRED,
        target=current,
        subject_person_id=current.person_id,
        old_values={"icpc_not_required": False},
        new_values=snapshot(current, ICPC_NOT_REQUIRED_FIELDS),
    )
    return current


@transaction.atomic(durable=True)
def record_police_decision(
    *,
    acting_user: User,
    enquiry: Section47Enquiry,
    decided_on: datetime.date,
    decision: str,
    abe_interview: bool,
    abe_interview_on: datetime.date | None = None,
    officer: str = "",
) -> PoliceDecision:
    """Record a decision in the parallel police investigation."""
    require_permission(acting_user, Permission.ENQUIRY_RECORD)
    child = enquiry.person
    checks = Checks()
    checks.happened("decided_on", decided_on, "The date of the decision", child=child)
    _not_before(
        checks,
        "decided_on",
        decided_on,
        enquiry.start_date,
        "The date of the decision must be on or after the strategy discussion",
    )
    checks.required("decision", decision, "Enter the police decision")
    if abe_interview_on is not None and checks.check(
        abe_interview,
        "abe_interview_on",
        "Only give an interview date when an interview is planned",
    ):
        checks.planned("abe_interview_on", abe_interview_on, "The interview date", child=child)
        _not_before(
            checks,
            "abe_interview_on",
            abe_interview_on,
            enquiry.start_date,
            "The interview date must be on or after the strategy discussion",
        )
    checks.raise_if_any()
    police = PoliceDecision.objects.create(
        enquiry=enquiry,
        decided_on=decided_on,
        decision=decision.strip(),
        abe_interview=abe_interview,
        abe_interview_on=abe_interview_on,
        officer=officer.strip(),
        recorded_by=acting_user,
    )
    record_event(
        acting_user=acting_user,
        event_type=ProtectionEvent.POLICE_DECISION_RECORDED,
        target=police,
        subject_person_id=enquiry.person_id,
        new_values=snapshot(
            police, ["decided_on", "decision", "abe_interview", "abe_interview_on"]
        ),
    )
    return police


# --- Transfers in and conferences ----------------------------------------------------------


@transaction.atomic(durable=True)
def record_transfer_in(
    *,
    acting_user: User,
    child: Person,
    notified_on: datetime.date,
    from_authority: str,
    notes: str = "",
) -> TransferIn:
    """Record that we were told on ``notified_on`` that a child subject to a child protection
    plan in another local authority has moved here: a transfer-in conference is then due."""
    require_permission(acting_user, Permission.ENQUIRY_RECORD)
    Person.objects.select_for_update().filter(pk=child.pk).first()
    checks = Checks()
    checks.happened(
        "notified_on", notified_on, "The date we were told the child had moved here", child=child
    )
    checks.required(
        "from_authority", from_authority, "Enter the local authority the child moved from"
    )
    checks.raise_if_any()
    awaiting = TransferIn.objects.filter(person=child, conference__isnull=True).first()
    if awaiting is not None:
        raise ValidationError(
            f"A transfer-in conference is already awaited for {child.full_name}: we were told "
            f"on {format_date(awaiting.notified_on)}. Record that conference first"
        )
    transfer_in = TransferIn.objects.create(
        person=child,
        referral=referral_open_on(child, notified_on),
        notified_on=notified_on,
        from_authority=from_authority.strip(),
        notes=notes.strip(),
        recorded_by=acting_user,
    )
    record_event(
        acting_user=acting_user,
        event_type=ProtectionEvent.TRANSFER_IN_RECORDED,
        target=transfer_in,
        subject_person_id=child.pk,
        new_values=snapshot(transfer_in, TRANSFER_IN_FIELDS),
    )
    return transfer_in


def _create_conference(
    *,
    acting_user: User,
    child: Person,
    attendees: AgencyParticipation,
    health_knows_child: bool | None,
    **fields: Any,
) -> Conference:
    conference = Conference.objects.create(
        person=child, chair=acting_user, recorded_by=acting_user, **fields
    )
    ConferenceAttendee.objects.bulk_create(
        ConferenceAttendee(
            conference=conference,
            agency=agency.value,
            participation=attendees[agency.value][0],
            name=attendees[agency.value][1].strip(),
            knows_child=health_knows_child if agency is Agency.HEALTH else None,
        )
        for agency in Agency
    )
    record_event(
        acting_user=acting_user,
        event_type=ProtectionEvent.CONFERENCE_RECORDED,
        target=conference,
        subject_person_id=child.pk,
        new_values={
            **snapshot(conference, CONFERENCE_FIELDS),
            "attendees": {a: p[0] for a, p in attendees.items()},
        },
    )
    return conference


def _check_conference(
    checks: Checks,
    *,
    child: Person,
    conference_date: datetime.date,
    attendees: AgencyParticipation,
    reports_shared: str,
    child_participation: str,
    family_participation: str,
    rationale: str,
) -> None:
    """What every conference needs, initial or review."""
    checks.happened("conference_date", conference_date, "The conference date", child=child)
    _every_agency_answered(checks, attendees, "attendance_")
    checks.check(
        reports_shared in Conference.ReportsShared.values,
        "reports_shared",
        "Select whether reports were shared with the parents",
    )
    checks.required("child_participation", child_participation, "Enter how the child took part")
    checks.required("family_participation", family_participation, "Enter how the family took part")
    checks.required("rationale", rationale, "Enter the reasons for the decision")


def _check_category(checks: Checks, category: str, on: datetime.date) -> None:
    """A category of abuse from the DfE's list, valid in the collection year of ``on``."""
    valid = code_list(CodeListName.CP_CATEGORY).is_valid(category, collection_year(on))
    checks.check(valid, "category", "Select the category of abuse")


@transaction.atomic(durable=True)
def hold_initial_conference(
    *,
    acting_user: User,
    child: Person,
    conference_date: datetime.date,
    attendees: AgencyParticipation,
    health_knows_child: bool | None,
    reports_shared: str,
    child_participation: str,
    family_participation: str,
    decision: str,
    rationale: str,
    category: str = "",
    lead_social_worker: User | None = None,
    outline_plan: str = "",
    identity_needs: str = "",
    enquiry: Section47Enquiry | None = None,
    transfer_in: TransferIn | None = None,
) -> Conference:
    """Record an initial conference, after a section 47 ``enquiry``, or a transfer-in
    conference, for a ``transfer_in``; chaired by the acting user. A decision that the child
    needs a plan starts the plan that day, led by a social worker who may hold cases and
    saying how it meets the child's identity needs."""
    require_permission(acting_user, Permission.CONFERENCE_CHAIR)
    Person.objects.select_for_update().filter(pk=child.pk).first()
    checks = Checks()
    _check_conference(
        checks,
        child=child,
        conference_date=conference_date,
        attendees=attendees,
        reports_shared=reports_shared,
        child_participation=child_participation,
        family_participation=family_participation,
        rationale=rationale,
    )
    if (enquiry is None) == (transfer_in is None):
        raise ValidationError(
            "An initial conference follows a section 47 enquiry; a transfer-in conference "
            "follows notice of a move. Give one of them"
        )
    if enquiry is not None:
        enquiry = Section47Enquiry.objects.select_for_update().get(pk=enquiry.pk)
        if enquiry.person_id != child.pk:
            raise ValidationError("This enquiry is about another child")
        if Conference.objects.filter(enquiry=enquiry).exists():
            raise ValidationError("A conference has already been recorded for this enquiry")
        if enquiry.outcome != Section47Enquiry.Outcome.CONFERENCE:
            raise ValidationError(
                "Record the section 47 outcome as needing a conference before recording the "
                "conference"
            )
        refused = Checks()
        CINRule8868.check(
            refused,
            None,
            broken=CINRule8868.breaks(
                conference_held=True, icpc_not_required=enquiry.icpc_not_required
            ),
            on=conference_date,
            explain="It is recorded that this enquiry needs no initial conference, so none can "
            "be recorded for it",
        )
        refused.raise_if_any()
        _not_before(
            checks,
            "conference_date",
            conference_date,
            enquiry.start_date,
            "The conference date must be on or after the strategy discussion that started "
            "the section 47 enquiry",
        )
    if transfer_in is not None:
        transfer_in = TransferIn.objects.select_for_update().get(pk=transfer_in.pk)
        if transfer_in.person_id != child.pk:
            raise ValidationError("This transfer in is about another child")
        if Conference.objects.filter(transfer_in=transfer_in).exists():
            raise ValidationError("A conference has already been recorded for this transfer in")
        _not_before(
            checks,
            "conference_date",
            conference_date,
            transfer_in.notified_on,
            "The conference date must be on or after the date we were told the child had "
            "moved here",
        )
    is_plan = decision == Conference.Decision.PLAN
    checks.check(
        is_plan or decision == Conference.Decision.NO_PLAN,
        "decision",
        "Select whether the child needs a child protection plan",
    )
    if is_plan:
        _check_category(checks, category, conference_date)
        _check_lead(checks, lead_social_worker)
        checks.required("outline_plan", outline_plan, "Enter the outline plan")
        check_identity(checks, identity_needs)
    checks.raise_if_any()
    if is_plan and ProtectionPlan.objects.filter(person=child, end_date__isnull=True).exists():
        raise ValidationError(
            f"{child.full_name} is already on a child protection plan. Hold a review "
            "conference instead"
        )
    conference = _create_conference(
        acting_user=acting_user,
        child=child,
        attendees=attendees,
        health_knows_child=health_knows_child,
        referral=enquiry.referral if enquiry else referral_open_on(child, conference_date),
        kind=Conference.Kind.INITIAL if enquiry else Conference.Kind.TRANSFER_IN,
        enquiry=enquiry,
        transfer_in=transfer_in,
        transfer_notified_on=transfer_in.notified_on if transfer_in else None,
        conference_date=conference_date,
        reports_shared=reports_shared,
        child_participation=child_participation.strip(),
        family_participation=family_participation.strip(),
        decision=decision,
        rationale=rationale.strip(),
        category=category if is_plan else "",
        lead_social_worker=lead_social_worker if is_plan else None,
        outline_plan=outline_plan.strip() if is_plan else "",
        identity_needs=identity_needs.strip() if is_plan else "",
    )
    if is_plan:
        assert lead_social_worker is not None  # checked above
        plan = ProtectionPlan.objects.create(
            person=child,
            referral=conference.referral,
            conference=conference,
            start_date=conference_date,
            initial_category=category,
            latest_category=category,
            lead_social_worker=lead_social_worker,
            identity_needs=conference.identity_needs,
            recorded_by=acting_user,
        )
        record_event(
            acting_user=acting_user,
            event_type=ProtectionEvent.PLAN_STARTED,
            target=plan,
            subject_person_id=child.pk,
            new_values=snapshot(plan, PLAN_STARTED_FIELDS),
        )
    return conference


@transaction.atomic(durable=True)
def hold_review_conference(
    *,
    acting_user: User,
    plan: ProtectionPlan,
    conference_date: datetime.date,
    attendees: AgencyParticipation,
    health_knows_child: bool | None,
    reports_shared: str,
    child_participation: str,
    family_participation: str,
    progress: str,
    decision: str,
    rationale: str,
    category: str,
    identity_needs: str,
) -> Conference:
    """Record a review conference, chaired by the acting user: the plan continues (perhaps in
    a new category) or ends on the conference date. The review says how the plan meets the
    child's identity needs, which the plan then says too."""
    require_permission(acting_user, Permission.CONFERENCE_CHAIR)
    current = smart.locked_open_plan(SMART_PLAN, plan.pk)
    checks = Checks()
    _check_conference(
        checks,
        child=current.person,
        conference_date=conference_date,
        attendees=attendees,
        reports_shared=reports_shared,
        child_participation=child_participation,
        family_participation=family_participation,
        rationale=rationale,
    )
    if not checks.has("conference_date"):
        last = current.review_conferences.order_by("-conference_date").first()
        if conference_date <= current.start_date:
            checks.add(
                "conference_date",
                "A review conference must be after the plan started on "
                f"{format_date(current.start_date)}",
            )
        elif last is not None and conference_date <= last.conference_date:
            checks.add(
                "conference_date",
                "A review conference must be after the last review, "
                f"{format_date(last.conference_date)}",
            )
    checks.check(
        progress in Conference.Progress.values, "progress", "Select how much progress has been made"
    )
    checks.check(
        decision in (Conference.Decision.CONTINUE, Conference.Decision.END),
        "decision",
        "Select whether the plan continues or ends",
    )
    if decision == Conference.Decision.CONTINUE:
        _check_category(checks, category, conference_date)
    check_identity(checks, identity_needs)
    checks.raise_if_any()
    conference = _create_conference(
        acting_user=acting_user,
        child=current.person,
        attendees=attendees,
        health_knows_child=health_knows_child,
        referral=current.referral,
        kind=Conference.Kind.REVIEW,
        plan=current,
        conference_date=conference_date,
        reports_shared=reports_shared,
        child_participation=child_participation.strip(),
        family_participation=family_participation.strip(),
        progress=progress,
        decision=decision,
        rationale=rationale.strip(),
        category=category if decision == Conference.Decision.CONTINUE else "",
        identity_needs=identity_needs.strip(),
    )
    changes: dict[str, Any] = {}
    if conference.identity_needs != current.identity_needs:
        changes["identity_needs"] = conference.identity_needs
    if decision == Conference.Decision.END:
        changes.update(
            end_date=conference_date,
            end_reason=ProtectionPlan.EndReason.REVIEW,
            end_note=rationale.strip(),
        )
    elif category != current.latest_category:
        changes["latest_category"] = category
    if changes:
        smart.change_plan(
            current,
            acting_user=acting_user,
            changes=changes,
            event_type=ProtectionEvent.PLAN_ENDED
            if decision == Conference.Decision.END
            else ProtectionEvent.PLAN_UPDATED,
        )
    return conference


# --- The plan --------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def update_plan(
    *,
    acting_user: User,
    plan: ProtectionPlan,
    read_version: int,
    worries: str,
    contingency: str,
    child_views: str,
    identity_needs: str,
    lead_social_worker: User | None,
    core_group_every_weeks: int | None = None,
    visit_every_working_days: int | None = None,
) -> ProtectionPlan:
    """Change the plan's worries, contingency, child's views, how it meets the child's
    identity needs, its lead social worker and its local frequencies."""
    require_permission(acting_user, Permission.PLAN_RECORD)
    current = smart.locked_open_plan(SMART_PLAN, plan.pk)
    checks = Checks()
    checks.required("worries", worries, "Enter what we are worried about")
    checks.required("contingency", contingency, "Enter the contingency plan")
    checks.required("child_views", child_views, "Enter the child's views")
    check_identity(checks, identity_needs)
    _check_lead(checks, lead_social_worker)
    checks.check(
        core_group_every_weeks is None or 1 <= core_group_every_weeks <= 12,
        "core_group_every_weeks",
        "Core groups must be every 1 to 12 weeks",
    )
    checks.check(
        visit_every_working_days is None or 1 <= visit_every_working_days <= 40,
        "visit_every_working_days",
        "Visits must be every 1 to 40 working days",
    )
    checks.raise_if_any()
    smart.change_plan(
        current,
        acting_user=acting_user,
        read_version=read_version,
        changes={
            "worries": worries.strip(),
            "contingency": contingency.strip(),
            "child_views": child_views.strip(),
            "identity_needs": identity_needs.strip(),
            "lead_social_worker": lead_social_worker,
            "core_group_every_weeks": core_group_every_weeks,
            "visit_every_working_days": visit_every_working_days,
        },
        event_type=ProtectionEvent.PLAN_UPDATED,
    )
    plan.version = current.version
    return current


@transaction.atomic(durable=True)
def record_core_group(
    *,
    acting_user: User,
    plan: ProtectionPlan,
    meeting_date: datetime.date,
    attendees: str,
    progress: str,
    progress_note: str,
    plan_changes: str = "",
) -> CoreGroup:
    """Record a core group meeting, with progress against the plan rated."""
    require_permission(acting_user, Permission.ENQUIRY_RECORD)
    current = smart.locked_open_plan(SMART_PLAN, plan.pk)
    checks = Checks()
    smart.happened_in_plan(
        checks, "meeting_date", meeting_date, "The meeting date", current, after="the plan started"
    )
    checks.required("attendees", attendees, "Enter who came")
    checks.check(
        progress in Conference.Progress.values, "progress", "Select how much progress has been made"
    )
    checks.required("progress_note", progress_note, "Enter the progress against the plan")
    checks.raise_if_any()
    meeting = CoreGroup.objects.create(
        plan=current,
        meeting_date=meeting_date,
        attendees=attendees.strip(),
        progress=progress,
        progress_note=progress_note.strip(),
        plan_changes=plan_changes.strip(),
        recorded_by=acting_user,
    )
    record_event(
        acting_user=acting_user,
        event_type=ProtectionEvent.CORE_GROUP_RECORDED,
        target=meeting,
        subject_person_id=current.person_id,
        new_values=snapshot(meeting, ["plan", "meeting_date", "progress"]),
    )
    return meeting


@dataclass(frozen=True)
class VisitDetails:
    """One child protection visit, as ``record_visit`` takes it."""

    visit_date: datetime.date
    child_seen: bool
    child_seen_alone: bool
    observations: str


class VisitRefused(RowRefused):
    """One of the visits given to ``record_visits`` was refused: ``index`` says which (the
    messages are the visit's own, keyed by field as ``record_visit`` keys them)."""


VISIT_FIELDS = ["plan", "visit_date", "child_seen", "child_seen_alone"]


@transaction.atomic(durable=True)
def record_visit(
    *,
    acting_user: User,
    plan: ProtectionPlan,
    visit_date: datetime.date,
    child_seen: bool,
    child_seen_alone: bool,
    observations: str,
) -> ProtectionVisit:
    """Record a child protection visit."""
    details = VisitDetails(visit_date, child_seen, child_seen_alone, observations)
    try:
        return _record_visits(acting_user=acting_user, plan=plan, visits=[details])[0]
    except VisitRefused as refused:
        raise ValidationError(refused.error_dict) from None


@transaction.atomic(durable=True)
def record_visits(
    *, acting_user: User, plan: ProtectionPlan, visits: Sequence[VisitDetails]
) -> list[ProtectionVisit]:
    """Record several visits under the plan at once (a bulk import), each checked and audited
    as ``record_visit`` does; ``VisitRefused`` names the first refused, and none is kept."""
    return _record_visits(acting_user=acting_user, plan=plan, visits=visits)


def _record_visits(
    *, acting_user: User, plan: ProtectionPlan, visits: Sequence[VisitDetails]
) -> list[ProtectionVisit]:
    """The visits checked against the open plan (locked once), inserted together and
    audited."""
    require_permission(acting_user, Permission.VISIT_RECORD)
    current = smart.locked_open_plan(SMART_PLAN, plan.pk)
    for index, details in enumerate(visits):
        checks = Checks()
        smart.happened_in_plan(
            checks,
            "visit_date",
            details.visit_date,
            "The visit date",
            current,
            after="the plan started",
        )
        checks.check(
            details.child_seen or not details.child_seen_alone,
            "child_seen_alone",
            "The child cannot be seen alone if they were not seen",
        )
        checks.required("observations", details.observations, "Enter what was observed")
        try:
            checks.raise_if_any()
        except ValidationError as error:
            raise VisitRefused(index, error) from None
    made = ProtectionVisit.objects.bulk_create(
        ProtectionVisit(
            plan=current,
            visit_date=details.visit_date,
            child_seen=details.child_seen,
            child_seen_alone=details.child_seen_alone,
            observations=details.observations.strip(),
            recorded_by=acting_user,
        )
        for details in visits
    )
    for visit in made:
        record_event(
            acting_user=acting_user,
            event_type=ProtectionEvent.VISIT_RECORDED,
            target=visit,
            subject_person_id=current.person_id,
            new_values=snapshot(visit, VISIT_FIELDS),
        )
    return made


@transaction.atomic(durable=True)
def end_plan(
    *,
    acting_user: User,
    plan: ProtectionPlan,
    end_date: datetime.date,
    end_reason: str,
    end_note: str,
) -> ProtectionPlan:
    """End a plan for a reason other than a review conference (a move, 18, death, leaving
    the UK). A review conference ends a plan through ``hold_review_conference``."""
    require_permission(acting_user, Permission.PLAN_RECORD)
    current = smart.locked_open_plan(SMART_PLAN, plan.pk)
    checks = Checks()
    if checks.happened("end_date", end_date, "The end date", child=current.person):
        checks.check(
            end_date >= current.start_date,
            "end_date",
            f"The plan cannot end before it began on {format_date(current.start_date)}",
        )
    checks.check(
        end_reason in ProtectionPlan.EndReason.values
        and end_reason != ProtectionPlan.EndReason.REVIEW,
        "end_reason",
        "Select why the plan is ending (a review conference ends a plan by its own decision)",
    )
    checks.required("end_note", end_note, "Enter more about why the plan is ending")
    checks.raise_if_any()
    smart.change_plan(
        current,
        acting_user=acting_user,
        changes={"end_date": end_date, "end_reason": end_reason, "end_note": end_note.strip()},
        event_type=ProtectionEvent.PLAN_ENDED,
    )
    return current


# --- History before Caseline -----------------------------------------------------------------


@transaction.atomic(durable=True)
def record_plans_before_caseline(
    *,
    acting_user: User,
    child: Person,
    plans_before_caseline: int | None,
    source_note: str,
) -> ProtectionHistory:
    """Record, or correct, how many child protection plans the child had before Caseline (a
    child migrated in from another system): a team manager's decision, with where the number
    comes from. It counts towards the CIN census's NumberOfPreviousCPP for every plan in
    Caseline (``queries.previous_plan_count``). A migration or import calls this too."""
    require_permission(acting_user, Permission.OVERSIGHT_RECORD)
    Person.objects.select_for_update().filter(pk=child.pk).first()
    checks = Checks()
    if checks.required(
        "plans_before_caseline",
        plans_before_caseline,
        "Enter how many child protection plans the child had before Caseline",
    ):
        assert plans_before_caseline is not None  # narrowed by the check
        checks.check(
            0 <= plans_before_caseline <= MOST_PLANS_BEFORE_CASELINE,
            "plans_before_caseline",
            f"Enter a number from 0 to {MOST_PLANS_BEFORE_CASELINE}",
        )
    checks.required("source_note", source_note, "Enter where the number comes from")
    checks.raise_if_any()
    assert plans_before_caseline is not None  # checked above
    existing = ProtectionHistory.objects.filter(person=child).first()
    before = snapshot(existing, HISTORY_FIELDS) if existing is not None else {}
    history = existing or ProtectionHistory(person=child)
    history.plans_before_caseline = plans_before_caseline
    history.source_note = source_note.strip()
    history.recorded_by = acting_user
    if existing is None:
        history.save()
    else:
        history.save(update_fields=[*HISTORY_FIELDS, "recorded_by", "recorded_at"])
    old, new = changed_values(before, snapshot(history, HISTORY_FIELDS))
    record_event(
        acting_user=acting_user,
        event_type=ProtectionEvent.HISTORY_RECORDED,
        target=history,
        subject_person_id=child.pk,
        old_values=old,
        new_values=new,
    )
    return history


# --- Recorded in another system (ADR 0036) ---------------------------------------------------
#
# A migration brings in enquiries, conferences and plans held and recorded in another system.
# It has their dates, outcomes and categories but not how each agency took part, the chair, or
# the text Caseline asks for, so these actions record what is carried, write the caller's
# sentence (for an SSD import, "Not in the SSD extract imported from <system>.") wherever
# text is needed, leave participation unrecorded rather than coded, and check every rule at
# entry on what is carried. Their audit events are their own: the trail never shows a strategy
# discussion, a completion or a conference that happened in Caseline.


@transaction.atomic(durable=True)
def record_enquiry_elsewhere(
    *,
    acting_user: User,
    child: Person,
    start_date: datetime.date | None,
    completed_on: datetime.date | None,
    outcome: str,
    not_carried: str,
) -> Section47Enquiry:
    """Record a section 47 enquiry held in another system: its start (the strategy
    discussion's date), and when completed, its completion date and outcome. No strategy
    discussion is recorded (who took part is not known); the reasons for the outcome are
    ``not_carried``. An outcome other than a conference records that none is required, as
    ``complete_enquiry`` does."""
    require_permission(acting_user, Permission.ENQUIRY_RECORD)
    Person.objects.select_for_update().filter(pk=child.pk).first()
    checks = Checks()
    if checks.required("start_date", start_date, "Enter the date the enquiry started"):
        assert start_date is not None  # narrowed by the check
        checks.happened("start_date", start_date, "The start date of the enquiry", child=child)
    checks.required("not_carried", not_carried, "Say what the other system's record lacks")
    if completed_on is not None or outcome:
        checks.check(
            outcome in Section47Enquiry.Outcome.values,
            "outcome",
            "Select the outcome of the enquiry",
        )
        if checks.required("completed_on", completed_on, "Enter the completion date"):
            assert completed_on is not None  # narrowed by the check
            if checks.happened(
                "completed_on", completed_on, "The completion date", child=child
            ) and not checks.has("start_date"):
                assert start_date is not None  # checked above
                _not_before(
                    checks,
                    "completed_on",
                    completed_on,
                    start_date,
                    "The completion date must be on or after the enquiry started",
                )
    checks.raise_if_any()
    assert start_date is not None  # checked above
    no_conference = bool(outcome) and outcome != Section47Enquiry.Outcome.CONFERENCE
    enquiry = Section47Enquiry.objects.create(
        person=child,
        referral=referral_open_on(child, start_date),
        strategy_discussion=None,
        start_date=start_date,
        outcome=outcome,
        outcome_note=not_carried.strip() if outcome else "",
        completed_on=completed_on if outcome else None,
        icpc_not_required=no_conference,
        icpc_not_required_on=completed_on if no_conference else None,
        recorded_by=acting_user,
    )
    record_event(
        acting_user=acting_user,
        event_type=ProtectionEvent.S47_RECORDED_ELSEWHERE,
        target=enquiry,
        subject_person_id=child.pk,
        new_values=snapshot(enquiry, ["start_date", *COMPLETION_FIELDS]),
    )
    return enquiry


@transaction.atomic(durable=True)
def record_conference_elsewhere(
    *,
    acting_user: User,
    child: Person,
    conference_date: datetime.date | None,
    plan_made: bool,
    not_carried: str,
    enquiry: Section47Enquiry | None = None,
    transfer_in: bool = False,
    team: Team | None = None,
    lead_social_worker: User | None = None,
    plan_start_date: datetime.date | None = None,
    initial_category: str = "",
    latest_category: str = "",
) -> Conference:
    """Record an initial conference (after ``enquiry``) or a transfer-in conference held in
    another system, with no chair (not a Caseline user) and no attendance recorded; ``team``
    is the team the other system named. A conference that made a plan starts it, that day,
    in ``initial_category`` (now ``latest_category``), led by ``lead_social_worker``."""
    require_permission(acting_user, Permission.ENQUIRY_RECORD)
    if plan_made:
        require_permission(acting_user, Permission.PLAN_RECORD)
    Person.objects.select_for_update().filter(pk=child.pk).first()
    checks = Checks()
    if checks.required("conference_date", conference_date, "Enter the conference date"):
        assert conference_date is not None  # narrowed by the check
        checks.happened("conference_date", conference_date, "The conference date", child=child)
    checks.required("not_carried", not_carried, "Say what the other system's record lacks")
    if enquiry is not None and transfer_in:
        raise ValidationError(
            "A transfer-in conference follows notice of a move, not a section 47 enquiry"
        )
    if enquiry is None and not transfer_in:
        raise ValidationError("An initial conference follows a section 47 enquiry: give it")
    if enquiry is not None:
        enquiry = Section47Enquiry.objects.select_for_update().get(pk=enquiry.pk)
        if enquiry.person_id != child.pk:
            raise ValidationError("This enquiry is about another child")
        if Conference.objects.filter(enquiry=enquiry).exists():
            raise ValidationError("A conference has already been recorded for this enquiry")
        if enquiry.outcome != Section47Enquiry.Outcome.CONFERENCE:
            raise ValidationError(
                "The section 47 enquiry's outcome is not a conference, so no initial "
                "conference can be recorded for it"
            )
        refused = Checks()
        CINRule8868.check(
            refused,
            None,
            broken=CINRule8868.breaks(
                conference_held=True, icpc_not_required=enquiry.icpc_not_required
            ),
            on=conference_date or enquiry.start_date,
            explain="It is recorded that this enquiry needs no initial conference, so none can "
            "be recorded for it",
        )
        refused.raise_if_any()
        if conference_date is not None:
            _not_before(
                checks,
                "conference_date",
                conference_date,
                enquiry.start_date,
                "The conference date must be on or after the section 47 enquiry started",
            )
    if plan_made and conference_date is not None and not checks.has("conference_date"):
        _check_category(checks, initial_category, conference_date)
        if latest_category != initial_category:
            valid = code_list(CodeListName.CP_CATEGORY).is_valid(
                latest_category, collection_year(conference_date)
            ) or code_list(CodeListName.CP_CATEGORY).is_valid(
                latest_category, collection_year(timezone.localdate())
            )
            checks.check(valid, "latest_category", "Select the latest category of abuse")
        _check_lead(checks, lead_social_worker)
        checks.check(
            plan_start_date == conference_date,
            "plan_start_date",
            "A child protection plan starts on the day of the conference that decided on it, "
            f"{format_date(conference_date)}",
        )
    checks.raise_if_any()
    assert conference_date is not None  # checked above
    if plan_made and ProtectionPlan.objects.filter(person=child, end_date__isnull=True).exists():
        raise ValidationError(
            f"{child.full_name} is already on a child protection plan, so a conference cannot "
            "start another"
        )
    said = not_carried.strip()
    conference = Conference.objects.create(
        person=child,
        referral=enquiry.referral if enquiry else referral_open_on(child, conference_date),
        kind=Conference.Kind.INITIAL if enquiry else Conference.Kind.TRANSFER_IN,
        enquiry=enquiry,
        conference_date=conference_date,
        chair=None,
        team_elsewhere=team,
        reports_shared="",
        child_participation=said,
        family_participation=said,
        decision=Conference.Decision.PLAN if plan_made else Conference.Decision.NO_PLAN,
        rationale=said,
        category=initial_category if plan_made else "",
        lead_social_worker=lead_social_worker,
        outline_plan=said if plan_made else "",
        identity_needs=said if plan_made else "",
        recorded_by=acting_user,
    )
    record_event(
        acting_user=acting_user,
        event_type=ProtectionEvent.CONFERENCE_RECORDED_ELSEWHERE,
        target=conference,
        subject_person_id=child.pk,
        new_values=snapshot(conference, CONFERENCE_FIELDS),
    )
    if plan_made:
        assert lead_social_worker is not None  # checked above
        plan = ProtectionPlan.objects.create(
            person=child,
            referral=conference.referral,
            conference=conference,
            start_date=conference_date,
            initial_category=initial_category,
            latest_category=latest_category or initial_category,
            lead_social_worker=lead_social_worker,
            identity_needs=said,
            child_views=said,
            recorded_by=acting_user,
        )
        record_event(
            acting_user=acting_user,
            event_type=ProtectionEvent.PLAN_STARTED_ELSEWHERE,
            target=plan,
            subject_person_id=child.pk,
            new_values=snapshot(plan, [*PLAN_STARTED_FIELDS, "latest_category"]),
        )
    return conference


@transaction.atomic(durable=True)
def record_review_elsewhere(
    *,
    acting_user: User,
    plan: ProtectionPlan,
    conference_date: datetime.date | None,
    plan_continues: bool,
    not_carried: str,
) -> Conference:
    """Record a review conference held in another system, with no chair and no attendance
    recorded: the plan continues in its latest category, or ends on the conference date."""
    require_permission(acting_user, Permission.ENQUIRY_RECORD)
    require_permission(acting_user, Permission.PLAN_RECORD)
    current = smart.locked_open_plan(SMART_PLAN, plan.pk)
    checks = Checks()
    if checks.required("conference_date", conference_date, "Enter the review date") and (
        checks.happened("conference_date", conference_date, "The review date", child=current.person)
    ):
        assert conference_date is not None  # narrowed by the check
        last = current.review_conferences.order_by("-conference_date").first()
        if conference_date <= current.start_date:
            checks.add(
                "conference_date",
                "A review conference must be after the plan started on "
                f"{format_date(current.start_date)}",
            )
        elif last is not None and conference_date <= last.conference_date:
            checks.add(
                "conference_date",
                "A review conference must be after the last review, "
                f"{format_date(last.conference_date)}",
            )
    checks.required("not_carried", not_carried, "Say what the other system's record lacks")
    checks.raise_if_any()
    assert conference_date is not None  # checked above
    said = not_carried.strip()
    conference = Conference.objects.create(
        person=current.person,
        referral=current.referral,
        kind=Conference.Kind.REVIEW,
        plan=current,
        conference_date=conference_date,
        chair=None,
        reports_shared="",
        child_participation=said,
        family_participation=said,
        decision=Conference.Decision.CONTINUE if plan_continues else Conference.Decision.END,
        rationale=said,
        category=current.latest_category if plan_continues else "",
        identity_needs=said,
        recorded_by=acting_user,
    )
    record_event(
        acting_user=acting_user,
        event_type=ProtectionEvent.CONFERENCE_RECORDED_ELSEWHERE,
        target=conference,
        subject_person_id=current.person_id,
        new_values=snapshot(conference, CONFERENCE_FIELDS),
    )
    if not plan_continues:
        smart.change_plan(
            current,
            acting_user=acting_user,
            changes={
                "end_date": conference_date,
                "end_reason": ProtectionPlan.EndReason.REVIEW,
                "end_note": said,
            },
            event_type=ProtectionEvent.PLAN_ENDED_ELSEWHERE,
        )
    return conference


@transaction.atomic(durable=True)
def end_plan_elsewhere(
    *,
    acting_user: User,
    plan: ProtectionPlan,
    end_date: datetime.date | None,
    not_carried: str,
) -> ProtectionPlan:
    """End a plan on the day another system ended it, when no review conference it recorded
    ended it: why is not known, so no reason is coded and the note is ``not_carried``."""
    require_permission(acting_user, Permission.PLAN_RECORD)
    current = smart.locked_open_plan(SMART_PLAN, plan.pk)
    checks = Checks()
    if checks.required("end_date", end_date, "Enter the end date") and checks.happened(
        "end_date", end_date, "The end date", child=current.person
    ):
        assert end_date is not None  # narrowed by the check
        checks.check(
            end_date >= current.start_date,
            "end_date",
            f"The plan cannot end before it began on {format_date(current.start_date)}",
        )
    checks.required("not_carried", not_carried, "Say what the other system's record lacks")
    checks.raise_if_any()
    smart.change_plan(
        current,
        acting_user=acting_user,
        changes={"end_date": end_date, "end_reason": "", "end_note": not_carried.strip()},
        event_type=ProtectionEvent.PLAN_ENDED_ELSEWHERE,
    )
    return current
