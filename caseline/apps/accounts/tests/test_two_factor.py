"""Two factors: a code after the password, recovery codes, the roles that must use them."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from caseline.apps.accounts.actions import set_two_factor_roles
from caseline.apps.accounts.models import TwoFactorRole, User
from caseline.apps.accounts.permissions import Role
from caseline.apps.accounts.views import SETUP_KEY_SESSION
from caseline.apps.audit.models import AuditEvent

PASSWORD = "correct horse battery staple"


def code_for(key_hex: str, *, next_step: bool = False) -> str:
    """The code an authenticator app shows now for the key (or in the next 30 seconds: a code
    once used cannot be used again, so a sign-in straight after setting up needs the next)."""
    return f"{totp(bytes.fromhex(key_hex), drift=int(next_step)):06d}"


@pytest.fixture
def worker(make_user: Any) -> User:
    return make_user(Role.SOCIAL_WORKER, username="sam.worth")


@pytest.fixture
def administrator(make_user: Any) -> User:
    return make_user(Role.ADMINISTRATOR, username="ada.min")


def _password(client: Client, username: str = "sam.worth") -> Any:
    return client.post("/accounts/sign-in/", {"username": username, "password": PASSWORD})


def _set_up(client: Client, user: User) -> list[str]:
    """Set up an authenticator through the pages; return the recovery codes shown."""
    page = client.get("/accounts/security/authenticator/")
    assert page.status_code == 200
    assert b"<svg" in page.content
    key = client.session[SETUP_KEY_SESSION]
    response = client.post("/accounts/security/authenticator/", {"code": code_for(key)})
    assert response.status_code == 302, response.content
    assert response["Location"] == "/accounts/security/recovery-codes/"
    shown = client.get("/accounts/security/recovery-codes/").content.decode()
    return re.findall(r"<code>([a-z0-9]+)</code>", shown)


def test_setting_up_confirms_the_app_and_shows_recovery_codes_once(
    client: Client, worker: User
) -> None:
    client.force_login(worker)
    codes = _set_up(client, worker)
    assert len(codes) == 10
    assert TOTPDevice.objects.get(user=worker).confirmed
    assert StaticToken.objects.filter(device__user=worker).count() == 10
    again = client.get("/accounts/security/recovery-codes/").content.decode()
    assert codes[0] not in again
    assert "shown only once" in again
    assert AuditEvent.objects.filter(
        event_type="account.two-factor-set-up", acting_user_id=worker.pk
    ).exists()


def test_a_wrong_first_code_sets_nothing_up(client: Client, worker: User) -> None:
    client.force_login(worker)
    client.get("/accounts/security/authenticator/")
    key = client.session[SETUP_KEY_SESSION]
    wrong = f"{(int(code_for(key)) + 1) % 1_000_000:06d}"
    response = client.post("/accounts/security/authenticator/", {"code": wrong})
    assert response.status_code == 400
    assert not TOTPDevice.objects.filter(user=worker).exists()


def test_the_set_up_code_cannot_sign_in_again(client: Client, worker: User) -> None:
    client.force_login(worker)
    client.get("/accounts/security/authenticator/")
    key = client.session[SETUP_KEY_SESSION]
    code = code_for(key)
    client.post("/accounts/security/authenticator/", {"code": code})
    client.logout()
    _password(client)
    assert client.post("/accounts/sign-in/code/", {"code": code}).status_code == 400


def test_with_an_app_the_password_alone_does_not_sign_in(client: Client, worker: User) -> None:
    client.force_login(worker)
    _set_up(client, worker)
    client.logout()
    response = _password(client)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/code/")
    # Not signed in yet: home sends the visitor to sign in.
    assert client.get("/")["Location"].startswith("/accounts/sign-in/")


def test_the_code_after_the_password_signs_in_and_is_audited(client: Client, worker: User) -> None:
    client.force_login(worker)
    _set_up(client, worker)
    client.logout()
    _password(client)
    device = TOTPDevice.objects.get(user=worker)
    wrong = client.post("/accounts/sign-in/code/", {"code": "12"})
    assert wrong.status_code == 400
    assert AuditEvent.objects.filter(
        event_type="account.sign-in-failed", acting_user_id=worker.pk
    ).exists()
    # django-otp makes a wrong code wait before the next try; the test does not wait.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    response = client.post(
        "/accounts/sign-in/code/", {"code": code_for(device.key, next_step=True)}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200
    event = AuditEvent.objects.filter(event_type="account.signed-in").latest("pk")
    assert event.extra == {"second_factor": "authenticator app"}


def test_a_recovery_code_works_once(client: Client, worker: User) -> None:
    client.force_login(worker)
    codes = _set_up(client, worker)
    client.logout()
    _password(client)
    assert client.post("/accounts/sign-in/code/", {"code": codes[0]}).status_code == 302
    client.logout()
    _password(client)
    assert client.post("/accounts/sign-in/code/", {"code": codes[0]}).status_code == 400
    assert StaticToken.objects.filter(device__user=worker).count() == 9


def test_the_code_page_without_a_right_password_sends_to_sign_in(
    client: Client, worker: User
) -> None:
    response = client.get("/accounts/sign-in/code/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/sign-in/"


def test_a_role_that_must_use_two_factors_is_sent_to_set_up(
    client: Client, worker: User, administrator: User
) -> None:
    set_two_factor_roles(acting_user=administrator, roles=[Role.SOCIAL_WORKER])
    response = _password(client)
    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 302
    assert home["Location"] == "/accounts/security/authenticator/"
    _set_up(client, worker)
    assert client.get("/").status_code == 200


def test_other_roles_are_not_asked(client: Client, worker: User, administrator: User) -> None:
    set_two_factor_roles(acting_user=administrator, roles=[Role.TEAM_MANAGER])
    _password(client)
    assert client.get("/").status_code == 200


def test_the_administrator_chooses_the_roles_audited(
    client: Client, administrator: User, worker: User
) -> None:
    client.force_login(administrator)
    page = client.get("/accounts/users/two-factor-roles/")
    assert page.status_code == 200
    response = client.post(
        "/accounts/users/two-factor-roles/",
        {"roles": [Role.ADMINISTRATOR.value, Role.SOCIAL_WORKER.value]},
    )
    assert response.status_code == 302
    assert set(TwoFactorRole.objects.values_list("role", flat=True)) == {
        Role.ADMINISTRATOR.value,
        Role.SOCIAL_WORKER.value,
    }
    event = AuditEvent.objects.get(event_type="account.two-factor-roles-changed")
    assert event.new_values == {"roles": sorted([Role.ADMINISTRATOR, Role.SOCIAL_WORKER])}
    client.force_login(worker)
    assert client.get("/accounts/users/two-factor-roles/").status_code == 403


def test_the_administrator_resets_a_lost_app(
    client: Client, administrator: User, worker: User
) -> None:
    client.force_login(worker)
    _set_up(client, worker)
    client.force_login(administrator)
    response = client.post(f"/accounts/users/{worker.pk}/reset-two-factor/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=worker).exists()
    assert not StaticToken.objects.filter(device__user=worker).exists()
    assert AuditEvent.objects.filter(
        event_type="account.two-factor-reset", target_id=str(worker.pk)
    ).exists()
