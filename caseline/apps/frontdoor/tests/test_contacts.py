"""Contacts: recording, the 1 working day decision, deciding and opening referrals."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError

from caseline.apps.accounts.models import User
from caseline.apps.audit.models import AuditEvent
from caseline.apps.frontdoor import actions
from caseline.apps.frontdoor.events import FrontdoorEvent
from caseline.apps.frontdoor.models import Contact, ContactPerson, Referral
from caseline.apps.frontdoor.queries import contact_due_date, contact_timeliness
from caseline.apps.frontdoor.tests.conftest import at
from caseline.apps.people.models import Person
from caseline.apps.timescales.rules import TimelinessStatus

D = datetime.date
SUBJECT = ContactPerson.Role.SUBJECT


def _contact(user: User, *people: tuple[Person, str], received: datetime.datetime) -> Contact:
    return actions.record_contact(
        acting_user=user,
        received_at=received,
        source="2A",
        concern="  Child arrived at school hungry and with bruising.  ",
        consent=Contact.Consent.GIVEN,
        referrer_name="A Teacher",
        people=list(people),
    )


def test_record_contact_with_siblings_audits_each_child(
    make_person: Callable[..., Person], front_door: User
) -> None:
    ama, kofi, parent = make_person(), make_person(given="Kofi"), make_person(given="Adult")
    contact = _contact(
        front_door,
        (ama, SUBJECT),
        (kofi, SUBJECT),
        (parent, ContactPerson.Role.PARENT),
        received=at(2025, 4, 17),
    )
    assert contact.concern == "Child arrived at school hungry and with bruising."
    assert set(contact.subjects.all()) == {ama, kofi, parent}
    events = AuditEvent.objects.filter(event_type=FrontdoorEvent.CONTACT_RECORDED)
    assert {e.subject_person_id for e in events} == {ama.pk, kofi.pk}
    assert len(events) == 2
    assert events[0].new_values["source"] == "2A"


def test_record_contact_validation(child: Person, front_door: User) -> None:
    with pytest.raises(ValidationError) as caught:
        actions.record_contact(
            acting_user=front_door,
            received_at=at(2025, 4, 17),
            source="XX",
            concern=" ",
            consent=Contact.Consent.OVERRIDDEN,
            people=[(child, ContactPerson.Role.PARENT)],
        )
    assert set(caught.value.message_dict) == {"source", "concern", "consent_note", "people"}
    with pytest.raises(ValidationError) as caught:
        actions.record_contact(
            acting_user=front_door,
            received_at=at(2099, 1, 1),
            source="2A",
            concern="x",
            consent="maybe",
            people=[(child, SUBJECT), (child, "cousin")],
        )
    assert set(caught.value.message_dict) == {"received_at", "consent", "people"}
    assert not Contact.objects.exists()


def test_decision_due_across_easter_weekend(child: Person, front_door: User) -> None:
    # Thursday 17 April 2025; Good Friday and Easter Monday are bank holidays.
    contact = _contact(front_door, (child, SUBJECT), received=at(2025, 4, 17, 16, 30))
    assert contact_due_date(contact) == D(2025, 4, 22)
    assert contact_timeliness(contact, D(2025, 4, 22)).status == TimelinessStatus.DUE_TODAY
    late = contact_timeliness(contact, D(2025, 4, 24))
    assert late.status == TimelinessStatus.OVERDUE
    assert late.label == "Overdue by 2 working days"
    actions.decide_contact(
        acting_user=front_door,
        contact=contact,
        decision=Contact.Decision.ADVICE,
        rationale="Advice given to school",
        decided_at=at(2025, 4, 23, 9),
    )
    contact.refresh_from_db()
    done = contact_timeliness(contact, D(2025, 5, 1))
    assert done.status == TimelinessStatus.COMPLETED_LATE
    assert done.label == "Completed 1 working day late"


def test_decided_late_evening_uses_london_date(child: Person, front_door: User) -> None:
    # 23:30 on 22 April in London is 22:30 UTC: still the due day.
    contact = _contact(front_door, (child, SUBJECT), received=at(2025, 4, 17))
    actions.decide_contact(
        acting_user=front_door,
        contact=contact,
        decision=Contact.Decision.NO_FURTHER_ACTION,
        rationale="No concerns",
        decided_at=at(2025, 4, 22, 23, 30),
    )
    contact.refresh_from_db()
    assert contact_timeliness(contact, D(2025, 5, 1)).status == TimelinessStatus.COMPLETED_ON_TIME


def test_decision_before_contact_refused(child: Person, front_door: User) -> None:
    contact = _contact(front_door, (child, SUBJECT), received=at(2025, 4, 17, 12))
    with pytest.raises(ValidationError) as caught:
        actions.decide_contact(
            acting_user=front_door,
            contact=contact,
            decision="",
            rationale="",
            decided_at=at(2025, 4, 17, 11),
        )
    # The same day: the time is what is wrong, and the message says so beside the time.
    assert set(caught.value.message_dict) == {"decision", "decision_rationale", "decided_time"}
    assert caught.value.message_dict["decided_time"] == [
        "The time of the decision must not be before the time the contact was received (12:00)"
    ]
    with pytest.raises(ValidationError) as caught:
        actions.decide_contact(
            acting_user=front_door,
            contact=contact,
            decision=Contact.Decision.ADVICE,
            rationale="x",
            decided_at=at(2025, 4, 16, 11),
        )
    assert set(caught.value.message_dict) == {"decided_at"}
    assert "on or after the date the contact was received" in str(caught.value)
    with pytest.raises(ValidationError, match="future"):
        actions.decide_contact(
            acting_user=front_door,
            contact=contact,
            decision=Contact.Decision.ADVICE,
            rationale="x",
            decided_at=at(2099, 1, 1),
        )
    contact.refresh_from_db()
    assert contact.decision == ""
    assert not AuditEvent.objects.filter(event_type=FrontdoorEvent.CONTACT_DECIDED).exists()


def test_referral_decision_opens_episode_for_each_child(
    make_person: Callable[..., Person], front_door: User
) -> None:
    ama, kofi = make_person(), make_person(given="Kofi")
    contact = _contact(front_door, (ama, SUBJECT), (kofi, SUBJECT), received=at(2025, 4, 17))
    referrals = actions.decide_contact(
        acting_user=front_door,
        contact=contact,
        decision=Contact.Decision.REFERRAL,
        rationale="Needs assessment",
        decided_at=at(2025, 4, 18, 10),
        primary_need="N1",
    )
    assert [(r.person, r.referral_date, r.source, r.primary_need) for r in referrals] == [
        (ama, D(2025, 4, 18), "2A", "N1"),
        (kofi, D(2025, 4, 18), "2A", "N1"),
    ]
    assert all(r.contact_id == contact.pk for r in referrals)
    decided = AuditEvent.objects.filter(event_type=FrontdoorEvent.CONTACT_DECIDED)
    assert {e.subject_person_id for e in decided} == {ama.pk, kofi.pk}
    assert len(decided) == 2
    assert decided[0].new_values["decision"] == "referral"
    with pytest.raises(ValidationError, match="already been recorded"):
        actions.decide_contact(
            acting_user=front_door,
            contact=contact,
            decision=Contact.Decision.ADVICE,
            rationale="again",
            decided_at=at(2025, 4, 18, 11),
        )


def test_referral_decision_refused_while_a_child_is_open(
    make_person: Callable[..., Person], front_door: User
) -> None:
    ama, kofi = make_person(), make_person(given="Kofi")
    actions.record_referral(
        acting_user=front_door, child=kofi, referral_date=D(2025, 3, 1), source="2A"
    )
    contact = _contact(front_door, (ama, SUBJECT), (kofi, SUBJECT), received=at(2025, 4, 17))
    with pytest.raises(ValidationError, match="Kofi Testchild already has an open referral"):
        actions.decide_contact(
            acting_user=front_door,
            contact=contact,
            decision=Contact.Decision.REFERRAL,
            rationale="Needs assessment",
            decided_at=at(2025, 4, 18, 10),
        )
    contact.refresh_from_db()
    assert contact.decision == ""  # nothing partial: no decision, no referral for Ama
    assert Referral.objects.filter(person=ama).count() == 0


def test_decide_defaults_to_now_and_validates_need(child: Person, front_door: User) -> None:
    contact = _contact(front_door, (child, SUBJECT), received=at(2025, 4, 17))
    with pytest.raises(ValidationError) as caught:
        actions.decide_contact(
            acting_user=front_door,
            contact=contact,
            decision=Contact.Decision.REFERRAL,
            rationale="x",
            primary_need="N99",
        )
    assert "primary_need" in caught.value.message_dict
    assert (
        actions.decide_contact(
            acting_user=front_door,
            contact=contact,
            decision=Contact.Decision.EARLY_HELP,
            rationale="Family support",
        )
        == []
    )
    contact.refresh_from_db()
    assert contact.decided_at is not None
    assert contact.decided_by == front_door
