"""Single sign-on by OpenID Connect (mozilla-django-oidc), as councils use with Microsoft Entra
ID (ADR 0031).

The provider says who the person is; Caseline still says what they may do. Nobody is created
by signing in: the provider's email claim (``CASELINE_OIDC_EMAIL_CLAIM``) must name exactly one
active Caseline user, whose subject (``sub``) is kept at their first sign-on and must match at
every later one. Anyone else is sent to a page saying their account is not set up.
Single sign-on is off, and these pages answer 404, unless ``CASELINE_OIDC_CLIENT_ID`` is set.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from caseline.apps.audit.events import EventType
from caseline.apps.audit.record import record_event

# The session key saying the user signed in through the OpenID provider, which answers for
# their second factor (accounts.twofactor).
SSO_SESSION_KEY = "caseline_single_sign_on"


def sso_enabled() -> bool:
    """Whether single sign-on is configured."""
    return bool(getattr(settings, "CASELINE_OIDC_ENABLED", False))


class SingleSignOnBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    """mozilla-django-oidc's backend, matching the provider's identity to an existing user."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Django makes every backend for every sign-in; unconfigured, this one answers nothing.
        self.enabled = sso_enabled()
        if self.enabled:
            super().__init__(*args, **kwargs)
        self.UserModel = get_user_model()

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        if not self.enabled or "username" in kwargs or "password" in kwargs:
            return None
        return super().authenticate(request, **kwargs)

    def get_user(self, user_id: Any) -> Any:
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None

    def _email(self, claims: dict[str, Any]) -> str:
        return str(claims.get(settings.CASELINE_OIDC_EMAIL_CLAIM) or "").strip()

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get("sub")) and bool(self._email(claims))

    def describe_user_by_claims(self, claims: dict[str, Any]) -> str:
        return "subject {}".format(claims.get("sub"))

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[Any]:
        """The one active user with this subject, or else with this email and no subject yet."""
        subject = str(claims["sub"])
        users = self.UserModel.objects.filter(is_active=True)
        by_subject = users.filter(sso_subject=subject)
        if by_subject.exists():
            return by_subject
        return users.filter(sso_subject="", email__iexact=self._email(claims))

    def update_user(self, user: Any, claims: dict[str, Any]) -> Any:
        """Keep the subject at the first sign-on (audited)."""
        from caseline.apps.accounts.actions import link_single_sign_on

        return link_single_sign_on(user=user, subject=str(claims["sub"]))


def _require_sso() -> None:
    if not sso_enabled():
        raise Http404("Single sign-on is not set up")


@login_not_required
def sso_start_view(request: HttpRequest) -> HttpResponseBase:
    """Send the browser to the OpenID provider."""
    _require_sso()
    response: HttpResponseBase = OIDCAuthenticationRequestView.as_view()(request)
    return response


class _CallbackView(OIDCAuthenticationCallbackView):  # type: ignore[misc]
    """The provider's answer: sign the matched user in, audited, or refuse."""

    def login_success(self) -> HttpResponse:
        response: HttpResponse = super().login_success()
        self.request.session[SSO_SESSION_KEY] = True
        with transaction.atomic():
            record_event(
                acting_user=self.user,
                event_type=EventType.SIGNED_IN,
                target=self.user,
                extra={"method": "single sign-on"},
            )
        return response

    def login_failure(self) -> HttpResponse:
        with transaction.atomic():
            record_event(
                acting_user=None,
                event_type=EventType.SIGN_IN_FAILED,
                extra={"method": "single sign-on"},
            )
        response: HttpResponse = super().login_failure()
        return response


@login_not_required
def sso_callback_view(request: HttpRequest) -> HttpResponseBase:
    """Where the provider sends the browser back with its code."""
    _require_sso()
    response: HttpResponseBase = _CallbackView.as_view()(request)
    return response


@login_not_required
def sso_refused_view(request: HttpRequest) -> HttpResponse:
    """The provider knew the person but Caseline has no account for them (or it is closed)."""
    _require_sso()
    return render(request, "accounts/sso_refused.html", status=403)
