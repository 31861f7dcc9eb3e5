"""What the contact pages show and take: the referrer, a time not given, a blank decision date."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.frontdoor import actions
from caseline.apps.frontdoor.models import Contact, ContactPerson
from caseline.apps.frontdoor.queries import contact_timeliness
from caseline.apps.frontdoor.tests.conftest import NOW, Clock, at, contact_form, signed_in
from caseline.apps.people import actions as people_actions
from caseline.apps.people.models import Person

D = datetime.date
SUBJECT = ContactPerson.Role.SUBJECT


def _record(
    user: User,
    child: Person,
    received: datetime.datetime,
    referrer_name: str = "",
    referrer_organisation: str = "",
) -> Contact:
    return actions.record_contact(
        acting_user=user,
        received_at=received,
        source="2A",
        concern="Bruising seen at school",
        consent=Contact.Consent.GIVEN,
        people=[(child, SUBJECT)],
        referrer_name=referrer_name,
        referrer_organisation=referrer_organisation,
    )


def _text(html: str) -> str:
    """The page's words, one space between each (as a reader hears them)."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _shown_referrer(client: Client, contact: Contact) -> str:
    html = client.get(reverse("frontdoor:contact-detail", args=[contact.pk])).content.decode()
    row = re.search(r"Referrer</dt>\s*<dd[^>]*>(.*?)</dd>", html, re.S)
    assert row is not None
    return " ".join(row[1].split())


# --- The referrer -----------------------------------------------------------------------------


def test_the_referrer_reads_name_comma_organisation(
    make_person: Callable[..., Person], front_door: User
) -> None:
    client = signed_in(front_door)
    child = make_person()
    both = _record(
        front_door,
        child,
        at(2025, 4, 14),
        referrer_name="Mrs J Teacher",
        referrer_organisation="Caseline East Primary",
    )
    assert both.referrer == "Mrs J Teacher, Caseline East Primary"
    assert _shown_referrer(client, both) == "Mrs J Teacher, Caseline East Primary"
    school = _record(front_door, child, at(2025, 4, 14), referrer_organisation="A School")
    assert _shown_referrer(client, school) == "A School"
    person = _record(front_door, child, at(2025, 4, 14), referrer_name="A Neighbour")
    assert _shown_referrer(client, person) == "A Neighbour"
    nobody = _record(front_door, child, at(2025, 4, 14))
    assert _shown_referrer(client, nobody) == "Not given"


# --- A contact with no time given ---------------------------------------------------------------


def _post_contact(client: Client, child: Person, day: D, time: str = "") -> Contact:
    url = reverse("frontdoor:contact-new") + f"?person={child.pk}"
    response = client.post(url, contact_form(day, time))
    assert response.status_code == 302, response.content.decode()
    return Contact.objects.latest("id")


def test_a_contact_with_no_time_shows_its_date_alone(
    make_person: Callable[..., Person],
    front_door: User,
    clock: Clock,
) -> None:
    clock(NOW)
    client = signed_in(front_door)
    child = make_person()
    timed = _post_contact(client, make_person(given="Timed"), D(2025, 4, 14), "10:00")
    untimed = _post_contact(client, child, D(2025, 4, 14))
    earlier = _post_contact(client, make_person(given="Earlier"), D(2025, 4, 11), "16:00")
    assert (untimed.received_time_given, timed.received_time_given) == (False, True)
    # Kept at the start of its day, so it sorts before the day's timed contacts...
    assert untimed.received_at == at(2025, 4, 14, 0)
    listed = client.get(reverse("frontdoor:contacts")).context["rows"]
    assert [row["contact"].pk for row in listed] == [earlier.pk, untimed.pk, timed.pk]
    # ... and is due one working day after its day, as a timed one is.
    assert contact_timeliness(untimed, D(2025, 4, 16)).due_date == D(2025, 4, 15)
    assert contact_timeliness(timed, D(2025, 4, 16)).due_date == D(2025, 4, 15)
    pages = [
        client.get(reverse("frontdoor:contacts")).content.decode(),
        client.get(reverse("frontdoor:contact-detail", args=[untimed.pk])).content.decode(),
        client.get(reverse("frontdoor:record-episodes", args=[child.pk])).content.decode(),
    ]
    for html in pages:
        text = _text(html)
        assert "14 April 2025" in text
        assert "14 April 2025 00:00" not in text
        assert "14 April 2025 09:00" not in text
    assert "14 April 2025 10:00" in _text(pages[0])  # the timed one keeps its time
    # Correcting it starts from no time, not from midnight.
    form = client.get(reverse("frontdoor:contact-correct", args=[untimed.pk])).context["form"]
    assert form["received_time"].value() == ""


def test_a_decision_with_a_date_and_no_time_shows_its_date_alone(
    child: Person, front_door: User, clock: Clock
) -> None:
    clock(NOW)
    contact = _record(front_door, child, at(2025, 4, 15, 14, 30))
    client = signed_in(front_door)
    response = client.post(
        reverse("frontdoor:contact-decide", args=[contact.pk]),
        {
            "version": str(contact.version),
            "decision": "advice",
            "decision_rationale": "Advice given",
            "decided_on_day": "15",
            "decided_on_month": "4",
            "decided_on_year": "2025",
        },
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.decided_time_given is False
    # The day alone, the same day as the contact: kept at the contact's moment, not before it.
    assert contact.decided_at == at(2025, 4, 15, 14, 30)
    detail = _text(client.get(response["Location"]).content.decode())
    assert "15 April 2025 by Fran Door" in detail
    assert "15 April 2025 14:30 by" not in detail


# --- A blank decision date is today -------------------------------------------------------------


def _decide(client: Client, contact: Contact, time: str = "") -> Any:
    return client.post(
        reverse("frontdoor:contact-decide", args=[contact.pk]),
        {
            "version": str(contact.version),
            "decision": "advice",
            "decision_rationale": "Advice given",
            "decided_time": time,
        },
    )


def test_a_blank_decision_date_and_time_is_now(
    child: Person, front_door: User, clock: Clock
) -> None:
    clock(NOW)
    contact = _record(front_door, child, at(2025, 4, 16, 9, 30))
    response = _decide(signed_in(front_door), contact)
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.decided_at, contact.decided_time_given) == (NOW, True)


def test_a_blank_decision_date_with_a_time_is_today_at_that_time(
    child: Person, front_door: User, clock: Clock
) -> None:
    clock(NOW)
    contact = _record(front_door, child, at(2025, 4, 16, 9, 30))
    client = signed_in(front_door)
    later = _decide(client, contact, "12:00")
    assert later.status_code == 400
    errors = later.context["form"].errors
    assert errors == {
        "decided_time": ["The time of the decision must not be later than now (11:00)"]
    }
    before = _decide(client, contact, "09:00")
    errors = before.context["form"].errors
    # On the time, which is what is wrong, not on the empty date field.
    assert errors == {
        "decided_time": [
            "The time of the decision must not be before the time the contact was received (09:30)"
        ]
    }
    assert _decide(client, contact, "10:00").status_code == 302
    contact.refresh_from_db()
    assert contact.decided_at == at(2025, 4, 16, 10)


# --- Finding the child to record a contact about ------------------------------------------------


def test_record_a_contact_leads_through_the_search_to_the_form(
    front_door: User, make_user: Callable[..., User]
) -> None:
    # Added as the front door adds people, so that the search finds them.
    child = people_actions.create_person(
        acting_user=front_door,
        given_name="Ama",
        family_name="Testchild",
        date_of_birth=D(2015, 6, 1),
        confirmed_not_duplicate=True,
    )
    client = signed_in(front_door)
    start = _text(client.get(reverse("frontdoor:contact-new")).content.decode())
    assert 'Search for them, then choose "Record a contact" from their result.' in start
    # The page's own search box sends the name to the search...
    results = client.get(reverse("people:search"), {"name": "Ama Testchild"})
    html = results.content.decode()
    link = reverse("frontdoor:contact-new") + f"?person={child.pk}"
    # ... whose result offers "Record a contact", as the page says.
    assert f'href="{link}">Record a contact<' in html
    form = client.get(link)
    assert form.status_code == 200
    assert form.context["child"] == child
    # Someone who may not record contacts is not offered it.
    analyst = make_user(Role.ANALYST)
    seen = signed_in(analyst).get(reverse("people:search"), {"name": "Ama Testchild"})
    assert "Ama Testchild" in seen.content.decode()
    assert "Record a contact" not in seen.content.decode()


# --- A decision due across bank holidays not yet confirmed --------------------------------------


def test_a_decision_due_across_unconfirmed_bank_holidays_says_so_beside_the_date(
    front_door: User, child: Person, clock: Clock
) -> None:
    """Received on Thursday 31 December 2026: the decision is due the next working day, Monday
    4 January 2027, past a New Year's Day the calendar has computed, not confirmed."""
    clock(at(2026, 12, 31, 15))
    contact = _record(front_door, child, at(2026, 12, 31, 10))
    assert contact_timeliness(contact).due_date == D(2027, 1, 4)
    client = signed_in(front_door)
    note = "(bank holidays for 2027 not yet confirmed)"
    detail = client.get(reverse("frontdoor:contact-detail", args=[contact.pk])).content.decode()
    due = _text(detail.split("Decision due</dt>", 1)[1].split("</dd>", 1)[0])
    assert due.startswith(f"4 January 2027 {note}")
    listed = client.get(reverse("frontdoor:contacts")).content.decode()
    row = _text(listed.split("<tbody", 1)[1].split("</tr>", 1)[0])
    assert f"4 January 2027 {note}" in row
    # Received a day earlier, it is due on 31 December 2026: a firm date, with no note.
    earlier = _record(front_door, child, at(2026, 12, 30, 10))
    detail = client.get(reverse("frontdoor:contact-detail", args=[earlier.pk])).content.decode()
    assert "31 December 2026" in detail.split("Decision due</dt>", 1)[1].split("</dd>", 1)[0]
    assert "not yet confirmed" not in detail
