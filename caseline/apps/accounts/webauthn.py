"""Security keys and passkeys as a second factor (WebAuthn, through django-otp-webauthn; ADR 0031).

The library's four JSON views run the two ceremonies and verify the browser's answers; these
subclasses fit them to Caseline's sign-in, which does not use django-otp's middleware:

- registering needs a signed-in user with the ``home.view`` permission, who has passed their
  second factor in this session if they already have one; the key is kept by
  ``actions.register_security_key`` (audited);
- authenticating is only for the user who gave a right password in this session and owes a
  second factor (``actions.pending_second_factor``), never instead of the password; it signs in
  through ``actions.sign_in_with_security_key`` (audited).

The library's scripts (static files, with their settings in a ``json_script`` block) keep the
strict Content-Security-Policy.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import exceptions
from django_otp_webauthn.utils import rewrite_exceptions
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
    _get_pywebauthn_logger,
)

from caseline.apps.accounts import twofactor
from caseline.apps.accounts.actions import (
    pending_second_factor,
    register_security_key,
    sign_in_with_security_key,
)
from caseline.apps.accounts.permissions import Permission
from caseline.apps.accounts.sso import SSO_SESSION_KEY
from caseline.apps.audit.events import EventType
from caseline.apps.audit.record import record_event
from caseline.apps.core.access import PermissionRequiredMixin

NOT_VERIFIED = "Sign in with your second factor before you register a security key"


class _Registration(PermissionRequiredMixin):
    """Who may register a key: a signed-in user who has passed any second factor they have."""

    permission = Permission.HOME_VIEW
    request: HttpRequest

    def _check_user_verified(self, user: Any) -> None:
        session = self.request.session
        if (
            twofactor.has_second_factor(user)
            and not session.get(twofactor.VERIFIED_KEY)
            and not session.get(SSO_SESSION_KEY)
        ):
            raise exceptions.NotVerified(detail=NOT_VERIFIED)


class RegistrationBeginView(_Registration, BeginCredentialRegistrationView):  # type: ignore[misc]
    """The challenge and options for a new key (JSON, POST)."""


class RegistrationCompleteView(_Registration, CompleteCredentialRegistrationView):  # type: ignore[misc]
    """Verifies the browser's new key and keeps it (JSON, POST)."""

    def post(self, *args: Any, **kwargs: Any) -> JsonResponse:
        state = self.get_state()
        with rewrite_exceptions(logger=_get_pywebauthn_logger()):
            credential = register_security_key(
                acting_user=self.request.user,  # type: ignore[arg-type]
                helper=self.get_helper(),
                state=state,
                data=self.request.data,  # type: ignore[attr-defined]
            )
        # As after setting up an authenticator app: this session has now used a second factor.
        self.request.session[twofactor.VERIFIED_KEY] = True
        return JsonResponse({"id": credential.pk})


class _Authentication:
    """Only the user who owes a second factor after their password may authenticate."""

    request: HttpRequest

    def get_user(self) -> Any:
        return pending_second_factor(self.request)

    def check_can_authenticate(self) -> None:
        if self.get_user() is None:
            raise exceptions.NotAuthenticated()


class AuthenticationBeginView(_Authentication, BeginCredentialAuthenticationView):  # type: ignore[misc]
    """The challenge for the user's keys (JSON, POST)."""


class AuthenticationCompleteView(_Authentication, CompleteCredentialAuthenticationView):  # type: ignore[misc]
    """Verifies the key's answer and signs the user in (JSON, POST)."""

    def post(self, *args: Any, **kwargs: Any) -> JsonResponse:
        try:
            response: JsonResponse = super().post(*args, **kwargs)
        except exceptions.OTPWebAuthnApiError:
            user = self.get_user()
            with transaction.atomic():
                record_event(
                    acting_user=user,
                    event_type=EventType.SIGN_IN_FAILED,
                    target=user,
                    extra={"second_factor": "security key refused"},
                )
            raise
        return response

    def complete_auth(self, device: Any) -> None:
        sign_in_with_security_key(self.request, user=self.get_user(), credential=device)


urlpatterns = [
    path(
        "registration/begin/",
        RegistrationBeginView.as_view(),
        name="credential-registration-begin",
    ),
    path(
        "registration/complete/",
        RegistrationCompleteView.as_view(),
        name="credential-registration-complete",
    ),
    path(
        "authentication/begin/",
        login_not_required(AuthenticationBeginView.as_view()),
        name="credential-authentication-begin",
    ),
    path(
        "authentication/complete/",
        login_not_required(AuthenticationCompleteView.as_view()),
        name="credential-authentication-complete",
    ),
    # The words the library's scripts show, in the browser's language where translated.
    path(
        "jsi18n/",
        login_not_required(JavaScriptCatalog.as_view(packages=["django_otp_webauthn"])),
        name="js-i18n-catalog",
    ),
]
