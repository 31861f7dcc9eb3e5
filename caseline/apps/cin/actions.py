"""Every write to a child in need plan, its outcomes and actions, reviews and visits.

Each action needs its permission, checks what it is given, and is audited. The outcomes and
actions are the shared SMART plan's (``plans.actions``), bound here to this kind of plan.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.audit.record import changed_values, record_event, snapshot
from caseline.apps.cin.events import CinEvent
from caseline.apps.cin.models import (
    ENDING_DECISIONS,
    CINPlan,
    CINVisit,
    PlanAction,
    PlanOutcome,
    PlanReview,
    PreProceedings,
    PreProceedingsMeeting,
)
from caseline.apps.cin.queries import first_dates, open_referral
from caseline.apps.codes.lists import CodeListName, code_list, collection_year
from caseline.apps.core.access import require_permission
from caseline.apps.core.checks import Checks, RowRefused
from caseline.apps.people.models import Person
from caseline.apps.plans import actions as smart
from caseline.apps.plans.identity import check_identity
from caseline.apps.plans.kinds import SmartPlanKind
from caseline.apps.returns.rules import DfERule
from caseline.apps.returns.rules.cin import (
    CINRule9006,
    CINRule9007,
    CINRule9009,
    CINRule9010Q,
    CINRule9011,
    CINRule9012,
    CINRule9013,
)
from caseline.apps.timescales.queries import rule_in_force
from caseline.apps.timescales.rules import format_date

PLAN_FIELDS = ["start_date", "child_views", "family_views", "identity_needs"]
REVIEW_FIELDS = [
    "plan",
    "review_date",
    "progress",
    "child_views",
    "identity_needs",
    "decision",
    "next_review_due",
]
VISIT_FIELDS = [
    "plan",
    "visit_date",
    "child_seen",
    "child_seen_alone",
    "seen_bedroom",
    "not_seen_reason",
    "purpose",
    "observations",
    "child_views",
]

# A plan that has not ended: no end date of its own and its episode still open.
NOT_ENDED = Q(end_date__isnull=True) & Q(referral__closed_on__isnull=True)

SMART_PLAN: SmartPlanKind[CINPlan, PlanOutcome, PlanAction] = SmartPlanKind.of(
    CINPlan,
    events=CinEvent,
    outcome_label="what we want to be different for {name}",
    outcome_missing="Enter what we want to be different for the child",
    plan_related=("referral",),
)

add_outcome = partial(smart.add_outcome, SMART_PLAN)
add_action = partial(smart.add_action, SMART_PLAN)
update_action_status = partial(smart.update_action_status, SMART_PLAN)


@transaction.atomic(durable=True)
def start_plan(
    *,
    acting_user: User,
    child: Person,
    start_date: datetime.date,
    child_views: str,
    identity_needs: str,
    family_views: str = "",
) -> CINPlan:
    """Start a child in need plan in the child's open episode. It is agreed only with the
    child's views and how it meets the child's identity needs."""
    require_permission(acting_user, Permission.PLAN_RECORD)
    Person.objects.select_for_update().filter(pk=child.pk).first()
    checks = Checks()
    started = checks.happened("start_date", start_date, "The plan start date", child=child)
    checks.required("child_views", child_views, "Enter the child's views on the plan")
    check_identity(checks, identity_needs)
    referral = open_referral(child)
    if referral is None:
        raise ValidationError(
            f"{child.full_name} has no open child in need episode. Record a referral "
            "before starting a plan"
        )
    if started:
        checks.check(
            start_date >= referral.referral_date,
            "start_date",
            "The plan start date must be on or after the referral date, "
            f"{format_date(referral.referral_date)}",
        )
    checks.raise_if_any()
    if CINPlan.objects.filter(NOT_ENDED, person=child).exists():
        raise ValidationError(
            f"{child.full_name} already has an open child in need plan. End it before "
            "starting another"
        )
    plan = CINPlan.objects.create(
        person=child,
        referral=referral,
        start_date=start_date,
        child_views=child_views.strip(),
        family_views=family_views.strip(),
        identity_needs=identity_needs.strip(),
        recorded_by=acting_user,
    )
    record_event(
        acting_user=acting_user,
        event_type=CinEvent.PLAN_STARTED,
        target=plan,
        subject_person_id=child.pk,
        new_values=snapshot(plan, ["referral", *PLAN_FIELDS]),
    )
    return plan


@transaction.atomic(durable=True)
def update_plan(
    *,
    acting_user: User,
    plan: CINPlan,
    read_version: int,
    start_date: datetime.date,
    child_views: str,
    identity_needs: str,
    family_views: str = "",
) -> CINPlan:
    """Change the plan's start date, the views on it and how it meets the child's identity
    needs. Raises EditConflict if stale."""
    require_permission(acting_user, Permission.PLAN_RECORD)
    current = smart.locked_open_plan(SMART_PLAN, plan.pk)
    checks = Checks()
    if checks.happened("start_date", start_date, "The plan start date", child=current.person):
        referral_date = current.referral.referral_date
        first_review, first_action = first_dates(current)
        if start_date < referral_date:
            checks.add(
                "start_date",
                "The plan start date must be on or after the referral date, "
                f"{format_date(referral_date)}",
            )
        elif first_review is not None and start_date > first_review:
            checks.add(
                "start_date",
                "The plan start date must be on or before its first review, "
                f"{format_date(first_review)}",
            )
        elif first_action is not None and start_date > first_action:
            checks.add(
                "start_date",
                "The plan start date must be on or before the earliest action's date, "
                f"{format_date(first_action)}",
            )
    checks.required("child_views", child_views, "Enter the child's views on the plan")
    check_identity(checks, identity_needs)
    checks.raise_if_any()
    smart.change_plan(
        current,
        acting_user=acting_user,
        changes={
            "start_date": start_date,
            "child_views": child_views.strip(),
            "family_views": family_views.strip(),
            "identity_needs": identity_needs.strip(),
        },
        event_type=CinEvent.PLAN_UPDATED,
        read_version=read_version,
    )
    plan.version = current.version
    return current


def _end_plan(
    plan: CINPlan, *, acting_user: User, day: datetime.date, reason: str, note: str
) -> None:
    """End a locked, open plan and audit it. Shared by end_plan and record_review."""
    changes = {"end_date": day, "end_reason": reason, "end_note": note.strip()}
    smart.change_plan(
        plan, acting_user=acting_user, changes=changes, event_type=CinEvent.PLAN_ENDED
    )


@transaction.atomic(durable=True)
def record_review(
    *,
    acting_user: User,
    plan: CINPlan,
    review_date: datetime.date,
    progress: str,
    child_views: str,
    identity_needs: str,
    decision: str,
) -> PlanReview:
    """Record a review. It says how the plan meets the child's identity needs, which the
    plan then says too. The next review is due by the local standard unless the plan ends: a
    decision to step down, end or escalate ends the plan on the review date."""
    require_permission(acting_user, Permission.PLAN_RECORD)
    current = smart.locked_open_plan(SMART_PLAN, plan.pk)
    checks = Checks()
    smart.happened_in_plan(checks, "review_date", review_date, "The review date", current)
    checks.required("progress", progress, "Enter the progress made on the plan")
    checks.required("child_views", child_views, "Enter the child's views")
    check_identity(checks, identity_needs)
    checks.check(decision in PlanReview.Decision.values, "decision", "Select the review's decision")
    checks.raise_if_any()
    ends = decision in ENDING_DECISIONS
    review = PlanReview.objects.create(
        plan=current,
        review_date=review_date,
        progress=progress.strip(),
        child_views=child_views.strip(),
        identity_needs=identity_needs.strip(),
        decision=decision,
        next_review_due=None if ends else rule_in_force("cin-plan-review").due_date(review_date),
        recorded_by=acting_user,
    )
    record_event(
        acting_user=acting_user,
        event_type=CinEvent.REVIEW_RECORDED,
        target=review,
        subject_person_id=current.person_id,
        new_values=snapshot(review, REVIEW_FIELDS),
    )
    if review.identity_needs != current.identity_needs:
        smart.change_plan(
            current,
            acting_user=acting_user,
            changes={"identity_needs": review.identity_needs},
            event_type=CinEvent.PLAN_UPDATED,
        )
    if ends:
        _end_plan(
            current,
            acting_user=acting_user,
            day=review_date,
            reason=ENDING_DECISIONS[decision],
            note=f"Decided at the review on {format_date(review_date)}.",
        )
    return review


@transaction.atomic(durable=True)
def end_plan(
    *,
    acting_user: User,
    plan: CINPlan,
    end_date: datetime.date,
    end_reason: str,
    end_note: str = "",
) -> CINPlan:
    """End the plan. Closing the whole episode is the front door's ``close_referral``."""
    require_permission(acting_user, Permission.PLAN_RECORD)
    current = smart.locked_open_plan(SMART_PLAN, plan.pk)
    checks = Checks()
    smart.happened_in_plan(checks, "end_date", end_date, "The plan end date", current)
    if (
        checks.check(
            end_reason in CINPlan.EndReason.values, "end_reason", "Select why the plan is ending"
        )
        and end_reason == CINPlan.EndReason.OTHER
    ):
        checks.required("end_note", end_note, "Enter why the plan is ending")
    checks.raise_if_any()
    _end_plan(current, acting_user=acting_user, day=end_date, reason=end_reason, note=end_note)
    return current


@dataclass(frozen=True)
class VisitDetails:
    """One visit to a child in need, as ``record_visit`` takes it."""

    visit_date: datetime.date
    child_seen: bool
    child_seen_alone: bool
    seen_bedroom: bool | None
    purpose: str
    observations: str
    child_views: str = ""
    not_seen_reason: str = ""


class VisitRefused(RowRefused):
    """One of the visits given to ``record_visits`` was refused: ``index`` says which (the
    messages are the visit's own, keyed by field as ``record_visit`` keys them)."""


@transaction.atomic(durable=True)
def record_visit(
    *,
    acting_user: User,
    child: Person,
    visit_date: datetime.date,
    child_seen: bool,
    child_seen_alone: bool,
    seen_bedroom: bool | None,
    purpose: str,
    observations: str,
    child_views: str = "",
    not_seen_reason: str = "",
) -> CINVisit:
    """Record a visit to the child, linked to the plan open on the visit date if any."""
    details = VisitDetails(
        visit_date=visit_date,
        child_seen=child_seen,
        child_seen_alone=child_seen_alone,
        seen_bedroom=seen_bedroom,
        purpose=purpose,
        observations=observations,
        child_views=child_views,
        not_seen_reason=not_seen_reason,
    )
    try:
        return _record_visits(acting_user=acting_user, child=child, visits=[details])[0]
    except VisitRefused as refused:
        raise ValidationError(refused.error_dict) from None


@transaction.atomic(durable=True)
def record_visits(
    *, acting_user: User, child: Person, visits: Sequence[VisitDetails]
) -> list[CINVisit]:
    """Record several visits to the child at once (a bulk import), each checked and audited
    as ``record_visit`` does; ``VisitRefused`` names the first refused, and none is kept."""
    return _record_visits(acting_user=acting_user, child=child, visits=visits)


def _record_visits(
    *, acting_user: User, child: Person, visits: Sequence[VisitDetails]
) -> list[CINVisit]:
    """The visits checked, each linked to the latest-starting plan open on its date (the
    child's plans read once), inserted together and audited."""
    require_permission(acting_user, Permission.VISIT_RECORD)
    for index, details in enumerate(visits):
        try:
            _check_visit(child, details)
        except ValidationError as error:
            raise VisitRefused(index, error) from None
    plans = list(
        CINPlan.objects.filter(person=child)
        .select_related("referral")
        .only("pk", "start_date", "end_date", "referral__closed_on")
        .order_by("-start_date", "-pk")
    )
    made = CINVisit.objects.bulk_create(
        CINVisit(
            person=child,
            plan=next((p for p in plans if p.is_open_on(details.visit_date)), None),
            visit_date=details.visit_date,
            child_seen=details.child_seen,
            child_seen_alone=details.child_seen_alone,
            seen_bedroom=details.seen_bedroom,
            not_seen_reason="" if details.child_seen else details.not_seen_reason.strip(),
            purpose=details.purpose.strip(),
            observations=details.observations.strip(),
            child_views=details.child_views.strip(),
            recorded_by=acting_user,
        )
        for details in visits
    )
    for visit in made:
        record_event(
            acting_user=acting_user,
            event_type=CinEvent.VISIT_RECORDED,
            target=visit,
            subject_person_id=child.pk,
            new_values=snapshot(visit, VISIT_FIELDS),
        )
    return made


def _check_visit(child: Person, details: VisitDetails) -> None:
    checks = Checks()
    checks.happened("visit_date", details.visit_date, "The visit date", child=child)
    checks.check(
        details.child_seen or not details.child_seen_alone,
        "child_seen_alone",
        "The child cannot have been seen alone if they were not seen. Change one of the answers",
    )
    if not details.child_seen:
        checks.required(
            "not_seen_reason", details.not_seen_reason, "Enter why the child was not seen"
        )
    checks.required("purpose", details.purpose, "Enter the purpose of the visit")
    checks.required("observations", details.observations, "Enter what you observed")
    checks.raise_if_any()


# --- Pre-proceedings and family group decision-making (CIN census 2026-27 module 5) ----------

PP_START_FIELDS = ["referral", "start_date", "start_reason"]
LETTER_FIELDS = ["letter_sent_on", "fgdm_offered"]
FGDM_FIELDS = ["fgdm_facilitated", "fgdm_held_on", "fgdm_note"]
PP_END_FIELDS = ["decided_on", "outcome", "outcome_note"]
COURT_FIELDS = ["court_application_on", "proceedings_letter_sent_on"]


def _locked_proceedings(proceedings: PreProceedings) -> PreProceedings:
    return (
        PreProceedings.objects.select_for_update().select_related("person").get(pk=proceedings.pk)
    )


def _on_or_after(
    checks: Checks,
    field: str,
    day: datetime.date | None,
    earliest: datetime.date,
    rule: type[DfERule],
    why: str,
) -> None:
    """``day`` on or after ``earliest`` (the DfE ``rule`` that says so: 9006, 9009, 9012,
    9013), unless ``field`` already has a problem or no day was given."""
    if day is not None and not checks.has(field):
        rule.check(
            checks, field, broken=day < earliest, on=day, explain=f"{why}, {format_date(earliest)}."
        )


def _audit_proceedings(
    acting_user: User, event: CinEvent, proceedings: PreProceedings, fields: list[str]
) -> None:
    record_event(
        acting_user=acting_user,
        event_type=event,
        target=proceedings,
        subject_person_id=proceedings.person_id,
        new_values=snapshot(proceedings, fields),
    )


@transaction.atomic(durable=True)
def start_pre_proceedings(
    *,
    acting_user: User,
    child: Person,
    start_date: datetime.date,
    start_reason: str,
) -> PreProceedings:
    """Record that a legal planning meeting (or other forum) decided on ``start_date`` to
    start pre-proceedings, in the child's open child in need episode (the census reports
    the block within the episode). One period of pre-proceedings at a time."""
    require_permission(acting_user, Permission.PLAN_RECORD)
    Person.objects.select_for_update().filter(pk=child.pk).first()
    checks = Checks()
    started = checks.happened(
        "start_date", start_date, "The date of the decision to start pre-proceedings", child=child
    )
    checks.required("start_reason", start_reason, "Enter why pre-proceedings started")
    referral = open_referral(child)
    if referral is None:
        raise ValidationError(
            f"{child.full_name} has no open child in need episode. Record a referral "
            "before starting pre-proceedings"
        )
    if started:
        checks.check(
            start_date >= referral.referral_date,
            "start_date",
            "The date of the decision must be on or after the referral date, "
            f"{format_date(referral.referral_date)}",
        )
    checks.raise_if_any()
    if PreProceedings.objects.filter(person=child, decided_on__isnull=True).exists():
        raise ValidationError(
            f"{child.full_name} is already in pre-proceedings. Record the decision to step up "
            "or down before starting again"
        )
    proceedings = PreProceedings.objects.create(
        person=child,
        referral=referral,
        start_date=start_date,
        start_reason=start_reason.strip(),
        recorded_by=acting_user,
    )
    _audit_proceedings(acting_user, CinEvent.PRE_PROCEEDINGS_STARTED, proceedings, PP_START_FIELDS)
    return proceedings


@transaction.atomic(durable=True)
def record_letter_before_proceedings(
    *,
    acting_user: User,
    proceedings: PreProceedings,
    letter_sent_on: datetime.date,
    fgdm_offered: bool | None,
) -> PreProceedings:
    """Record the letter before proceedings and whether it offered a family group
    decision-making meeting (DfE CIN census rules 9006 and 9007)."""
    require_permission(acting_user, Permission.PLAN_RECORD)
    current = _locked_proceedings(proceedings)
    if current.letter_sent_on is not None:
        raise ValidationError(
            "The letter before proceedings was recorded as sent on "
            f"{format_date(current.letter_sent_on)}"
        )
    checks = Checks()
    checks.happened(
        "letter_sent_on", letter_sent_on, "The date the letter was sent", child=current.person
    )
    _on_or_after(
        checks,
        "letter_sent_on",
        letter_sent_on,
        current.start_date,
        CINRule9006,
        "The letter must be sent on or after the decision to start pre-proceedings",
    )
    CINRule9007.check(
        checks,
        "fgdm_offered",
        broken=CINRule9007.breaks(letter_sent_on=letter_sent_on, fgdm_offered=fgdm_offered),
        on=letter_sent_on,
        explain="Select whether the letter offered a family group decision-making meeting.",
    )
    checks.raise_if_any()
    current.letter_sent_on = letter_sent_on
    current.fgdm_offered = fgdm_offered
    current.save(update_fields=LETTER_FIELDS)
    _audit_proceedings(acting_user, CinEvent.LETTER_BEFORE_PROCEEDINGS_SENT, current, LETTER_FIELDS)
    return current


@transaction.atomic(durable=True)
def record_family_group_decision_making(
    *,
    acting_user: User,
    proceedings: PreProceedings,
    fgdm_facilitated: bool | None,
    fgdm_held_on: datetime.date | None = None,
    fgdm_note: str = "",
) -> PreProceedings:
    """Record whether a family group decision-making meeting was facilitated in the
    pre-proceedings period (the census's FGDMMeetingFac, which rule 9010Q asks for once the
    letter offered one), with its date if it was held. It may be corrected later (for
    example, a meeting held after one was first refused); the audit keeps each answer."""
    require_permission(acting_user, Permission.PLAN_RECORD)
    current = _locked_proceedings(proceedings)
    checks = Checks()
    # Asked whether or not the letter offered a meeting (rule 9010Q asks it after an offer).
    CINRule9010Q.check(
        checks,
        "fgdm_facilitated",
        broken=fgdm_facilitated is None,
        on=current.start_date,
        explain="Select whether a family group decision-making meeting was facilitated.",
    )
    if fgdm_facilitated:
        if checks.required(
            "fgdm_held_on", fgdm_held_on, "Enter the date of the family group meeting"
        ) and checks.happened(
            "fgdm_held_on", fgdm_held_on, "The date of the meeting", child=current.person
        ):
            assert fgdm_held_on is not None  # checked above
            checks.check(
                fgdm_held_on >= current.start_date,
                "fgdm_held_on",
                "The meeting must be on or after the decision to start pre-proceedings, "
                f"{format_date(current.start_date)}",
            )
    elif fgdm_facilitated is False:
        checks.check(
            fgdm_held_on is None,
            "fgdm_held_on",
            "Give a date only if a family group meeting was held",
        )
        checks.required("fgdm_note", fgdm_note, "Enter why no family group meeting was facilitated")
    checks.raise_if_any()
    before = snapshot(current, FGDM_FIELDS)
    current.fgdm_facilitated = fgdm_facilitated
    current.fgdm_held_on = fgdm_held_on
    current.fgdm_note = fgdm_note.strip()
    current.save(update_fields=FGDM_FIELDS)
    old, new = changed_values(before, snapshot(current, FGDM_FIELDS))
    record_event(
        acting_user=acting_user,
        event_type=CinEvent.FGDM_RECORDED,
        target=current,
        subject_person_id=current.person_id,
        old_values=old,
        new_values=new,
    )
    return current


@transaction.atomic(durable=True)
def record_pre_proceedings_meeting(
    *,
    acting_user: User,
    proceedings: PreProceedings,
    kind: str,
    held_on: datetime.date,
    note: str = "",
) -> PreProceedingsMeeting:
    """Record the first effective pre-proceedings meeting (the census's
    InitialPPMeetingDate), or a review meeting after it (counted in ReviewMeetingsCount)."""
    require_permission(acting_user, Permission.PLAN_RECORD)
    current = _locked_proceedings(proceedings)
    checks = Checks()
    checks.check(kind in PreProceedingsMeeting.Kind.values, "kind", "Select which meeting this was")
    if checks.happened("held_on", held_on, "The date of the meeting", child=current.person):
        checks.check(
            held_on >= current.start_date,
            "held_on",
            "The meeting must be on or after the decision to start pre-proceedings, "
            f"{format_date(current.start_date)}",
        )
        if current.decided_on is not None:
            checks.check(
                held_on <= current.decided_on,
                "held_on",
                "The meeting must be on or before the decision to step up or down, "
                f"{format_date(current.decided_on)}",
            )
    checks.raise_if_any()
    initial = current.meetings.filter(kind=PreProceedingsMeeting.Kind.INITIAL).first()
    if kind == PreProceedingsMeeting.Kind.INITIAL and initial is not None:
        raise ValidationError(
            "The first effective meeting was recorded on "
            f"{format_date(initial.held_on)}. Record this one as a review meeting"
        )
    if kind == PreProceedingsMeeting.Kind.REVIEW:
        if initial is None:
            raise ValidationError("Record the first effective meeting before its reviews")
        if held_on <= initial.held_on:
            checks.add(
                "held_on",
                "A review meeting must be after the first effective meeting, "
                f"{format_date(initial.held_on)}",
            )
            checks.raise_if_any()
    meeting = PreProceedingsMeeting.objects.create(
        proceedings=current,
        kind=kind,
        held_on=held_on,
        note=note.strip(),
        recorded_by=acting_user,
    )
    record_event(
        acting_user=acting_user,
        event_type=CinEvent.PRE_PROCEEDINGS_MEETING_RECORDED,
        target=meeting,
        subject_person_id=current.person_id,
        new_values=snapshot(meeting, ["proceedings", "kind", "held_on"]),
    )
    return meeting


@transaction.atomic(durable=True)
def end_pre_proceedings(
    *,
    acting_user: User,
    proceedings: PreProceedings,
    decided_on: datetime.date,
    outcome: str,
    outcome_note: str,
) -> PreProceedings:
    """Record the decision to step up or down that ends pre-proceedings (the census's
    StepDecisionDate and PPOutcome; DfE CIN census rules 9009 and 9011)."""
    require_permission(acting_user, Permission.PLAN_RECORD)
    current = _locked_proceedings(proceedings)
    if current.decided_on is not None:
        raise ValidationError(
            f"Pre-proceedings ended with a decision on {format_date(current.decided_on)}"
        )
    checks = Checks()
    checks.happened("decided_on", decided_on, "The date of the decision", child=current.person)
    _on_or_after(
        checks,
        "decided_on",
        decided_on,
        current.start_date,
        CINRule9009,
        "The decision must be on or after the decision to start pre-proceedings",
    )
    last_meeting = current.meetings.order_by("-held_on").first()
    if last_meeting is not None and not checks.has("decided_on"):
        checks.check(
            decided_on >= last_meeting.held_on,
            "decided_on",
            "The decision must be on or after the last meeting, "
            f"{format_date(last_meeting.held_on)}",
        )
    CINRule9011.check(
        checks,
        "outcome",
        broken=not code_list(CodeListName.PRE_PROCEEDINGS_OUTCOME).is_valid(
            outcome, collection_year(decided_on)
        ),
        on=decided_on,
        explain=f"Select an outcome the census accepts for {format_date(decided_on)}.",
    )
    checks.required("outcome_note", outcome_note, "Enter the reasons for the decision")
    checks.raise_if_any()
    current.decided_on = decided_on
    current.outcome = outcome
    current.outcome_note = outcome_note.strip()
    current.save(update_fields=PP_END_FIELDS)
    _audit_proceedings(acting_user, CinEvent.PRE_PROCEEDINGS_ENDED, current, PP_END_FIELDS)
    return current


@transaction.atomic(durable=True)
def record_court_application(
    *,
    acting_user: User,
    proceedings: PreProceedings,
    court_application_on: datetime.date,
    proceedings_letter_sent_on: datetime.date | None = None,
) -> PreProceedings:
    """Record the application to court for care proceedings that followed the decision, and
    the letter telling the parents (the census's CourtAppDate and LetterInitCPDate; DfE CIN
    census rules 9012 and 9013). The letter's date may be added later."""
    require_permission(acting_user, Permission.PLAN_RECORD)
    current = _locked_proceedings(proceedings)
    if current.decided_on is None:
        raise ValidationError("Record the decision to step up or down before the court application")
    checks = Checks()
    checks.happened(
        "court_application_on",
        court_application_on,
        "The date of the application",
        child=current.person,
    )
    _on_or_after(
        checks,
        "court_application_on",
        court_application_on,
        current.decided_on,
        CINRule9012,
        "The application must be on or after the decision to step up",
    )
    checks.happened(
        "proceedings_letter_sent_on",
        proceedings_letter_sent_on,
        "The date the letter was sent",
        child=current.person,
    )
    if not checks.has("court_application_on"):
        _on_or_after(
            checks,
            "proceedings_letter_sent_on",
            proceedings_letter_sent_on,
            court_application_on,
            CINRule9013,
            "The letter must be sent on or after the court application",
        )
    checks.raise_if_any()
    before = snapshot(current, COURT_FIELDS)
    current.court_application_on = court_application_on
    current.proceedings_letter_sent_on = proceedings_letter_sent_on
    current.save(update_fields=COURT_FIELDS)
    old, new = changed_values(before, snapshot(current, COURT_FIELDS))
    record_event(
        acting_user=acting_user,
        event_type=CinEvent.COURT_APPLICATION_RECORDED,
        target=current,
        subject_person_id=current.person_id,
        old_values=old,
        new_values=new,
    )
    return current
