"""Single sign-on: who the OpenID provider's answer signs in as, and when it is off.

The whole journey through a real provider is the browser test
``tests/browser/test_single_sign_on_and_two_factors.py``.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.accounts.sso import SingleSignOnBackend
from caseline.apps.audit.models import AuditEvent
from caseline.settings.env import EnvironmentError_, OidcEnvironment


@pytest.fixture
def sso_on(settings: Any) -> None:
    settings.CASELINE_OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = "caseline"
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    for name in ("AUTHORIZATION", "TOKEN", "USER", "JWKS"):
        setattr(settings, f"OIDC_OP_{name}_ENDPOINT", f"https://idp.example/{name.lower()}")


@pytest.fixture
def sam(make_user: Any) -> User:
    return make_user(Role.SOCIAL_WORKER, username="sam.worth", email="sam.worth@example.org")


def _match(claims: dict[str, str]) -> Any:
    backend = SingleSignOnBackend()
    users = list(backend.filter_users_by_claims(claims))
    if len(users) != 1 or not backend.verify_claims(claims):
        return None
    return backend.update_user(users[0], claims)


def test_the_first_sign_on_matches_by_email_and_keeps_the_subject(sso_on: None, sam: User) -> None:
    assert _match({"sub": "abc-123", "email": "Sam.Worth@example.org"}) == sam
    sam.refresh_from_db()
    assert sam.sso_subject == "abc-123"
    event = AuditEvent.objects.get(event_type="object.updated", target_id=str(sam.pk))
    assert event.new_values == {"sso_subject": "abc-123"}


def test_later_the_subject_must_match(sso_on: None, sam: User) -> None:
    _match({"sub": "abc-123", "email": "sam.worth@example.org"})
    # Another identity at the provider claiming Sam's address is no longer Sam.
    assert _match({"sub": "someone-else", "email": "sam.worth@example.org"}) is None
    # Sam's identity still is, whatever address it now gives.
    assert _match({"sub": "abc-123", "email": "s.worth@example.org"}) == sam


def test_unknown_inactive_and_claimless_people_are_not_matched(
    sso_on: None, sam: User, make_user: Any
) -> None:
    assert _match({"sub": "x", "email": "nobody@example.org"}) is None
    assert _match({"sub": "x"}) is None
    make_user(username="gone", email="gone@example.org", is_active=False)
    assert _match({"sub": "y", "email": "gone@example.org"}) is None


def test_a_password_sign_in_never_reaches_the_provider(sso_on: None, sam: User) -> None:
    assert SingleSignOnBackend().authenticate(None, username="sam.worth", password="x") is None


def test_off_unless_configured(client: Client, db: None) -> None:
    assert client.get("/accounts/sso/start/").status_code == 404
    assert client.get("/accounts/sso/callback/").status_code == 404
    assert b"council account" not in client.get("/accounts/sign-in/").content
    assert SingleSignOnBackend().authenticate(None) is None


def test_on_the_sign_in_page_offers_it_and_starts_with_pkce(
    client: Client, sso_on: None, db: None
) -> None:
    assert b"Sign in with your council account" in client.get("/accounts/sign-in/").content
    response = client.get("/accounts/sso/start/")
    assert response.status_code == 302
    assert response["Location"].startswith("https://idp.example/authorization?")
    assert "code_challenge_method=S256" in response["Location"]


def test_the_environment_needs_every_endpoint_once_on() -> None:
    assert OidcEnvironment.from_mapping({}).client_id == ""
    with pytest.raises(EnvironmentError_, match="CASELINE_OIDC_JWKS_ENDPOINT"):
        OidcEnvironment.from_mapping(
            {
                "CASELINE_OIDC_CLIENT_ID": "caseline",
                "CASELINE_OIDC_CLIENT_SECRET": "s",
                "CASELINE_OIDC_AUTHORIZATION_ENDPOINT": "https://idp/a",
                "CASELINE_OIDC_TOKEN_ENDPOINT": "https://idp/t",
                "CASELINE_OIDC_USERINFO_ENDPOINT": "https://idp/u",
            }
        )
