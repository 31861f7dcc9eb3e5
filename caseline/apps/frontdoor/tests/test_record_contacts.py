"""``record_contacts``, a child's contacts with their decisions recorded together (a bulk
import): the same records, messages and audit events as ``record_contact`` then
``decide_contact`` one contact at a time."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.models import AuditEvent
from caseline.apps.frontdoor import actions
from caseline.apps.frontdoor.actions import ContactDecision, ContactRecorded
from caseline.apps.frontdoor.models import Contact, ContactPerson, Referral
from caseline.apps.frontdoor.tests.conftest import at
from caseline.apps.people.models import Person

SUBJECT = ContactPerson.Role.SUBJECT
D = Contact.Decision


def details(received: datetime.datetime, **more: Any) -> actions.ContactDetails:
    given: dict[str, Any] = {
        "received_at": received,
        "source": "2A",
        "concern": "  Arrived at school hungry.  ",
        "consent": Contact.Consent.GIVEN,
        **more,
    }
    return actions.ContactDetails(**given)  # type: ignore[typeddict-item]


def decision(kind: str, day: datetime.datetime, **more: Any) -> ContactDecision:
    return ContactDecision(kind, " Seen by the duty manager ", day, **more)


# An undecided contact, one decided on its day (a time given), one decided on a later day with
# only the day known, and one that opens a referral; then one the open referral refuses.
CONTACTS = [
    ContactRecorded(details(at(2025, 1, 6, 9))),
    ContactRecorded(details(at(2025, 1, 7, 9)), decision(D.ADVICE, at(2025, 1, 7, 15))),
    ContactRecorded(
        details(at(2025, 2, 3, 14), received_time_given=False, source="1B"),
        decision(D.NO_FURTHER_ACTION, at(2025, 2, 4), decided_time_given=False),
    ),
    ContactRecorded(
        details(at(2025, 3, 3, 10), consent=Contact.Consent.NOT_SOUGHT, consent_note="Urgent"),
        decision(D.REFERRAL, at(2025, 3, 4, 11), primary_need="N1"),
    ),
]
REFUSED = ContactRecorded(
    details(at(2025, 3, 10, 10)), decision(D.REFERRAL, at(2025, 3, 10, 12), primary_need="N2")
)


def one_at_a_time(user: User, child: Person, contacts: list[ContactRecorded]) -> list[Contact]:
    """The contacts as the pages record them: each recorded, then decided."""
    made = []
    for given in contacts:
        contact = actions.record_contact(
            acting_user=user, people=[(child, SUBJECT)], **given.details
        )
        if given.decision is not None:
            actions.decide_contact(
                acting_user=user,
                contact=contact,
                decision=given.decision.decision,
                rationale=given.decision.rationale,
                decided_at=given.decision.decided_at,
                decided_time_given=given.decision.decided_time_given,
                primary_need=given.decision.primary_need,
            )
        made.append(contact)
    return made


def kept(child: Person) -> dict[str, Any]:
    """What is on the child's record and in its audit, with ids named by their place."""
    contacts = list(Contact.objects.filter(people__person=child).order_by("id"))
    referrals = list(Referral.objects.filter(person=child).order_by("id"))
    name: dict[tuple[str, int | None], str] = {
        **{("contact", c.pk): f"contact {i}" for i, c in enumerate(contacts)},
        **{("referral", r.pk): f"referral {i}" for i, r in enumerate(referrals)},
    }
    fields = [*actions.CONTACT_FIELDS, *actions.DECISION_FIELDS, "version", "recorded_by"]

    def named(values: dict[str, Any] | None) -> dict[str, Any] | None:
        if values is None:
            return None
        values = dict(values)
        if "people" in values:
            values["people"] = [["child" if p == child.pk else p, r] for p, r in values["people"]]
        if "person" in values:
            values["person"] = "child" if values["person"] == child.pk else values["person"]
        if values.get("contact") is not None:
            values["contact"] = name[("contact", values["contact"])]
        return values

    events = AuditEvent.objects.filter(subject_person_id=child.pk).order_by("id")
    return {
        "contacts": [{f: getattr(c, f) for f in fields} for c in contacts],
        "people": [
            (name[("contact", cp.contact_id)], cp.role)
            for cp in ContactPerson.objects.filter(person=child).order_by("id")
        ],
        "referrals": [
            (r.referral_date, r.source, r.primary_need, name[("contact", r.contact_id)])
            for r in referrals
        ],
        "events": [
            (
                e.event_type,
                name[(e.target_type.model if e.target_type else "", int(e.target_id))],
                named(e.old_values),
                named(e.new_values),
                e.acting_user_id,
            )
            for e in events
        ],
    }


def messages(error: ValidationError) -> dict[str, list[str]]:
    return dict(error.message_dict)


def test_record_contacts_keeps_and_audits_what_one_at_a_time_does(
    make_person: Callable[..., Person], front_door: User
) -> None:
    paged, imported = make_person(), make_person()
    one_at_a_time(front_door, paged, CONTACTS)
    made = actions.record_contacts(acting_user=front_door, child=imported, contacts=CONTACTS)
    assert kept(imported) == kept(paged)
    assert [len(m.referrals) for m in made] == [0, 0, 0, 1]
    assert made[3].referrals[0].contact == made[3].contact
    assert kept(imported)["events"][-1][0] == "frontdoor.referral-recorded"


def test_record_contacts_refuses_all_and_names_the_refused_contact_as_decide_contact_does(
    make_person: Callable[..., Person], front_door: User
) -> None:
    paged, imported = make_person(), make_person()
    with pytest.raises(ValidationError) as one:
        one_at_a_time(front_door, paged, [*CONTACTS, REFUSED])
    with pytest.raises(actions.ContactRefused) as together:
        actions.record_contacts(
            acting_user=front_door, child=imported, contacts=[*CONTACTS, REFUSED]
        )
    assert together.value.index == 4
    assert messages(together.value) == messages(one.value)
    assert "already has an open referral" in str(together.value)
    assert not Contact.objects.filter(people__person=imported).exists()
    assert not Referral.objects.filter(person=imported).exists()
    assert not AuditEvent.objects.filter(subject_person_id=imported.pk).exists()


def test_record_contacts_refuses_bad_details_and_a_bad_decision_at_their_place(
    child: Person, front_door: User
) -> None:
    bad_details = ContactRecorded(details(at(2025, 1, 8, 9), source="XX", concern=" "))
    with pytest.raises(actions.ContactRefused) as caught:
        actions.record_contacts(
            acting_user=front_door, child=child, contacts=[CONTACTS[0], bad_details]
        )
    assert caught.value.index == 1
    with pytest.raises(ValidationError) as one:
        actions.record_contact(
            acting_user=front_door, people=[(child, SUBJECT)], **bad_details.details
        )
    assert messages(caught.value) == messages(one.value)
    early = ContactRecorded(details(at(2025, 1, 8, 9)), decision(D.ADVICE, at(2025, 1, 8, 8)))
    with pytest.raises(actions.ContactRefused) as caught:
        actions.record_contacts(acting_user=front_door, child=child, contacts=[early])
    assert caught.value.index == 0
    assert messages(caught.value) == {
        "decided_time": [
            "The time of the decision must not be before the time the contact was received (09:00)"
        ]
    }
    assert not Contact.objects.exists()


def test_record_contacts_needs_the_permission_to_record_and_to_decide(
    child: Person, make_user: Callable[..., User]
) -> None:
    analyst, worker = make_user(Role.ANALYST), make_user(Role.SOCIAL_WORKER)
    with pytest.raises(PermissionDenied):
        actions.record_contacts(acting_user=analyst, child=child, contacts=CONTACTS[:1])
    # A social worker records contacts but does not decide them.
    with pytest.raises(PermissionDenied):
        actions.record_contacts(acting_user=worker, child=child, contacts=CONTACTS[:2])
    assert not Contact.objects.exists()
    made = actions.record_contacts(acting_user=worker, child=child, contacts=CONTACTS[:1])
    assert [m.contact.decision for m in made] == [""]
