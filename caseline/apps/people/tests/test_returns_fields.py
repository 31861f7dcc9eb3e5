"""The person fields the CIN census and SSDA903 read: former UPN, why the UPN is not known,
the kind of address (and the home postcode on a day), and the coded reason for a change of
social worker on an allocation."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from caseline.apps.accounts.models import User
from caseline.apps.audit.models import AuditEvent
from caseline.apps.core.checks import Checks
from caseline.apps.people import actions
from caseline.apps.people.events import PeopleEvent
from caseline.apps.people.models import Address, Person
from caseline.apps.people.queries import home_postcode_on
from caseline.apps.people.rules import UPN_OR_UNKNOWN_REASON, check_change_reason

pytestmark = pytest.mark.django_db
MakePerson = Callable[..., Person]
D = datetime.date

# Synthetic UPNs: local authority 999 belongs to no authority.
UPN = "A999000115001"
TEMPORARY_UPN = "L99900011500A"
OTHER_UPN = "V999000120002"


def years_ago(years: int, days: int = 0) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - datetime.timedelta(days=days)


def refusal(call: Callable[[], Any]) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


# --- Former UPN and why the UPN is not known --------------------------------------------------


def test_former_upn_is_checked_like_a_upn_and_kept(
    front_door: User, make_person: MakePerson
) -> None:
    person = make_person(upn=UPN, former_upn=" l9990 0011 500a ")
    assert (person.upn, person.former_upn) == (UPN, TEMPORARY_UPN)
    assert refusal(lambda: make_person(former_upn="B99900011500A")) == {
        "former_upn": ["Enter a real former unique pupil number: the check letter does not match"]
    }
    assert refusal(lambda: make_person(former_upn="X123")) == {
        "former_upn": [
            "Former unique pupil number must be a letter followed by 12 characters, "
            "like A801200120001"
        ]
    }
    assert refusal(lambda: make_person(upn=UPN, former_upn=UPN)) == {
        "former_upn": ["The former unique pupil number must be different from the current one"]
    }


def test_a_child_has_a_upn_or_the_reason_it_is_unknown_not_both(
    front_door: User, make_person: MakePerson
) -> None:
    person = make_person(upn_unknown_reason="UN2", date_of_birth=years_ago(12))
    assert (person.upn, person.upn_unknown_reason) == ("", "UN2")
    assert refusal(lambda: make_person(upn=UPN, upn_unknown_reason="UN2")) == {
        "upn_unknown_reason": [UPN_OR_UNKNOWN_REASON.says()]
    }
    assert refusal(lambda: make_person(upn_unknown_reason="UN8")) == {
        "upn_unknown_reason": ["Select why the unique pupil number is not known from the list"]
    }
    # Given the UPN later, the reason is cleared in the same change.
    updated = actions.update_person_identity(
        acting_user=front_door,
        person=person,
        read_version=person.version,
        upn=OTHER_UPN,
        upn_unknown_reason="",
    )
    assert (updated.upn, updated.upn_unknown_reason) == (OTHER_UPN, "")
    event = AuditEvent.objects.filter(event_type=PeopleEvent.IDENTITY_UPDATED).get()
    assert event.old_values == {"upn": "", "upn_unknown_reason": "UN2"}
    assert event.new_values == {"upn": OTHER_UPN, "upn_unknown_reason": ""}


def test_un1_is_for_a_child_under_six(front_door: User, make_person: MakePerson) -> None:
    """CIN rule 8770Q, SSDA903 rule 209."""
    assert make_person(upn_unknown_reason="UN1", date_of_birth=years_ago(5, days=-1)).pk
    assert make_person(
        upn_unknown_reason="UN1",
        date_of_birth=None,
        expected_date_of_birth=timezone.localdate() + datetime.timedelta(days=30),
    ).pk
    assert refusal(
        lambda: make_person("Sol", upn_unknown_reason="UN1", date_of_birth=years_ago(6))
    ) == {
        "upn_unknown_reason": [
            "Sol is 6 or older: UN1 is only for a child under 6 who has not yet been given a UPN "
            "(CIN census rule 8770Q)"
        ]
    }


def test_the_identity_form_and_summary_show_the_upn_fields(
    front_door: User, make_person: MakePerson
) -> None:
    person = make_person(date_of_birth=years_ago(9))
    client = Client()
    client.force_login(front_door)
    url = reverse("people:edit", kwargs={"person_id": person.pk})
    page = client.get(url).content.decode()
    assert 'name="former_upn"' in page
    assert '<option value="UN3">UN3 - Child is educated outside England' in page
    data = {
        "given_name": "Ada",
        "family_name": "Testperson",
        "date_of_birth_day": str(person.date_of_birth.day),  # type: ignore[union-attr]
        "date_of_birth_month": str(person.date_of_birth.month),  # type: ignore[union-attr]
        "date_of_birth_year": str(person.date_of_birth.year),  # type: ignore[union-attr]
        "sex": "F",
        "version": str(person.version),
    }
    both = client.post(url, {**data, "upn": UPN, "upn_unknown_reason": "UN3"})
    assert both.status_code == 400
    assert UPN_OR_UNKNOWN_REASON.says() in both.content.decode()
    bad_former = client.post(url, {**data, "former_upn": "B99900011500A"})
    assert bad_former.status_code == 400
    assert "Enter a real former unique pupil number" in bad_former.content.decode()
    saved = client.post(url, {**data, "upn_unknown_reason": "UN3", "former_upn": TEMPORARY_UPN})
    assert saved.status_code == 302
    person.refresh_from_db()
    assert (person.upn_unknown_reason, person.former_upn) == ("UN3", TEMPORARY_UPN)
    summary = client.get(reverse("people:record", kwargs={"person_id": person.pk}))
    text = summary.content.decode()
    assert "Not known. Child is educated outside England and has not been given a UPN (UN3)" in (
        " ".join(text.split())
    )
    assert "Former unique pupil number" in text
    assert TEMPORARY_UPN in text


# --- Kinds of address and the home postcode on a day ------------------------------------------


def test_addresses_have_a_kind(front_door: User, make_person: MakePerson) -> None:
    child = make_person()
    home = actions.add_address(
        acting_user=front_door,
        person=child,
        line_1="1 Test Street",
        postcode="m1 1ae",
        start_date=D(2020, 1, 1),
    )
    assert home.kind == Address.Kind.HOME
    placement = actions.add_address(
        acting_user=front_door,
        person=child,
        kind=Address.Kind.PLACEMENT,
        line_1="2 Carer Road",
        postcode="M2 2AB",
        start_date=D(2024, 5, 1),
    )
    event = AuditEvent.objects.filter(
        event_type=PeopleEvent.ADDRESS_ADDED, target_id=str(placement.pk)
    ).get()
    assert event.new_values is not None
    assert event.new_values["kind"] == "placement"
    assert refusal(
        lambda: actions.add_address(
            acting_user=front_door,
            person=child,
            kind="hostel",
            line_1="3 Road",
            postcode="M3 3AB",
            start_date=D(2024, 5, 1),
        )
    ) == {"kind": ["Select what kind of address this is"]}


def test_home_postcode_on_a_day(front_door: User, make_person: MakePerson) -> None:
    """SSDA903 HOME_POST: the home address's postcode on the day care starts."""
    child = make_person()

    def add(kind: str, postcode: str, start: datetime.date, **kw: Any) -> Address:
        return actions.add_address(
            acting_user=front_door,
            person=child,
            kind=kind,
            line_1="1 Test Street",
            postcode=postcode,
            start_date=start,
            **kw,
        )

    assert home_postcode_on(child, D(2024, 1, 1)) == ""
    add(Address.Kind.HOME, "M1 1AE", D(2020, 1, 1))
    add(Address.Kind.HOME, "M2 2AB", D(2023, 6, 1), end_previous=True)
    # Into care on 1 March 2024: the placement ends the home address that day.
    add(Address.Kind.PLACEMENT, "M9 9ZZ", D(2024, 3, 1), end_previous=True)
    assert home_postcode_on(child, D(2019, 12, 31)) == ""
    assert home_postcode_on(child, D(2020, 1, 1)) == "M1 1AE"
    assert home_postcode_on(child, D(2023, 5, 31)) == "M1 1AE"
    # The moving day reads the new home.
    assert home_postcode_on(child, D(2023, 6, 1)) == "M2 2AB"
    # The day care starts reads the home the child came from, not the placement.
    assert home_postcode_on(child, D(2024, 3, 1)) == "M2 2AB"
    assert home_postcode_on(child, D(2024, 3, 2)) == ""


def test_the_address_form_asks_the_kind_and_the_summary_shows_it(
    front_door: User, make_person: MakePerson
) -> None:
    child = make_person()
    client = Client()
    client.force_login(front_door)
    url = reverse("people:address-add", kwargs={"person_id": child.pk})
    form = client.get(url).context["form"]
    assert form["kind"].value() == Address.Kind.HOME
    posted = {
        "line_1": "2 Carer Road",
        "postcode": "M2 2AB",
        "start_date_day": "1",
        "start_date_month": "5",
        "start_date_year": "2024",
    }
    missing = client.post(url, {**posted, "kind": ""})
    assert missing.status_code == 400
    assert "Select what kind of address this is" in missing.content.decode()
    assert client.post(url, {**posted, "kind": "temporary"}).status_code == 302
    assert child.addresses.get().kind == Address.Kind.TEMPORARY
    summary = client.get(reverse("people:record", kwargs={"person_id": child.pk}))
    assert "Temporary address" in summary.content.decode()


# --- The reason for a change of social worker --------------------------------------------------


SW_REASON_NEEDED = "Select why the social worker is changing (SSDA903 rule SW13STG1)"


@pytest.mark.parametrize(
    ("worker", "code", "start", "message"),
    [
        # A worker named from 1 April 2023 needs a reason (903 SW13STG1).
        (True, "", D(2025, 4, 1), SW_REASON_NEEDED),
        (True, "", D(2023, 4, 1), SW_REASON_NEEDED),
        (True, "FCONTA", D(2025, 4, 1), None),
        (True, "XXXXXX", D(2025, 4, 1), "Select a valid reason for the change"),
        # Before the social worker episodes were collected: none needed, and none valid.
        (True, "", D(2023, 3, 31), None),
        (True, "LEFTRL", D(2023, 3, 31), "Select a valid reason for the change"),
        # A team with no worker starts no social worker episode.
        (False, "", D(2025, 4, 1), None),
        (False, "LEFTRL", D(2025, 4, 1), None),
    ],
)
def test_check_change_reason(
    worker: bool, code: str, start: datetime.date, message: str | None
) -> None:
    checks = Checks()
    ok = check_change_reason(
        checks, worker=object() if worker else None, change_reason=code, start_date=start
    )
    assert ok is (message is None)
    if message is None:
        assert not checks
    else:
        assert checks.errors["change_reason"][0].startswith(message)
