"""Every write in child protection. Each action is atomic, validated and audited."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from caseline.apps.audit.record import changed_values, record_event, snapshot
from caseline.apps.codes.lists import CodeListName, code_list, collection_year
from caseline.apps.core.concurrency import save_versioned
from caseline.apps.frontdoor.models import Referral
from caseline.apps.people.models import Person
from caseline.apps.protection.events import ProtectionEvent
from caseline.apps.protection.models import (
    Agency,
    Conference,
    ConferenceAttendee,
    CoreGroup,
    Participation,
    PoliceDecision,
    ProtectionAction,
    ProtectionOutcome,
    ProtectionPlan,
    ProtectionVisit,
    Section47Enquiry,
    StrategyDiscussion,
    StrategyParticipant,
)
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
]
PLAN_FIELDS = [
    "worries",
    "contingency",
    "child_views",
    "core_group_every_weeks",
    "visit_every_working_days",
]
END_FIELDS = ["end_date", "end_reason", "end_note"]


def _raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def _required(errors: dict[str, str], name: str, value: str, message: str) -> None:
    if not value.strip():
        errors[name] = message


def _not_future(errors: dict[str, str], name: str, value: datetime.date, what: str) -> None:
    if value > timezone.localdate():
        errors[name] = f"{what} must be today or in the past"


def _open_referral(child: Person, on: datetime.date) -> Referral | None:
    """The child in need episode open on ``on``, if there is one."""
    return (
        Referral.objects.filter(person=child, referral_date__lte=on)
        .exclude(closed_on__lt=on)
        .order_by("-referral_date", "-id")
        .first()
    )


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


def _check_participation(
    errors: dict[str, str], participants: AgencyParticipation, prefix: str
) -> None:
    valid = set(Participation.values)
    for agency in Agency:
        participation = participants.get(agency.value, ("", ""))[0]
        if participation not in valid:
            errors[agency_field(prefix, agency.value)] = (
                f"Select how {AGENCY_PHRASES[agency]} took part"
            )


def _check_category(errors: dict[str, str], name: str, category: str, on: datetime.date) -> None:
    if not code_list(CodeListName.CP_CATEGORY).is_valid(category, collection_year(on)):
        errors[name] = "Select the category of abuse"


def _locked_plan(plan: ProtectionPlan) -> ProtectionPlan:
    return ProtectionPlan.objects.select_for_update().get(pk=plan.pk)


def _refuse_if_ended(plan: ProtectionPlan) -> None:
    if plan.end_date is not None:
        raise ValidationError(
            f"This plan ended on {format_date(plan.end_date)}: it can no longer be changed"
        )


# --- Strategy discussion and section 47 ------------------------------------------------------


@transaction.atomic(durable=True)
def record_strategy_discussion(
    *,
    acting_user: Any,
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
    errors: dict[str, str] = {}
    held_on = timezone.localdate(held_at)
    if kind not in StrategyDiscussion.Kind.values:
        errors["kind"] = "Select whether this was a discussion or a meeting"
    if held_at > timezone.now():
        errors["held_at"] = "The date and time of the strategy discussion must be in the past"
    _check_participation(errors, participants, "participation_")
    _required(errors, "information_shared", information_shared, "Enter the information shared")
    _required(errors, "decision", decision, "Enter the decision")
    _required(errors, "rationale", rationale, "Enter the reasons for the decision")
    if s47_decision not in StrategyDiscussion.S47Decision.values:
        errors["s47_decision"] = "Select whether a section 47 enquiry starts"
    _raise_if(errors)
    referral = _open_referral(child, held_on)
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
    acting_user: Any,
    enquiry: Section47Enquiry,
    outcome: str,
    completed_on: datetime.date,
    outcome_note: str,
) -> Section47Enquiry:
    """Record the section 47 enquiry's outcome and completion date."""
    current = Section47Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    if current.completed_on is not None:
        raise ValidationError(
            f"This enquiry was completed on {format_date(current.completed_on)} and cannot be "
            "completed again"
        )
    errors: dict[str, str] = {}
    if outcome not in Section47Enquiry.Outcome.values:
        errors["outcome"] = "Select the outcome of the enquiry"
    _not_future(errors, "completed_on", completed_on, "The completion date")
    if "completed_on" not in errors and completed_on < current.start_date:
        errors["completed_on"] = (
            "The completion date must be on or after the strategy discussion that started the "
            f"enquiry, {format_date(current.start_date)}"
        )
    _required(errors, "outcome_note", outcome_note, "Enter the reasons for the outcome")
    _raise_if(errors)
    current.outcome = outcome
    current.completed_on = completed_on
    current.outcome_note = outcome_note.strip()
    current.save(update_fields=["outcome", "completed_on", "outcome_note"])
    record_event(
        acting_user=acting_user,
        event_type=ProtectionEvent.S47_COMPLETED,
        target=current,
        subject_person_id=current.person_id,
        new_values=snapshot(current, ["outcome", "completed_on", "outcome_note"]),
    )
    return current


@transaction.atomic(durable=True)
def record_police_decision(
    *,
    acting_user: Any,
    enquiry: Section47Enquiry,
    decided_on: datetime.date,
    decision: str,
    abe_interview: bool,
    abe_interview_on: datetime.date | None = None,
    officer: str = "",
) -> PoliceDecision:
    """Record a decision in the parallel police investigation."""
    errors: dict[str, str] = {}
    _not_future(errors, "decided_on", decided_on, "The date of the decision")
    if "decided_on" not in errors and decided_on < enquiry.start_date:
        errors["decided_on"] = (
            "The date of the decision must be on or after the strategy discussion, "
            f"{format_date(enquiry.start_date)}"
        )
    _required(errors, "decision", decision, "Enter the police decision")
    if abe_interview_on is not None and not abe_interview:
        errors["abe_interview_on"] = "Only give an interview date when an interview is planned"
    elif abe_interview_on is not None and abe_interview_on < enquiry.start_date:
        errors["abe_interview_on"] = (
            "The interview date must be on or after the strategy discussion, "
            f"{format_date(enquiry.start_date)}"
        )
    _raise_if(errors)
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


# --- Conferences ---------------------------------------------------------------------------


def _create_conference(
    *,
    acting_user: Any,
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
    errors: dict[str, str],
    *,
    conference_date: datetime.date,
    attendees: AgencyParticipation,
    reports_shared: str,
    child_participation: str,
    family_participation: str,
    rationale: str,
) -> None:
    _not_future(errors, "conference_date", conference_date, "The conference date")
    _check_participation(errors, attendees, "attendance_")
    if reports_shared not in Conference.ReportsShared.values:
        errors["reports_shared"] = "Select whether reports were shared with the parents"
    _required(errors, "child_participation", child_participation, "Enter how the child took part")
    _required(
        errors, "family_participation", family_participation, "Enter how the family took part"
    )
    _required(errors, "rationale", rationale, "Enter the reasons for the decision")


@transaction.atomic(durable=True)
def hold_initial_conference(
    *,
    acting_user: Any,
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
    lead_social_worker: Any = None,
    outline_plan: str = "",
    enquiry: Section47Enquiry | None = None,
    transfer_notified_on: datetime.date | None = None,
) -> Conference:
    """Record an initial (or, with ``transfer_notified_on``, transfer-in) conference, chaired
    by the acting user. A decision that the child needs a plan starts the plan that day."""
    Person.objects.select_for_update().filter(pk=child.pk).first()
    errors: dict[str, str] = {}
    _check_conference(
        errors,
        conference_date=conference_date,
        attendees=attendees,
        reports_shared=reports_shared,
        child_participation=child_participation,
        family_participation=family_participation,
        rationale=rationale,
    )
    if (enquiry is None) == (transfer_notified_on is None):
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
        if "conference_date" not in errors and conference_date < enquiry.start_date:
            errors["conference_date"] = (
                "The conference date must be on or after the strategy discussion that started "
                f"the section 47 enquiry, {format_date(enquiry.start_date)}"
            )
    if (
        transfer_notified_on is not None
        and "conference_date" not in errors
        and conference_date < transfer_notified_on
    ):
        errors["conference_date"] = (
            "The conference date must be on or after the date we were told the child had "
            f"moved here, {format_date(transfer_notified_on)}"
        )
    if decision not in (Conference.Decision.PLAN, Conference.Decision.NO_PLAN):
        errors["decision"] = "Select whether the child needs a child protection plan"
    if decision == Conference.Decision.PLAN:
        _check_category(errors, "category", category, conference_date)
        if lead_social_worker is None:
            errors["lead_social_worker"] = "Select the lead social worker"
        _required(errors, "outline_plan", outline_plan, "Enter the outline plan")
    _raise_if(errors)
    if (
        decision == Conference.Decision.PLAN
        and ProtectionPlan.objects.filter(person=child, end_date__isnull=True).exists()
    ):
        raise ValidationError(
            f"{child.full_name} is already on a child protection plan. Hold a review "
            "conference instead"
        )
    is_plan = decision == Conference.Decision.PLAN
    conference = _create_conference(
        acting_user=acting_user,
        child=child,
        attendees=attendees,
        health_knows_child=health_knows_child,
        referral=enquiry.referral if enquiry else _open_referral(child, conference_date),
        kind=Conference.Kind.INITIAL if enquiry else Conference.Kind.TRANSFER_IN,
        enquiry=enquiry,
        transfer_notified_on=transfer_notified_on,
        conference_date=conference_date,
        reports_shared=reports_shared,
        child_participation=child_participation.strip(),
        family_participation=family_participation.strip(),
        decision=decision,
        rationale=rationale.strip(),
        category=category if is_plan else "",
        lead_social_worker=lead_social_worker if is_plan else None,
        outline_plan=outline_plan.strip() if is_plan else "",
    )
    if is_plan:
        plan = ProtectionPlan.objects.create(
            person=child,
            referral=conference.referral,
            conference=conference,
            start_date=conference_date,
            initial_category=category,
            latest_category=category,
            lead_social_worker=lead_social_worker,
            created_by=acting_user,
        )
        record_event(
            acting_user=acting_user,
            event_type=ProtectionEvent.PLAN_STARTED,
            target=plan,
            subject_person_id=child.pk,
            new_values=snapshot(
                plan, ["conference", "start_date", "initial_category", "lead_social_worker"]
            ),
        )
    return conference


@transaction.atomic(durable=True)
def hold_review_conference(
    *,
    acting_user: Any,
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
) -> Conference:
    """Record a review conference, chaired by the acting user: the plan continues (perhaps in
    a new category) or ends on the conference date."""
    current = _locked_plan(plan)
    _refuse_if_ended(current)
    errors: dict[str, str] = {}
    _check_conference(
        errors,
        conference_date=conference_date,
        attendees=attendees,
        reports_shared=reports_shared,
        child_participation=child_participation,
        family_participation=family_participation,
        rationale=rationale,
    )
    if "conference_date" not in errors and conference_date <= current.start_date:
        errors["conference_date"] = (
            "A review conference must be after the plan started on "
            f"{format_date(current.start_date)}"
        )
    last = current.review_conferences.order_by("-conference_date").first()
    if "conference_date" not in errors and last and conference_date <= last.conference_date:
        errors["conference_date"] = (
            "A review conference must be after the last review, "
            f"{format_date(last.conference_date)}"
        )
    if progress not in Conference.Progress.values:
        errors["progress"] = "Select how much progress has been made"
    if decision not in (Conference.Decision.CONTINUE, Conference.Decision.END):
        errors["decision"] = "Select whether the plan continues or ends"
    if decision == Conference.Decision.CONTINUE:
        _check_category(errors, "category", category, conference_date)
    _raise_if(errors)
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
    )
    before = snapshot(current, ["latest_category", *END_FIELDS])
    if decision == Conference.Decision.END:
        current.end_date = conference_date
        current.end_reason = ProtectionPlan.EndReason.REVIEW
        current.end_note = rationale.strip()
    else:
        current.latest_category = category
    current.save(update_fields=["latest_category", *END_FIELDS])
    old, new = changed_values(before, snapshot(current, ["latest_category", *END_FIELDS]))
    if new:
        record_event(
            acting_user=acting_user,
            event_type=(
                ProtectionEvent.PLAN_ENDED if current.end_date else ProtectionEvent.PLAN_UPDATED
            ),
            target=current,
            subject_person_id=current.person_id,
            old_values=old,
            new_values=new,
        )
    return conference


# --- The plan --------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def update_plan(
    *,
    acting_user: Any,
    plan: ProtectionPlan,
    read_version: int,
    worries: str,
    contingency: str,
    child_views: str,
    core_group_every_weeks: int | None = None,
    visit_every_working_days: int | None = None,
) -> ProtectionPlan:
    """Change the plan's worries, contingency, child's views and local frequencies."""
    current = _locked_plan(plan)
    _refuse_if_ended(current)
    errors: dict[str, str] = {}
    _required(errors, "worries", worries, "Enter what we are worried about")
    _required(errors, "contingency", contingency, "Enter the contingency plan")
    _required(errors, "child_views", child_views, "Enter the child's views")
    if core_group_every_weeks is not None and not 1 <= core_group_every_weeks <= 12:
        errors["core_group_every_weeks"] = "Core groups must be every 1 to 12 weeks"
    if visit_every_working_days is not None and not 1 <= visit_every_working_days <= 40:
        errors["visit_every_working_days"] = "Visits must be every 1 to 40 working days"
    _raise_if(errors)
    before = snapshot(current, PLAN_FIELDS)
    current.worries = worries.strip()
    current.contingency = contingency.strip()
    current.child_views = child_views.strip()
    current.core_group_every_weeks = core_group_every_weeks
    current.visit_every_working_days = visit_every_working_days
    save_versioned(current, read_version=read_version, update_fields=PLAN_FIELDS)
    old, new = changed_values(before, snapshot(current, PLAN_FIELDS))
    record_event(
        acting_user=acting_user,
        event_type=ProtectionEvent.PLAN_UPDATED,
        target=current,
        subject_person_id=current.person_id,
        old_values=old,
        new_values=new,
    )
    plan.version = current.version
    return current


@transaction.atomic(durable=True)
def add_outcome(*, acting_user: Any, plan: ProtectionPlan, outcome: str) -> ProtectionOutcome:
    """Add what needs to change, at the end of the plan's list."""
    current = _locked_plan(plan)
    _refuse_if_ended(current)
    errors: dict[str, str] = {}
    _required(errors, "outcome", outcome, "Enter what needs to change")
    _raise_if(errors)
    last = current.outcomes.aggregate(last=Max("order", default=0))["last"]
    added = ProtectionOutcome.objects.create(plan=current, order=last + 1, outcome=outcome.strip())
    record_event(
        acting_user=acting_user,
        event_type=ProtectionEvent.OUTCOME_ADDED,
        target=added,
        subject_person_id=current.person_id,
        new_values=snapshot(added, ["plan", "order", "outcome"]),
    )
    return added


@transaction.atomic(durable=True)
def add_action(
    *,
    acting_user: Any,
    outcome: ProtectionOutcome,
    what: str,
    who: str,
    by_when: datetime.date,
    how_we_will_know: str,
) -> ProtectionAction:
    """Add a SMART action towards an outcome."""
    current = _locked_plan(outcome.plan)
    _refuse_if_ended(current)
    errors: dict[str, str] = {}
    _required(errors, "what", what, "Enter what will happen")
    _required(errors, "who", who, "Enter who will do it")
    _required(errors, "how_we_will_know", how_we_will_know, "Enter how we will know it worked")
    if by_when < current.start_date:
        errors["by_when"] = (
            f"The date must be on or after the plan started, {format_date(current.start_date)}"
        )
    _raise_if(errors)
    action = ProtectionAction.objects.create(
        outcome=outcome,
        what=what.strip(),
        who=who.strip(),
        by_when=by_when,
        how_we_will_know=how_we_will_know.strip(),
    )
    record_event(
        acting_user=acting_user,
        event_type=ProtectionEvent.ACTION_ADDED,
        target=action,
        subject_person_id=current.person_id,
        new_values=snapshot(action, ["outcome", "what", "who", "by_when", "how_we_will_know"]),
    )
    return action


STATUS_FIELDS = ["status", "status_note", "status_updated_on"]


@transaction.atomic(durable=True)
def update_action_status(
    *,
    acting_user: Any,
    action: ProtectionAction,
    status: str,
    updated_on: datetime.date,
    status_note: str,
) -> ProtectionAction:
    """Record progress on an action, usually at a core group."""
    current = _locked_plan(action.outcome.plan)
    _refuse_if_ended(current)
    errors: dict[str, str] = {}
    if status not in ProtectionAction.Status.values:
        errors["status"] = "Select how the action is going"
    _check_in_plan(errors, "updated_on", updated_on, current, "The date")
    _required(errors, "status_note", status_note, "Enter the progress made")
    _raise_if(errors)
    before = snapshot(action, STATUS_FIELDS)
    action.status = status
    action.status_note = status_note.strip()
    action.status_updated_on = updated_on
    action.save(update_fields=STATUS_FIELDS)
    old, new = changed_values(before, snapshot(action, STATUS_FIELDS))
    record_event(
        acting_user=acting_user,
        event_type=ProtectionEvent.ACTION_STATUS_UPDATED,
        target=action,
        subject_person_id=current.person_id,
        old_values=old,
        new_values=new,
    )
    return action


def _check_in_plan(
    errors: dict[str, str], name: str, day: datetime.date, plan: ProtectionPlan, what: str
) -> None:
    _not_future(errors, name, day, what)
    if name not in errors and day < plan.start_date:
        errors[name] = (
            f"{what} must be on or after the plan started, {format_date(plan.start_date)}"
        )


@transaction.atomic(durable=True)
def record_core_group(
    *,
    acting_user: Any,
    plan: ProtectionPlan,
    meeting_date: datetime.date,
    attendees: str,
    progress: str,
    progress_note: str,
    plan_changes: str = "",
) -> CoreGroup:
    """Record a core group meeting, with progress against the plan rated."""
    current = _locked_plan(plan)
    _refuse_if_ended(current)
    errors: dict[str, str] = {}
    _check_in_plan(errors, "meeting_date", meeting_date, current, "The meeting date")
    _required(errors, "attendees", attendees, "Enter who came")
    if progress not in Conference.Progress.values:
        errors["progress"] = "Select how much progress has been made"
    _required(errors, "progress_note", progress_note, "Enter the progress against the plan")
    _raise_if(errors)
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


@transaction.atomic(durable=True)
def record_visit(
    *,
    acting_user: Any,
    plan: ProtectionPlan,
    visit_date: datetime.date,
    child_seen: bool,
    child_seen_alone: bool,
    observations: str,
) -> ProtectionVisit:
    """Record a child protection visit."""
    current = _locked_plan(plan)
    _refuse_if_ended(current)
    errors: dict[str, str] = {}
    _check_in_plan(errors, "visit_date", visit_date, current, "The visit date")
    if child_seen_alone and not child_seen:
        errors["child_seen_alone"] = "The child cannot be seen alone if they were not seen"
    _required(errors, "observations", observations, "Enter what was observed")
    _raise_if(errors)
    visit = ProtectionVisit.objects.create(
        plan=current,
        visit_date=visit_date,
        child_seen=child_seen,
        child_seen_alone=child_seen_alone,
        observations=observations.strip(),
        recorded_by=acting_user,
    )
    record_event(
        acting_user=acting_user,
        event_type=ProtectionEvent.VISIT_RECORDED,
        target=visit,
        subject_person_id=current.person_id,
        new_values=snapshot(visit, ["plan", "visit_date", "child_seen", "child_seen_alone"]),
    )
    return visit


@transaction.atomic(durable=True)
def end_plan(
    *,
    acting_user: Any,
    plan: ProtectionPlan,
    end_date: datetime.date,
    end_reason: str,
    end_note: str,
) -> ProtectionPlan:
    """End a plan for a reason other than a review conference (a move, 18, death, leaving
    the UK). A review conference ends a plan through ``hold_review_conference``."""
    current = _locked_plan(plan)
    _refuse_if_ended(current)
    errors: dict[str, str] = {}
    _not_future(errors, "end_date", end_date, "The end date")
    if "end_date" not in errors and end_date < current.start_date:
        errors["end_date"] = (
            f"The plan cannot end before it began on {format_date(current.start_date)}"
        )
    if end_reason not in ProtectionPlan.EndReason.values or end_reason == "review":
        errors["end_reason"] = (
            "Select why the plan is ending (a review conference ends a plan by its own decision)"
        )
    _required(errors, "end_note", end_note, "Enter more about why the plan is ending")
    _raise_if(errors)
    before = snapshot(current, END_FIELDS)
    current.end_date = end_date
    current.end_reason = end_reason
    current.end_note = end_note.strip()
    current.save(update_fields=END_FIELDS)
    old, new = changed_values(before, snapshot(current, END_FIELDS))
    record_event(
        acting_user=acting_user,
        event_type=ProtectionEvent.PLAN_ENDED,
        target=current,
        subject_person_id=current.person_id,
        old_values=old,
        new_values=new,
    )
    return current
