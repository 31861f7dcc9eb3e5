from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission, Role
from caseline.apps.audit.events import EventType
from caseline.apps.audit.models import AuditEvent
from caseline.apps.people import actions, contribution
from caseline.apps.people.contribution import (
    Badge,
    DueItem,
    PersonIds,
    RecordContribution,
    SummaryBlock,
)
from caseline.apps.people.models import Allocation, HouseholdMember, Person, Relationship
from caseline.apps.timescales.rules import Timeliness, TimelinessStatus

pytestmark = pytest.mark.django_db
MakePerson = Callable[..., Person]


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def person_form(**overrides: Any) -> dict[str, Any]:
    data = {
        "given_name": "Ada",
        "family_name": "Testperson",
        "date_of_birth_day": "27",
        "date_of_birth_month": "3",
        "date_of_birth_year": "2015",
        "sex": "F",
        "ethnicity": "WBRI",
        "religion": "NONE",
        "immigration_status": "",
        "gender_identity": "",
        "disabilities": ["HEAR"],
        "first_language": "English",
        "nhs_number": "999 000 0018",
    }
    data.update(overrides)
    return data


def test_search_page(front_door: User, make_person: MakePerson) -> None:
    person = make_person("John", "Smith", date_of_birth=datetime.date(2014, 2, 3))
    client = client_for(front_door)
    response = client.get(reverse("people:search"))
    assert response.status_code == 200
    assert "Add a new person" in response.text
    response = client.get(reverse("people:search"), {"name": "Jon Smyth"})
    assert response.status_code == 200
    assert "1 person found" in response.text
    assert reverse("people:record", kwargs={"person_id": person.pk}) in response.text
    assert "3 February 2014" in response.text
    response = client.get(reverse("people:search"), {"name": "", "postcode": ""})
    assert response.status_code == 400
    assert "Enter a name, date of birth, ID number or postcode to search" in response.text


def test_search_needs_child_view(make_user: Callable[..., User]) -> None:
    admin = make_user(Role.ADMINISTRATOR)
    assert client_for(admin).get(reverse("people:search")).status_code == 403


def test_create_person_then_duplicate_warning_then_confirm(front_door: User) -> None:
    client = client_for(front_door)
    assert client.get(reverse("people:new")).status_code == 200
    response = client.post(reverse("people:new"), person_form())
    person = Person.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("people:record", kwargs={"person_id": person.pk})
    assert person.disabilities == ["HEAR"]
    assert person.nhs_number == "9990000018"
    second = person_form(given_name="Adah", nhs_number="")
    response = client.post(reverse("people:new"), second)
    assert response.status_code == 400
    assert "This person may already be on the record" in response.text
    assert person.caseline_id in response.text
    assert 'value="Adah"' in response.text  # kept what was typed
    assert Person.objects.count() == 1
    response = client.post(reverse("people:new"), {**second, "confirmed_not_duplicate": "on"})
    assert response.status_code == 302
    assert Person.objects.count() == 2


def test_create_person_errors(front_door: User, make_user: Callable[..., User]) -> None:
    client = client_for(front_door)
    response = client.post(
        reverse("people:new"),
        person_form(given_name="", nhs_number="9990000019", date_of_birth_day="32"),
    )
    assert response.status_code == 400
    assert "Enter a first name" in response.text
    assert "Enter a real NHS number" in response.text
    assert "Date of birth must be a real date" in response.text
    response = client.post(
        reverse("people:new"), person_form(date_of_birth_year=str(timezone.localdate().year + 1))
    )
    assert response.status_code == 400
    assert "Date of birth must be today or in the past" in response.text
    analyst = make_user(Role.ANALYST)
    assert client_for(analyst).get(reverse("people:new")).status_code == 403


def test_duplicate_hidden_from_a_social_worker_is_counted_not_shown(
    make_user: Callable[..., User], make_person: MakePerson
) -> None:
    hidden = make_person("Ada", "Testperson")
    worker = make_user(Role.SOCIAL_WORKER)
    response = client_for(worker).post(reverse("people:new"), person_form(nhs_number=""))
    assert response.status_code == 400
    assert hidden.caseline_id not in response.text
    assert "1 possible match is on records you cannot see" in response.text


def test_record_summary(
    front_door: User,
    make_person: MakePerson,
    allocate: Callable[..., Allocation],
    django_assert_max_num_queries: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    person = make_person(
        "Ada",
        "Testperson",
        ethnicity="WBRI",
        religion="NONE",
        first_language="Polish",
        interpreter_needed=True,
        disabilities=["HEAR"],
        identity_notes="Loves football",
    )
    actions.add_address(
        acting_user=front_door,
        person=person,
        line_1="1 Test St",
        postcode="M1 1AE",
        start_date=datetime.date(2020, 1, 1),
    )
    actions.add_alert(
        acting_user=front_door,
        person=person,
        text="Do not disclose address",
        start_date=datetime.date(2020, 1, 1),
    )
    allocate(person, front_door)
    today = timezone.localdate()

    def blocks(p: Person, as_at: datetime.date) -> list[SummaryBlock]:
        return [SummaryBlock(10, "Why we are involved", [("Reason", "Test reason")])]

    def due(person_ids: PersonIds, as_at: datetime.date) -> list[DueItem]:
        late = Timeliness(
            TimelinessStatus.OVERDUE, datetime.date(2025, 1, 6), 3, "3 working days late"
        )
        return [
            DueItem(
                pk, "Assessment", "assessment", late, "/x/", permission=Permission.ASSESSMENT_RECORD
            )
            for pk in person_ids
        ]

    def badge(p: Person, as_at: datetime.date) -> list[Badge]:
        return [Badge("Child in need plan", "blue")]

    # Only this app's frame is measured here: each app's contribution is its own to keep lean.
    one_of_each = RecordContribution(
        app_label="genogram",  # an installed app with no contribution of its own
        summary_blocks=blocks,
        due_for=due,
        badges=badge,
    )
    monkeypatch.setattr(contribution, "_registered", {"genogram": one_of_each})
    client = client_for(front_door)
    # 17: the page's 14, and the read's audit event sealed into the chain (lock, head, insert).
    with django_assert_max_num_queries(17):
        response = client.get(reverse("people:record", kwargs={"person_id": person.pk}))
    assert response.status_code == 200
    text = response.text
    assert "moj-identity-bar" in text
    assert "moj-sub-navigation" in text
    assert person.caseline_id in text
    assert "9990000018" not in text  # no NHS number given
    assert f"{person.age_on(today)} years old" in text
    assert "White British" in text
    assert "Polish (needs an interpreter)" in text
    assert "Hearing" in text
    assert "Loves football" in text
    assert "M1 1AE" in text
    assert "Do not disclose address" in text
    assert "Assessment Team Test" in text
    assert "Why we are involved" in text
    assert "Test reason" in text
    assert "govuk-tag--red" in text
    assert "3 working days late" in text
    assert "Child in need plan" in text
    assert AuditEvent.objects.filter(
        event_type=EventType.CHILD_RECORD_VIEWED, subject_person_id=person.pk
    ).exists()


def test_unborn_and_died(front_door: User, make_person: MakePerson) -> None:
    # Due in about four months: an expected date of birth is planned, so near (not 2099).
    due = timezone.localdate() + datetime.timedelta(days=120)
    unborn = make_person("Baby", "Testperson", date_of_birth=None, expected_date_of_birth=due)
    died = make_person("Old", "Testperson", date_of_death=datetime.date(2020, 5, 1))
    client = client_for(front_door)
    assert (
        f"unborn, due {due.day} {due:%B} {due.year}"
        in client.get(reverse("people:record", kwargs={"person_id": unborn.pk})).text
    )
    assert (
        "died 1 May 2020"
        in client.get(reverse("people:record", kwargs={"person_id": died.pk})).text
    )


def test_record_visibility(
    make_user: Callable[..., User], make_person: MakePerson, allocate: Callable[..., Allocation]
) -> None:
    worker = make_user(Role.SOCIAL_WORKER)
    mine, other = make_person("Ada", "Testperson"), make_person("Bo", "Testperson")
    allocate(mine, worker)
    client = client_for(worker)
    assert client.get(reverse("people:record", kwargs={"person_id": mine.pk})).status_code == 200
    assert client.get(reverse("people:record", kwargs={"person_id": other.pk})).status_code == 403
    assert client.get(reverse("people:record", kwargs={"person_id": 999999})).status_code == 404


def test_edit_identity_and_stale_version(front_door: User, make_person: MakePerson) -> None:
    person = make_person()
    url = reverse("people:edit", kwargs={"person_id": person.pk})
    client = client_for(front_door)
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="version" value="1"' in response.text
    data = person_form(family_name="Changed", version="1", nhs_number="")
    response = client.post(url, data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.family_name, person.version) == ("Changed", 2)
    response = client.post(url, {**data, "family_name": "Stale edit"})
    assert response.status_code == 400
    assert "changed by someone else" in response.text
    assert 'value="Stale edit"' in response.text
    person.refresh_from_db()
    assert person.family_name == "Changed"
    response = client.post(
        url,
        {
            **data,
            "version": "2",
            "date_of_death_day": "1",
            "date_of_death_month": "1",
            "date_of_death_year": "2000",
        },
    )
    assert response.status_code == 400
    assert "Date of death must be on or after the date of birth" in response.text


def test_relationships_page_and_forms(front_door: User, make_person: MakePerson) -> None:
    child = make_person("Ada", "Testperson")
    mother = make_person("Maria", "Testperson", date_of_birth=datetime.date(1990, 1, 1))
    client = client_for(front_door)
    url = reverse("people:relationships", kwargs={"person_id": child.pk})
    response = client.get(url)
    assert response.status_code == 200
    assert "No relationships recorded" in response.text
    response = client.get(url, {"name": "Maria"})
    add_url = reverse("people:relationship-add", kwargs={"person_id": child.pk})
    assert f"{add_url}?other={mother.pk}" in response.text
    assert client.get(add_url).status_code == 404
    assert client.get(f"{add_url}?other={mother.pk}").status_code == 200
    response = client.post(
        f"{add_url}?other={mother.pk}",
        {"kind": "parent", "direction": "relative", "has_parental_responsibility": "on"},
    )
    assert response.status_code == 302
    rel = Relationship.objects.get()
    assert (rel.person, rel.other, rel.has_parental_responsibility) == (mother, child, True)
    response = client.get(url)
    assert "Maria Testperson" in response.text
    assert "Parental responsibility" in response.text
    # From the mother's side the direction reads the other way.
    response = client.get(reverse("people:relationships", kwargs={"person_id": mother.pk}))
    assert "Maria is their parent" in response.text
    response = client.post(
        f"{add_url}?other={child.pk}", {"kind": "sibling", "direction": "relative"}
    )
    assert response.status_code == 400
    assert "cannot have a relationship with themselves" in response.text
    end_url = reverse(
        "people:relationship-end", kwargs={"person_id": child.pk, "relationship_id": rel.pk}
    )
    assert client.get(end_url).status_code == 200
    assert client.post(end_url, {}).status_code == 400
    response = client.post(
        end_url, {"end_date_day": "1", "end_date_month": "2", "end_date_year": "2025"}
    )
    assert response.status_code == 302
    rel.refresh_from_db()
    assert rel.end_date == datetime.date(2025, 2, 1)


def test_new_related_person(front_door: User, make_person: MakePerson) -> None:
    child = make_person("Ada", "Testperson")
    client = client_for(front_door)
    url = f"{reverse('people:new')}?related_to={child.pk}"
    response = client.get(url)
    assert "Add someone to Ada Testperson" in response.text
    data = person_form(
        given_name="Tom",
        date_of_birth_year="1988",
        nhs_number="",
        kind="parent",
        direction="relative",
        lives_with="on",
    )
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("people:relationships", kwargs={"person_id": child.pk})
    rel = Relationship.objects.get()
    assert rel.person.given_name == "Tom"
    assert rel.other == child
    assert rel.lives_with


def test_professional_household_address_alert_pages(
    front_door: User, make_person: MakePerson
) -> None:
    child = make_person()
    client = client_for(front_door)
    kw = {"person_id": child.pk}
    for name in ("professional-add", "household-add", "address-add", "alert-add"):
        assert client.get(reverse(f"people:{name}", kwargs=kw)).status_code == 200
    response = client.post(
        reverse("people:professional-add", kwargs=kw),
        {"name": "", "role": "GP", "agency": "X", "email": "bad"},
    )
    assert response.status_code == 400
    assert "Enter the professional&#x27;s name" in response.text
    response = client.post(
        reverse("people:professional-add", kwargs=kw),
        {"name": "Dr Example", "role": "GP", "agency": "Test Surgery"},
    )
    assert response.status_code == 302
    assert (
        client.post(
            reverse("people:household-add", kwargs=kw), {"household_name": "Test house"}
        ).status_code
        == 302
    )
    assert HouseholdMember.objects.get().household.name == "Test house"
    response = client.get(reverse("people:relationships", kwargs=kw))
    assert "Dr Example" in response.text
    assert "Test house" in response.text
    response = client.post(
        reverse("people:address-add", kwargs=kw),
        {
            "line_1": "1 Test St",
            "postcode": "nope",
            "start_date_day": "1",
            "start_date_month": "1",
            "start_date_year": "2020",
        },
    )
    assert response.status_code == 400
    assert "Enter a real postcode" in response.text
    response = client.post(
        reverse("people:address-add", kwargs=kw),
        {
            "kind": "home",
            "line_1": "1 Test St",
            "postcode": "m11ae",
            "start_date_day": "1",
            "start_date_month": "1",
            "start_date_year": "2020",
        },
    )
    assert response.status_code == 302
    assert child.addresses.get().postcode == "M1 1AE"
    response = client.post(
        reverse("people:alert-add", kwargs=kw),
        {
            "text": "Risk to staff",
            "start_date_day": "1",
            "start_date_month": "1",
            "start_date_year": "2020",
        },
    )
    assert response.status_code == 302
    assert "Risk to staff" in client.get(reverse("people:record", kwargs=kw)).text


def test_edit_pages_need_person_edit(
    make_user: Callable[..., User], make_person: MakePerson
) -> None:
    iro = make_user(Role.IRO)  # can view everyone, cannot edit people
    child = make_person()
    client = client_for(iro)
    assert client.get(reverse("people:record", kwargs={"person_id": child.pk})).status_code == 200
    assert client.get(reverse("people:edit", kwargs={"person_id": child.pk})).status_code == 403
    assert (
        client.get(reverse("people:address-add", kwargs={"person_id": child.pk})).status_code == 403
    )


def test_documents_and_viewers(
    front_door: User, make_user: Callable[..., User], make_person: MakePerson
) -> None:
    child = make_person()
    client = client_for(front_door)
    response = client.get(reverse("people:documents", kwargs={"person_id": child.pk}))
    assert response.status_code == 200
    assert "are coming" in response.text
    iro = make_user(Role.IRO, username="iro.viewer")
    client_for(iro).get(reverse("people:record", kwargs={"person_id": child.pk}))
    response = client.get(reverse("people:viewers", kwargs={"person_id": child.pk}))
    assert response.status_code == 200
    assert "iro.viewer" in response.text
    rows = response.context["page"].object_list
    # The viewers page's own read is recorded once it is sent: it heads the next one.
    assert [e.acting_username for e in rows][:2] == ["iro.viewer", "fd"]
    rows = client.get(reverse("people:viewers", kwargs={"person_id": child.pk})).context["page"]
    assert [e.acting_username for e in rows][:2] == ["fd", "iro.viewer"]  # newest first


def test_merge_page(
    manager: User, front_door: User, make_person: MakePerson, allocate: Callable[..., Allocation]
) -> None:
    kept = make_person("John", "Smith")
    merged = make_person("Jon", "Smyth")
    hidden = make_person("Jon", "Smith")
    allocate(kept, manager)
    allocate(merged, manager)
    hidden_url = f"{reverse('people:merge')}?kept={kept.pk}&merged={hidden.pk}"
    assert client_for(manager).get(hidden_url).status_code == 403  # must see both
    actions.add_address(
        acting_user=front_door,
        person=merged,
        line_1="1 Test St",
        postcode="M1 1AE",
        start_date=datetime.date(2020, 1, 1),
    )
    url = f"{reverse('people:merge')}?kept={kept.pk}&merged={merged.pk}"
    assert client_for(front_door).get(url).status_code == 403  # no PERSON_MERGE
    client = client_for(manager)
    assert "Choose two records" in client.get(reverse("people:merge")).text
    response = client.get(url)
    assert response.status_code == 200
    assert "Record kept" in response.text
    assert "1 Test St" in response.text
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert "Enter why these records are the same person" in response.text
    response = client.post(reverse("people:merge"), {"reason": "x"})
    assert response.status_code == 400
    assert "Choose the two records to merge" in response.text
    response = client.post(url, {"reason": "Same child, name typed wrongly"})
    assert response.status_code == 302
    merged.refresh_from_db()
    assert merged.merged_into == kept
    assert kept.addresses.count() == 1
    # The merged record shows where it went; the kept record's viewers include both ids.
    response = client_for(front_door).get(reverse("people:record", kwargs={"person_id": merged.pk}))
    assert "This record was merged into" in response.text
    client.get(reverse("people:record", kwargs={"person_id": kept.pk}))
    response = client.get(reverse("people:viewers", kwargs={"person_id": kept.pk}))
    sections = {e.subject_person_id for e in response.context["page"].object_list}
    assert sections == {kept.pk, merged.pk}


def test_other_name_and_contact_detail_pages(front_door: User, make_person: MakePerson) -> None:
    child = make_person()
    client = client_for(front_door)
    kw = {"person_id": child.pk}
    for name in ("other-name-add", "contact-detail-add"):
        assert client.get(reverse(f"people:{name}", kwargs=kw)).status_code == 200
    response = client.post(reverse("people:other-name-add", kwargs=kw), {"kind": "previous"})
    assert response.status_code == 400
    assert "Enter a first name or a last name" in response.text
    response = client.post(
        reverse("people:other-name-add", kwargs=kw), {"kind": "previous", "family_name": "Oldname"}
    )
    assert response.status_code == 302
    response = client.post(
        reverse("people:contact-detail-add", kwargs=kw), {"kind": "email", "value": "bad"}
    )
    assert response.status_code == 400
    assert "Enter an email address in the correct format" in response.text
    response = client.post(
        reverse("people:contact-detail-add", kwargs=kw), {"kind": "phone", "value": "01632 960 001"}
    )
    assert response.status_code == 302
    text = client.get(reverse("people:record", kwargs=kw)).text
    assert "Oldname (previous name)" in text
    assert "Phone: 01632 960 001" in text
