"""Two factors for password sign-in (django-otp): an authenticator app's six-digit codes
(TOTP), security keys and passkeys (WebAuthn, django-otp-webauthn) and single-use recovery codes
(ADR 0031).

A user with a confirmed authenticator or security key is asked for one after their password,
always. A user
whose role the administrator has chosen (``TwoFactorRole``) and who has none yet is signed in,
then sent to set one up before any other page (``TwoFactorRequiredMiddleware``). Someone who
signed in through single sign-on is not asked: the OpenID provider answers for the second factor.
"""

from __future__ import annotations

from typing import Any

import segno
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from caseline.apps.accounts.backends import roles_of
from caseline.apps.accounts.models import TwoFactorRole

# Session keys: the user who gave a right password and now owes a code (with when); that the
# session's sign-in used a second factor; that it must before anything else.
PENDING_USER_KEY = "caseline_two_factor_pending_user"
PENDING_AT_KEY = "caseline_two_factor_pending_at"
VERIFIED_KEY = "caseline_two_factor_verified"
REQUIRED_KEY = "caseline_two_factor_required"
# The recovery codes, shown once on the page after setting up.
NEW_RECOVERY_CODES_KEY = "caseline_new_recovery_codes"
# How long a right password waits for its code.
PENDING_SECONDS = 5 * 60
RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_CODES_NAME = "Recovery codes"


def requires_two_factor(user: Any) -> bool:
    """Whether one of the user's roles must use two factors (the administrator's choice)."""
    return TwoFactorRole.objects.filter(role__in=roles_of(user)).exists()


def authenticator_of(user: Any) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if they have set one up."""
    device: TOTPDevice | None = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device


def security_keys_of(user: Any) -> list[WebAuthnCredential]:
    """The user's registered security keys and passkeys, oldest first."""
    return list(WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("pk"))


def has_security_key(user: Any) -> bool:
    """Whether the user may answer sign-in with a security key."""
    found: bool = WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()
    return found


def has_second_factor(user: Any) -> bool:
    """Whether sign-in must ask this user for a second factor (an app code or a key)."""
    return authenticator_of(user) is not None or has_security_key(user)


def recovery_codes_left(user: Any) -> int:
    """How many unused recovery codes the user has."""
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return device.token_set.count() if device is not None else 0


def qr_code_svg(device: TOTPDevice) -> str:
    """The device's ``otpauth://`` address as an inline SVG QR code (no script, no image
    request), for the authenticator app to scan."""
    svg: str = segno.make(device.config_url, error="m").svg_inline(
        scale=5, dark="#0b0c0c", light="#ffffff", title="QR code for your authenticator app"
    )
    return svg


def secret_for_typing(device: TOTPDevice) -> str:
    """The device's key in base32, in groups of four, for typing into an app that cannot scan."""
    from base64 import b32encode

    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))
