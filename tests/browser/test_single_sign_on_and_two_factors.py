"""Signing in through a real OpenID provider, and with a password and an authenticator code."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.models import AuditEvent
from tests import idp
from tests.browser.conftest import axe_violations, describe
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
CLIENT_SECRET = "caseline-test-client-secret"


def _private_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@pytest.fixture
def provider(live_server: Any, settings: Any) -> Iterator[str]:
    """The test OpenID provider on 127.0.0.1 (its own cookies), Caseline on localhost."""
    from oauth2_provider.models import Application

    port = urlsplit(live_server.url).port
    issuer = f"http://127.0.0.1:{port}/test-idp"
    settings.ROOT_URLCONF = "tests.idp"
    settings.OAUTH2_PROVIDER = {
        "OIDC_ENABLED": True,
        "OIDC_RSA_PRIVATE_KEY": _private_key(),
        "OAUTH2_VALIDATOR_CLASS": "tests.idp.DirectoryValidator",
        "SCOPES": {"openid": "OpenID", "email": "Email", "profile": "Profile"},
        "ALLOWED_REDIRECT_URI_SCHEMES": ["http"],
    }
    settings.CASELINE_OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = "caseline"
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{issuer}/authorize/"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{issuer}/token/"
    settings.OIDC_OP_USER_ENDPOINT = f"{issuer}/userinfo/"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{issuer}/jwks/"
    Application.objects.create(
        name="Caseline",
        client_id="caseline",
        client_secret=CLIENT_SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=f"{live_server.url}/accounts/sso/callback/",
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    # The council's directory: its people, with the email addresses it vouches for.
    UserFactory.create(username="council.sam", password=PASSWORD)
    UserFactory.create(username="council.stranger", password=PASSWORD)
    idp.DIRECTORY.update(
        {"council.sam": "Sam.Worth@example.org", "council.stranger": "nobody@example.org"}
    )
    yield issuer
    idp.DIRECTORY.clear()


def _through_the_provider(page: Any, live_server: Any, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_role("button", name="Sign in with your council account").click()
    page.wait_for_url("http://127.0.0.1:*/test-idp/login/**")
    page.get_by_label("Council username").fill(username)
    page.get_by_label("Council password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in to the council").click()


def test_a_user_signs_in_through_the_openid_provider(
    live_server: Any, page: Any, provider: str
) -> None:
    sam = UserFactory.create(
        username="sam.worth",
        first_name="Sam",
        email="sam.worth@example.org",
        roles=[Role.SOCIAL_WORKER],
    )
    _through_the_provider(page, live_server, "council.sam")
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Sam")
    sam.refresh_from_db()
    assert sam.sso_subject  # kept at the first sign-on
    event = AuditEvent.objects.filter(event_type="account.signed-in").latest("pk")
    assert (event.acting_user_id, event.extra) == (sam.pk, {"method": "single sign-on"})


def test_someone_caseline_does_not_know_is_refused_clearly(
    live_server: Any, page: Any, provider: str
) -> None:
    _through_the_provider(page, live_server, "council.stranger")
    page.wait_for_url(f"{live_server.url}/accounts/sso/refused/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your account is not set up in Caseline"
    )
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    page.goto(f"{live_server.url}/")
    assert "/accounts/sign-in/" in page.url


def test_a_user_signs_in_with_a_password_and_an_authenticator_code(
    live_server: Any, page: Any
) -> None:
    sam: User = UserFactory.create(
        username="sam.worth", first_name="Sam", password=PASSWORD, roles=[Role.SOCIAL_WORKER]
    )
    device = TOTPDevice.objects.create(user=sam, name="Authenticator app", confirmed=True)
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("Username").fill("sam.worth")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/accounts/sign-in/code/**")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    page.get_by_label("Code").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Sam")
    event = AuditEvent.objects.filter(event_type="account.signed-in").latest("pk")
    assert event.extra == {"second_factor": "authenticator app"}
