"""Writes about accounts: signing in and out, lockout, creating users and giving them roles,
and their Social Work England registration numbers."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp import match_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential

from caseline.apps.accounts import twofactor
from caseline.apps.accounts.models import RoleAssignment, Team, TeamMembership, TwoFactorRole, User
from caseline.apps.accounts.permissions import Permission, Role
from caseline.apps.accounts.registration import (
    ONE_WORKER_A_NUMBER,
    check_swe_registration_number,
    normalise_swe_registration_number,
)
from caseline.apps.audit.events import EventType
from caseline.apps.audit.record import record_event
from caseline.apps.core.access import require_permission
from caseline.apps.core.checks import Checks
from caseline.apps.core.concurrency import save_versioned

# The backend a user signed in with a password and a code is recorded against.
_PASSWORD_BACKEND = "caseline.apps.accounts.backends.RoleBackend"  # noqa: S105 (a path)


class SignInOutcome(StrEnum):
    SIGNED_IN = "signed-in"
    # The password was right; the user must now give a code from their authenticator app.
    SECOND_FACTOR = "second-factor"
    WRONG_DETAILS = "wrong-details"
    LOCKED = "locked"


@dataclass(frozen=True)
class SignInResult:
    outcome: SignInOutcome
    user: User | None = None


@transaction.atomic
def sign_in(request: HttpRequest, *, username: str, password: str) -> SignInResult:
    """Check the details and audit every attempt.

    Repeated failures are throttled by django-axes (``AXES_*`` settings): by username and
    address together, so no one can lock another person out from elsewhere, and an unknown
    username is throttled and answered exactly as a known one, so the form does not reveal
    which accounts exist.
    """
    account = User.objects.filter(username__iexact=username).first()
    user = authenticate(
        request, username=account.username if account else username, password=password
    )
    if user is None or not isinstance(user, User):
        locked = bool(getattr(request, "axes_locked_out", False))
        record_event(
            acting_user=account,
            event_type=EventType.ACCOUNT_LOCKED if locked else EventType.SIGN_IN_FAILED,
            target=account,
            extra={"username": username[:150]} if account is None else {},
        )
        return SignInResult(SignInOutcome.LOCKED if locked else SignInOutcome.WRONG_DETAILS)
    if twofactor.has_second_factor(user):
        # Not signed in yet: the session only remembers who owes a code, for a few minutes.
        request.session.cycle_key()
        request.session[twofactor.PENDING_USER_KEY] = user.pk
        request.session[twofactor.PENDING_AT_KEY] = time.time()
        return SignInResult(SignInOutcome.SECOND_FACTOR, user)
    login(request, user)
    request.session[twofactor.REQUIRED_KEY] = twofactor.requires_two_factor(user)
    record_event(acting_user=user, event_type=EventType.SIGNED_IN, target=user)
    return SignInResult(SignInOutcome.SIGNED_IN, user)


def pending_second_factor(request: HttpRequest) -> User | None:
    """The user who gave a right password in this session and owes a code, if still in time."""
    user_id = request.session.get(twofactor.PENDING_USER_KEY)
    started = request.session.get(twofactor.PENDING_AT_KEY)
    if user_id is None or started is None:
        return None
    if time.time() - float(started) > twofactor.PENDING_SECONDS:
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


@transaction.atomic
def sign_in_with_code(request: HttpRequest, *, user: User, code: str) -> bool:
    """Finish a password sign-in with a code from the user's authenticator app or one of their
    recovery codes (used up). django-otp slows repeated wrong codes down, device by device."""
    device = match_token(user, code.replace(" ", "").replace("-", ""))
    if device is None:
        record_event(
            acting_user=user,
            event_type=EventType.SIGN_IN_FAILED,
            target=user,
            extra={"second_factor": "wrong code"},
        )
        return False
    for key in (twofactor.PENDING_USER_KEY, twofactor.PENDING_AT_KEY):
        request.session.pop(key, None)
    login(request, user, backend=_PASSWORD_BACKEND)
    request.session[twofactor.VERIFIED_KEY] = True
    kind = "recovery code" if isinstance(device, StaticDevice) else "authenticator app"
    record_event(
        acting_user=user,
        event_type=EventType.SIGNED_IN,
        target=user,
        extra={"second_factor": kind},
    )
    return True


@transaction.atomic
def sign_in_with_security_key(
    request: HttpRequest, *, user: User, credential: WebAuthnCredential
) -> None:
    """Finish a password sign-in with one of the user's security keys, which
    django-otp-webauthn has just verified against the challenge it set (``accounts.webauthn``)."""
    if credential.user_id != user.pk or not credential.confirmed:
        raise PermissionDenied
    for key in (twofactor.PENDING_USER_KEY, twofactor.PENDING_AT_KEY):
        request.session.pop(key, None)
    login(request, user, backend=_PASSWORD_BACKEND)
    request.session[twofactor.VERIFIED_KEY] = True
    record_event(
        acting_user=user,
        event_type=EventType.SIGNED_IN,
        target=user,
        extra={"second_factor": "security key", "security_key": credential.pk},
    )


@transaction.atomic(durable=True)
def register_security_key(
    *, acting_user: User, helper: WebAuthnHelper, state: dict[str, Any], data: dict[str, Any]
) -> WebAuthnCredential:
    """Keep a new security key or passkey for the user, from the browser's answer (``data``) to
    the registration challenge (``state``), which ``helper`` (django-otp-webauthn) verifies.
    It is named "Security key" with a number; the user can rename it."""
    credential: WebAuthnCredential = helper.register_complete(
        user=acting_user, state=state, data=data
    )
    count = WebAuthnCredential.objects.filter(user=acting_user).count()
    credential.name = f"Security key {count}"
    credential.save(update_fields=["name"])
    record_event(
        acting_user=acting_user,
        event_type=EventType.SECURITY_KEY_REGISTERED,
        target=acting_user,
        extra={"security_key": credential.pk, "name": credential.name},
    )
    return credential


@transaction.atomic(durable=True)
def rename_security_key(
    *, acting_user: User, credential: WebAuthnCredential, name: str
) -> WebAuthnCredential:
    """Give one of your own security keys a name you will recognise."""
    if credential.user_id != acting_user.pk:
        raise PermissionDenied
    old = credential.name
    credential.name = name.strip()
    credential.save(update_fields=["name"])
    record_event(
        acting_user=acting_user,
        event_type=EventType.SECURITY_KEY_RENAMED,
        target=acting_user,
        extra={"security_key": credential.pk},
        old_values={"name": old},
        new_values={"name": credential.name},
    )
    return credential


@transaction.atomic(durable=True)
def remove_security_key(*, acting_user: User, credential: WebAuthnCredential) -> None:
    """Remove one of your own security keys: it no longer signs you in."""
    if credential.user_id != acting_user.pk:
        raise PermissionDenied
    key_id, name = credential.pk, credential.name
    credential.delete()
    record_event(
        acting_user=acting_user,
        event_type=EventType.SECURITY_KEY_REMOVED,
        target=acting_user,
        extra={"security_key": key_id, "name": name},
    )


@transaction.atomic(durable=True)
def link_single_sign_on(*, user: User, subject: str) -> User:
    """Keep the OpenID provider's subject for a user matched by email at their first single
    sign-on: from then on only that subject signs in as them (``accounts.sso``)."""
    if user.sso_subject == subject:
        return user
    old = user.sso_subject
    user.sso_subject = subject
    user.save(update_fields=["sso_subject"])
    record_event(
        acting_user=None,
        event_type=EventType.UPDATED,
        target=user,
        old_values={"sso_subject": old},
        new_values={"sso_subject": subject},
    )
    return user


@transaction.atomic(durable=True)
def set_up_authenticator(*, acting_user: User, key: str, code: str) -> list[str] | None:
    """Confirm a new authenticator app from a code it shows for ``key`` (hex, made by the set-up
    page), replacing any earlier one, and make new recovery codes; return them (to show once),
    or ``None`` if the code is wrong."""
    device = TOTPDevice(user=acting_user, name=twofactor.AUTHENTICATOR_NAME, key=key)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    token = code.replace(" ", "")
    if not token.isdigit() or not totp.verify(int(token), device.tolerance):
        return None
    # As django-otp does: this code, and any earlier, cannot be used again.
    device.last_t = totp.t()
    device.drift = totp.drift
    TOTPDevice.objects.filter(user=acting_user).delete()
    device.confirmed = True
    device.save()
    StaticDevice.objects.filter(user=acting_user).delete()
    recovery = StaticDevice.objects.create(
        user=acting_user, name=twofactor.RECOVERY_CODES_NAME, confirmed=True
    )
    codes = [StaticToken.random_token() for _ in range(twofactor.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=c) for c in codes)
    record_event(
        acting_user=acting_user,
        event_type=EventType.TWO_FACTOR_SET_UP,
        target=acting_user,
        extra={"recovery_codes": len(codes)},
    )
    return codes


@transaction.atomic(durable=True)
def reset_two_factor(*, acting_user: User, user: User) -> None:
    """Remove a user's authenticator, security keys and recovery codes (a lost phone or key):
    they set up again at their next sign-in if their role needs two factors."""
    require_permission(acting_user, Permission.USERS_MANAGE)
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    removed += WebAuthnCredential.objects.filter(user=user).delete()[0]
    removed += StaticDevice.objects.filter(user=user).delete()[0]
    record_event(
        acting_user=acting_user,
        event_type=EventType.TWO_FACTOR_RESET,
        target=user,
        extra={"removed": removed},
    )


@transaction.atomic(durable=True)
def set_two_factor_roles(*, acting_user: User, roles: list[Role]) -> None:
    """Choose the roles whose holders must sign in with two factors."""
    require_permission(acting_user, Permission.USERS_MANAGE)
    old = sorted(TwoFactorRole.objects.values_list("role", flat=True))
    new = sorted({r.value for r in roles})
    if old == new:
        return
    TwoFactorRole.objects.exclude(role__in=new).delete()
    TwoFactorRole.objects.bulk_create(
        [TwoFactorRole(role=r) for r in new if r not in old], ignore_conflicts=True
    )
    record_event(
        acting_user=acting_user,
        event_type=EventType.TWO_FACTOR_ROLES_CHANGED,
        old_values={"roles": old},
        new_values={"roles": new},
    )


@transaction.atomic(durable=True)
def change_own_password(
    request: HttpRequest, *, acting_user: User, old_password: str, new_password: str
) -> None:
    """Change the signed-in user's password after checking their current one and the password
    validators (length, likeness to their name, Django's list of common passwords); the session
    stays signed in, other sessions of theirs end."""
    if not acting_user.check_password(old_password):
        raise ValidationError({"old_password": "Your current password is not right"})
    try:
        validate_password(new_password, user=acting_user)
    except ValidationError as error:
        raise ValidationError({"new_password": error.messages}) from None
    acting_user.set_password(new_password)
    acting_user.save(update_fields=["password"])
    update_session_auth_hash(request, acting_user)
    record_event(acting_user=acting_user, event_type=EventType.PASSWORD_CHANGED, target=acting_user)


@transaction.atomic
def sign_out(request: HttpRequest, *, reason: str = "signed out") -> None:
    """End the session and audit it."""
    user = request.user if request.user.is_authenticated else None
    if user is not None:
        record_event(acting_user=user, event_type=EventType.SIGNED_OUT, extra={"reason": reason})
    logout(request)


@transaction.atomic(durable=True)
def create_user(
    *,
    acting_user: User | None,
    username: str,
    password: str | None,
    first_name: str,
    last_name: str,
    roles: list[Role],
    team: Team | None = None,
    job_title: str = "",
    email: str = "",
    work_phone: str = "",
    swe_registration_number: str = "",
) -> User:
    """Create an account holding the given roles.

    ``acting_user`` is ``None`` only for the system itself (the demo's users, the benchmark's
    reader), which is not asked for a permission; anyone else must manage users.
    ``swe_registration_number`` is a social worker's Social Work England number, if any.
    ``password`` ``None`` makes an account that cannot sign in with a password until one is
    set (a worker brought in by an SSD import, say).
    """
    if acting_user is not None:
        require_permission(acting_user, Permission.USERS_MANAGE)
    number = normalise_swe_registration_number(swe_registration_number)
    checks = Checks()
    _check_registration(checks, number, user=None)
    checks.raise_if_any()
    user = User.objects.create_user(
        username=username,
        password=password,
        first_name=first_name,
        last_name=last_name,
        email=email,
        work_phone=work_phone,
        swe_registration_number=number,
        team=team,
        job_title=job_title,
    )
    user.groups.set(Group.objects.filter(name__in=[r.value for r in roles]))
    record_event(
        acting_user=acting_user,
        event_type=EventType.USER_CREATED,
        target=user,
        new_values={
            "username": username,
            "roles": sorted(r.value for r in roles),
            "team": team.pk if team else None,
            "swe_registration_number": number,
        },
    )
    return user


@transaction.atomic(durable=True)
def create_team(*, acting_user: User, name: str, service: str) -> Team:
    """Create a team of the given service (``Team.Service``); its name is used once."""
    require_permission(acting_user, Permission.USERS_MANAGE)
    checks = Checks()
    name = name.strip()
    checks.check(bool(name), "name", "Enter the team's name")
    checks.check(service in Team.Service.values, "service", f"{service!r} is not a service")
    checks.check(
        not Team.objects.filter(name=name).exists(), "name", f"There is already a team {name}"
    )
    checks.raise_if_any()
    team = Team.objects.create(name=name, service=service)
    record_event(
        acting_user=acting_user,
        event_type=EventType.TEAM_CREATED,
        target=team,
        new_values={"name": name, "service": service},
    )
    return team


def _check_registration(checks: Checks, number: str, *, user: User | None) -> None:
    if not check_swe_registration_number(checks, number) or not number:
        return
    holder = User.objects.filter(swe_registration_number=number)
    if user is not None:
        holder = holder.exclude(pk=user.pk)
    other = holder.first()
    if other is not None:
        checks.broken(
            ONE_WORKER_A_NUMBER, "swe_registration_number", number=number, other=str(other)
        )


@transaction.atomic(durable=True)
def set_swe_registration_number(*, acting_user: User, user: User, number: str) -> User:
    """Record (or clear, with "") a user's Social Work England registration number: the
    SSDA903 SW_ID of the social worker episodes they hold."""
    require_permission(acting_user, Permission.USERS_MANAGE)
    number = normalise_swe_registration_number(number)
    checks = Checks()
    _check_registration(checks, number, user=user)
    checks.raise_if_any()
    old = user.swe_registration_number
    if old == number:
        return user
    user.swe_registration_number = number
    user.save(update_fields=["swe_registration_number"])
    record_event(
        acting_user=acting_user,
        event_type=EventType.UPDATED,
        target=user,
        old_values={"swe_registration_number": old},
        new_values={"swe_registration_number": number},
    )
    return user


# The administrator's changes to accounts. Each checks the permission, writes an audit row in
# its transaction, and (for dated roles and teams) applies what is current today.

USER_DETAIL_FIELDS = ("first_name", "last_name", "email", "job_title", "work_phone")


@transaction.atomic(durable=True)
def update_user(*, acting_user: User, user: User, read_version: int, **values: Any) -> User:
    """Change a user's name, work email, job title and work phone, refusing a stale form."""
    require_permission(acting_user, Permission.USERS_MANAGE)
    unknown = set(values) - set(USER_DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"update_user() cannot change {sorted(unknown)}")
    old = {name: getattr(user, name) for name in values}
    changed = {name: value for name, value in values.items() if old[name] != value}
    for name, value in changed.items():
        setattr(user, name, value)
    save_versioned(user, read_version=read_version, update_fields=list(changed))
    if changed:
        record_event(
            acting_user=acting_user,
            event_type=EventType.UPDATED,
            target=user,
            old_values={name: old[name] for name in changed},
            new_values=changed,
        )
    return user


@transaction.atomic(durable=True)
def set_user_active(*, acting_user: User, user: User, active: bool) -> User:
    """Deactivate a user (they can no longer sign in; their record of work stays) or
    reactivate them. An administrator cannot deactivate themself."""
    require_permission(acting_user, Permission.USERS_MANAGE)
    if not active and user.pk == acting_user.pk:
        raise ValidationError("You cannot deactivate your own account")
    if user.is_active == active:
        return user
    user.is_active = active
    user.save(update_fields=["is_active"])
    record_event(
        acting_user=acting_user,
        event_type=EventType.USER_REACTIVATED if active else EventType.USER_DEACTIVATED,
        target=user,
    )
    return user


@transaction.atomic(durable=True)
def unlock_user(*, acting_user: User, user: User) -> int:
    """Clear django-axes' record of failed sign-ins for the user's username, from every
    address, so they may try again at once. Returns how many records were cleared."""
    from axes.utils import reset

    require_permission(acting_user, Permission.USERS_MANAGE)
    cleared = int(reset(username=user.username) or 0)
    record_event(
        acting_user=acting_user,
        event_type=EventType.USER_UNLOCKED,
        target=user,
        extra={"attempts_cleared": cleared},
    )
    return cleared


def _check_dates(starts_on: date, ends_on: date | None) -> None:
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": "The end date must be the same as or after the start"})


@transaction.atomic(durable=True)
def give_role(
    *, acting_user: User, user: User, role: Role, starts_on: date, ends_on: date | None = None
) -> RoleAssignment:
    """Give a user a role from ``starts_on`` until ``ends_on`` (or with no end)."""
    require_permission(acting_user, Permission.USERS_MANAGE)
    _check_dates(starts_on, ends_on)
    assignment = RoleAssignment.objects.create(
        user=user, role=role.value, starts_on=starts_on, ends_on=ends_on
    )
    record_event(
        acting_user=acting_user,
        event_type=EventType.ROLE_ASSIGNED,
        target=user,
        new_values={"role": role.value, "starts_on": starts_on, "ends_on": ends_on},
    )
    _apply_roles(user, timezone.localdate(), acting_user=acting_user)
    return assignment


@transaction.atomic(durable=True)
def end_role(*, acting_user: User, assignment: RoleAssignment, ends_on: date) -> RoleAssignment:
    """Set the last day a user holds a role (today ends it tonight)."""
    require_permission(acting_user, Permission.USERS_MANAGE)
    _check_dates(assignment.starts_on, ends_on)
    old = assignment.ends_on
    assignment.ends_on = ends_on
    assignment.save(update_fields=["ends_on"])
    record_event(
        acting_user=acting_user,
        event_type=EventType.ROLE_ENDED,
        target=assignment.user,
        old_values={"role": assignment.role, "ends_on": old},
        new_values={"role": assignment.role, "ends_on": ends_on},
    )
    _apply_roles(assignment.user, timezone.localdate(), acting_user=acting_user)
    return assignment


@transaction.atomic(durable=True)
def join_team(
    *, acting_user: User, user: User, team: Team, starts_on: date, ends_on: date | None = None
) -> TeamMembership:
    """Put a user in a team from ``starts_on`` until ``ends_on`` (or with no end)."""
    require_permission(acting_user, Permission.USERS_MANAGE)
    _check_dates(starts_on, ends_on)
    membership = TeamMembership.objects.create(
        user=user, team=team, starts_on=starts_on, ends_on=ends_on
    )
    record_event(
        acting_user=acting_user,
        event_type=EventType.TEAM_JOINED,
        target=user,
        new_values={"team": team.pk, "starts_on": starts_on, "ends_on": ends_on},
    )
    _apply_team(user, timezone.localdate(), acting_user=acting_user)
    return membership


@transaction.atomic(durable=True)
def leave_team(*, acting_user: User, membership: TeamMembership, ends_on: date) -> TeamMembership:
    """Set the last day a user is in a team."""
    require_permission(acting_user, Permission.USERS_MANAGE)
    _check_dates(membership.starts_on, ends_on)
    old = membership.ends_on
    membership.ends_on = ends_on
    membership.save(update_fields=["ends_on"])
    record_event(
        acting_user=acting_user,
        event_type=EventType.TEAM_LEFT,
        target=membership.user,
        old_values={"team": membership.team_id, "ends_on": old},
        new_values={"team": membership.team_id, "ends_on": ends_on},
    )
    _apply_team(membership.user, timezone.localdate(), acting_user=acting_user)
    return membership


def _apply_roles(user: User, on: date, *, acting_user: User | None) -> bool:
    """Make the user's role groups follow their dated roles on ``on``: a role with dated rows
    is held exactly when one of them is current; roles without rows are left alone."""
    dated = list(RoleAssignment.objects.filter(user=user))
    if not dated:
        return False
    managed = {a.role for a in dated}
    current = {a.role for a in dated if a.is_current(on)}
    held = set(user.groups.filter(name__in=managed).values_list("name", flat=True))
    added, removed = sorted(current - held), sorted(held - current)
    if not added and not removed:
        return False
    user.groups.add(*Group.objects.filter(name__in=added))
    user.groups.remove(*Group.objects.filter(name__in=removed))
    record_event(
        acting_user=acting_user,
        event_type=EventType.ROLE_ASSIGNED,
        target=user,
        old_values={"roles": sorted(held)},
        new_values={"roles": sorted(current), "as_at": on},
    )
    return True


def _apply_team(user: User, on: date, *, acting_user: User | None) -> bool:
    """Make ``User.team`` the team of the user's membership current on ``on`` (the latest
    begun, if several), or no team once their dated memberships have all ended."""
    dated = list(TeamMembership.objects.filter(user=user).order_by("starts_on", "pk"))
    if not dated:
        return False
    current = [m for m in dated if m.is_current(on)]
    team_id = current[-1].team_id if current else None
    if user.team_id == team_id:
        return False
    old = user.team_id
    user.team_id = team_id
    user.save(update_fields=["team"])
    record_event(
        acting_user=acting_user,
        event_type=EventType.UPDATED,
        target=user,
        old_values={"team": old},
        new_values={"team": team_id, "as_at": on},
    )
    return True


@transaction.atomic(durable=True)
def apply_access_dates(*, on: date) -> int:
    """Apply the roles and teams that begin or end by ``on`` to every user with dated ones
    (``caseline apply_access_dates``, run daily by the system). Returns how many users
    changed."""
    user_ids = set(RoleAssignment.objects.values_list("user_id", flat=True))
    user_ids |= set(TeamMembership.objects.values_list("user_id", flat=True))
    changed = 0
    for user in User.objects.filter(pk__in=user_ids):
        roles = _apply_roles(user, on, acting_user=None)
        team = _apply_team(user, on, acting_user=None)
        changed += int(roles or team)
    return changed
