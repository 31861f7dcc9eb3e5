"""Signing in and out, lockout after repeated failures, and idle session expiry."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from caseline.apps.accounts.middleware import LAST_ACTIVITY_KEY
from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.models import AuditEvent

PASSWORD = "correct horse battery staple"


@pytest.fixture
def worker(make_user: Any) -> User:
    return make_user(Role.SOCIAL_WORKER, username="sam.worth")


def _sign_in(client: Client, username: str, password: str, **extra: Any) -> Any:
    return client.post("/accounts/sign-in/", {"username": username, "password": password, **extra})


def test_the_sign_in_page_is_public(client: Client, db: None) -> None:
    response = client.get("/accounts/sign-in/")
    assert response.status_code == 200
    assert b"Sign in to Caseline" in response.content


def test_correct_details_sign_in_and_are_audited(client: Client, worker: User) -> None:
    response = _sign_in(client, "sam.worth", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(event_type="account.signed-in", acting_user=worker).exists()


def test_sign_in_returns_to_a_safe_next_page_only(client: Client, worker: User) -> None:
    response = _sign_in(client, "sam.worth", PASSWORD, next="https://evil.example/")
    assert response["Location"] == "/"
    client.logout()
    response = _sign_in(client, "sam.worth", PASSWORD, next="/audit/")
    assert response["Location"] == "/audit/"


def test_missing_details_show_gov_uk_errors(client: Client, db: None) -> None:
    response = _sign_in(client, "", "")
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    assert "Enter your username" in body
    assert "Enter your password" in body
    assert 'href="#id_username"' in body


def test_a_wrong_password_does_not_say_which_part_was_wrong(client: Client, worker: User) -> None:
    response = _sign_in(client, "sam.worth", "wrong")
    assert response.status_code == 400
    assert b"Enter a correct username and password" in response.content
    unknown = _sign_in(client, "nobody", "wrong")
    assert b"Enter a correct username and password" in unknown.content
    assert AuditEvent.objects.filter(event_type="account.sign-in-failed").count() == 2


def _fail(client: Client, username: str, times: int, address: str = "10.0.0.1") -> Any:
    response = None
    for _ in range(times):
        response = _post_from(client, username, "wrong", address)
    return response


def _post_from(client: Client, username: str, password: str, address: str) -> Any:
    return client.post(
        "/accounts/sign-in/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_repeated_failures_throttle_the_username_from_that_address(
    client: Client, worker: User
) -> None:
    _fail(client, "sam.worth", settings.CASELINE_LOCKOUT_FAILURES)
    response = _post_from(client, "sam.worth", PASSWORD, "10.0.0.1")
    assert response.status_code == 429
    assert b"too many attempts to sign in" in response.content
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(event_type="account.locked").exists()


def test_an_unknown_username_is_answered_exactly_as_a_real_one(
    client: Client, worker: User
) -> None:
    """Issue 19: a locked real account answered differently, which listed usernames."""
    real = _fail(client, "sam.worth", settings.CASELINE_LOCKOUT_FAILURES + 1)
    unknown = _fail(client, "no.such.person", settings.CASELINE_LOCKOUT_FAILURES + 1)
    assert real.status_code == unknown.status_code == 429

    def page(response: Any, username: str) -> str:
        text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
        return text.replace(username, "NAME")

    assert page(real, "sam.worth") == page(unknown, "no.such.person")


def test_no_one_can_lock_another_person_out_from_elsewhere(client: Client, worker: User) -> None:
    """Issue 19: anyone could lock anyone out."""
    _fail(client, "sam.worth", settings.CASELINE_LOCKOUT_FAILURES * 2, address="192.0.2.66")
    response = _post_from(client, "sam.worth", PASSWORD, "10.0.0.9")
    assert response.status_code == 302


def test_an_administrator_unlocks_a_username(client: Client, worker: User) -> None:
    from io import StringIO

    from django.core.management import call_command

    _fail(client, "sam.worth", settings.CASELINE_LOCKOUT_FAILURES)
    assert _post_from(client, "sam.worth", PASSWORD, "10.0.0.1").status_code == 429
    call_command("axes_reset_username", "sam.worth", stdout=StringIO())
    assert _post_from(client, "sam.worth", PASSWORD, "10.0.0.1").status_code == 302


def test_sign_out_needs_a_post(client: Client, worker: User) -> None:
    client.force_login(worker)
    assert client.get("/accounts/sign-out/").status_code == 405
    response = client.post("/accounts/sign-out/")
    assert response["Location"] == "/accounts/signed-out/"
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(event_type="account.signed-out").exists()


def test_an_idle_session_ends_and_explains_why(client: Client, worker: User) -> None:
    client.force_login(worker)
    assert client.get("/").status_code == 200
    session = client.session
    session[LAST_ACTIVITY_KEY] = time.time() - settings.CASELINE_SESSION_IDLE_MINUTES * 60 - 1
    session.save()
    response = client.get("/audit/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/timed-out/?next=%2Faudit%2F"
    assert client.get("/").status_code == 302
    event = AuditEvent.objects.get(event_type="account.signed-out")
    assert event.extra == {"reason": "inactive"}


def test_keep_alive_resets_the_idle_clock(client: Client, worker: User) -> None:
    client.force_login(worker)
    session = client.session
    almost = time.time() - settings.CASELINE_SESSION_IDLE_MINUTES * 60 + 30
    session[LAST_ACTIVITY_KEY] = almost
    session.save()
    response = client.post("/accounts/keep-alive/")
    assert response.status_code == 200
    assert client.session[LAST_ACTIVITY_KEY] > almost + 60


def test_pages_carry_the_idle_warning_timings(client: Client, worker: User) -> None:
    client.force_login(worker)
    body = client.get("/").content.decode()
    idle = settings.CASELINE_SESSION_IDLE_MINUTES * 60
    assert f'data-session-idle-seconds="{idle}"' in body
    assert 'id="session-timeout-dialog"' in body


def test_passwords_are_hashed_with_argon2_outside_tests() -> None:
    from caseline.settings import base

    assert base.PASSWORD_HASHERS == ["django.contrib.auth.hashers.Argon2PasswordHasher"]


def test_argon2_hashes_verify(worker: User) -> None:
    from django.contrib.auth.hashers import check_password, make_password

    hashed = make_password("a long demo passphrase", hasher="argon2")
    assert hashed.startswith("argon2$")
    assert check_password("a long demo passphrase", hashed)


def test_visiting_the_time_out_page_signs_no_one_out(client: Client, worker: User) -> None:
    """Issue 19: a GET (a link, an image on another site) signed the user out."""
    client.force_login(worker)
    response = client.get("/accounts/timed-out/")
    assert response.status_code == 200
    assert "You are still signed in" in response.content.decode()
    assert client.get("/").status_code == 200
    assert not AuditEvent.objects.filter(event_type="account.signed-out").exists()
    response = client.post("/accounts/timed-out/?next=/audit/")
    assert response["Location"] == "/accounts/timed-out/?next=%2Faudit%2F"
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.get(event_type="account.signed-out").extra == {"reason": "inactive"}


def test_a_session_ends_after_its_absolute_lifetime_however_active(
    client: Client, worker: User
) -> None:
    from caseline.apps.accounts.middleware import SESSION_STARTED_KEY

    client.force_login(worker)
    assert client.get("/").status_code == 200
    session = client.session
    session[SESSION_STARTED_KEY] = time.time() - settings.CASELINE_SESSION_ABSOLUTE_HOURS * 3600 - 1
    session[LAST_ACTIVITY_KEY] = time.time()  # active a moment ago
    session.save()
    response = client.get("/audit/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/timed-out/")
    assert client.get("/").status_code == 302
    event = AuditEvent.objects.get(event_type="account.signed-out")
    assert event.extra == {"reason": "session-lifetime"}


def test_signed_in_pages_are_never_cached_and_every_page_has_a_strict_policy(
    client: Client, worker: User
) -> None:
    signed_out = client.get("/accounts/sign-in/")
    assert "Cache-Control" not in signed_out or "no-store" not in signed_out["Cache-Control"]
    client.force_login(worker)
    page = client.get("/")
    assert page["Cache-Control"] == "no-store"
    for response in (signed_out, page):
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy


def test_no_template_has_an_inline_script_or_handler() -> None:
    """The policy allows no inline script: every script is a file in frontend/js."""
    import re
    from pathlib import Path

    from caseline.settings.env import BASE_DIR

    root = Path(BASE_DIR) / "caseline"
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+=\"|javascript:", re.I)
    offenders = [
        str(path)
        for path in root.rglob("*.html")
        if inline.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
