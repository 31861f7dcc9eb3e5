"""Every write at the front door: contacts, decisions, referrals, early help, allocation.

Each public action checks the permission its page declares, runs in its own durable
transaction and writes its audit events (one per child whose record it belongs to) in that
transaction. Bad input raises ``ValidationError`` keyed by field, with nothing written.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.audit.record import changed_values, record_event, snapshot
from caseline.apps.codes.lists import CodeListName
from caseline.apps.core.access import require_permission
from caseline.apps.core.checks import Checks
from caseline.apps.frontdoor.events import FrontdoorEvent
from caseline.apps.frontdoor.models import (
    Contact,
    ContactPerson,
    EarlyHelpEpisode,
    Referral,
    StepChange,
)
from caseline.apps.frontdoor.queries import (
    open_early_help_for,
    open_referral_for,
    subject_children,
)
from caseline.apps.people.models import Allocation, Person
from caseline.apps.timescales.rules import format_date

CONTACT_FIELDS = [
    "received_at",
    "source",
    "referrer_name",
    "referrer_organisation",
    "referrer_contact",
    "concern",
    "consent",
    "consent_note",
]
DECISION_FIELDS = ["decision", "decision_rationale", "decided_at", "decided_by"]
REFERRAL_FIELDS = ["person", "referral_date", "source", "primary_need", "contact", "nfa"]
CLOSURE_FIELDS = ["closed_on", "closure_reason", "closure_note", "nfa"]
EARLY_HELP_FIELDS = ["person", "start_date", "reason", "organisation", "lead_practitioner"]
STEP_FIELDS = ["person", "direction", "date", "from_referral", "to_early_help", "rationale"]
ALLOCATION_FIELDS = ["person", "team", "worker", "start_date", "end_date", "reason"]

# Consent outcomes that need a written reason.
CONSENT_NEEDS_NOTE = {Contact.Consent.OVERRIDDEN, Contact.Consent.NOT_SOUGHT}
# The closure reason used when a child in need episode ends with a step down to early help.
STEP_DOWN_CLOSURE_REASON = "RC9"


# --- Contacts -------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def record_contact(
    *,
    acting_user: User,
    received_at: datetime.datetime,
    source: str,
    concern: str,
    consent: str,
    people: Sequence[tuple[Person, str]],
    consent_note: str = "",
    referrer_name: str = "",
    referrer_organisation: str = "",
    referrer_contact: str = "",
) -> Contact:
    """Record a contact about one or more children (``people``: (person, ContactPerson.Role))."""
    require_permission(acting_user, Permission.CONTACT_RECORD)
    checks = Checks()
    received_on = timezone.localdate(received_at)
    subjects = [person for person, role in people if role == ContactPerson.Role.SUBJECT]
    what = "The date the contact was received"
    if checks.happened("received_at", received_on, what):
        for child in subjects:
            if not checks.happened("received_at", received_on, what, child=child):
                break
    checks.code("source", CodeListName.REFERRAL_SOURCE, source, on=received_on)
    checks.required("concern", concern, "Enter what the concern is")
    consent_known = checks.check(
        consent in Contact.Consent.values, "consent", "Select whether consent was given"
    )
    if consent_known and consent in CONSENT_NEEDS_NOTE:
        checks.required(
            "consent_note", consent_note, "Enter why consent was overridden or not sought"
        )
    roles = [role for _, role in people]
    checks.check(
        ContactPerson.Role.SUBJECT in roles, "people", "Select the child the contact is about"
    )
    checks.check(
        all(role in ContactPerson.Role.values for role in roles),
        "people",
        "Select a valid role for each person",
    )
    checks.check(
        len({person.pk for person, _ in people}) == len(people),
        "people",
        "Select each person only once",
    )
    checks.raise_if_any()
    contact = Contact.objects.create(
        received_at=received_at,
        source=source,
        referrer_name=referrer_name.strip(),
        referrer_organisation=referrer_organisation.strip(),
        referrer_contact=referrer_contact.strip(),
        concern=concern.strip(),
        consent=consent,
        consent_note=consent_note.strip(),
        recorded_by=acting_user,
    )
    ContactPerson.objects.bulk_create(
        ContactPerson(contact=contact, person=person, role=role) for person, role in people
    )
    values = snapshot(contact, CONTACT_FIELDS)
    values["people"] = [[person.pk, role] for person, role in people]
    for person, role in people:
        if role == ContactPerson.Role.SUBJECT:
            record_event(
                acting_user=acting_user,
                event_type=FrontdoorEvent.CONTACT_RECORDED,
                target=contact,
                subject_person_id=person.pk,
                new_values=values,
            )
    return contact


@transaction.atomic(durable=True)
def decide_contact(
    *,
    acting_user: User,
    contact: Contact,
    decision: str,
    rationale: str,
    decided_at: datetime.datetime | None = None,
    primary_need: str = "",
) -> list[Referral]:
    """Decide what happens after a contact. A referral decision opens a child in need
    episode for every child the contact is about, in the same transaction.

    Returns the referrals opened (none for other decisions).
    """
    require_permission(acting_user, Permission.CONTACT_DECIDE)
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    decided_at = decided_at or timezone.now()
    if contact.decision:
        raise ValidationError("A decision has already been recorded for this contact")
    children = subject_children(contact)
    checks = Checks()
    checks.check(decision in Contact.Decision.values, "decision", "Select what happens next")
    checks.required("decision_rationale", rationale, "Enter the reason for the decision")
    checks.check(
        decided_at >= contact.received_at,
        "decided_at",
        "The decision date must be on or after the date the contact was received",
    )
    decided_on = timezone.localdate(decided_at)
    if checks.check(
        decided_at <= timezone.now(), "decided_at", "The decision date must not be in the future"
    ):
        for child in children:
            checks.happened("decided_at", decided_on, "The decision date", child=child)
    if primary_need:
        checks.code("primary_need", CodeListName.PRIMARY_NEED, primary_need, on=decided_on)
    checks.raise_if_any()
    before = snapshot(contact, DECISION_FIELDS)
    contact.decision = decision
    contact.decision_rationale = rationale.strip()
    contact.decided_at = decided_at
    contact.decided_by = acting_user
    contact.save(update_fields=DECISION_FIELDS)
    old, new = changed_values(before, snapshot(contact, DECISION_FIELDS))
    for child in children:
        record_event(
            acting_user=acting_user,
            event_type=FrontdoorEvent.CONTACT_DECIDED,
            target=contact,
            subject_person_id=child.pk,
            old_values=old,
            new_values=new,
        )
    if decision != Contact.Decision.REFERRAL:
        return []
    return [
        _open_referral(
            acting_user=acting_user,
            child=child,
            referral_date=decided_on,
            source=contact.source,
            primary_need=primary_need,
            contact=contact,
        )
        for child in children
    ]


# --- Referrals (child in need episodes) -----------------------------------------------------


def _open_referral(
    *,
    acting_user: User,
    child: Person,
    referral_date: datetime.date,
    source: str,
    primary_need: str = "",
    contact: Contact | None = None,
) -> Referral:
    """Open a child in need episode. Not atomic: call from an action's transaction."""
    checks = Checks()
    checks.happened("referral_date", referral_date, "The referral date", child=child)
    checks.code("source", CodeListName.REFERRAL_SOURCE, source, on=referral_date)
    if primary_need:
        checks.code("primary_need", CodeListName.PRIMARY_NEED, primary_need, on=referral_date)
    # Lock the child's row so two referrals cannot be opened at once (the partial unique
    # constraint is the last line of defence).
    Person.objects.select_for_update().filter(pk=child.pk).first()
    current = open_referral_for(child)
    if current is not None:
        checks.add(
            "referral_date",
            f"{child.full_name} already has an open referral (from "
            f"{format_date(current.referral_date)}). Do not record a referral while a case "
            "is open: close it first",
        )
    checks.raise_if_any()
    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                person=child,
                referral_date=referral_date,
                source=source,
                primary_need=primary_need,
                contact=contact,
                opened_by=acting_user,
            )
    except IntegrityError:
        raise ValidationError(
            {"referral_date": [f"{child.full_name} already has an open referral"]}
        ) from None
    record_event(
        acting_user=acting_user,
        event_type=FrontdoorEvent.REFERRAL_RECORDED,
        target=referral,
        subject_person_id=child.pk,
        new_values=snapshot(referral, REFERRAL_FIELDS),
    )
    return referral


@transaction.atomic(durable=True)
def record_referral(
    *,
    acting_user: User,
    child: Person,
    referral_date: datetime.date,
    source: str,
    primary_need: str = "",
    contact: Contact | None = None,
) -> Referral:
    """Open a child in need episode for a child who has no open one."""
    require_permission(acting_user, Permission.REFERRAL_RECORD)
    return _open_referral(
        acting_user=acting_user,
        child=child,
        referral_date=referral_date,
        source=source,
        primary_need=primary_need,
        contact=contact,
    )


def _close_referral(
    *,
    acting_user: User,
    referral: Referral,
    closed_on: datetime.date,
    closure_reason: str,
    closure_note: str = "",
    nfa: bool = False,
) -> Referral:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.closed_on is not None:
        raise ValidationError(
            f"This referral was already closed on {format_date(referral.closed_on)}"
        )
    checks = Checks()
    checks.check(
        closed_on >= referral.referral_date,
        "closed_on",
        "The closure date must be on or after the referral date "
        f"({format_date(referral.referral_date)})",
    )
    checks.happened("closed_on", closed_on, "The closure date", child=referral.person)
    if checks.required("closure_reason", closure_reason, "Select the reason the case is closing"):
        checks.code(
            "closure_reason",
            CodeListName.CIN_CLOSURE_REASON,
            closure_reason,
            on=closed_on,
        )
    checks.raise_if_any()
    before = snapshot(referral, CLOSURE_FIELDS)
    referral.closed_on = closed_on
    referral.closure_reason = closure_reason
    referral.closure_note = closure_note.strip()
    referral.nfa = nfa
    referral.save(update_fields=CLOSURE_FIELDS)
    old, new = changed_values(before, snapshot(referral, CLOSURE_FIELDS))
    record_event(
        acting_user=acting_user,
        event_type=FrontdoorEvent.REFERRAL_CLOSED,
        target=referral,
        subject_person_id=referral.person_id,
        old_values=old,
        new_values=new,
    )
    return referral


@transaction.atomic(durable=True)
def close_referral(
    *,
    acting_user: User,
    referral: Referral,
    closed_on: datetime.date,
    closure_reason: str,
    closure_note: str = "",
    nfa: bool = False,
) -> Referral:
    """Close a child in need episode with a CIN closure reason (RC1 to RC9)."""
    require_permission(acting_user, Permission.REFERRAL_RECORD)
    return _close_referral(
        acting_user=acting_user,
        referral=referral,
        closed_on=closed_on,
        closure_reason=closure_reason,
        closure_note=closure_note,
        nfa=nfa,
    )


# --- Early help and step changes ------------------------------------------------------------


def _start_early_help(
    *,
    acting_user: User,
    child: Person,
    start_date: datetime.date,
    reason: str,
    organisation: str = "",
    lead_practitioner: str = "",
) -> EarlyHelpEpisode:
    checks = Checks()
    checks.happened("start_date", start_date, "The start date", child=child)
    checks.required("reason", reason, "Enter why early help is starting")
    current = open_early_help_for(child)
    if current is not None:
        checks.add(
            "start_date",
            f"{child.full_name} already has early help open from {format_date(current.start_date)}",
        )
    checks.raise_if_any()
    episode = EarlyHelpEpisode.objects.create(
        person=child,
        start_date=start_date,
        reason=reason.strip(),
        organisation=organisation.strip(),
        lead_practitioner=lead_practitioner.strip(),
        recorded_by=acting_user,
    )
    record_event(
        acting_user=acting_user,
        event_type=FrontdoorEvent.EARLY_HELP_STARTED,
        target=episode,
        subject_person_id=child.pk,
        new_values=snapshot(episode, EARLY_HELP_FIELDS),
    )
    return episode


@transaction.atomic(durable=True)
def start_early_help(
    *,
    acting_user: User,
    child: Person,
    start_date: datetime.date,
    reason: str,
    organisation: str = "",
    lead_practitioner: str = "",
) -> EarlyHelpEpisode:
    """Start an early help episode for a child who has none open."""
    require_permission(acting_user, Permission.REFERRAL_RECORD)
    return _start_early_help(
        acting_user=acting_user,
        child=child,
        start_date=start_date,
        reason=reason,
        organisation=organisation,
        lead_practitioner=lead_practitioner,
    )


def _end_early_help(
    *, acting_user: User, episode: EarlyHelpEpisode, end_date: datetime.date, end_reason: str
) -> EarlyHelpEpisode:
    episode = EarlyHelpEpisode.objects.select_for_update().get(pk=episode.pk)
    if episode.end_date is not None:
        raise ValidationError(f"This early help ended on {format_date(episode.end_date)}")
    checks = Checks()
    checks.check(
        end_date >= episode.start_date,
        "end_date",
        f"The end date must be on or after the start date ({format_date(episode.start_date)})",
    )
    checks.happened("end_date", end_date, "The end date", child=episode.person)
    checks.required("end_reason", end_reason, "Enter why early help is ending")
    checks.raise_if_any()
    episode.end_date = end_date
    episode.end_reason = end_reason.strip()
    episode.save(update_fields=["end_date", "end_reason"])
    record_event(
        acting_user=acting_user,
        event_type=FrontdoorEvent.EARLY_HELP_ENDED,
        target=episode,
        subject_person_id=episode.person_id,
        old_values={"end_date": None, "end_reason": ""},
        new_values=snapshot(episode, ["end_date", "end_reason"]),
    )
    return episode


@transaction.atomic(durable=True)
def end_early_help(
    *, acting_user: User, episode: EarlyHelpEpisode, end_date: datetime.date, end_reason: str
) -> EarlyHelpEpisode:
    """End an open early help episode."""
    require_permission(acting_user, Permission.REFERRAL_RECORD)
    return _end_early_help(
        acting_user=acting_user, episode=episode, end_date=end_date, end_reason=end_reason
    )


def _check_step(child: Person, date: datetime.date, rationale: str, direction: str) -> None:
    """The checks both step changes make before anything is written."""
    checks = Checks()
    checks.happened("date", date, f"The date of the step {direction}", child=child)
    checks.required("rationale", rationale, f"Enter why the child is stepping {direction}")
    checks.raise_if_any()


def _record_step(
    *,
    acting_user: User,
    child: Person,
    direction: str,
    date: datetime.date,
    rationale: str,
    from_referral: Referral | None,
    to_early_help: EarlyHelpEpisode | None,
) -> StepChange:
    step = StepChange.objects.create(
        person=child,
        direction=direction,
        date=date,
        rationale=rationale.strip(),
        from_referral=from_referral,
        to_early_help=to_early_help,
        recorded_by=acting_user,
    )
    record_event(
        acting_user=acting_user,
        event_type=(
            FrontdoorEvent.STEPPED_DOWN
            if direction == StepChange.Direction.STEP_DOWN
            else FrontdoorEvent.STEPPED_UP
        ),
        target=step,
        subject_person_id=child.pk,
        new_values=snapshot(step, STEP_FIELDS),
    )
    return step


@transaction.atomic(durable=True)
def record_step_down(
    *,
    acting_user: User,
    child: Person,
    date: datetime.date,
    rationale: str,
    organisation: str = "",
    lead_practitioner: str = "",
) -> StepChange:
    """Step a child down from social care to early help.

    Closes the open referral (closure reason RC9, "referred to early help") if there is one,
    and starts an early help episode unless one is already open.
    """
    require_permission(acting_user, Permission.REFERRAL_RECORD)
    _check_step(child, date, rationale, "down")
    referral = open_referral_for(child)
    if referral is not None:
        referral = _close_referral(
            acting_user=acting_user,
            referral=referral,
            closed_on=date,
            closure_reason=STEP_DOWN_CLOSURE_REASON,
            closure_note=rationale,
        )
    episode = open_early_help_for(child) or _start_early_help(
        acting_user=acting_user,
        child=child,
        start_date=date,
        reason=rationale,
        organisation=organisation,
        lead_practitioner=lead_practitioner,
    )
    return _record_step(
        acting_user=acting_user,
        child=child,
        direction=StepChange.Direction.STEP_DOWN,
        date=date,
        rationale=rationale,
        from_referral=referral,
        to_early_help=episode,
    )


@transaction.atomic(durable=True)
def record_step_up(
    *, acting_user: User, child: Person, date: datetime.date, rationale: str
) -> StepChange:
    """Step a child up from early help to social care: ends the open early help episode.

    The referral itself is recorded next, with ``record_referral`` (source 5D).
    """
    require_permission(acting_user, Permission.REFERRAL_RECORD)
    _check_step(child, date, rationale, "up")
    episode = open_early_help_for(child)
    if episode is None:
        raise ValidationError(f"{child.full_name} has no early help open to step up from")
    episode = _end_early_help(
        acting_user=acting_user,
        episode=episode,
        end_date=date,
        end_reason=f"Stepped up to children's social care: {rationale.strip()}",
    )
    return _record_step(
        acting_user=acting_user,
        child=child,
        direction=StepChange.Direction.STEP_UP,
        date=date,
        rationale=rationale,
        from_referral=None,
        to_early_help=episode,
    )


# --- Allocation -----------------------------------------------------------------------------


@transaction.atomic(durable=True)
def allocate_case(
    *,
    acting_user: User,
    child: Person,
    team: Team,
    worker: User | None,
    start_date: datetime.date,
    reason: str = "",
) -> Allocation:
    """Allocate a child's case to a team (and worker), ending the current allocation.

    The current allocation ends on the day the new one starts; history is kept.
    """
    require_permission(acting_user, Permission.CASE_ALLOCATE)
    checks = Checks()
    checks.happened("start_date", start_date, "The allocation date", child=child)
    if worker is not None and not worker.is_active:
        checks.add("worker", f"{worker} is not an active user")
    elif worker is not None and worker.team_id != team.pk:
        checks.add("worker", f"{worker} is not a member of {team}")
    Person.objects.select_for_update().filter(pk=child.pk).first()
    current = (
        Allocation.objects.filter(person=child, end_date__isnull=True)
        .order_by("-start_date", "-id")
        .first()
    )
    if current is not None:
        checks.check(
            start_date >= current.start_date,
            "start_date",
            "The allocation date must be on or after the current allocation's start "
            f"({format_date(current.start_date)})",
        )
        checks.check(
            current.team_id != team.pk or current.worker_id != (worker.pk if worker else None),
            "worker",
            "The case is already allocated to this team and worker",
        )
    checks.raise_if_any()
    ended: dict[str, Any] | None = None
    if current is not None:
        current.end_date = start_date
        current.save(update_fields=["end_date"])
        ended = {"id": current.pk, "end_date": start_date}
    allocation = Allocation.objects.create(
        person=child,
        team=team,
        worker=worker,
        start_date=start_date,
        reason=reason.strip(),
        allocated_by=acting_user,
    )
    record_event(
        acting_user=acting_user,
        event_type=FrontdoorEvent.CASE_ALLOCATED,
        target=allocation,
        subject_person_id=child.pk,
        new_values=snapshot(allocation, ALLOCATION_FIELDS),
        extra={"ended_allocation": ended} if ended else None,
    )
    return allocation
