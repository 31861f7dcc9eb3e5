"""Creating accounts: by the system, or by someone who manages users."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied

from caseline.apps.accounts.actions import create_user
from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission, Role

pytestmark = pytest.mark.django_db


def _create(acting_user: User | None, username: str) -> User:
    return create_user(
        acting_user=acting_user,
        username=username,
        password="correct horse battery staple",
        first_name="New",
        last_name="Worker",
        roles=[Role.SOCIAL_WORKER],
    )


def test_the_system_and_an_administrator_may_create_users(
    make_user: Callable[..., User],
) -> None:
    assert _create(None, "from.demo").can(Permission.NOTE_RECORD)
    admin = make_user(Role.ADMINISTRATOR)
    assert _create(admin, "from.admin").can(Permission.NOTE_RECORD)


def test_anyone_else_is_refused(make_user: Callable[..., User]) -> None:
    with pytest.raises(PermissionDenied):
        _create(make_user(Role.TEAM_MANAGER), "refused")
    assert not User.objects.filter(username="refused").exists()
