"""Security keys (django-otp-webauthn) as a second factor: registering, naming and removing one,
signing in with one after the password, and the roles that must use two factors."""

from __future__ import annotations

import json
import os
import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from caseline.apps.accounts import twofactor
from caseline.apps.accounts.actions import (
    register_security_key,
    remove_security_key,
    rename_security_key,
    reset_two_factor,
    sign_in_with_security_key,
)
from caseline.apps.accounts.models import TwoFactorRole, User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def make_key(user: User, name: str = "Security key 1") -> WebAuthnCredential:
    """A key as django-otp-webauthn keeps one after verifying it (the key material is not
    checked here: the library's verification is exercised by the browser test)."""
    key: WebAuthnCredential = WebAuthnCredential.objects.create(
        user=user,
        name=name,
        confirmed=True,
        credential_id=os.urandom(32),
        public_key=os.urandom(64),
        aaguid="00000000-0000-0000-0000-000000000000",
    )
    return key


class FakeHelper:
    """Stands for django-otp-webauthn's helper: verifies nothing, keeps a key."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, dict[str, Any], dict[str, Any]]] = []

    def register_complete(self, *, user: User, state: dict[str, Any], data: dict[str, Any]) -> Any:
        self.calls.append((user, state, data))
        return make_key(user, name="")


@pytest.fixture
def worker(make_user: Any) -> User:
    return make_user(Role.SOCIAL_WORKER, username="sam.worth")


def _password(client: Client) -> Any:
    return client.post("/accounts/sign-in/", {"username": "sam.worth", "password": PASSWORD})


def test_registering_keeps_the_key_with_a_number_and_audits_it(worker: User) -> None:
    helper = FakeHelper()
    first = register_security_key(
        acting_user=worker, helper=helper, state={"challenge": "c"}, data={"id": "x"}
    )
    second = register_security_key(acting_user=worker, helper=helper, state={}, data={})
    assert (first.name, second.name) == ("Security key 1", "Security key 2")
    assert helper.calls[0] == (worker, {"challenge": "c"}, {"id": "x"})
    events = AuditEvent.objects.filter(event_type="account.security-key-registered")
    assert events.count() == 2
    assert events.filter(acting_user=worker, extra__name="Security key 1").exists()
    assert twofactor.has_second_factor(worker)


def test_a_user_renames_and_removes_their_own_key_audited(worker: User) -> None:
    key = make_key(worker)
    key_id = key.pk
    rename_security_key(acting_user=worker, credential=key, name="  Blue key ")
    key.refresh_from_db()
    assert key.name == "Blue key"
    renamed = AuditEvent.objects.get(event_type="account.security-key-renamed")
    assert (renamed.old_values, renamed.new_values) == (
        {"name": "Security key 1"},
        {"name": "Blue key"},
    )
    remove_security_key(acting_user=worker, credential=key)
    assert not WebAuthnCredential.objects.filter(user=worker).exists()
    removed = AuditEvent.objects.get(event_type="account.security-key-removed")
    assert removed.extra == {"security_key": key_id, "name": "Blue key"}
    assert not twofactor.has_second_factor(worker)


def test_no_one_renames_or_removes_another_persons_key(worker: User, make_user: Any) -> None:
    other = make_user(Role.SOCIAL_WORKER, username="other.worker")
    key = make_key(worker)
    with pytest.raises(PermissionDenied):
        rename_security_key(acting_user=other, credential=key, name="Mine now")
    with pytest.raises(PermissionDenied):
        remove_security_key(acting_user=other, credential=key)
    assert WebAuthnCredential.objects.filter(pk=key.pk, name="Security key 1").exists()


def test_the_pages_for_a_key_are_404_for_anyone_but_its_owner(
    client: Client, worker: User, make_user: Any
) -> None:
    key = make_key(worker)
    client.force_login(make_user(Role.SOCIAL_WORKER, username="other.worker"))
    for what in ("name", "remove"):
        assert client.get(f"/accounts/security/keys/{key.pk}/{what}/").status_code == 404
        assert client.post(f"/accounts/security/keys/{key.pk}/{what}/").status_code == 404
    assert WebAuthnCredential.objects.filter(pk=key.pk).exists()


def test_the_owner_names_and_removes_a_key_through_the_pages(client: Client, worker: User) -> None:
    key = make_key(worker)
    client.force_login(worker)
    page = client.get("/accounts/security/").content.decode()
    assert "Security key 1" in page
    assert 'id="passkey-register-button"' in page
    response = client.post(f"/accounts/security/keys/{key.pk}/name/", {"name": "Blue key"})
    assert response.status_code == 302
    assert "Blue key" in client.get("/accounts/security/").content.decode()
    response = client.post(f"/accounts/security/keys/{key.pk}/remove/")
    assert response.status_code == 302
    assert not WebAuthnCredential.objects.filter(pk=key.pk).exists()


def test_the_key_pages_keep_the_content_security_policy(client: Client, worker: User) -> None:
    """The library's scripts are files; its settings are a JSON block, which is not script."""
    make_key(worker)
    client.force_login(worker)
    for response in (client.get("/accounts/security/"),):
        html = response.content.decode()
        assert "script-src 'self'" in response["Content-Security-Policy"]
        for attributes in re.findall(r"<script([^>]*)>", html):
            assert "src=" in attributes or 'type="application/json"' in attributes, attributes
        assert 'id="otp_webauthn_config"' in html


def test_a_user_with_a_key_is_asked_for_it_after_their_password(
    client: Client, worker: User
) -> None:
    make_key(worker)
    response = _password(client)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/code/")
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert 'id="passkey-verification-button"' in page
    assert 'id="otp_webauthn_config"' in page
    for attributes in re.findall(r"<script([^>]*)>", page):
        assert "src=" in attributes or 'type="application/json"' in attributes, attributes


def test_signing_in_with_the_key_finishes_the_sign_in_audited(client: Client, worker: User) -> None:
    key = make_key(worker)
    _password(client)
    request = RequestFactory().post("/accounts/webauthn/authentication/complete/")
    request.session = client.session
    sign_in_with_security_key(request, user=worker, credential=key)
    assert request.session[twofactor.VERIFIED_KEY] is True
    assert twofactor.PENDING_USER_KEY not in request.session
    assert request.session["_auth_user_id"] == str(worker.pk)
    event = AuditEvent.objects.filter(event_type="account.signed-in").latest("pk")
    assert event.extra == {"second_factor": "security key", "security_key": key.pk}


def test_another_persons_key_does_not_sign_in(client: Client, worker: User, make_user: Any) -> None:
    other_key = make_key(make_user(Role.SOCIAL_WORKER, username="other.worker"))
    _password(client)
    request = RequestFactory().post("/accounts/webauthn/authentication/complete/")
    request.session = client.session
    with pytest.raises(PermissionDenied):
        sign_in_with_security_key(request, user=worker, credential=other_key)
    assert twofactor.VERIFIED_KEY not in request.session


def test_the_key_ceremony_at_sign_in_needs_a_right_password_first(client: Client) -> None:
    response = client.post("/accounts/webauthn/authentication/begin/")
    assert response.status_code == 403
    assert response.json()["code"] == "not_authenticated"


def test_the_key_ceremony_at_sign_in_offers_only_the_users_keys(
    client: Client, worker: User, make_user: Any
) -> None:
    key = make_key(worker)
    make_key(make_user(Role.SOCIAL_WORKER, username="other.worker"))
    _password(client)
    response = client.post("/accounts/webauthn/authentication/begin/")
    assert response.status_code == 200, response.content
    options = response.json()
    assert options["rpId"] == "localhost"
    assert len(options["allowCredentials"]) == 1
    assert WebAuthnCredential.objects.filter(pk=key.pk).exists()


def test_registering_needs_the_second_factor_the_user_already_has(
    client: Client, worker: User
) -> None:
    TOTPDevice.objects.create(user=worker, name="Authenticator app", confirmed=True)
    client.force_login(worker)  # a password only: this session has not used the app
    response = client.post("/accounts/webauthn/registration/begin/")
    assert response.status_code == 403
    assert response.json()["code"] == "user_not_verified"
    session = client.session
    session[twofactor.VERIFIED_KEY] = True
    session.save()
    response = client.post("/accounts/webauthn/registration/begin/")
    assert response.status_code == 200, response.content
    assert response.json()["rp"]["id"] == "localhost"


def test_a_role_that_must_use_two_factors_is_satisfied_by_a_key(
    client: Client, worker: User
) -> None:
    TwoFactorRole.objects.create(role=Role.SOCIAL_WORKER.value)
    # Without a second factor: signed in, but sent to set one up, with a key allowed instead.
    _password(client)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/security/authenticator/"
    assert client.get("/accounts/security/").status_code == 200
    assert client.post("/accounts/webauthn/registration/begin/").status_code == 200
    client.post("/accounts/sign-out/")
    # With a key: asked for it after the password, and through once it answers.
    key = make_key(worker)
    assert _password(client)["Location"].startswith("/accounts/sign-in/code/")
    request = RequestFactory().post("/accounts/webauthn/authentication/complete/")
    request.session = client.session
    sign_in_with_security_key(request, user=worker, credential=key)
    request.session.save()
    client.cookies["sessionid"] = str(request.session.session_key)
    assert client.get("/").status_code == 200


def test_resetting_two_factors_removes_the_keys(worker: User, make_user: Any) -> None:
    administrator = make_user(Role.ADMINISTRATOR, username="ada.min")
    make_key(worker)
    reset_two_factor(acting_user=administrator, user=worker)
    assert not WebAuthnCredential.objects.filter(user=worker).exists()


def test_a_key_the_user_does_not_have_is_refused_and_audited(client: Client, worker: User) -> None:
    make_key(worker)
    _password(client)
    assert client.post("/accounts/webauthn/authentication/begin/").status_code == 200
    answer = {
        "id": "AAAA",
        "rawId": "AAAA",
        "type": "public-key",
        "response": {"clientDataJSON": "e30", "authenticatorData": "AAAA", "signature": "AAAA"},
    }
    response = client.post(
        "/accounts/webauthn/authentication/complete/",
        data=json.dumps(answer),
        content_type="application/json",
    )
    assert response.status_code == 404
    assert response.json()["code"] == "credential_not_found"
    assert "_auth_user_id" not in client.session
    failed = AuditEvent.objects.get(event_type="account.sign-in-failed")
    assert (failed.acting_user_id, failed.extra) == (
        worker.pk,
        {"second_factor": "security key refused"},
    )


def test_the_administrator_sees_a_users_keys_and_can_reset_them(
    client: Client, worker: User, make_user: Any
) -> None:
    make_key(worker)
    client.force_login(make_user(Role.ADMINISTRATOR, username="ada.min"))
    page = client.get(f"/accounts/users/{worker.pk}/").content.decode()
    assert re.search(r"Security keys</dt>\s*<dd[^>]*>1</dd>", page)
    assert "Reset two factors" in page
