"""Every write at the front door: contacts, decisions, referrals, early help, allocation.

Each public action checks the permission its page declares, runs in its own durable
transaction and writes its audit events (one per child whose record it belongs to) in that
transaction. Bad input raises ``ValidationError`` keyed by field, with nothing written.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NotRequired, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.accounts.queries import CASE_HOLDING_SERVICES, holding_cases_among
from caseline.apps.audit.record import changed_values, record_event, snapshot
from caseline.apps.cin import census_rules as rules
from caseline.apps.codes.lists import CodeListName
from caseline.apps.core.access import require_permission
from caseline.apps.core.checks import Checks, RowRefused
from caseline.apps.core.concurrency import EditConflict, save_versioned
from caseline.apps.frontdoor.events import FrontdoorEvent
from caseline.apps.frontdoor.models import (
    Contact,
    ContactPerson,
    EarlyHelpEpisode,
    Referral,
    StepChange,
    start_of_day,
)
from caseline.apps.frontdoor.queries import (
    EpisodeActivity,
    episode_activity,
    open_early_help_for,
    open_referral_for,
    subject_children,
)
from caseline.apps.people.models import Allocation, Person
from caseline.apps.people.rules import check_change_reason
from caseline.apps.returns.rules.cin import (
    CINRule2990,
    CINRule4000,
    CINRule8565,
    CINRule8831,
    CINRule8832,
    CINRule8868,
)
from caseline.apps.timescales.rules import format_date

CONTACT_FIELDS = [
    "received_at",
    "received_time_given",
    "source",
    "referrer_name",
    "referrer_organisation",
    "referrer_contact",
    "concern",
    "consent",
    "consent_note",
]
DECISION_FIELDS = [
    "decision",
    "decision_rationale",
    "decided_at",
    "decided_time_given",
    "decided_by",
]
REFERRAL_FIELDS = ["person", "referral_date", "source", "primary_need", "contact", "nfa"]
CLOSURE_FIELDS = ["closed_on", "closure_reason", "closure_note", "nfa", "primary_need"]
EARLY_HELP_FIELDS = ["person", "start_date", "reason", "organisation", "lead_practitioner"]
STEP_FIELDS = ["person", "direction", "date", "from_referral", "to_early_help", "rationale"]
ALLOCATION_FIELDS = [
    "person",
    "team",
    "worker",
    "start_date",
    "end_date",
    "change_reason",
    "reason",
]

# Consent outcomes that need a written reason.
CONSENT_NEEDS_NOTE = {Contact.Consent.OVERRIDDEN, Contact.Consent.NOT_SOUGHT}
# The closure reason used when a child in need episode ends with a step down to early help
# after no more than an assessment; after a section 47 enquiry, a conference or a plan, the
# episode closes as "services ceased" (DfE CIN census rule 2990 rules out RC9 then).
STEP_DOWN_CLOSURE_REASON = "RC9"
STEP_DOWN_AFTER_SERVICES_REASON = "RC7"


# --- Contacts -------------------------------------------------------------------------------


class ContactDetails(TypedDict):
    """A contact's details, as recording it takes them and correcting it changes them (the
    people it is about aside). With no time given (``received_time_given`` false), only the
    day of ``received_at`` counts: the contact is kept at the start of it."""

    received_at: datetime.datetime
    source: str
    concern: str
    consent: str
    received_time_given: NotRequired[bool]  # True unless said
    consent_note: NotRequired[str]
    referrer_name: NotRequired[str]
    referrer_organisation: NotRequired[str]
    referrer_contact: NotRequired[str]


def _checked_details(
    details: ContactDetails, people: Sequence[tuple[Person, str]]
) -> dict[str, Any]:
    """The checks recording a contact and correcting one both make; the contact's fields
    (``CONTACT_FIELDS``) as they are kept, if every check passes."""
    received_at = details["received_at"]
    received_time_given = details.get("received_time_given", True)
    source, concern, consent = details["source"], details["concern"], details["consent"]
    consent_note = details.get("consent_note", "")
    checks = Checks()
    received_on = timezone.localdate(received_at)
    subjects = [person for person, role in people if role == ContactPerson.Role.SUBJECT]
    what = "The date the contact was received"
    if checks.happened("received_at", received_on, what):
        for child in subjects:
            if not checks.happened("received_at", received_on, what, child=child):
                break
        now = timezone.now()
        if received_time_given and received_at > now:
            checks.add(
                "received_time",
                "The time the contact was received must not be later than now "
                f"({timezone.localtime(now):%H:%M})",
            )
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
    return {
        "received_at": _moment(received_at, received_time_given),
        "received_time_given": received_time_given,
        "source": source,
        "referrer_name": details.get("referrer_name", "").strip(),
        "referrer_organisation": details.get("referrer_organisation", "").strip(),
        "referrer_contact": details.get("referrer_contact", "").strip(),
        "concern": concern.strip(),
        "consent": consent,
        "consent_note": consent_note.strip(),
    }


def _moment(moment: datetime.datetime, time_given: bool) -> datetime.datetime:
    """Where a moment is kept: as given, or the start of its day when no time was given. In
    UTC, as the database gives it back, so that the audit's old and new values compare."""
    kept = moment if time_given else start_of_day(timezone.localdate(moment))
    return kept.astimezone(datetime.UTC)


def _people_values(people: Iterable[tuple[int, str]]) -> list[list[Any]]:
    """Who a contact is about, for the audit: [person id, role] pairs in id order."""
    return sorted([person_id, role] for person_id, role in people)


@dataclass(frozen=True)
class ContactDecision:
    """A decision on a contact, as ``decide_contact`` takes it."""

    decision: str
    rationale: str
    decided_at: datetime.datetime | None = None  # now, unless said
    decided_time_given: bool = True
    primary_need: str = ""


@dataclass(frozen=True)
class ContactRecorded:
    """One contact given to ``record_contacts``: its details, as ``record_contact`` takes them,
    and the decision on it if one was made, as ``decide_contact`` takes it."""

    details: ContactDetails
    decision: ContactDecision | None = None


@dataclass(frozen=True)
class ContactMade:
    """A contact ``record_contacts`` recorded, its people (as recorded on it) and the
    referrals its decision opened."""

    contact: Contact
    people: list[ContactPerson]
    referrals: list[Referral]


class ContactRefused(RowRefused):
    """One of the contacts given to ``record_contacts`` was refused (its details, its decision
    or the referral the decision opens): ``index`` says which, the messages are its own, keyed
    by field as ``record_contact`` and ``decide_contact`` key them."""


@transaction.atomic(durable=True)
def record_contact(
    *,
    acting_user: User,
    people: Sequence[tuple[Person, str]],
    **details: Unpack[ContactDetails],
) -> Contact:
    """Record a contact about one or more children (``people``: (person, ContactPerson.Role)).

    A day in the future, or a time later than now (on ``received_time``), is refused.
    """
    try:
        made = _record_contacts(
            acting_user=acting_user, people=people, contacts=[ContactRecorded(details)]
        )
    except ContactRefused as refused:
        raise _one_row(refused) from None
    return made[0].contact


@transaction.atomic(durable=True)
def record_contacts(
    *, acting_user: User, child: Person, contacts: Sequence[ContactRecorded]
) -> list[ContactMade]:
    """Record several contacts about one child at once (a bulk import), each with its decision
    if one was made, in the order given: each checked and audited as ``record_contact`` then
    ``decide_contact`` check and audit it, a referral decision opening the child's referral
    before the next contact is checked. ``ContactRefused`` names the first refused, and none
    is kept."""
    return _record_contacts(
        acting_user=acting_user, people=[(child, ContactPerson.Role.SUBJECT)], contacts=contacts
    )


def _one_row(refused: ContactRefused) -> ValidationError:
    """The refusal of the only contact given, as the one-row actions raise it."""
    if hasattr(refused, "error_dict"):
        return ValidationError(refused.error_dict)
    return ValidationError(refused.messages)


def _record_contacts(
    *,
    acting_user: User,
    people: Sequence[tuple[Person, str]],
    contacts: Sequence[ContactRecorded],
) -> list[ContactMade]:
    """The contacts, all about ``people``, checked in order (the details as ``record_contact``
    checks them, a decision as ``decide_contact`` does), inserted together and audited each as
    one is. A referral decision needs the child's record as the contacts before it left it:
    the contacts up to it are inserted and audited, then its referrals opened, before the next
    is checked."""
    require_permission(acting_user, Permission.CONTACT_RECORD)
    if any(given.decision is not None for given in contacts):
        require_permission(acting_user, Permission.CONTACT_DECIDE)
    children = [person for person, role in people if role == ContactPerson.Role.SUBJECT]
    made: list[ContactMade] = []
    # Checked, not yet inserted: the contact, its index and its decision's audit values.
    waiting: list[tuple[int, Contact, tuple[dict[str, Any], dict[str, Any]] | None]] = []
    for index, given in enumerate(contacts):
        try:
            contact = Contact(**_checked_details(given.details, people), recorded_by=acting_user)
            decided = None
            if given.decision is not None:
                decided = _decided(
                    acting_user=acting_user,
                    contact=contact,
                    children=children,
                    decision=given.decision,
                )
        except ValidationError as error:
            raise ContactRefused(index, error) from None
        waiting.append((index, contact, decided))
        if given.decision is not None and given.decision.decision == Contact.Decision.REFERRAL:
            made += _insert_contacts(acting_user, people, children, contacts, waiting)
            waiting = []
    return made + _insert_contacts(acting_user, people, children, contacts, waiting)


def _insert_contacts(
    acting_user: User,
    people: Sequence[tuple[Person, str]],
    children: list[Person],
    contacts: Sequence[ContactRecorded],
    waiting: list[tuple[int, Contact, tuple[dict[str, Any], dict[str, Any]] | None]],
) -> list[ContactMade]:
    """Insert checked contacts together, then audit each in turn (recorded, then decided) and
    open the referrals its decision opens."""
    if not waiting:
        return []
    inserted = Contact.objects.bulk_create(contact for _, contact, _ in waiting)
    on_contact = ContactPerson.objects.bulk_create(
        ContactPerson(contact=contact, person=person, role=role)
        for contact in inserted
        for person, role in people
    )
    made = []
    for number, (index, contact, decided) in enumerate(waiting):
        values = snapshot(contact, CONTACT_FIELDS)
        values["people"] = [[person.pk, role] for person, role in people]
        for child in children:
            record_event(
                acting_user=acting_user,
                event_type=FrontdoorEvent.CONTACT_RECORDED,
                target=contact,
                subject_person_id=child.pk,
                new_values=values,
            )
        referrals: list[Referral] = []
        decision = contacts[index].decision
        if decided is not None and decision is not None:
            try:
                referrals = _record_decision(
                    acting_user=acting_user,
                    contact=contact,
                    children=children,
                    primary_need=decision.primary_need,
                    changed=decided,
                )
            except ValidationError as error:
                raise ContactRefused(index, error) from None
        its_people = on_contact[number * len(people) : (number + 1) * len(people)]
        made.append(ContactMade(contact, its_people, referrals))
    return made


@transaction.atomic(durable=True)
def correct_contact(
    *,
    acting_user: User,
    contact: Contact,
    read_version: int,
    people: Sequence[tuple[Person, str]],
    **details: Unpack[ContactDetails],
) -> Contact:
    """Correct a contact's details before it is decided: when it was received, its source,
    referrer, concern, consent and the people it is about, as ``record_contact`` takes them.

    Checked as a new contact is. Refused once a decision is recorded, and with ``EditConflict``
    when someone saved the contact after ``read_version`` was read. Audited with the old and
    new values on the record of every child it was, or now is, about.
    """
    require_permission(acting_user, Permission.CONTACT_RECORD)
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.decision:
        raise ValidationError(
            "A decision has been recorded for this contact: its details can no longer be corrected"
        )
    fields = _checked_details(details, people)
    current = {cp.person_id: cp for cp in ContactPerson.objects.filter(contact=contact)}
    wanted = {person.pk: role for person, role in people}
    before = snapshot(contact, CONTACT_FIELDS)
    before["people"] = _people_values((pk, cp.role) for pk, cp in current.items())
    for name, value in fields.items():
        setattr(contact, name, value)
    after = snapshot(contact, CONTACT_FIELDS)
    after["people"] = _people_values(wanted.items())
    old, new = changed_values(before, after)
    if not new:
        raise ValidationError("Nothing has changed: correct a detail of the contact, or cancel")
    save_versioned(contact, read_version=read_version, update_fields=CONTACT_FIELDS)
    if "people" in new:
        ContactPerson.objects.filter(contact=contact).exclude(person_id__in=wanted).delete()
        for person_id, role in wanted.items():
            row = current.get(person_id)
            if row is not None and row.role != role:
                row.role = role
                row.save(update_fields=["role"])
        ContactPerson.objects.bulk_create(
            ContactPerson(contact=contact, person=person, role=role)
            for person, role in people
            if person.pk not in current
        )
    about = {
        person_id
        for person_id, role in [*before["people"], *after["people"]]
        if role == ContactPerson.Role.SUBJECT
    }
    for person_id in sorted(about):
        record_event(
            acting_user=acting_user,
            event_type=FrontdoorEvent.CONTACT_CORRECTED,
            target=contact,
            subject_person_id=person_id,
            old_values=old,
            new_values=new,
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
    decided_time_given: bool = True,
    primary_need: str = "",
    read_version: int | None = None,
) -> list[Referral]:
    """Decide what happens after a contact. A referral decision opens a child in need
    episode for every child the contact is about, in the same transaction.

    ``decided_at`` defaults to now. ``decided_time_given=False``: only the day is known (it
    is compared with the contact's day, not its time). ``read_version``, from the page the
    decision was made on, refuses the decision with ``EditConflict`` if the contact's details
    were corrected since. Returns the referrals opened (none for other decisions).
    """
    require_permission(acting_user, Permission.CONTACT_DECIDE)
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.decision:
        raise ValidationError("A decision has already been recorded for this contact")
    if read_version is not None and contact.version != read_version:
        raise EditConflict(contact)
    children = subject_children(contact)
    given = ContactDecision(decision, rationale, decided_at, decided_time_given, primary_need)
    changed = _decided(acting_user=acting_user, contact=contact, children=children, decision=given)
    contact.save(update_fields=DECISION_FIELDS)
    return _record_decision(
        acting_user=acting_user,
        contact=contact,
        children=children,
        primary_need=primary_need,
        changed=changed,
    )


def _decided(
    *, acting_user: User, contact: Contact, children: list[Person], decision: ContactDecision
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Check the decision on ``contact`` (about ``children``) and set it on the contact, not
    saved: the decision's old and new values, for the audit."""
    decided_at = decision.decided_at or timezone.now()
    decided_time_given = decision.decided_time_given
    primary_need = decision.primary_need
    checks = Checks()
    checks.check(
        decision.decision in Contact.Decision.values, "decision", "Select what happens next"
    )
    checks.required("decision_rationale", decision.rationale, "Enter the reason for the decision")
    decided_on = timezone.localdate(decided_at)
    received_on = timezone.localdate(contact.received_at)
    now = timezone.now()
    if contact.received_at > now:
        # Saved before times later than now were refused: correcting it unsticks it.
        checks.add(
            None,
            f"The contact is recorded as received {contact.received_when}, which is later "
            "than now: correct the contact's details before deciding",
        )
    elif decided_on == received_on and decided_time_given and contact.received_time_given:
        checks.check(
            decided_at >= contact.received_at,
            "decided_time",
            "The time of the decision must not be before the time the contact was received "
            f"({timezone.localtime(contact.received_at):%H:%M})",
        )
    else:
        checks.check(
            decided_on >= received_on,
            "decided_at",
            "The decision date must be on or after the date the contact was received",
        )
    if decided_on > timezone.localdate(now):
        checks.add("decided_at", "The decision date must not be in the future")
    elif decided_at > now and decided_time_given:
        checks.add(
            "decided_time",
            "The time of the decision must not be later than now "
            f"({timezone.localtime(now):%H:%M})",
        )
    else:
        for child in children:
            checks.happened("decided_at", decided_on, "The decision date", child=child)
    if primary_need:
        checks.code("primary_need", CodeListName.PRIMARY_NEED, primary_need, on=decided_on)
    checks.raise_if_any()
    if not decided_time_given:
        # The day alone: its start, or the contact's moment if that is later the same day.
        decided_at = max(start_of_day(decided_on), contact.received_at)
    before = snapshot(contact, DECISION_FIELDS)
    contact.decision = decision.decision
    contact.decision_rationale = decision.rationale.strip()
    contact.decided_at = decided_at
    contact.decided_time_given = decided_time_given
    contact.decided_by = acting_user
    return changed_values(before, snapshot(contact, DECISION_FIELDS))


def _record_decision(
    *,
    acting_user: User,
    contact: Contact,
    children: list[Person],
    primary_need: str,
    changed: tuple[dict[str, Any], dict[str, Any]],
) -> list[Referral]:
    """Audit the decision kept on ``contact`` for each child, and open each child's referral
    if it is one: the referrals opened."""
    old, new = changed
    for child in children:
        record_event(
            acting_user=acting_user,
            event_type=FrontdoorEvent.CONTACT_DECIDED,
            target=contact,
            subject_person_id=child.pk,
            old_values=old,
            new_values=new,
        )
    if contact.decision != Contact.Decision.REFERRAL:
        return []
    assert contact.decided_at is not None
    return [
        _open_referral(
            acting_user=acting_user,
            child=child,
            referral_date=timezone.localdate(contact.decided_at),
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


def _check_episode_closes(
    checks: Checks,
    referral: Referral,
    activity: EpisodeActivity,
    *,
    closure_reason: str,
    closed_on: datetime.date,
    nfa: bool,
    primary_need: str,
) -> None:
    """The CIN census's rules on what a closed episode may hold (``returns.rules.cin``):
    nothing dated after the closure (8565); every section 47 enquiry concluded (8868);
    "closed after assessment" (RC8, RC9) only with nothing past the assessment (2990); no
    further action only with no enquiry, conference or plan (8831, 8832, 4000); and a child
    looked after in the episode had further action, with a stated primary need (Caseline's
    rules after 8610, ``cin.census_rules``)."""
    on = referral.referral_date
    if activity.latest_activity is not None:
        CINRule8565.check(
            checks,
            "closed_on",
            broken=CINRule8565.breaks(
                closed_on=closed_on, latest_activity=activity.latest_activity
            ),
            on=on,
            explain="Work in this episode is dated "
            f"{format_date(activity.latest_activity)}, after the closure date. Close the "
            "episode on or after that day.",
        )
    CINRule8868.check(
        checks,
        None,
        broken=bool(activity.enquiries_unconcluded),
        on=on,
        explain="A section 47 enquiry in this episode has neither had its initial conference "
        "nor been recorded as not needing one. Record its outcome, its conference or that a "
        "conference is not required before closing the episode.",
    )
    CINRule2990.check(
        checks,
        "closure_reason",
        broken=CINRule2990.breaks(
            closure_reason=closure_reason, activity_after_assessment=activity.after_assessment
        ),
        on=on,
        explain=f"{closure_reason} means the case closed after assessment, but this episode "
        "had a section 47 enquiry, a conference or a plan. Select another reason.",
    )
    enquiry_or_conference = bool(activity.enquiries or activity.initial_conference)
    if CINRule8831.breaks(nfa=nfa, enquiry_or_conference=enquiry_or_conference):
        CINRule8831.check(
            checks,
            "nfa",
            broken=True,
            on=on,
            explain="This episode had a section 47 enquiry or conference, so the referral did "
            "not lead to no further action.",
        )
    elif CINRule8832.breaks(nfa=nfa, protection_plan=bool(activity.protection_plan)):
        CINRule8832.check(
            checks,
            "nfa",
            broken=True,
            on=on,
            explain="This episode had a child protection plan, so the referral did not lead to "
            "no further action.",
        )
    else:
        CINRule4000.check(
            checks,
            "nfa",
            broken=CINRule4000.breaks(nfa=nfa, cin_plan=bool(activity.cin_plan)),
            on=on,
            explain="This episode had a child in need plan, so the referral did not lead to "
            "no further action.",
        )
    if activity.looked_after:
        name = referral.person.given_name
        if nfa:
            checks.broken(rules.LOOKED_AFTER_NOT_NFA, "nfa", name=name)
        if primary_need in rules.PRIMARY_NEED_NOT_STATED:
            checks.broken(rules.LOOKED_AFTER_NEEDS_PRIMARY_NEED, "primary_need", name=name)


def _close_referral(
    *,
    acting_user: User,
    referral: Referral,
    closed_on: datetime.date,
    closure_reason: str,
    closure_note: str = "",
    nfa: bool = False,
    primary_need: str = "",
) -> Referral:
    """Close the episode. ``primary_need``, when given, sets the episode's primary need as it
    closes (one not known when the referral was made)."""
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
    if primary_need:
        checks.code("primary_need", CodeListName.PRIMARY_NEED, primary_need, on=closed_on)
    if not checks.has("closed_on"):
        _check_episode_closes(
            checks,
            referral,
            episode_activity(referral, closed_on),
            closure_reason=closure_reason,
            closed_on=closed_on,
            nfa=nfa,
            primary_need=primary_need or referral.primary_need,
        )
    checks.raise_if_any()
    before = snapshot(referral, CLOSURE_FIELDS)
    referral.closed_on = closed_on
    referral.closure_reason = closure_reason
    referral.closure_note = closure_note.strip()
    referral.nfa = nfa
    referral.primary_need = primary_need or referral.primary_need
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
    primary_need: str = "",
) -> Referral:
    """Close a child in need episode with a CIN closure reason (RC1 to RC9), refused where
    the CIN census's closure rules say the episode cannot close so
    (``_check_episode_closes``). ``primary_need`` sets the episode's primary need if given."""
    require_permission(acting_user, Permission.REFERRAL_RECORD)
    return _close_referral(
        acting_user=acting_user,
        referral=referral,
        closed_on=closed_on,
        closure_reason=closure_reason,
        closure_note=closure_note,
        nfa=nfa,
        primary_need=primary_need,
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

    Closes the open referral if there is one: with closure reason RC9 ("case closed after
    assessment, referred to early help") when the episode had no more than an assessment,
    otherwise RC7 ("services ceased"), since DfE CIN census rule 2990 rules out RC9 after a
    section 47 enquiry, conference or plan. Starts an early help episode unless one is
    already open.
    """
    require_permission(acting_user, Permission.REFERRAL_RECORD)
    _check_step(child, date, rationale, "down")
    referral = open_referral_for(child)
    if referral is not None:
        after_assessment = episode_activity(referral, date).after_assessment
        referral = _close_referral(
            acting_user=acting_user,
            referral=referral,
            closed_on=date,
            closure_reason=STEP_DOWN_AFTER_SERVICES_REASON
            if after_assessment
            else STEP_DOWN_CLOSURE_REASON,
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


@dataclass(frozen=True)
class AllocationDetails:
    """One allocation of a child's case, as ``allocate_case`` takes it."""

    team: Team
    worker: User | None
    start_date: datetime.date
    reason: str = ""
    change_reason: str = ""


class AllocationRefused(RowRefused):
    """One of the allocations given to ``allocate_cases`` was refused: ``index`` says which
    (the messages are its own, keyed by field as ``allocate_case`` keys them)."""


@transaction.atomic(durable=True)
def allocate_case(
    *,
    acting_user: User,
    child: Person,
    team: Team,
    worker: User | None,
    start_date: datetime.date,
    reason: str = "",
    change_reason: str = "",
) -> Allocation:
    """Allocate a child's case to a team (and worker), ending the current allocation.

    The current allocation ends on the day the new one starts; history is kept.
    ``change_reason`` is the coded reason for the change of social worker (SSDA903
    SW_REASON), required when a worker is named (``people.rules.check_change_reason``);
    ``reason`` is a note in the manager's words.
    """
    details = AllocationDetails(team, worker, start_date, reason, change_reason)
    try:
        return _allocate_cases(acting_user=acting_user, child=child, allocations=[details])[0]
    except AllocationRefused as refused:
        raise ValidationError(refused.error_dict) from None


@transaction.atomic(durable=True)
def allocate_cases(
    *, acting_user: User, child: Person, allocations: Sequence[AllocationDetails]
) -> list[Allocation]:
    """Allocate a child's case several times in turn (a bulk import of its history), each
    ending the one before, checked and audited as ``allocate_case`` does;
    ``AllocationRefused`` names the first refused, and none is kept."""
    return _allocate_cases(acting_user=acting_user, child=child, allocations=allocations)


def _allocate_cases(
    *, acting_user: User, child: Person, allocations: Sequence[AllocationDetails]
) -> list[Allocation]:
    """The allocations in order, each checked against the one before (the child's current
    allocation read once, under the child's lock), the workers' right to hold cases read
    once for them all."""
    require_permission(acting_user, Permission.CASE_ALLOCATE)
    holders = holding_cases_among(
        d.worker for d in allocations if d.worker is not None and d.worker.is_active
    )
    Person.objects.select_for_update().filter(pk=child.pk).first()
    current = (
        Allocation.objects.filter(person=child, end_date__isnull=True)
        .order_by("-start_date", "-id")
        .first()
    )
    made = []
    for index, details in enumerate(allocations):
        try:
            current = _allocate(acting_user, child, details, current, holders)
        except ValidationError as error:
            raise AllocationRefused(index, error) from None
        made.append(current)
    return made


def _allocate(
    acting_user: User,
    child: Person,
    details: AllocationDetails,
    current: Allocation | None,
    holders: set[int],
) -> Allocation:
    """Check one allocation (``holders``: the ids of the workers who may hold cases) and
    make it, ending ``current``, the child's current allocation if any."""
    team, worker, start_date = details.team, details.worker, details.start_date
    checks = Checks()
    checks.happened("start_date", start_date, "The allocation date", child=child)
    check_change_reason(
        checks, worker=worker, change_reason=details.change_reason, start_date=start_date
    )
    checks.check(
        team.service in CASE_HOLDING_SERVICES,
        "team",
        f"{team} does not hold children's cases: choose another team",
    )
    if worker is not None and not worker.is_active:
        checks.add("worker", f"{worker} is not an active user")
    elif worker is not None and worker.pk not in holders:
        checks.add("worker", f"{worker} cannot hold cases: choose a social worker or team manager")
    elif worker is not None and worker.team_id != team.pk:
        checks.add("worker", f"{worker} is not a member of {team}")
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
        change_reason=details.change_reason,
        reason=details.reason.strip(),
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


@transaction.atomic(durable=True)
def end_allocation(
    *, acting_user: User, allocation: Allocation, end_date: datetime.date
) -> Allocation:
    """End a child's current allocation with no other after it (the case closed), on
    ``end_date``: on or after its start, not in the future."""
    require_permission(acting_user, Permission.CASE_ALLOCATE)
    checks = Checks()
    if allocation.end_date is not None:
        checks.add("end_date", f"The allocation ended on {format_date(allocation.end_date)}")
    checks.happened("end_date", end_date, "The end of the allocation", child=allocation.person)
    checks.check(
        end_date >= allocation.start_date,
        "end_date",
        "The end of the allocation must be on or after its start "
        f"({format_date(allocation.start_date)})",
    )
    checks.raise_if_any()
    allocation.end_date = end_date
    allocation.save(update_fields=["end_date"])
    record_event(
        acting_user=acting_user,
        event_type=FrontdoorEvent.ALLOCATION_ENDED,
        target=allocation,
        subject_person_id=allocation.person_id,
        old_values={"end_date": None},
        new_values={"end_date": end_date},
    )
    return allocation
