"""A user's roles and permissions come in one query and say what Django's backend says."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission as DjangoPermission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from caseline.apps.accounts.backends import RoleBackend, roles_of
from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission, Role

pytestmark = pytest.mark.django_db


def _fresh(user: User) -> User:
    """The user as a new request would load it: no caches."""
    return User.objects.get(pk=user.pk)


def test_roles_and_permissions_are_read_in_one_query(
    make_user: Any, django_assert_num_queries: Any
) -> None:
    user = _fresh(make_user(Role.SOCIAL_WORKER, Role.TEAM_MANAGER))
    with django_assert_num_queries(1):
        assert roles_of(user) == sorted([Role.SOCIAL_WORKER.value, Role.TEAM_MANAGER.value])
        assert user.has_perm(Permission.ASSESSMENT_AUTHORISE.django_name)
        assert not user.has_perm(Permission.USERS_MANAGE.django_name)
        user.get_group_permissions()
        user.get_user_permissions()


def test_permissions_are_the_model_backends_including_a_users_own(make_user: Any) -> None:
    user = make_user(Role.SOCIAL_WORKER, Role.IRO)
    own = DjangoPermission.objects.get(codename=Permission.AUDIT_LOG_VIEW.codename)
    user.user_permissions.add(own)

    ours, django = RoleBackend(), ModelBackend()
    assert ours.get_all_permissions(_fresh(user)) == django.get_all_permissions(_fresh(user))
    assert ours.get_user_permissions(_fresh(user)) == django.get_user_permissions(_fresh(user))
    assert ours.get_group_permissions(_fresh(user)) == django.get_group_permissions(_fresh(user))
    assert Permission.AUDIT_LOG_VIEW.django_name in ours.get_all_permissions(_fresh(user))


def test_a_user_without_roles_holds_nothing_and_an_inactive_user_nothing(
    make_user: Any,
) -> None:
    nobody = _fresh(make_user())
    assert roles_of(nobody) == []
    assert RoleBackend().get_all_permissions(nobody) == set()
    inactive = make_user(Role.ADMINISTRATOR, is_active=False)
    assert RoleBackend().get_all_permissions(_fresh(inactive)) == set()


def test_a_superuser_holds_every_permission(make_user: Any) -> None:
    superuser = _fresh(make_user(is_superuser=True))
    assert RoleBackend().get_all_permissions(superuser) == ModelBackend().get_all_permissions(
        _fresh(superuser)
    )


def test_a_page_reads_roles_and_permissions_once(client: Client, make_user: Any) -> None:
    user = make_user(Role.SOCIAL_WORKER)
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/")
    assert response.status_code == 200
    assert Role.SOCIAL_WORKER.value in response.content.decode()
    reads = [q["sql"] for q in captured.captured_queries if "auth_group" in q["sql"]]
    assert len(reads) == 1
