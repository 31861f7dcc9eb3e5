"""Every write at the front door: contacts, decisions, referrals, early help, allocation.

Each public action runs in its own durable transaction and writes its audit events (one per
child whose record it belongs to) in that transaction. Bad input raises ``ValidationError``
keyed by field, with nothing written.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from caseline.apps.accounts.models import Team, User
from caseline.apps.audit.record import changed_values, record_event, snapshot
from caseline.apps.codes.lists import CodeListName, code_list, collection_year
from caseline.apps.frontdoor.events import FrontdoorEvent
from caseline.apps.frontdoor.models import (
    Contact,
    ContactPerson,
    EarlyHelpEpisode,
    Referral,
    StepChange,
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


def _check_code(
    errors: dict[str, list[str]], field: str, name: CodeListName, code: str, on: datetime.date
) -> None:
    if not code_list(name).is_valid(code, collection_year(on)):
        errors.setdefault(field, []).append(
            f"Select a valid {field.replace('_', ' ')} for {format_date(on)}"
        )


def _not_future(errors: dict[str, list[str]], field: str, label: str, day: datetime.date) -> None:
    if day > timezone.localdate():
        errors.setdefault(field, []).append(f"{label} must be today or in the past")


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


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
    errors: dict[str, list[str]] = {}
    received_on = timezone.localdate(received_at)
    _not_future(errors, "received_at", "The date the contact was received", received_on)
    _check_code(errors, "source", CodeListName.REFERRAL_SOURCE, source, received_on)
    if not concern.strip():
        errors["concern"] = ["Enter what the concern is"]
    if consent not in Contact.Consent.values:
        errors["consent"] = ["Select whether consent was given"]
    elif consent in CONSENT_NEEDS_NOTE and not consent_note.strip():
        errors["consent_note"] = ["Enter why consent was overridden or not sought"]
    roles = [role for _, role in people]
    if ContactPerson.Role.SUBJECT not in roles:
        errors.setdefault("people", []).append("Select the child the contact is about")
    if any(role not in ContactPerson.Role.values for role in roles):
        errors.setdefault("people", []).append("Select a valid role for each person")
    if len({person.pk for person, _ in people}) != len(people):
        errors.setdefault("people", []).append("Select each person only once")
    _raise(errors)
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


def subject_children(contact: Contact) -> list[Person]:
    """The children a contact is about, in the order they were recorded."""
    return [
        cp.person
        for cp in contact.people.select_related("person").order_by("id")
        if cp.role == ContactPerson.Role.SUBJECT
    ]


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
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    decided_at = decided_at or timezone.now()
    errors: dict[str, list[str]] = {}
    if contact.decision:
        raise ValidationError("A decision has already been recorded for this contact")
    if decision not in Contact.Decision.values:
        errors["decision"] = ["Select what happens next"]
    if not rationale.strip():
        errors["decision_rationale"] = ["Enter the reason for the decision"]
    if decided_at < contact.received_at:
        errors.setdefault("decided_at", []).append(
            "The decision date must be on or after the date the contact was received"
        )
    if decided_at > timezone.now():
        errors.setdefault("decided_at", []).append("The decision date must not be in the future")
    decided_on = timezone.localdate(decided_at)
    if primary_need:
        _check_code(errors, "primary_need", CodeListName.PRIMARY_NEED, primary_need, decided_on)
    _raise(errors)
    before = snapshot(contact, DECISION_FIELDS)
    contact.decision = decision
    contact.decision_rationale = rationale.strip()
    contact.decided_at = decided_at
    contact.decided_by = acting_user
    contact.save(update_fields=DECISION_FIELDS)
    old, new = changed_values(before, snapshot(contact, DECISION_FIELDS))
    children = subject_children(contact)
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
            person=child,
            referral_date=decided_on,
            source=contact.source,
            primary_need=primary_need,
            contact=contact,
        )
        for child in children
    ]


# --- Referrals (child in need episodes) -----------------------------------------------------


def open_referral_for(person: Person) -> Referral | None:
    """The child's open referral (there is at most one)."""
    return Referral.objects.filter(person=person, closed_on__isnull=True).first()


def _open_referral(
    *,
    acting_user: User,
    person: Person,
    referral_date: datetime.date,
    source: str,
    primary_need: str = "",
    contact: Contact | None = None,
) -> Referral:
    """Open a child in need episode. Not atomic: call from an action's transaction."""
    errors: dict[str, list[str]] = {}
    _not_future(errors, "referral_date", "The referral date", referral_date)
    _check_code(errors, "source", CodeListName.REFERRAL_SOURCE, source, referral_date)
    if primary_need:
        _check_code(errors, "primary_need", CodeListName.PRIMARY_NEED, primary_need, referral_date)
    # Lock the child's row so two referrals cannot be opened at once (the partial unique
    # constraint is the last line of defence).
    Person.objects.select_for_update().filter(pk=person.pk).first()
    current = open_referral_for(person)
    if current is not None:
        errors.setdefault("referral_date", []).append(
            f"{person.full_name} already has an open referral (from "
            f"{format_date(current.referral_date)}). Do not record a referral while a case "
            "is open: close it first"
        )
    _raise(errors)
    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                person=person,
                referral_date=referral_date,
                source=source,
                primary_need=primary_need,
                contact=contact,
                opened_by=acting_user,
            )
    except IntegrityError:
        raise ValidationError(
            {"referral_date": [f"{person.full_name} already has an open referral"]}
        ) from None
    record_event(
        acting_user=acting_user,
        event_type=FrontdoorEvent.REFERRAL_RECORDED,
        target=referral,
        subject_person_id=person.pk,
        new_values=snapshot(referral, REFERRAL_FIELDS),
    )
    return referral


@transaction.atomic(durable=True)
def record_referral(
    *,
    acting_user: User,
    person: Person,
    referral_date: datetime.date,
    source: str,
    primary_need: str = "",
    contact: Contact | None = None,
) -> Referral:
    """Open a child in need episode for a child who has no open one."""
    return _open_referral(
        acting_user=acting_user,
        person=person,
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
    errors: dict[str, list[str]] = {}
    if referral.closed_on is not None:
        raise ValidationError(
            f"This referral was already closed on {format_date(referral.closed_on)}"
        )
    if closed_on < referral.referral_date:
        errors["closed_on"] = [
            f"The closure date must be on or after the referral date "
            f"({format_date(referral.referral_date)})"
        ]
    _not_future(errors, "closed_on", "The closure date", closed_on)
    if not closure_reason:
        errors["closure_reason"] = ["Select the reason the case is closing"]
    else:
        _check_code(
            errors, "closure_reason", CodeListName.CIN_CLOSURE_REASON, closure_reason, closed_on
        )
    _raise(errors)
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
    return _close_referral(
        acting_user=acting_user,
        referral=referral,
        closed_on=closed_on,
        closure_reason=closure_reason,
        closure_note=closure_note,
        nfa=nfa,
    )


# --- Early help and step changes ------------------------------------------------------------


def open_early_help_for(person: Person) -> EarlyHelpEpisode | None:
    return EarlyHelpEpisode.objects.filter(person=person, end_date__isnull=True).first()


def _start_early_help(
    *,
    acting_user: User,
    person: Person,
    start_date: datetime.date,
    reason: str,
    organisation: str = "",
    lead_practitioner: str = "",
) -> EarlyHelpEpisode:
    errors: dict[str, list[str]] = {}
    _not_future(errors, "start_date", "The start date", start_date)
    if not reason.strip():
        errors["reason"] = ["Enter why early help is starting"]
    current = open_early_help_for(person)
    if current is not None:
        errors.setdefault("start_date", []).append(
            f"{person.full_name} already has early help open from {format_date(current.start_date)}"
        )
    _raise(errors)
    episode = EarlyHelpEpisode.objects.create(
        person=person,
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
        subject_person_id=person.pk,
        new_values=snapshot(episode, EARLY_HELP_FIELDS),
    )
    return episode


@transaction.atomic(durable=True)
def start_early_help(
    *,
    acting_user: User,
    person: Person,
    start_date: datetime.date,
    reason: str,
    organisation: str = "",
    lead_practitioner: str = "",
) -> EarlyHelpEpisode:
    """Start an early help episode for a child who has none open."""
    return _start_early_help(
        acting_user=acting_user,
        person=person,
        start_date=start_date,
        reason=reason,
        organisation=organisation,
        lead_practitioner=lead_practitioner,
    )


def _end_early_help(
    *, acting_user: User, episode: EarlyHelpEpisode, end_date: datetime.date, end_reason: str
) -> EarlyHelpEpisode:
    episode = EarlyHelpEpisode.objects.select_for_update().get(pk=episode.pk)
    errors: dict[str, list[str]] = {}
    if episode.end_date is not None:
        raise ValidationError(f"This early help ended on {format_date(episode.end_date)}")
    if end_date < episode.start_date:
        errors["end_date"] = [
            f"The end date must be on or after the start date ({format_date(episode.start_date)})"
        ]
    _not_future(errors, "end_date", "The end date", end_date)
    if not end_reason.strip():
        errors["end_reason"] = ["Enter why early help is ending"]
    _raise(errors)
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
    return _end_early_help(
        acting_user=acting_user, episode=episode, end_date=end_date, end_reason=end_reason
    )


def _record_step(
    *,
    acting_user: User,
    person: Person,
    direction: str,
    date: datetime.date,
    rationale: str,
    from_referral: Referral | None,
    to_early_help: EarlyHelpEpisode | None,
) -> StepChange:
    step = StepChange.objects.create(
        person=person,
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
        subject_person_id=person.pk,
        new_values=snapshot(step, STEP_FIELDS),
    )
    return step


@transaction.atomic(durable=True)
def record_step_down(
    *,
    acting_user: User,
    person: Person,
    date: datetime.date,
    rationale: str,
    organisation: str = "",
    lead_practitioner: str = "",
) -> StepChange:
    """Step a child down from social care to early help.

    Closes the open referral (closure reason RC9, "referred to early help") if there is one,
    and starts an early help episode unless one is already open.
    """
    if not rationale.strip():
        raise ValidationError({"rationale": ["Enter why the child is stepping down"]})
    referral = open_referral_for(person)
    if referral is not None:
        referral = _close_referral(
            acting_user=acting_user,
            referral=referral,
            closed_on=date,
            closure_reason=STEP_DOWN_CLOSURE_REASON,
            closure_note=rationale,
        )
    episode = open_early_help_for(person) or _start_early_help(
        acting_user=acting_user,
        person=person,
        start_date=date,
        reason=rationale,
        organisation=organisation,
        lead_practitioner=lead_practitioner,
    )
    return _record_step(
        acting_user=acting_user,
        person=person,
        direction=StepChange.Direction.STEP_DOWN,
        date=date,
        rationale=rationale,
        from_referral=referral,
        to_early_help=episode,
    )


@transaction.atomic(durable=True)
def record_step_up(
    *, acting_user: User, person: Person, date: datetime.date, rationale: str
) -> StepChange:
    """Step a child up from early help to social care: ends the open early help episode.

    The referral itself is recorded next, with ``record_referral`` (source 5D).
    """
    if not rationale.strip():
        raise ValidationError({"rationale": ["Enter why the child is stepping up"]})
    episode = open_early_help_for(person)
    if episode is None:
        raise ValidationError(f"{person.full_name} has no early help open to step up from")
    episode = _end_early_help(
        acting_user=acting_user,
        episode=episode,
        end_date=date,
        end_reason=f"Stepped up to children's social care: {rationale.strip()}",
    )
    return _record_step(
        acting_user=acting_user,
        person=person,
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
    person: Person,
    team: Team,
    worker: User | None,
    start_date: datetime.date,
    reason: str = "",
) -> Allocation:
    """Allocate a child's case to a team (and worker), ending the current allocation.

    The current allocation ends on the day the new one starts; history is kept.
    """
    errors: dict[str, list[str]] = {}
    _not_future(errors, "start_date", "The allocation date", start_date)
    if worker is not None and not worker.is_active:
        errors.setdefault("worker", []).append(f"{worker} is not an active user")
    elif worker is not None and worker.team_id != team.pk:
        errors.setdefault("worker", []).append(f"{worker} is not a member of {team}")
    Person.objects.select_for_update().filter(pk=person.pk).first()
    current = (
        Allocation.objects.filter(person=person, end_date__isnull=True)
        .order_by("-start_date", "-id")
        .first()
    )
    if current is not None:
        if start_date < current.start_date:
            errors.setdefault("start_date", []).append(
                f"The allocation date must be on or after the current allocation's start "
                f"({format_date(current.start_date)})"
            )
        if current.team_id == team.pk and current.worker_id == (worker.pk if worker else None):
            errors.setdefault("worker", []).append(
                "The case is already allocated to this team and worker"
            )
    _raise(errors)
    ended: dict[str, Any] | None = None
    if current is not None:
        current.end_date = start_date
        current.save(update_fields=["end_date"])
        ended = {"id": current.pk, "end_date": start_date}
    allocation = Allocation.objects.create(
        person=person,
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
        subject_person_id=person.pk,
        new_values=snapshot(allocation, ALLOCATION_FIELDS),
        extra={"ended_allocation": ended} if ended else None,
    )
    return allocation
