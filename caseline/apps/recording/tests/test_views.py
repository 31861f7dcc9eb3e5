"""Pages: the notes list with filters, the forms, amendments, permissions and query counts."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.people.models import Person, Relationship
from caseline.apps.recording.actions import amend_note, record_management_oversight
from caseline.apps.recording.models import (
    CaseNote,
    ManagementOversight,
    NoteAmendment,
    Supervision,
    SupervisionAction,
)
from caseline.apps.recording.tests.conftest import days_ago
from caseline.apps.timescales.rules import format_date

pytestmark = pytest.mark.django_db

NoteFactory = Callable[..., CaseNote]


def _date(prefix: str, day: datetime.date) -> dict[str, str]:
    return {
        f"{prefix}_day": str(day.day),
        f"{prefix}_month": str(day.month),
        f"{prefix}_year": str(day.year),
    }


def _signed_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def _notes_url(child: Person) -> str:
    return f"/recording/record/{child.pk}/"


# --- the notes page ------------------------------------------------------------------------


def test_notes_page_lists_notes_newest_first_with_tags(
    client: Client, worker: User, child: Person, note_factory: NoteFactory
) -> None:
    note_factory(title="Older visit", occurred_at=days_ago(5))
    newer = note_factory(
        title="Newer call",
        note_type="phone-call",
        occurred_at=days_ago(1),
        is_significant=True,
        significance="Mother asked for help.",
    )
    amend_note(
        acting_user=worker, note=newer, read_version=1, title="Newer call", body="B", reason="r"
    )
    response = _signed_in(client, worker).get(_notes_url(child))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Newer call") < html.index("Older visit")
    assert "Significant event</strong>" in html
    assert "Mother asked for help." in html
    assert "Amended</strong>" in html
    assert "Record a note" in html
    assert "Record management oversight" not in html  # a social worker cannot


def test_notes_page_filters_by_type_and_significance(
    client: Client, worker: User, child: Person, note_factory: NoteFactory
) -> None:
    note_factory(title="Plain visit")
    note_factory(title="Phone call with school", note_type="phone-call")
    note_factory(title="Big visit", is_significant=True, significance="Disclosure")
    client = _signed_in(client, worker)
    html = client.get(_notes_url(child), {"note_type": "phone-call"}).content.decode()
    assert "Phone call with school" in html
    assert "Plain visit" not in html
    assert "Clear filters" in html
    html = client.get(_notes_url(child), {"significant": "on"}).content.decode()
    assert "Big visit" in html
    assert "Plain visit" not in html
    html = client.get(_notes_url(child), {"note_type": "supervision"}).content.decode()
    assert "No notes match these filters." in html
    html = client.get(_notes_url(child), {"note_type": "nonsense"}).content.decode()
    assert "Plain visit" in html  # an invalid filter shows everything


def test_notes_page_shows_oversight_and_supervision_with_timescales(
    client: Client,
    manager: User,
    child: Person,
    supervision_factory: Callable[..., Supervision],
) -> None:
    record_management_oversight(
        acting_user=manager,
        child=child,
        occurred_at=days_ago(1),
        decision="Hold a strategy discussion",
        rationale="Bruising seen at school",
        next_review_date=timezone.localdate() + datetime.timedelta(days=14),
    )
    supervision = supervision_factory(occurred_at=days_ago(40))
    SupervisionAction.objects.create(
        supervision=supervision,
        person=child,
        action="Speak to the GP",
        owner="Wren",
        by_when=timezone.localdate() - datetime.timedelta(days=10),
    )
    html = _signed_in(client, manager).get(_notes_url(child)).content.decode()
    assert "Hold a strategy discussion" in html
    assert "Bruising seen at school" in html
    assert "If school attendance does not improve" in html
    assert 'govuk-tag--red">Overdue by' in html
    assert "Record management oversight" in html


def test_notes_page_query_count_does_not_grow_with_notes(
    client: Client,
    django_assert_max_num_queries: Any,
    manager: User,
    child: Person,
    note_factory: NoteFactory,
    supervision_factory: Callable[..., Supervision],
) -> None:
    client = _signed_in(client, manager)
    note_factory(title="Visit 0")
    supervision_factory()
    client.get(_notes_url(child))  # warm the session and content-type caches
    with CaptureQueriesContext(connection) as few:
        client.get(_notes_url(child))
    for number in range(1, 15):
        note_factory(title=f"Visit {number}")
    for _ in range(3):
        supervision_factory()
    # The record frame (identity bar, badges, restriction) takes about a dozen; the notes four.
    with django_assert_max_num_queries(21):
        response = client.get(_notes_url(child))
    assert response.content.decode().count("app-case-note") == 19
    with CaptureQueriesContext(connection) as many:
        client.get(_notes_url(child))
    assert len(many) == len(few)


def test_a_child_not_visible_to_the_user_is_refused(
    client: Client, make_user: Callable[..., User], child: Person
) -> None:
    outsider = make_user(Role.SOCIAL_WORKER)
    assert _signed_in(client, outsider).get(_notes_url(child)).status_code == 403


# --- recording a note ----------------------------------------------------------------------


def test_recording_a_note(client: Client, worker: User, child: Person) -> None:
    sibling = Person.objects.create(given_name="Bo", family_name="Testchild")
    Relationship.objects.create(person=sibling, other=child, kind=Relationship.Kind.SIBLING)
    client = _signed_in(client, worker)
    page = client.get(f"/recording/record/{child.pk}/notes/new/")
    assert page.status_code == 200
    assert "Bo Testchild" in page.content.decode()
    response = client.post(
        f"/recording/record/{child.pk}/notes/new/",
        {
            "note_type": "visit",
            **_date("occurred_on", timezone.localdate() - datetime.timedelta(days=1)),
            "occurred_time": "14:30",
            "title": "Home visit",
            "body": "Seen alone in her room.",
            "is_significant": "on",
            "significance": "First time seen alone.",
            "others_involved": [str(sibling.pk)],
        },
    )
    assert response.status_code == 302
    assert response["Location"] == _notes_url(child)
    note = CaseNote.objects.get()
    assert timezone.localtime(note.occurred_at).time() == datetime.time(14, 30)
    assert note.is_significant
    assert list(note.others_involved.all()) == [sibling]
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    assert note.occurred_label == f"{format_date(yesterday)}, 14:30"
    assert note.occurred_label in client.get(_notes_url(child)).content.decode()


def test_the_note_form_offers_the_people_related_either_way_and_no_one_else(
    client: Client, worker: User, child: Person
) -> None:
    mother = Person.objects.create(given_name="Ann", family_name="Parentone")
    brother = Person.objects.create(given_name="Cy", family_name="Siblingtwo")
    stranger = Person.objects.create(given_name="Di", family_name="Strangerthree")
    Relationship.objects.create(person=mother, other=child, kind=Relationship.Kind.PARENT)
    Relationship.objects.create(person=child, other=brother, kind=Relationship.Kind.SIBLING)
    # The brother recorded twice (both ways) is offered once.
    Relationship.objects.create(person=brother, other=child, kind=Relationship.Kind.SIBLING)
    Relationship.objects.create(person=mother, other=stranger, kind=Relationship.Kind.FRIEND)
    html = _signed_in(client, worker).get(f"/recording/record/{child.pk}/notes/new/")
    page = html.content.decode()
    assert page.index("Ann Parentone") < page.index("Cy Siblingtwo")  # by family name
    assert page.count("Cy Siblingtwo") == 1
    assert "Strangerthree" not in page


def test_a_note_without_significance_is_refused_keeping_the_text(
    client: Client, worker: User, child: Person
) -> None:
    response = _signed_in(client, worker).post(
        f"/recording/record/{child.pk}/notes/new/",
        {
            "note_type": "visit",
            **_date("occurred_on", timezone.localdate()),
            "title": "Home visit",
            "body": "Typed text to keep",
            "is_significant": "on",
            "significance": "",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Say why this is a significant event for the child" in html
    assert "Typed text to keep" in html
    assert "There is a problem" in html
    assert not CaseNote.objects.exists()


def test_a_note_in_the_future_or_with_a_bad_time_is_refused(
    client: Client, worker: User, child: Person
) -> None:
    client = _signed_in(client, worker)
    data = {"note_type": "visit", "title": "T", "body": "B"}
    response = client.post(
        f"/recording/record/{child.pk}/notes/new/",
        {**data, **_date("occurred_on", timezone.localdate() + datetime.timedelta(days=2))},
    )
    assert response.status_code == 400
    assert "The date it happened must be today or in the past" in response.content.decode()
    response = client.post(
        f"/recording/record/{child.pk}/notes/new/",
        {**data, **_date("occurred_on", timezone.localdate()), "occurred_time": "25:99"},
    )
    assert response.status_code == 400
    assert "Enter a real time, for example 14:30" in response.content.decode()
    assert not CaseNote.objects.exists()


# --- management oversight ------------------------------------------------------------------


def test_a_social_worker_cannot_open_or_post_the_oversight_form(
    client: Client, worker: User, child: Person
) -> None:
    client = _signed_in(client, worker)
    assert client.get(f"/recording/record/{child.pk}/oversight/new/").status_code == 403
    assert client.post(f"/recording/record/{child.pk}/oversight/new/", {}).status_code == 403
    assert client.get(f"/recording/record/{child.pk}/supervision/new/").status_code == 403


def test_a_manager_records_oversight(client: Client, manager: User, child: Person) -> None:
    client = _signed_in(client, manager)
    assert client.get(f"/recording/record/{child.pk}/oversight/new/").status_code == 200
    url = f"/recording/record/{child.pk}/oversight/new/"
    data = {
        **_date("occurred_on", timezone.localdate()),
        "decision": "Convene an initial conference",
        "rationale": "",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Enter the reasons for the decision" in response.content.decode()
    assert "Convene an initial conference" in response.content.decode()
    response = client.post(url, {**data, "rationale": "Section 47 found significant harm"})
    assert response.status_code == 302
    oversight = ManagementOversight.objects.get()
    assert oversight.note.recorded_by == manager
    assert oversight.next_review_date is None


def test_oversight_errors_from_the_action_show_on_the_form(
    client: Client, manager: User, child: Person
) -> None:
    response = _signed_in(client, manager).post(
        f"/recording/record/{child.pk}/oversight/new/",
        {
            **_date("occurred_on", timezone.localdate()),
            "decision": "D",
            "rationale": "R",
            **_date("next_review_date", timezone.localdate() - datetime.timedelta(days=3)),
        },
    )
    assert response.status_code == 400
    assert (
        "The next review date must be on or after the oversight date" in response.content.decode()
    )


# --- supervision ---------------------------------------------------------------------------


def _supervision_data(worker: User, **overrides: str) -> dict[str, str]:
    data = {
        **_date("occurred_on", timezone.localdate()),
        "supervisee": str(worker.pk),
        "objectives": "Ada attends school every day",
        "contingency": "Escalate to a strategy discussion",
        "actions-TOTAL_FORMS": "5",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "5",
        "actions-0-action": "Visit the school",
        "actions-0-owner": "Wren",
        **_date("actions-0-by_when", timezone.localdate() + datetime.timedelta(days=7)),
    }
    data.update(overrides)
    return data


def test_a_manager_records_supervision(
    client: Client, manager: User, worker: User, child: Person
) -> None:
    client = _signed_in(client, manager)
    page = client.get(f"/recording/record/{child.pk}/supervision/new/")
    assert page.status_code == 200
    assert "Action 5" in page.content.decode()
    assert page.context["form"].initial["supervisee"] == worker.pk
    response = client.post(
        f"/recording/record/{child.pk}/supervision/new/", _supervision_data(worker)
    )
    assert response.status_code == 302
    supervision = Supervision.objects.get()
    assert supervision.supervisee == worker
    assert [a.action for a in supervision.actions.all()] == ["Visit the school"]


def test_supervision_without_an_action_is_refused(
    client: Client, manager: User, worker: User, child: Person
) -> None:
    data = _supervision_data(
        worker,
        **{
            "actions-0-action": "",
            "actions-0-owner": "",
            "actions-0-by_when_day": "",
            "actions-0-by_when_month": "",
            "actions-0-by_when_year": "",
        },
    )
    response = _signed_in(client, manager).post(
        f"/recording/record/{child.pk}/supervision/new/", data
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter at least one action, with who will do it and by when" in html
    assert "Record supervision (error) - Caseline" in html
    assert not Supervision.objects.exists()


def test_supervision_without_contingency_or_with_a_half_action_is_refused(
    client: Client, manager: User, worker: User, child: Person
) -> None:
    data = _supervision_data(worker, contingency="", **{"actions-1-action": "Call the GP"})
    response = _signed_in(client, manager).post(
        f"/recording/record/{child.pk}/supervision/new/", data
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter what will happen if the plan does not work" in html
    assert "Action 2: Enter who will do it" in html
    assert "Action 2: Enter the date it will be done by" in html
    assert "Call the GP" in html
    assert not Supervision.objects.exists()


def test_supervision_date_errors_from_the_action(
    client: Client, manager: User, worker: User, child: Person
) -> None:
    data = _supervision_data(
        worker, **_date("actions-0-by_when", timezone.localdate() - datetime.timedelta(days=2))
    )
    response = _signed_in(client, manager).post(
        f"/recording/record/{child.pk}/supervision/new/", data
    )
    assert response.status_code == 400
    assert "The date for action 1 must be on or after the supervision" in response.content.decode()


# --- note detail and amendment ---------------------------------------------------------------


def test_note_detail_shows_amendment_history(
    client: Client, worker: User, child: Person, note_factory: NoteFactory
) -> None:
    note = note_factory()
    amend_note(
        acting_user=worker,
        note=note,
        read_version=1,
        title="Home visit",
        body="New text",
        reason="Typo in the original",
    )
    response = _signed_in(client, worker).get(f"/recording/record/{child.pk}/notes/{note.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Amended</strong>" in html
    assert "Typo in the original" in html
    assert "Ada showed me her room." in html  # the previous text is kept
    assert "New text" in html
    assert "Amend this note" in html


def test_a_note_of_another_child_is_not_found(
    client: Client, worker: User, child: Person, note_factory: NoteFactory, team: Any
) -> None:
    note = note_factory()
    other = Person.objects.create(given_name="Cy", family_name="Otherchild")
    other.allocations.create(team=team, start_date=timezone.localdate())
    client = _signed_in(client, worker)
    assert client.get(f"/recording/record/{other.pk}/notes/{note.pk}/").status_code == 404
    assert client.get(f"/recording/record/{other.pk}/notes/{note.pk}/amend/").status_code == 404


def test_amending_a_note(
    client: Client, worker: User, child: Person, note_factory: NoteFactory
) -> None:
    note = note_factory()
    client = _signed_in(client, worker)
    url = f"/recording/record/{child.pk}/notes/{note.pk}/amend/"
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"].initial == {"version": 1, "title": "Home visit", "body": note.body}
    response = client.post(
        url, {"version": "1", "title": "Home visit", "body": "Changed", "reason": ""}
    )
    assert response.status_code == 400
    assert "Enter why you are amending this note" in response.content.decode()
    assert "Changed" in response.content.decode()
    response = client.post(
        url, {"version": "1", "title": "Home visit", "body": note.body, "reason": "x"}
    )
    assert response.status_code == 400
    assert "Change the title or the note before saving an amendment" in response.content.decode()


def test_amending_a_note_changed_by_someone_else_shows_a_conflict(
    client: Client, worker: User, manager: User, child: Person, note_factory: NoteFactory
) -> None:
    note = note_factory()
    url = f"/recording/record/{child.pk}/notes/{note.pk}/amend/"
    amend_note(
        acting_user=manager, note=note, read_version=1, title="T", body="Manager's", reason="r"
    )
    response = _signed_in(client, worker).post(
        url, {"version": "1", "title": "Mine", "body": "My text", "reason": "Mine"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "changed by someone else" in html
    assert "My text" in html
    note.refresh_from_db()
    assert note.body == "Manager's"
    assert NoteAmendment.objects.count() == 1


def test_amend_succeeds_and_redirects(
    client: Client, worker: User, child: Person, note_factory: NoteFactory
) -> None:
    note = note_factory()
    response = _signed_in(client, worker).post(
        f"/recording/record/{child.pk}/notes/{note.pk}/amend/",
        {"version": "1", "title": "Home visit", "body": "Better", "reason": "Clearer"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/recording/record/{child.pk}/notes/{note.pk}/"


def test_another_worker_cannot_amend(
    client: Client,
    make_user: Callable[..., User],
    team: Any,
    child: Person,
    note_factory: NoteFactory,
) -> None:
    note = note_factory()
    colleague = make_user(Role.SOCIAL_WORKER, team=team)
    client = _signed_in(client, colleague)
    detail = client.get(f"/recording/record/{child.pk}/notes/{note.pk}/")
    assert detail.status_code == 200
    assert "Amend this note" not in detail.content.decode()
    assert client.get(f"/recording/record/{child.pk}/notes/{note.pk}/amend/").status_code == 403


# --- supervision actions ---------------------------------------------------------------------


def test_marking_an_action_done(
    client: Client, worker: User, child: Person, supervision_factory: Callable[..., Supervision]
) -> None:
    action = supervision_factory().actions.get()
    client = _signed_in(client, worker)
    url = f"/recording/record/{child.pk}/actions/{action.pk}/done/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Visit school" in page.content.decode()
    response = client.post(url, _date("done_on", timezone.localdate() + datetime.timedelta(days=3)))
    assert response.status_code == 400
    assert "The date it was done must be today or in the past" in response.content.decode()
    response = client.post(url, _date("done_on", timezone.localdate()))
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.done_on == timezone.localdate()
    assert "This action was done on" in client.get(url).content.decode()
    assert client.post(url, {}).status_code == 400


def test_an_action_of_another_child_is_not_found(
    client: Client, worker: User, team: Any, supervision_factory: Callable[..., Supervision]
) -> None:
    action = supervision_factory().actions.get()
    other = Person.objects.create(given_name="Cy", family_name="Otherchild")
    other.allocations.create(team=team, start_date=timezone.localdate())
    response = _signed_in(client, worker).get(
        f"/recording/record/{other.pk}/actions/{action.pk}/done/"
    )
    assert response.status_code == 404


def test_supervision_actions_take_the_one_colour_of_their_timeliness(
    client: Client,
    manager: User,
    child: Person,
    supervision_factory: Callable[..., Supervision],
) -> None:
    supervision = supervision_factory(occurred_at=days_ago(40))
    today = timezone.localdate()
    for name, by_when, done_on in (
        ("Done late", today - datetime.timedelta(days=20), today - datetime.timedelta(days=5)),
        ("Done on time", today - datetime.timedelta(days=5), today - datetime.timedelta(days=6)),
    ):
        SupervisionAction.objects.create(
            supervision=supervision,
            person=child,
            action=name,
            owner="Wren",
            by_when=by_when,
            done_on=done_on,
        )
    html = _signed_in(client, manager).get(_notes_url(child)).content.decode()
    # Done late is yellow everywhere (it was orange here); done on time is green.
    assert f'govuk-tag--yellow">Done {(today - datetime.timedelta(days=5)):%-d %B %Y}' in html
    assert f'govuk-tag--green">Done {(today - datetime.timedelta(days=6)):%-d %B %Y}' in html
    assert 'govuk-tag--blue">Due ' in html  # the factory's action, due in a week


# --- issue 22: every save says what was saved; every action is offered where it is shown ------


def _success_banner(response: Any) -> str:
    found = re.search(
        r'govuk-notification-banner--success.*?govuk-notification-banner__heading">([^<]*)<',
        response.content.decode(),
        re.S,
    )
    assert found is not None, "no success banner"
    return found[1]


def test_every_save_shows_a_banner_saying_what_was_saved(
    client: Client,
    manager: User,
    worker: User,
    child: Person,
    note_factory: NoteFactory,
    supervision_factory: Callable[..., Supervision],
) -> None:
    client = _signed_in(client, manager)
    today = _date("occurred_on", timezone.localdate())
    base = f"/recording/record/{child.pk}"
    note = client.post(
        f"{base}/notes/new/",
        {**today, "note_type": "visit", "title": "Home visit", "body": "Ada was well."},
        follow=True,
    )
    assert _success_banner(note) == "Note recorded: Home visit"
    oversight = client.post(
        f"{base}/oversight/new/",
        {**today, "decision": "Continue", "rationale": "Ada is safe"},
        follow=True,
    )
    assert _success_banner(oversight) == "Management oversight recorded"
    supervision = client.post(f"{base}/supervision/new/", _supervision_data(worker), follow=True)
    assert _success_banner(supervision) == "Supervision recorded"
    written = note_factory()
    amended = client.post(
        f"{base}/notes/{written.pk}/amend/",
        {"version": written.version, "title": "Home visit", "body": "Changed", "reason": "Typo"},
        follow=True,
    )
    assert _success_banner(amended) == "Note amended. The previous version has been kept."
    action = supervision_factory().actions.get()
    done = client.post(
        f"{base}/actions/{action.pk}/done/",
        _date("done_on", timezone.localdate()),
        follow=True,
    )
    assert _success_banner(done) == "Action marked as done"


def test_a_supervision_note_offers_mark_as_done_on_its_own_page(
    client: Client, worker: User, child: Person, supervision_factory: Callable[..., Supervision]
) -> None:
    supervision = supervision_factory()
    action = supervision.actions.get()
    done_url = f"/recording/record/{child.pk}/actions/{action.pk}/done/"
    listed = _signed_in(client, worker).get(_notes_url(child)).content.decode()
    assert f'href="{done_url}"' in listed
    detail = client.get(f"/recording/record/{child.pk}/notes/{supervision.note_id}/")
    assert f'href="{done_url}"' in detail.content.decode()


def test_the_same_note_form_sent_twice_makes_one_note(
    client: Client, worker: User, child: Person
) -> None:
    """Issue 19: a double click, or the browser sending the page again, made two notes."""
    client = _signed_in(client, worker)
    url = f"/recording/record/{child.pk}/notes/new/"
    token = client.get(url).context["form"]["submission_token"].value()
    assert token
    note = {
        "note_type": "visit",
        **_date("occurred_on", timezone.localdate() - datetime.timedelta(days=1)),
        "title": "Home visit",
        "body": "Seen alone.",
        "submission_token": str(token),
    }
    first = client.post(url, note)
    second = client.post(url, note)
    assert CaseNote.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    page = client.get(second["Location"]).content.decode()
    assert "This form had already been sent" in page
    # A fresh page's token saves a second note.
    fresh = client.get(url).context["form"]["submission_token"].value()
    assert fresh != token
    assert client.post(url, {**note, "submission_token": str(fresh)}).status_code == 302
    assert CaseNote.objects.count() == 2


def test_a_refused_form_can_be_corrected_and_sent_with_the_same_token(
    client: Client, worker: User, child: Person
) -> None:
    client = _signed_in(client, worker)
    url = f"/recording/record/{child.pk}/notes/new/"
    token = str(client.get(url).context["form"]["submission_token"].value())
    future = {
        "note_type": "visit",
        **_date("occurred_on", timezone.localdate() + datetime.timedelta(days=3)),
        "title": "Home visit",
        "body": "Seen alone.",
        "submission_token": token,
    }
    refused = client.post(url, future)
    assert refused.status_code == 400
    assert f'value="{token}"' in refused.content.decode()  # the same token, kept
    past = {**future, **_date("occurred_on", timezone.localdate() - datetime.timedelta(days=1))}
    assert client.post(url, past).status_code == 302
    assert CaseNote.objects.count() == 1
