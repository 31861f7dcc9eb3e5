"""Social Work England registration numbers: checked, one to a worker, set by an administrator
on the users page (SSDA903 SWEpisodes SW_ID)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from caseline.apps.accounts.actions import create_user, set_swe_registration_number
from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.accounts.registration import (
    ONE_WORKER_A_NUMBER,
    SW_ID_SHAPE_EXPLAINED,
    normalise_swe_registration_number,
)
from caseline.apps.audit.events import EventType
from caseline.apps.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

# Made-up numbers; the leading zeros keep them clear of real registrations.
NUMBER = "SW0000101"
OTHER = "SW0000202"
SHAPE_REFUSED = f"{SW_ID_SHAPE_EXPLAINED} (SSDA903 rule SW02STG1)"


@pytest.fixture
def admin(make_user: Callable[..., User]) -> User:
    return make_user(Role.ADMINISTRATOR, username="admin")


@pytest.fixture
def social_worker(make_user: Callable[..., User]) -> User:
    return make_user(Role.SOCIAL_WORKER, username="sw", first_name="Sam", last_name="Worth")


def refused(call: Callable[[], object]) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def test_normalised() -> None:
    assert normalise_swe_registration_number(" sw 000 0101") == NUMBER


@pytest.mark.parametrize("number", ["12345", "XX0000101", "SW1", "SW12A45", "SWE12345"])
def test_the_shape_is_sw_and_digits(admin: User, social_worker: User, number: str) -> None:
    """903 rule SW02STG1: the ID begins SW (XX, for the unregistered, is never stored)."""
    assert refused(
        lambda: set_swe_registration_number(acting_user=admin, user=social_worker, number=number)
    ) == {"swe_registration_number": [SHAPE_REFUSED]}
    social_worker.refresh_from_db()
    assert social_worker.swe_registration_number == ""


def test_set_change_and_clear_with_audit(admin: User, social_worker: User) -> None:
    set_swe_registration_number(acting_user=admin, user=social_worker, number="sw0000101")
    social_worker.refresh_from_db()
    assert social_worker.swe_registration_number == NUMBER
    set_swe_registration_number(acting_user=admin, user=social_worker, number="")
    social_worker.refresh_from_db()
    assert social_worker.swe_registration_number == ""
    events = AuditEvent.objects.filter(
        event_type=EventType.UPDATED, target_id=str(social_worker.pk)
    ).order_by("id")
    assert [(e.old_values, e.new_values) for e in events] == [
        ({"swe_registration_number": ""}, {"swe_registration_number": NUMBER}),
        ({"swe_registration_number": NUMBER}, {"swe_registration_number": ""}),
    ]


def test_one_number_one_worker(
    admin: User, social_worker: User, make_user: Callable[..., User]
) -> None:
    set_swe_registration_number(acting_user=admin, user=social_worker, number=NUMBER)
    # Saving the same number again for its holder is no change.
    set_swe_registration_number(acting_user=admin, user=social_worker, number=NUMBER)
    other = make_user(Role.SOCIAL_WORKER)
    assert refused(
        lambda: set_swe_registration_number(acting_user=admin, user=other, number=NUMBER)
    ) == {"swe_registration_number": [ONE_WORKER_A_NUMBER.says(number=NUMBER, other="Sam Worth")]}
    # Many users have no number; the database holds the rule for the others too.
    make_user(Role.SOCIAL_WORKER)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=other.pk).update(swe_registration_number=NUMBER)


def test_only_an_administrator_sets_it(social_worker: User, make_user: Callable[..., User]) -> None:
    manager = make_user(Role.TEAM_MANAGER)
    with pytest.raises(PermissionDenied):
        set_swe_registration_number(acting_user=manager, user=social_worker, number=NUMBER)


def test_create_user_with_a_number(admin: User, social_worker: User) -> None:
    def create(number: str) -> User:
        return create_user(
            acting_user=admin,
            username=f"new{number}",
            password="correct horse battery staple",
            first_name="New",
            last_name="Worker",
            roles=[Role.SOCIAL_WORKER],
            swe_registration_number=number,
        )

    assert create(" sw0000202").swe_registration_number == OTHER
    assert refused(lambda: create("0000303")) == {"swe_registration_number": [SHAPE_REFUSED]}
    set_swe_registration_number(acting_user=admin, user=social_worker, number=NUMBER)
    assert refused(lambda: create(NUMBER)) == {
        "swe_registration_number": [ONE_WORKER_A_NUMBER.says(number=NUMBER, other="Sam Worth")]
    }


def test_the_users_page_and_the_registration_form(
    admin: User, social_worker: User, make_user: Callable[..., User]
) -> None:
    client = Client()
    client.force_login(admin)
    page = client.get(reverse("accounts:users")).content.decode()
    assert "Sam Worth" in page
    assert "Not registered" in page
    url = reverse("accounts:user-registration", kwargs={"user_id": social_worker.pk})
    assert url in page
    assert client.get(url).status_code == 200
    bad = client.post(url, {"swe_registration_number": "12345"})
    assert bad.status_code == 400
    assert "Enter a Social Work England registration number" in bad.content.decode()
    assert client.post(url, {"swe_registration_number": "sw0000101"}).status_code == 302
    social_worker.refresh_from_db()
    assert social_worker.swe_registration_number == NUMBER
    assert NUMBER in client.get(reverse("accounts:users")).content.decode()
    missing = reverse("accounts:user-registration", kwargs={"user_id": 999_999})
    assert client.get(missing).status_code == 404
    # Nobody else sees the page, nor learns which users exist.
    other = Client()
    other.force_login(make_user(Role.TEAM_MANAGER))
    assert other.get(reverse("accounts:users")).status_code == 403
    assert other.get(url).status_code == 403
    assert other.get(missing).status_code == 403
