"""Front door pages: permissions, forms, the list's due dates and query count."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Role
from caseline.apps.frontdoor import actions, views
from caseline.apps.frontdoor.models import Contact, ContactPerson, EarlyHelpEpisode, Referral
from caseline.apps.frontdoor.tests.conftest import at
from caseline.apps.people.models import Allocation, Person, Relationship

D = datetime.date
SUBJECT = ContactPerson.Role.SUBJECT


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _contact(user: User, person: Person, received: datetime.datetime) -> Contact:
    return actions.record_contact(
        acting_user=user,
        received_at=received,
        source="3A",
        concern="GP worried about weight loss",
        consent=Contact.Consent.GIVEN,
        people=[(person, SUBJECT)],
    )


def _date(prefix: str, day: datetime.date) -> dict[str, str]:
    return {
        f"{prefix}_day": str(day.day),
        f"{prefix}_month": str(day.month),
        f"{prefix}_year": str(day.year),
    }


def test_contact_list_oldest_first_with_overdue_tag(
    make_person: Callable[..., Person],
    front_door: User,
    django_assert_max_num_queries: Any,
) -> None:
    today = timezone.localdate()
    old = _contact(front_door, make_person(given="Older"), at(2025, 4, 17))
    for n in range(5):
        _contact(front_door, make_person(given=f"Child{n}"), timezone.now())
    decided = _contact(front_door, make_person(given="Decided"), at(2025, 4, 16))
    actions.decide_contact(
        acting_user=front_door,
        contact=decided,
        decision=Contact.Decision.ADVICE,
        rationale="Advice",
        decided_at=at(2025, 4, 16, 15),
    )
    client = _client(front_door)
    client.get(reverse("frontdoor:contacts"))  # warm caches (content types, sessions)
    # 9: the list, and the children on it whose records are restricted from the user.
    with django_assert_max_num_queries(9):
        response = client.get(reverse("frontdoor:contacts"))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert next(r["contact"].pk for r in rows) == old.pk
    assert len(rows) == 6
    assert rows[0]["subjects"][0].given_name == "Older"
    html = response.content.decode()
    assert "22 April 2025" in html
    assert "govuk-tag--red" in html
    assert "Overdue by" in html
    assert "Decided Testchild" not in html
    assert rows[-1]["timeliness"].due_date > today


def test_contact_list_is_paged_oldest_first_counting_every_contact(
    make_person: Callable[..., Person], front_door: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "WAITING_PER_PAGE", 2)
    for day in (17, 18, 19):
        _contact(front_door, make_person(given=f"Day{day}"), at(2025, 4, day))
    client = _client(front_door)
    first = client.get(reverse("frontdoor:contacts"))
    assert [r["subjects"][0].given_name for r in first.context["rows"]] == ["Day17", "Day18"]
    html = first.content.decode()
    assert "3 contacts awaiting a decision" in html
    assert "Showing 1 to 2" in html
    assert "?page=2" in html
    second = client.get(reverse("frontdoor:contacts") + "?page=2")
    assert [r["subjects"][0].given_name for r in second.context["rows"]] == ["Day19"]
    assert "Day17" not in second.content.decode()


def test_permissions(
    make_user: Callable[..., User], child: Person, front_door: User, team: Team
) -> None:
    contact = _contact(front_door, child, at(2025, 4, 17))
    analyst = _client(make_user(Role.ANALYST))
    for name, kwargs in [
        ("frontdoor:contacts", {}),
        ("frontdoor:contact-new", {}),
        ("frontdoor:contact-detail", {"pk": contact.pk}),
        ("frontdoor:contact-decide", {"pk": contact.pk}),
        ("frontdoor:referral-new", {"person_id": child.pk}),
        ("frontdoor:allocate", {"person_id": child.pk}),
    ]:
        assert analyst.get(reverse(name, kwargs=kwargs)).status_code == 403, name
    # A social worker records contacts but does not decide them, and sees only their cases.
    worker = _client(make_user(Role.SOCIAL_WORKER, team=team))
    assert worker.get(reverse("frontdoor:contact-decide", args=[contact.pk])).status_code == 403
    assert worker.get(reverse("frontdoor:contact-detail", args=[contact.pk])).status_code == 403
    assert worker.get(reverse("frontdoor:contacts")).context["rows"] == []
    # Front door workers cannot allocate; managers can.
    fd = _client(front_door)
    assert fd.get(reverse("frontdoor:allocate", args=[child.pk])).status_code == 403
    assert fd.get(reverse("frontdoor:contact-detail", args=[999999])).status_code == 404


def test_record_contact_page(make_person: Callable[..., Person], front_door: User) -> None:
    child = make_person()
    sibling = make_person(given="Kofi")
    mother = make_person(given="Mum", family="Testparent", date_of_birth=D(1990, 1, 1))
    Relationship.objects.create(person=child, other=sibling, kind=Relationship.Kind.SIBLING)
    Relationship.objects.create(person=mother, other=child, kind=Relationship.Kind.PARENT)
    client = _client(front_door)
    blank = client.get(reverse("frontdoor:contact-new"))
    assert blank.status_code == 200
    assert blank.context["form"] is None
    assert f'action="{reverse("people:search")}"' in blank.content.decode()
    url = reverse("frontdoor:contact-new") + f"?person={child.pk}"
    page = client.get(url)
    assert page.status_code == 200
    assert "Kofi Testchild (sibling)" in page.content.decode()
    bad = client.post(url, {**_date("received_on", D(2025, 4, 17)), "concern": "Typed text"})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "There is a problem" in html
    assert "Select who made the contact" in html
    assert "Typed text" in html
    bad_time = client.post(
        url,
        {
            **_date("received_on", D(2025, 4, 17)),
            "received_time": "25:00",
            "source": "2A",
            "concern": "x",
            "consent": "given",
        },
    )
    assert bad_time.status_code == 400
    assert "24-hour format" in str(bad_time.context["form"].errors), bad_time.context["form"].errors
    response = client.post(
        url,
        {
            **_date("received_on", D(2025, 4, 17)),
            "received_time": "14:30",
            "source": "2A",
            "concern": "Bruising seen at school",
            "consent": "not-sought",
            "consent_note": "Telling parents could put the child at risk",
            "others": [str(sibling.pk), str(mother.pk)],
        },
    )
    contact = Contact.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("frontdoor:contact-detail", args=[contact.pk])
    assert timezone.localtime(contact.received_at).hour == 14
    roles = {cp.person.given_name: cp.role for cp in contact.people.all()}
    assert roles == {"Ama": "subject", "Kofi": "subject", "Mum": "parent"}
    # Posting without a person goes back to the search step.
    assert client.post(reverse("frontdoor:contact-new"), {}).status_code == 302


def test_record_contact_action_error_shown(child: Person, front_door: User) -> None:
    url = reverse("frontdoor:contact-new") + f"?person={child.pk}"
    response = _client(front_door).post(
        url,
        {
            **_date("received_on", timezone.localdate() + datetime.timedelta(days=2)),
            "source": "2A",
            "concern": "x",
            "consent": "overridden",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "must be today or in the past" in html
    assert "Enter why consent was overridden or not sought" in html


def test_decide_page_opens_referral_and_shows_step_down(
    child: Person, front_door: User, manager: User
) -> None:
    actions.record_step_down(
        acting_user=front_door, child=child, date=D(2025, 3, 3), rationale="Support"
    )
    contact = _contact(front_door, child, at(2025, 4, 14))
    client = _client(front_door)
    page = client.get(reverse("frontdoor:contact-decide", args=[contact.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Stepped down to early help on 3 March 2025" in html
    assert "Decide what happens next" in html
    before = client.post(
        reverse("frontdoor:contact-decide", args=[contact.pk]),
        {
            "version": str(contact.version),
            "decision": "referral",
            "decision_rationale": "Needs a social work assessment",
            **_date("decided_on", D(2025, 4, 13)),
        },
    )
    assert before.status_code == 400
    assert "on or after the date the contact was received" in before.content.decode()
    assert "Needs a social work assessment" in before.content.decode()
    ok = client.post(
        reverse("frontdoor:contact-decide", args=[contact.pk]),
        {
            "version": str(contact.version),
            "decision": "referral",
            "decision_rationale": "Needs a social work assessment",
            "primary_need": "N1",
            **_date("decided_on", D(2025, 4, 15)),
            "decided_time": "09:15",
        },
    )
    assert ok.status_code == 302
    referral = Referral.objects.get(contact=contact)
    assert referral.referral_date == D(2025, 4, 15)
    assert referral.primary_need == "N1"
    detail = client.get(ok["Location"])
    assert "Referral to children&#x27;s social care" in detail.content.decode()
    again = client.get(reverse("frontdoor:contact-decide", args=[contact.pk]))
    assert again.status_code == 302


def test_decide_page_refusal_for_open_child(child: Person, front_door: User) -> None:
    actions.record_referral(
        acting_user=front_door, child=child, referral_date=D(2025, 3, 1), source="2A"
    )
    contact = _contact(front_door, child, at(2025, 4, 14))
    page = _client(front_door).get(reverse("frontdoor:contact-decide", args=[contact.pk]))
    assert "already has an open referral from 1 March 2025" in page.content.decode()
    response = _client(front_door).post(
        reverse("frontdoor:contact-decide", args=[contact.pk]),
        {"version": str(contact.version), "decision": "referral", "decision_rationale": "x"},
    )
    assert response.status_code == 400
    assert "already has an open referral" in response.content.decode()


def test_referral_close_and_step_forms(child: Person, front_door: User) -> None:
    client = _client(front_door)
    new_url = reverse("frontdoor:referral-new", args=[child.pk])
    assert client.get(new_url).status_code == 200
    assert client.post(new_url, {"source": "2A"}).status_code == 400
    response = client.post(new_url, {**_date("referral_date", D(2025, 4, 1)), "source": "2A"})
    assert response.status_code == 302
    assert response["Location"] == reverse("frontdoor:record-episodes", args=[child.pk])
    refused = client.post(new_url, {**_date("referral_date", D(2025, 4, 2)), "source": "2A"})
    assert refused.status_code == 400
    assert "already has an open referral" in refused.content.decode()
    referral = Referral.objects.get()
    close_url = reverse("frontdoor:referral-close", args=[referral.pk])
    assert client.get(close_url).status_code == 200
    early = client.post(close_url, {**_date("closed_on", D(2025, 3, 1)), "closure_reason": "RC8"})
    assert early.status_code == 400
    assert "on or after the referral date" in early.content.decode()
    assert client.post(close_url, {}).status_code == 400
    assert (
        client.post(
            close_url, {**_date("closed_on", D(2025, 4, 20)), "closure_reason": "RC8", "nfa": "on"}
        ).status_code
        == 302
    )
    referral.refresh_from_db()
    assert referral.nfa is True
    assert referral.closed_on == D(2025, 4, 20)
    # Early help: start, end; step down and up.
    eh_url = reverse("frontdoor:early-help-new", args=[child.pk])
    assert client.get(eh_url).status_code == 200
    assert (
        client.post(eh_url, {**_date("start_date", D(2025, 5, 1)), "reason": "Support"}).status_code
        == 302
    )
    episode = EarlyHelpEpisode.objects.get()
    end_url = reverse("frontdoor:early-help-end", args=[episode.pk])
    assert client.get(end_url).status_code == 200
    assert (
        client.post(end_url, {**_date("end_date", D(2025, 4, 1)), "end_reason": "x"}).status_code
        == 400
    )
    assert (
        client.post(end_url, {**_date("end_date", D(2025, 6, 1)), "end_reason": "Done"}).status_code
        == 302
    )
    assert (
        client.post(end_url, {**_date("end_date", D(2025, 6, 1)), "end_reason": "Done"}).status_code
        == 400
    )
    down_url = reverse("frontdoor:step-down", args=[child.pk])
    assert client.get(down_url).status_code == 200
    assert (
        client.post(down_url, {**_date("date", D(2025, 7, 1)), "rationale": "Support"}).status_code
        == 302
    )
    up_url = reverse("frontdoor:step-up", args=[child.pk])
    assert client.get(up_url).status_code == 200
    assert (
        client.post(up_url, {**_date("date", D(2025, 8, 1)), "rationale": "Escalated"}).status_code
        == 302
    )
    assert (
        client.post(up_url, {**_date("date", D(2025, 8, 2)), "rationale": "Again"}).status_code
        == 400
    )
    # A new referral shortly after the step down shows a warning.
    actions.record_step_down(
        acting_user=front_door, child=child, date=timezone.localdate(), rationale="x"
    )
    assert "Stepped down to early help on" in client.get(new_url).content.decode()
    assert client.get(reverse("frontdoor:referral-close", args=[99999])).status_code == 404
    assert client.get(reverse("frontdoor:early-help-end", args=[99999])).status_code == 404


def test_allocate_page(
    child: Person, manager: User, team: Team, make_user: Callable[..., User]
) -> None:
    team.manager = manager
    team.save()
    worker = make_user(Role.SOCIAL_WORKER, team=team, first_name="Sam", last_name="Worker")
    client = _client(manager)
    url = reverse("frontdoor:allocate", args=[child.pk])
    # A manager sees only children allocated to their teams (people.queries.visible_people).
    assert client.get(url).status_code == 403
    actions.allocate_case(
        acting_user=manager, child=child, team=team, worker=None, start_date=D(2025, 3, 1)
    )
    assert client.get(url).status_code == 200
    elsewhere = Team.objects.create(name="Elsewhere", service=Team.Service.LOOKED_AFTER)
    outsider = make_user(Role.SOCIAL_WORKER, team=elsewhere)
    bad = client.post(
        url, {"team": team.pk, "worker": outsider.pk, **_date("start_date", D(2025, 4, 1))}
    )
    assert bad.status_code == 400
    assert "is not a member of" in bad.content.decode()
    posted = {
        "team": team.pk,
        "worker": worker.pk,
        **_date("start_date", D(2025, 4, 1)),
        "reason": "New case",
    }
    # A worker named from April 2023 needs the coded reason for the change (903 SW13STG1).
    unreasoned = client.post(url, posted)
    assert unreasoned.status_code == 400
    assert "Select why the social worker is changing" in unreasoned.content.decode()
    assert "FCONTA - First contact or re-referral" in unreasoned.content.decode()
    ok = client.post(url, {**posted, "change_reason": "FCONTA"})
    assert ok.status_code == 302
    allocation = Allocation.objects.get(person=child, end_date__isnull=True)
    assert (allocation.worker, allocation.change_reason, allocation.reason) == (
        worker,
        "FCONTA",
        "New case",
    )
    assert "Currently allocated to Sam Worker" in client.get(url).content.decode()


def test_record_episodes_page(
    child: Person,
    front_door: User,
    manager: User,
    team: Team,
    django_assert_max_num_queries: Any,
) -> None:
    for day in (D(2024, 6, 1), D(2025, 1, 6)):
        referral = actions.record_referral(
            acting_user=front_door, child=child, referral_date=day, source="2A", primary_need="N4"
        )
        actions.close_referral(
            acting_user=front_door, referral=referral, closed_on=day, closure_reason="RC8"
        )
    actions.start_early_help(
        acting_user=front_door, child=child, start_date=D(2025, 2, 1), reason="Support"
    )
    actions.allocate_case(
        acting_user=manager, child=child, team=team, worker=None, start_date=D(2025, 1, 6)
    )
    actions.record_step_down(
        acting_user=front_door, child=child, date=D(2025, 3, 3), rationale="Support"
    )
    actions.record_step_up(
        acting_user=front_door, child=child, date=D(2025, 4, 14), rationale="Worse"
    )
    actions.record_referral(
        acting_user=front_door, child=child, referral_date=D(2025, 4, 14), source="5D"
    )
    _contact(front_door, child, at(2025, 4, 17))
    client = _client(front_door)
    url = reverse("frontdoor:record-episodes", args=[child.pk])
    client.get(url)
    with django_assert_max_num_queries(25):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("Re-referral within 12 months") == 2
    assert "Stepped down to early help on 3 March 2025, 6 weeks ago before this referral" in html
    assert "Family in acute stress" in html
    assert "Case closed after assessment, no further action" in html
    assert "Assessment Team Test" in html
    assert "Overdue by" in html


def test_record_episodes_page_lists_contacts_25_at_a_time_newest_first(
    child: Person, front_door: User
) -> None:
    start = at(2024, 1, 2)
    for n in range(30):
        _contact(front_door, child, start + datetime.timedelta(days=n))
    client = _client(front_door)
    url = reverse("frontdoor:record-episodes", args=[child.pk])
    first = client.get(url).content.decode()
    assert "Showing contacts 1 to 25 of 30, newest first." in first
    assert "31 January 2024" in first  # the newest
    assert ">2 January 2024" not in first
    assert 'aria-label="Pages of contacts"' in first
    second = client.get(url, {"page": "2"}).content.decode()
    assert "Showing contacts 26 to 30 of 30, newest first." in second
    assert ">2 January 2024" in second
    assert "31 January 2024" not in second


def test_a_contact_decided_late_is_tagged_yellow(child: Person, front_door: User) -> None:
    # Thursday 17 April 2025, due 22 April (Easter); decided 23 April: one working day late.
    contact = _contact(front_door, child, at(2025, 4, 17, 16, 30))
    actions.decide_contact(
        acting_user=front_door,
        contact=contact,
        decision=Contact.Decision.ADVICE,
        rationale="Advice given to school",
        decided_at=at(2025, 4, 23, 9),
    )
    client = _client(front_door)
    detail = client.get(reverse("frontdoor:contact-detail", args=[contact.pk])).content.decode()
    # Done late is yellow everywhere (the contact's page and the child's episodes had red).
    assert 'govuk-tag--yellow">Completed 1 working day late' in detail
    episodes = client.get(reverse("frontdoor:record-episodes", args=[child.pk])).content.decode()
    assert 'govuk-tag--yellow">Completed 1 working day late' in episodes
