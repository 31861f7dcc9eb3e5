"""Correcting a contact before it is decided, and times that have not happened yet."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.models import AuditEvent
from caseline.apps.core.concurrency import EditConflict
from caseline.apps.frontdoor import actions
from caseline.apps.frontdoor.events import FrontdoorEvent
from caseline.apps.frontdoor.models import Contact, ContactPerson
from caseline.apps.frontdoor.tests.conftest import NOW, Clock, at, contact_form, signed_in
from caseline.apps.people.models import Person, Relationship

D = datetime.date
SUBJECT = ContactPerson.Role.SUBJECT
PARENT = ContactPerson.Role.PARENT


def _record(user: User, *people: tuple[Person, str], received: datetime.datetime) -> Contact:
    return actions.record_contact(
        acting_user=user,
        received_at=received,
        source="2A",
        concern="Bruising seen at school",
        consent=Contact.Consent.GIVEN,
        referrer_name="Mrs J Teacher",
        people=list(people),
    )


def _correct(
    user: User,
    contact: Contact,
    people: list[tuple[Person, str]],
    *,
    read_version: int = 1,
    received_at: datetime.datetime | None = None,
    source: str = "2A",
    concern: str = "Bruising seen at school",
    referrer_organisation: str = "",
) -> Contact:
    """Correct the contact: what ``_record`` recorded, with the changes given."""
    return actions.correct_contact(
        acting_user=user,
        contact=contact,
        read_version=read_version,
        people=people,
        received_at=received_at or at(2025, 4, 16, 9, 30),
        source=source,
        concern=concern,
        consent=Contact.Consent.GIVEN,
        referrer_name="Mrs J Teacher",
        referrer_organisation=referrer_organisation,
    )


# --- Recording: a time later than now is refused where it is entered ------------------------


def test_a_contact_received_later_today_is_refused_on_the_time(
    child: Person, front_door: User, clock: Clock
) -> None:
    clock(NOW)
    with pytest.raises(ValidationError) as caught:
        _record(front_door, (child, SUBJECT), received=at(2025, 4, 16, 15))
    assert caught.value.message_dict == {
        "received_time": ["The time the contact was received must not be later than now (11:00)"]
    }
    assert not Contact.objects.exists()
    # Now itself, and any earlier time today, are fine.
    assert _record(front_door, (child, SUBJECT), received=NOW).received_at == NOW


def test_the_contact_page_puts_a_later_time_on_the_time_field(
    child: Person, front_door: User, clock: Clock
) -> None:
    clock(NOW)
    url = reverse("frontdoor:contact-new") + f"?person={child.pk}"
    response = signed_in(front_door).post(url, contact_form(D(2025, 4, 16), "15:00"))
    assert response.status_code == 400
    assert response.context["form"].errors["received_time"] == [
        "The time the contact was received must not be later than now (11:00)"
    ]
    assert "15:00" in response.content.decode()  # what was typed is kept
    assert not Contact.objects.exists()


# --- Correcting ---------------------------------------------------------------------------


def test_correct_a_contact_audits_old_and_new_values(
    make_person: Callable[..., Person], front_door: User, clock: Clock
) -> None:
    clock(NOW)
    ama, kofi, mum = make_person(), make_person(given="Kofi"), make_person(given="Mum")
    contact = _record(front_door, (ama, SUBJECT), (mum, PARENT), received=at(2025, 4, 16, 10, 30))
    corrected = _correct(
        front_door,
        contact,
        [(ama, SUBJECT), (kofi, SUBJECT)],
        read_version=contact.version,
        received_at=at(2025, 4, 15, 16, 45),
        source="1A",
        referrer_organisation="Caseline East Primary",
        concern="  Bruising on both arms  ",
    )
    contact.refresh_from_db()
    assert contact.version == corrected.version == 2
    assert (contact.received_at, contact.source, contact.concern) == (
        at(2025, 4, 15, 16, 45),
        "1A",
        "Bruising on both arms",
    )
    assert contact.referrer == "Mrs J Teacher, Caseline East Primary"
    roles = {cp.person_id: cp.role for cp in ContactPerson.objects.filter(contact=contact)}
    assert roles == {ama.pk: SUBJECT, kofi.pk: SUBJECT}
    events = AuditEvent.objects.filter(event_type=FrontdoorEvent.CONTACT_CORRECTED)
    # On the record of every child it was or now is about (Mum was never a subject).
    assert sorted(e.subject_person_id or 0 for e in events) == [ama.pk, kofi.pk]
    event = events[0]
    assert event.old_values == {
        "received_at": "2025-04-16T09:30:00+00:00",
        "source": "2A",
        "referrer_organisation": "",
        "concern": "Bruising seen at school",
        "people": [[ama.pk, SUBJECT], [mum.pk, PARENT]],
    }
    assert event.new_values == {
        "received_at": "2025-04-15T15:45:00+00:00",
        "source": "1A",
        "referrer_organisation": "Caseline East Primary",
        "concern": "Bruising on both arms",
        "people": [[ama.pk, SUBJECT], [kofi.pk, SUBJECT]],
    }


def test_a_correction_from_a_stale_page_is_refused(
    child: Person, front_door: User, clock: Clock
) -> None:
    clock(NOW)
    contact = _record(front_door, (child, SUBJECT), received=at(2025, 4, 16, 9))
    _correct(front_door, contact, [(child, SUBJECT)], concern="First correction")
    with pytest.raises(EditConflict):
        _correct(
            front_door,
            contact,
            [(child, SUBJECT)],
            concern="Second, from the page read before the first",
        )
    contact.refresh_from_db()
    assert (contact.concern, contact.version) == ("First correction", 2)
    assert AuditEvent.objects.filter(event_type=FrontdoorEvent.CONTACT_CORRECTED).count() == 1


def test_a_correction_is_checked_as_a_new_contact_is(
    child: Person, front_door: User, make_user: Callable[..., User], clock: Clock
) -> None:
    clock(NOW)
    contact = _record(front_door, (child, SUBJECT), received=at(2025, 4, 16, 9))
    with pytest.raises(ValidationError) as caught:
        _correct(
            front_door,
            contact,
            [(child, PARENT)],
            received_at=at(2025, 4, 16, 12),
            source="XX",
            concern=" ",
        )
    assert set(caught.value.message_dict) == {"received_time", "source", "concern", "people"}
    with pytest.raises(ValidationError, match="Nothing has changed"):
        _correct(front_door, contact, [(child, SUBJECT)], received_at=at(2025, 4, 16, 9))
    with pytest.raises(PermissionDenied):
        _correct(make_user(Role.ANALYST), contact, [(child, SUBJECT)], concern="x")
    contact.refresh_from_db()
    assert contact.version == 1


def test_a_decided_contact_cannot_be_corrected(
    child: Person, front_door: User, clock: Clock
) -> None:
    clock(NOW)
    contact = _record(front_door, (child, SUBJECT), received=at(2025, 4, 16, 9))
    actions.decide_contact(
        acting_user=front_door, contact=contact, decision="advice", rationale="Advice given"
    )
    with pytest.raises(ValidationError, match="can no longer be corrected"):
        _correct(front_door, contact, [(child, SUBJECT)], concern="Too late")
    client = signed_in(front_door)
    page = client.get(reverse("frontdoor:contact-correct", args=[contact.pk]))
    assert page.status_code == 302
    assert page["Location"] == reverse("frontdoor:contact-detail", args=[contact.pk])
    detail = client.get(page["Location"]).content.decode()
    assert "cannot be corrected" in detail
    assert reverse("frontdoor:contact-correct", args=[contact.pk]) not in detail


def test_a_decision_made_on_a_page_read_before_a_correction_is_refused(
    child: Person, front_door: User, clock: Clock
) -> None:
    clock(NOW)
    contact = _record(front_door, (child, SUBJECT), received=at(2025, 4, 16, 9))
    _correct(front_door, contact, [(child, SUBJECT)], concern="Corrected")
    response = signed_in(front_door).post(
        reverse("frontdoor:contact-decide", args=[contact.pk]),
        {"decision": "advice", "decision_rationale": "Advice", "version": "1"},
    )
    assert response.status_code == 400
    assert "changed by someone else" in response.content.decode()
    contact.refresh_from_db()
    assert contact.decision == ""


# --- The stuck decision: a contact saved with a time later than now ---------------------------


def test_a_contact_saved_later_today_is_corrected_then_decided(
    child: Person, front_door: User, clock: Clock
) -> None:
    clock(NOW)
    # Saved before times later than now were refused: 15:00 today.
    contact = Contact.objects.create(
        received_at=at(2025, 4, 16, 15),
        source="2A",
        concern="Bruising seen at school",
        consent=Contact.Consent.GIVEN,
        recorded_by=front_door,
    )
    ContactPerson.objects.create(contact=contact, person=child, role=SUBJECT)
    client = signed_in(front_door)
    decide_url = reverse("frontdoor:contact-decide", args=[contact.pk])
    decide = {"decision": "advice", "decision_rationale": "Advice given", "version": "1"}
    stuck = client.post(decide_url, decide)
    assert stuck.status_code == 400
    html = stuck.content.decode()
    # Not an error about the date on the empty date field: what is wrong, and how to fix it.
    assert "decided_on" not in stuck.context["form"].errors
    assert (
        "The contact is recorded as received 16 April 2025 15:00, which is later than now: "
        "correct the contact&#x27;s details before deciding"
    ) in html
    correct_url = reverse("frontdoor:contact-correct", args=[contact.pk])
    assert correct_url in html
    page = client.get(correct_url)
    assert page.status_code == 200
    assert page.context["form"]["received_time"].value() == "15:00"
    later = client.post(correct_url, contact_form(D(2025, 4, 16), "15:00", version="1"))
    assert later.status_code == 400
    assert later.context["form"].errors["received_time"] == [
        "The time the contact was received must not be later than now (11:00)"
    ]
    fixed = client.post(correct_url, contact_form(D(2025, 4, 16), "10:15", version="1"))
    assert fixed.status_code == 302
    assert fixed["Location"] == reverse("frontdoor:contact-detail", args=[contact.pk])
    contact.refresh_from_db()
    assert (contact.received_at, contact.version) == (at(2025, 4, 16, 10, 15), 2)
    assert client.post(decide_url, {**decide, "version": "2"}).status_code == 302
    contact.refresh_from_db()
    assert contact.decision == "advice"


def test_the_correct_page_keeps_the_people_and_offers_relatives(
    make_person: Callable[..., Person], front_door: User, clock: Clock
) -> None:
    clock(NOW)
    ama, kofi = make_person(), make_person(given="Kofi")
    neighbour = make_person(given="Nia", family="Testneighbour", date_of_birth=D(1980, 1, 1))
    mum = make_person(given="Mum", family="Testparent", date_of_birth=D(1990, 1, 1))
    Relationship.objects.create(person=ama, other=kofi, kind=Relationship.Kind.SIBLING)
    Relationship.objects.create(person=mum, other=ama, kind=Relationship.Kind.PARENT)
    contact = _record(
        front_door,
        (ama, SUBJECT),
        (neighbour, ContactPerson.Role.OTHER),
        (mum, ContactPerson.Role.OTHER),  # as recorded, though her relationship says parent
        received=at(2025, 4, 16, 9),
    )
    client = signed_in(front_door)
    url = reverse("frontdoor:contact-correct", args=[contact.pk])
    page = client.get(url)
    html = page.content.decode()
    assert "Correct the contact&#x27;s details" in html
    assert "Kofi Testchild (sibling)" in html
    assert "Nia Testneighbour (other person)" in html
    assert page.context["form"]["others"].value() == [str(neighbour.pk), str(mum.pk)]
    assert page.context["form"]["referrer_name"].value() == "Mrs J Teacher"
    others = [str(kofi.pk), str(mum.pk)]
    response = client.post(url, contact_form(D(2025, 4, 16), "09:00", version="1", others=others))
    assert response.status_code == 302
    roles = {cp.person_id: cp.role for cp in ContactPerson.objects.filter(contact=contact)}
    # Kofi added, the neighbour taken off, Mum kept in the role the contact gave her.
    assert roles == {ama.pk: SUBJECT, kofi.pk: SUBJECT, mum.pk: ContactPerson.Role.OTHER}
    # Two people at once: the second, from the page read before the first saved, is refused.
    stale = client.post(url, contact_form(D(2025, 4, 16), "08:00", version="1"))
    assert stale.status_code == 400
    assert "changed by someone else" in stale.content.decode()
    assert "08:00" in stale.content.decode()


def test_the_contact_page_links_to_correcting_it_until_it_is_decided(
    child: Person, front_door: User, make_user: Callable[..., User]
) -> None:
    contact = _record(front_door, (child, SUBJECT), received=at(2025, 4, 14, 9))
    url = reverse("frontdoor:contact-correct", args=[contact.pk])
    client = signed_in(front_door)
    assert (
        url in client.get(reverse("frontdoor:contact-detail", args=[contact.pk])).content.decode()
    )
    assert (
        url in client.get(reverse("frontdoor:contact-decide", args=[contact.pk])).content.decode()
    )
    assert signed_in(make_user(Role.ANALYST)).get(url).status_code == 403
    assert client.get(reverse("frontdoor:contact-correct", args=[99999])).status_code == 404
    assert timezone.localdate(contact.received_at) == D(2025, 4, 14)
