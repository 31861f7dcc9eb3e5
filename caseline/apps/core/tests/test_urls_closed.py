"""Every URL pattern refuses an anonymous visitor and a signed-in user without its permission."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from caseline.apps.core.access import declared_permission

# Pages anyone may reach: signing in and out, the load balancer's health check, the icon.
PUBLIC = {
    "accounts:sign-in",
    "accounts:second-factor",
    "accounts:sso-start",
    "accounts:sso-callback",
    "accounts:sso-refused",
    "accounts:sign-out",
    "accounts:signed-out",
    "accounts:timed-out",
    # A security key's answer at sign-in, for the user who gave a right password, and its words.
    "otp_webauthn:credential-authentication-begin",
    "otp_webauthn:credential-authentication-complete",
    "otp_webauthn:js-i18n-catalog",
    "core:health",
    "core:favicon",
}

SAMPLE_BY_CONVERTER = {"int": "1", "uuid": str(uuid.uuid4()), "slug": "sample", "str": "sample"}


@dataclass(frozen=True)
class Route:
    name: str
    path: str
    callback: Any


def _walk(
    patterns: list[URLPattern | URLResolver], prefix: str = "", namespace: str = ""
) -> Iterator[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            yield from _walk(
                pattern.url_patterns,
                prefix + str(pattern.pattern),
                f"{namespace}{ns}:" if ns else namespace,
            )
        else:
            route = prefix + str(pattern.pattern)
            converters = getattr(pattern.pattern, "converters", {})
            for key, converter in converters.items():
                kind = type(converter).__name__.removesuffix("Converter").lower()
                route = route.replace(f"<{kind}:{key}>", SAMPLE_BY_CONVERTER.get(kind, "1"))
                route = route.replace(f"<{key}>", "sample")
            yield Route(f"{namespace}{pattern.name}", "/" + route, pattern.callback)


ROUTES = list(_walk(get_resolver().url_patterns))
PROTECTED = [r for r in ROUTES if r.name not in PUBLIC]


def test_the_walk_finds_the_routes() -> None:
    names = {r.name for r in ROUTES}
    assert {"core:home", "audit:events", "accounts:sign-in"} <= names
    assert len(PROTECTED) >= 3


@pytest.mark.parametrize("route", PROTECTED, ids=lambda r: r.name)
def test_every_protected_view_declares_a_permission(route: Route) -> None:
    assert declared_permission(route.callback) is not None, f"{route.name} declares no permission"


@pytest.mark.django_db
@pytest.mark.parametrize("route", PROTECTED, ids=lambda r: r.name)
def test_anonymous_visitors_are_sent_to_sign_in(client: Client, route: Route) -> None:
    for method in ("get", "post"):
        response = getattr(client, method)(route.path)
        assert response.status_code == 302, f"{method.upper()} {route.path}"
        assert response["Location"].startswith("/accounts/sign-in/")


@pytest.mark.django_db
@pytest.mark.parametrize("route", PROTECTED, ids=lambda r: r.name)
def test_signed_in_users_without_the_permission_are_refused(
    client: Client, make_user: Any, route: Route
) -> None:
    client.force_login(make_user())
    for method in ("get", "post"):
        response = getattr(client, method)(route.path)
        assert response.status_code == 403, f"{method.upper()} {route.path}"


@pytest.mark.django_db
@pytest.mark.parametrize("route", [r for r in ROUTES if r.name in PUBLIC], ids=lambda r: r.name)
def test_public_views_are_marked_public(client: Client, route: Route) -> None:
    assert getattr(route.callback, "login_required", True) is False
