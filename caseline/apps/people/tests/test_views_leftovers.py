"""Pages added to finish the people capability: duplicates to merge, ending an address or an
alert, joining a relative's household, and error summary links that reach the date input."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.events import EventType
from caseline.apps.audit.models import AuditEvent
from caseline.apps.people import actions
from caseline.apps.people.events import PeopleEvent
from caseline.apps.people.forms import EndAddressForm, PersonCreateForm
from caseline.apps.people.models import Address, Alert, Household, HouseholdMember, Person
from caseline.apps.people.views import relatives_households

pytestmark = pytest.mark.django_db
MakePerson = Callable[..., Person]


def _today() -> datetime.date:
    """Read when the test runs, not when the module is imported: a run can cross midnight."""
    return timezone.localdate()


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def date_data(name: str, day: datetime.date) -> dict[str, str]:
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


def audit(event_type: str, person: Person) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event_type=event_type, subject_person_id=person.pk))


# --- Duplicates ---------------------------------------------------------------------------


@pytest.fixture
def merger(make_user: Callable[..., User], team: object) -> User:
    """A team manager: may merge, and sees the children allocated to their team."""
    return make_user(Role.TEAM_MANAGER, team=team)


def test_duplicates_page_lists_probable_duplicates_with_review_links(
    merger: User, make_person: MakePerson, allocate: Callable[..., object]
) -> None:
    person = make_person("Ada", "Testperson")
    twin = make_person("Adah", "Testperson")  # same date of birth, similar name
    other = make_person("Bea", "Otherperson")  # different name: not a duplicate
    for someone in (person, twin, other):
        allocate(someone, None)
    twin_home = actions.add_address(
        acting_user=merger,
        person=twin,
        line_1="9 Twin Street",
        postcode="SW1A 2AA",
        start_date=_today() - datetime.timedelta(days=9),
    )
    already_merged = make_person("Ada", "Testpersen")
    Person.objects.filter(pk=already_merged.pk).update(merged_into=person)
    url = reverse("people:duplicates", kwargs={"person_id": person.pk})

    response = client_for(merger).get(url)

    assert response.status_code == 200
    matches = response.context["matches"]
    assert [m["person"] for m in matches] == [twin]
    merge = reverse("people:merge")
    assert f"{merge}?kept={person.pk}&amp;merged={twin.pk}" in response.text
    assert f"{merge}?kept={twin.pk}&amp;merged={person.pk}" in response.text
    assert "Otherperson" not in response.text
    assert [m["addresses"] for m in matches] == [[twin_home]]
    assert "9 Twin Street, SW1A 2AA" in response.text
    assert response.context["hidden_matches"] == 0
    # The read is audited like any page of the record.
    [viewed] = audit(EventType.CHILD_RECORD_VIEWED, person)
    assert viewed.extra == {"section": "summary", "people": [twin.pk]}  # the twin is shown


def test_duplicates_page_counts_matches_the_user_cannot_see(
    make_user: Callable[..., User],
    make_person: MakePerson,
    allocate: Callable[..., object],
    team: object,
) -> None:
    person = make_person("Ada", "Testperson")
    make_person("Ada", "Testperson", nhs_number="9990000018")
    boss = make_user(Role.TEAM_MANAGER, team=team)
    allocate(person, None)
    response = client_for(boss).get(reverse("people:duplicates", kwargs={"person_id": person.pk}))
    assert response.status_code == 200
    assert response.context["matches"] == []
    assert response.context["hidden_matches"] == 1
    assert "1 possible match is on records you cannot see" in response.text
    assert "No probable duplicates you can see." in response.text


def test_duplicates_page_needs_the_merge_permission(
    front_door: User, make_person: MakePerson
) -> None:
    person = make_person()
    url = reverse("people:duplicates", kwargs={"person_id": person.pk})
    assert client_for(front_door).get(url).status_code == 403


def test_summary_and_search_link_to_duplicates_only_for_mergers(
    merger: User, front_door: User, make_person: MakePerson, allocate: Callable[..., object]
) -> None:
    person = make_person("Ada", "Testperson")
    allocate(person, None)
    duplicates_url = reverse("people:duplicates", kwargs={"person_id": person.pk})
    record_url = reverse("people:record", kwargs={"person_id": person.pk})

    page = client_for(merger).get(record_url)
    assert page.status_code == 200
    assert "Check for duplicates of this person" in page.text
    assert duplicates_url in page.text
    results = client_for(merger).get(reverse("people:search"), {"name": "Ada Testperson"})
    assert duplicates_url in results.text

    assert duplicates_url not in client_for(front_door).get(record_url).text
    results = client_for(front_door).get(reverse("people:search"), {"name": "Ada Testperson"})
    assert results.status_code == 200
    assert duplicates_url not in results.text


# --- Ending an address --------------------------------------------------------------------


@pytest.fixture
def address(front_door: User, make_person: MakePerson) -> Address:
    person = make_person()
    return actions.add_address(
        acting_user=front_door,
        person=person,
        line_1="1 Example Street",
        postcode="SW1A 1AA",
        start_date=_today() - datetime.timedelta(days=100),
    )


def _end_address_url(address: Address) -> str:
    return reverse(
        "people:address-end", kwargs={"person_id": address.person_id, "address_id": address.pk}
    )


def test_end_address_page_and_success(front_door: User, address: Address) -> None:
    client = client_for(front_door)
    record = reverse("people:record", kwargs={"person_id": address.person_id})
    assert _end_address_url(address) in client.get(record).text
    page = client.get(_end_address_url(address))
    assert page.status_code == 200
    assert "End address: 1 Example Street, SW1A 1AA" in page.text

    day = _today() - datetime.timedelta(days=3)
    response = client.post(_end_address_url(address), date_data("end_date", day))

    assert response.status_code == 302
    assert response["Location"] == record
    address.refresh_from_db()
    assert address.end_date == day
    [event] = audit(PeopleEvent.ADDRESS_ENDED, address.person)
    assert event.old_values == {"end_date": None}
    assert event.new_values == {"end_date": day.isoformat()}
    assert event.acting_user == front_door
    assert "No current address." in client.get(record).text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Enter the date they stopped living here"),
        (
            date_data("end_date", _today() - datetime.timedelta(days=101)),
            "The date they stopped living here must be on or after the date they started "
            "living here",
        ),
        (
            date_data("end_date", _today() + datetime.timedelta(days=1)),
            "The date they stopped living here must be today or in the past",
        ),
    ],
)
def test_end_address_validation(
    front_door: User, address: Address, data: dict[str, str], message: str
) -> None:
    response = client_for(front_door).post(_end_address_url(address), data)
    assert response.status_code == 400
    assert message in response.text
    address.refresh_from_db()
    assert address.end_date is None
    assert audit(PeopleEvent.ADDRESS_ENDED, address.person) == []


def test_end_address_twice_is_refused(front_door: User, address: Address) -> None:
    actions.end_address(acting_user=front_door, address=address, end_date=_today())
    response = client_for(front_door).post(
        _end_address_url(address), date_data("end_date", _today())
    )
    assert response.status_code == 400
    assert "This address has already ended" in response.text
    assert len(audit(PeopleEvent.ADDRESS_ENDED, address.person)) == 1


def test_end_address_of_another_person_is_not_found(
    front_door: User, address: Address, make_person: MakePerson
) -> None:
    other = make_person("Bea", "Otherperson")
    url = reverse("people:address-end", kwargs={"person_id": other.pk, "address_id": address.pk})
    assert client_for(front_door).get(url).status_code == 404


def test_end_address_needs_person_edit(make_user: Callable[..., User], address: Address) -> None:
    viewer = make_user(Role.ADMINISTRATOR)
    assert client_for(viewer).post(_end_address_url(address), {}).status_code == 403


# --- Ending an alert ----------------------------------------------------------------------


@pytest.fixture
def alert(front_door: User, make_person: MakePerson) -> Alert:
    return actions.add_alert(
        acting_user=front_door,
        person=make_person(),
        text="Do not disclose the address",
        start_date=_today() - datetime.timedelta(days=10),
    )


def _end_alert_url(alert: Alert) -> str:
    return reverse("people:alert-end", kwargs={"person_id": alert.person_id, "alert_id": alert.pk})


def test_end_alert_page_and_success(front_door: User, alert: Alert) -> None:
    client = client_for(front_door)
    record = reverse("people:record", kwargs={"person_id": alert.person_id})
    summary = client.get(record)
    assert _end_alert_url(alert) in summary.text
    page = client.get(_end_alert_url(alert))
    assert page.status_code == 200
    assert "End alert: Do not disclose the address" in page.text

    yesterday = _today() - datetime.timedelta(days=1)
    response = client.post(_end_alert_url(alert), date_data("end_date", yesterday))

    assert response.status_code == 302
    assert response["Location"] == record
    alert.refresh_from_db()
    assert alert.end_date == yesterday
    [event] = audit(PeopleEvent.ALERT_ENDED, alert.person)
    assert event.old_values == {"end_date": None}
    assert event.new_values == {"end_date": yesterday.isoformat()}
    assert event.extra == {}
    assert event.target_id == str(alert.pk)
    summary = client.get(record)
    assert "Do not disclose the address" not in summary.text
    assert "None in force." in summary.text


def test_an_alert_ending_in_future_can_be_brought_forward(front_door: User, alert: Alert) -> None:
    Alert.objects.filter(pk=alert.pk).update(end_date=_today() + datetime.timedelta(days=30))
    response = client_for(front_door).post(_end_alert_url(alert), date_data("end_date", _today()))
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.end_date == _today()
    [event] = audit(PeopleEvent.ALERT_ENDED, alert.person)
    assert event.old_values == {"end_date": (_today() + datetime.timedelta(days=30)).isoformat()}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Enter the date the alert ends"),
        (
            date_data("end_date", _today() - datetime.timedelta(days=11)),
            "The date the alert ends must be on or after the date it started",
        ),
        ({"end_date_day": "31", "end_date_month": "2", "end_date_year": "2026"}, "real date"),
    ],
)
def test_end_alert_validation(
    front_door: User, alert: Alert, data: dict[str, str], message: str
) -> None:
    response = client_for(front_door).post(_end_alert_url(alert), data)
    assert response.status_code == 400
    assert message in response.text
    alert.refresh_from_db()
    assert alert.end_date is None
    assert audit(PeopleEvent.ALERT_ENDED, alert.person) == []


def test_an_ended_alert_cannot_be_ended_again(front_door: User, alert: Alert) -> None:
    Alert.objects.filter(pk=alert.pk).update(end_date=_today() - datetime.timedelta(days=2))
    alert.refresh_from_db()
    with pytest.raises(Exception, match="This alert has already ended"):
        actions.end_alert(acting_user=front_door, alert=alert, end_date=_today())
    # The page cannot reach it either: an ended alert is not on the summary, but the URL is
    # refused with the same message.
    response = client_for(front_door).post(_end_alert_url(alert), date_data("end_date", _today()))
    assert response.status_code == 400
    assert "This alert has already ended" in response.text


def test_end_alert_needs_person_edit(make_user: Callable[..., User], alert: Alert) -> None:
    viewer = make_user(Role.ADMINISTRATOR)
    assert client_for(viewer).get(_end_alert_url(alert)).status_code == 403


# --- Joining an existing household ---------------------------------------------------------


@pytest.fixture
def family(front_door: User, make_person: MakePerson) -> dict[str, Person]:
    child = make_person("Cal", "Testfamily")
    mother = make_person("Dee", "Testfamily", date_of_birth=datetime.date(1990, 1, 1))
    father = make_person("Eli", "Elsewhere", date_of_birth=datetime.date(1989, 1, 1))
    stranger = make_person("Fay", "Stranger", date_of_birth=datetime.date(1980, 1, 1))
    for parent in (mother, father):
        actions.record_relationship(
            acting_user=front_door, person=parent, other=child, kind="parent"
        )
    mothers = actions.add_household_member(
        acting_user=front_door, person=mother, household_name="Testfamily, Mill Lane"
    )
    actions.add_household_member(
        acting_user=front_door, person=father, household_name="Elsewhere, High Street"
    )
    actions.add_household_member(
        acting_user=front_door, person=stranger, household_name="Stranger, Far Road"
    )
    return {"child": child, "mother": mother, "father": father, "mothers": mothers.person}


def _join_url(person: Person) -> str:
    return reverse("people:household-join", kwargs={"person_id": person.pk})


def test_relatives_households_lists_only_relatives_current_households(
    front_door: User, family: dict[str, Person], django_assert_max_num_queries: Any
) -> None:
    child = family["child"]
    with django_assert_max_num_queries(3):  # relationships, restrictions, households
        found = relatives_households(child, front_door)
        labels = [(str(h), [p.full_name for p in members]) for h, members in found]
    assert len(labels) == 2
    assert sorted(str(h) for h, _ in found) == ["Elsewhere, High Street", "Testfamily, Mill Lane"]
    people = {str(h): [p.full_name for p in members] for h, members in found}
    assert people["Testfamily, Mill Lane"] == ["Dee Testfamily"]
    # Once the child lives with mum, only dad's household is offered.
    mill_lane = Household.objects.get(name="Testfamily, Mill Lane")
    actions.add_household_member(acting_user=front_door, person=child, household=mill_lane)
    assert [str(h) for h, _ in relatives_households(child, front_door)] == [
        "Elsewhere, High Street"
    ]


def test_join_household_page_and_success(front_door: User, family: dict[str, Person]) -> None:
    child = family["child"]
    client = client_for(front_door)
    people_page = client.get(reverse("people:relationships", kwargs={"person_id": child.pk}))
    assert _join_url(child) in people_page.text
    page = client.get(_join_url(child))
    assert page.status_code == 200
    assert "Testfamily, Mill Lane: Dee Testfamily lives here" in page.text
    assert "Stranger" not in page.text

    mill_lane = Household.objects.get(name="Testfamily, Mill Lane")
    day = _today() - datetime.timedelta(days=5)
    response = client.post(
        _join_url(child), {"household": str(mill_lane.pk), **date_data("start_date", day)}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("people:relationships", kwargs={"person_id": child.pk})
    member = HouseholdMember.objects.get(person=child)
    assert member.household == mill_lane
    assert member.start_date == day
    [event] = audit(PeopleEvent.HOUSEHOLD_MEMBER_ADDED, child)
    assert event.new_values["household"] == mill_lane.pk
    assert event.new_values["start_date"] == day.isoformat()
    assert Household.objects.count() == 3  # no new household was started


def test_join_household_validation(front_door: User, family: dict[str, Person]) -> None:
    child = family["child"]
    client = client_for(front_door)
    response = client.post(_join_url(child), {})
    assert response.status_code == 400
    assert "Select the household" in response.text
    stranger = Household.objects.get(name="Stranger, Far Road")
    response = client.post(_join_url(child), {"household": str(stranger.pk)})
    assert response.status_code == 400
    assert "Select a valid choice" in response.text
    assert not HouseholdMember.objects.filter(person=child).exists()
    assert audit(PeopleEvent.HOUSEHOLD_MEMBER_ADDED, child) == []


def test_join_household_with_no_relatives_households(
    front_door: User, make_person: MakePerson
) -> None:
    loner = make_person("Gus", "Alone")
    response = client_for(front_door).get(_join_url(loner))
    assert response.status_code == 200
    assert "Record the relationship first, or start a new household" in response.text
    assert reverse("people:household-add", kwargs={"person_id": loner.pk}) in response.text


def test_join_household_needs_person_edit(
    make_user: Callable[..., User], family: dict[str, Person]
) -> None:
    viewer = make_user(Role.ADMINISTRATOR)
    assert client_for(viewer).get(_join_url(family["child"])).status_code == 403


# --- The error summary reaches the date input ----------------------------------------------


def _error_targets(html: str) -> list[str]:
    summary = html.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'href="#([^"]+)"', summary)


def test_error_summary_links_reach_the_date_input(front_door: User) -> None:
    response = client_for(front_door).post(
        reverse("people:new"),
        {
            "given_name": "Ada",
            "family_name": "Testperson",
            "sex": "F",
            "date_of_birth_day": "31",
            "date_of_birth_month": "2",
            "date_of_birth_year": "2015",
        },
    )
    assert response.status_code == 400
    targets = _error_targets(response.text)
    assert targets == ["id_date_of_birth_0"]
    # The link's target is the day input itself, which is focusable.
    assert re.search(r'<input[^>]*\bid="id_date_of_birth_0"', response.text)
    assert 'value="31"' in response.text  # what the user typed is kept


def test_error_summary_links_reach_a_required_date_input_on_a_record_form(
    front_door: User, address: Address
) -> None:
    response = client_for(front_door).post(_end_address_url(address), {})
    assert response.status_code == 400
    [target] = _error_targets(response.text)
    assert target == "id_end_date_0"
    assert re.search(rf'<input[^>]*\bid="{target}"', response.text)


def test_date_widget_ids_follow_the_field_id() -> None:
    html = str(PersonCreateForm()["date_of_birth"]) + str(EndAddressForm()["end_date"])
    for field in ("date_of_birth", "end_date"):
        for part in range(3):
            assert f'id="id_{field}_{part}"' in html


def test_ending_actions_need_a_date(front_door: User, address: Address, alert: Alert) -> None:
    with pytest.raises(ValidationError) as raised:
        actions.end_address(acting_user=front_door, address=address, end_date=None)
    assert raised.value.message_dict == {"end_date": ["Enter the date they stopped living here"]}
    with pytest.raises(ValidationError) as raised:
        actions.end_alert(acting_user=front_door, alert=alert, end_date=None)
    assert raised.value.message_dict == {"end_date": ["Enter the date the alert ends"]}
    assert not AuditEvent.objects.filter(
        event_type__in=[PeopleEvent.ADDRESS_ENDED, PeopleEvent.ALERT_ENDED]
    ).exists()
