"""Writes about accounts: signing in and out, lockout, creating users and giving them roles,
and their Social Work England registration numbers."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.models import Group
from django.db import transaction
from django.http import HttpRequest

from caseline.apps.accounts.models import Team, User
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


class SignInOutcome(StrEnum):
    SIGNED_IN = "signed-in"
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
    login(request, user)
    record_event(acting_user=user, event_type=EventType.SIGNED_IN, target=user)
    return SignInResult(SignInOutcome.SIGNED_IN, user)


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
    password: str,
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
