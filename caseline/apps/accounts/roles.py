"""Roles are Django groups whose permissions come from ``ROLE_PERMISSIONS``."""

from __future__ import annotations

from typing import Any

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group
from django.contrib.auth.models import Permission as DjangoPermission
from django.contrib.contenttypes.models import ContentType

from caseline.apps.accounts.permissions import ROLE_PERMISSIONS, Permission, Role


def sync_roles() -> None:
    """Make every role's group hold exactly its catalogue permissions. Safe to re-run."""
    from caseline.apps.accounts.models import CaselinePermission

    content_type = ContentType.objects.get_for_model(CaselinePermission, for_concrete_model=False)
    by_codename = {
        p.codename: p for p in DjangoPermission.objects.filter(content_type=content_type)
    }
    missing = [p for p in Permission if p.codename not in by_codename]
    for permission in missing:
        by_codename[permission.codename] = DjangoPermission.objects.create(
            content_type=content_type, codename=permission.codename, name=permission.description
        )
    for role, permissions in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        group.permissions.set([by_codename[p.codename] for p in permissions])


def sync_roles_after_migrate(sender: Any, **kwargs: Any) -> None:
    """``post_migrate`` receiver: create catalogue permissions, then sync the groups."""
    app_config = kwargs.get("app_config")
    if app_config is not None:
        create_permissions(app_config, verbosity=0, using=kwargs.get("using", "default"))
    if global_apps.is_installed("django.contrib.auth"):
        sync_roles()


def assign_role(user: Any, role: Role) -> None:
    """Put a user into a role's group (used by the demo and by tests)."""
    user.groups.add(Group.objects.get(name=role.value))
