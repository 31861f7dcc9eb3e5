"""Signing in and permission checks: Django's model backend, reading a user's roles and
permissions in one query.

Django's ``ModelBackend`` reads a user's own permissions and their groups' permissions in two
queries, and the page shell read the user's roles (groups) in a third. Every page does all
three, so here they are one: the user's roles with each role's permissions, and the user's own
permissions, as one ``UNION``. The results are kept on the user object for the request, under
the attributes ``ModelBackend`` uses, so ``has_perm``, ``get_group_permissions`` and
``get_user_permissions`` all answer from them.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db.models import CharField, Value

_ROLES_CACHE = "_caseline_roles"


def _read_roles_and_permissions(user: Any) -> None:
    """Fill the user's role and permission caches from one query."""
    nothing = Value("", output_field=CharField())
    role_rows = (
        Group.objects.filter(user=user)
        .values_list("name", "permissions__content_type__app_label", "permissions__codename")
        .order_by()
    )
    own_rows = (
        Permission.objects.filter(user=user)
        .values_list(nothing, "content_type__app_label", "codename")
        .order_by()
    )
    roles: set[str] = set()
    from_roles: set[str] = set()
    own: set[str] = set()
    for role, app_label, codename in role_rows.union(own_rows, all=True):
        if role:
            roles.add(role)
        if codename:
            (from_roles if role else own).add(f"{app_label}.{codename}")
    setattr(user, _ROLES_CACHE, sorted(roles))
    user._user_perm_cache = own
    user._group_perm_cache = from_roles


def roles_of(user: Any) -> list[str]:
    """The names of the user's roles, sorted (read with their permissions, once a request)."""
    if not hasattr(user, _ROLES_CACHE):
        _read_roles_and_permissions(user)
    roles: list[str] = getattr(user, _ROLES_CACHE)
    return roles


class RoleBackend(ModelBackend):
    """``ModelBackend`` with a user's roles and permissions read together."""

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if user_obj.is_superuser:
            return super().get_all_permissions(user_obj, obj)
        if not hasattr(user_obj, "_perm_cache"):
            if not hasattr(user_obj, "_user_perm_cache") or not hasattr(
                user_obj, "_group_perm_cache"
            ):
                _read_roles_and_permissions(user_obj)
            user_obj._perm_cache = user_obj._user_perm_cache | user_obj._group_perm_cache
        cached: set[str] = user_obj._perm_cache
        return cached
