"""Sign people out after a period of inactivity."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

LAST_ACTIVITY_KEY = "caseline_last_activity"
# When the session's user signed in: a session ends CASELINE_SESSION_ABSOLUTE_HOURS after it,
# however active.
SESSION_STARTED_KEY = "caseline_session_started"
# Write the activity time back to the session at most this often, not on every request.
_TOUCH_INTERVAL_SECONDS = 60


class IdleSessionMiddleware:
    """Ends a session idle for longer than ``CASELINE_SESSION_IDLE_MINUTES``, or older than
    ``CASELINE_SESSION_ABSOLUTE_HOURS`` however active.

    The page warns before an idle session ends (``caseline.js``) and keeps what was typed.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            last = request.session.get(LAST_ACTIVITY_KEY)
            started = request.session.setdefault(SESSION_STARTED_KEY, now)
            idle_limit = settings.CASELINE_SESSION_IDLE_MINUTES * 60
            lifetime = settings.CASELINE_SESSION_ABSOLUTE_HOURS * 3600
            reason = ""
            if now - float(started) > lifetime:
                reason = "session-lifetime"
            elif last is not None and now - float(last) > idle_limit:
                reason = "inactive"
            if reason:
                from caseline.apps.accounts.actions import sign_out

                sign_out(request, reason=reason)
                target = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('accounts:timed-out')}?{target}")
            if last is None or now - float(last) > _TOUCH_INTERVAL_SECONDS:
                request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)


# What a user who must set up two factors may still reach: the set-up pages and signing out.
_TWO_FACTOR_OPEN_URLS = (
    "accounts:two-factor-setup",
    "accounts:recovery-codes",
    # Or registering a security key instead, from the security page.
    "accounts:security",
    "otp_webauthn:credential-registration-begin",
    "otp_webauthn:credential-registration-complete",
    "otp_webauthn:js-i18n-catalog",
    "accounts:sign-out",
    "accounts:timed-out",
    "accounts:keep-alive",
)


class TwoFactorRequiredMiddleware:
    """Sends a user who signed in with only a password, and whose role must use two factors
    (``accounts.twofactor``), to set up an authenticator app or register a security key before
    any other page.

    Sign-in notes the requirement in the session, so this reads no table on any request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from caseline.apps.accounts import twofactor

        if (
            request.user.is_authenticated
            and request.session.get(twofactor.REQUIRED_KEY)
            and not request.session.get(twofactor.VERIFIED_KEY)
        ):
            allowed = {reverse(name) for name in _TWO_FACTOR_OPEN_URLS}
            if request.path not in allowed and not request.path.startswith(settings.STATIC_URL):
                return redirect("accounts:two-factor-setup")
        return self.get_response(request)
