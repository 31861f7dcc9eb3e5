"""Registering a security key and signing in with it, in Chromium with a virtual authenticator
(WebAuthn through the DevTools protocol), under Caseline's own Content-Security-Policy."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import expect

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.models import AuditEvent
from tests.browser.conftest import axe_violations, describe
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


@pytest.fixture
def strict_page(browser: Any, live_server: Any, settings: Any) -> Iterator[tuple[Any, list[str]]]:
    """A page that keeps the Content-Security-Policy (no bypass, unlike ``page``), with a
    virtual security key plugged in; and the console's complaints, to assert there are none."""
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    complaints: list[str] = []
    page.on(
        "console",
        lambda message: complaints.append(message.text) if message.type == "error" else None,
    )
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    yield page, complaints
    context.close()


def _password(page: Any, live_server: Any) -> None:
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("Username").fill("sam.worth")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_user_registers_a_security_key_and_signs_in_with_it(
    live_server: Any, strict_page: tuple[Any, list[str]]
) -> None:
    page, complaints = strict_page
    sam: User = UserFactory.create(
        username="sam.worth", first_name="Sam", password=PASSWORD, roles=[Role.SOCIAL_WORKER]
    )
    _password(page, live_server)
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/accounts/security/")
    page.get_by_role("button", name="Register a security key").click()
    page.wait_for_url(f"{live_server.url}/accounts/security/keys/*/name/")
    page.get_by_label("Name").fill("Blue key")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_server.url}/accounts/security/")
    expect(page.locator("dt", has_text="Blue key")).to_be_visible()
    key = WebAuthnCredential.objects.get(user=sam)
    assert key.name == "Blue key"
    assert AuditEvent.objects.filter(
        event_type="account.security-key-registered", acting_user=sam
    ).exists()

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server.url}/accounts/signed-out/")
    _password(page, live_server)
    page.wait_for_url(f"{live_server.url}/accounts/sign-in/code/**")
    page.get_by_role("button", name="Use your security key").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Sam")
    event = AuditEvent.objects.filter(event_type="account.signed-in").latest("pk")
    assert event.extra == {"second_factor": "security key", "security_key": key.pk}
    csp = [c for c in complaints if "Content Security Policy" in c or "Refused to" in c]
    assert csp == []


def test_the_security_key_pages_are_accessible(live_server: Any, page: Any, settings: Any) -> None:
    """axe-core on the security page with a key and on the second factor page that offers it
    (the ``page`` fixture bypasses the policy so that axe can be put into the page)."""
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    sam: User = UserFactory.create(
        username="sam.worth", first_name="Sam", password=PASSWORD, roles=[Role.SOCIAL_WORKER]
    )
    _password(page, live_server)
    page.wait_for_url(f"{live_server.url}/")
    WebAuthnCredential.objects.create(
        user=sam, name="Blue key", confirmed=True, credential_id=b"k" * 32, public_key=b"p" * 64
    )
    page.goto(f"{live_server.url}/accounts/security/")
    expect(page.get_by_role("button", name="Register a security key")).to_be_visible()
    expect(page.get_by_role("link", name="Remove Blue key")).to_be_visible()
    violations = axe_violations(page)
    assert violations == [], describe(violations)

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server.url}/accounts/signed-out/")
    _password(page, live_server)
    page.wait_for_url(f"{live_server.url}/accounts/sign-in/code/**")
    expect(page.get_by_role("button", name="Use your security key")).to_be_visible()
    violations = axe_violations(page)
    assert violations == [], describe(violations)
