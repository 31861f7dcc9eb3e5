"""Every view declares the permission it needs; these are the two ways to declare it.

Class views mix in :class:`PermissionRequiredMixin` and set ``permission``. Function views
use :func:`requires`. The URL-walk test fails for any view that does neither and is not
marked public with Django's ``login_not_required``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from caseline.apps.accounts.permissions import Permission

if TYPE_CHECKING:
    from caseline.apps.accounts.models import User

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponseBase])


class AuthenticatedRequest(HttpRequest):
    """A request past the login middleware: its user is signed in (for type checking)."""

    user: User


def user_can(user: Any, permission: Permission) -> bool:
    """Whether a (possibly anonymous) user holds a catalogue permission. The one way to ask."""
    return bool(user.is_authenticated and user.is_active and user.has_perm(permission.django_name))


def require_permission(user: Any, permission: Permission) -> None:
    """Refuse with ``PermissionDenied`` unless the user holds ``permission``.

    Every action calls this first, so a write is refused whoever calls it (a view, a command,
    an importer), not only when a page forgot to check.
    """
    if not user_can(user, permission):
        raise PermissionDenied(f"This needs the permission to {permission.description.lower()}")


class PermissionRequiredMixin:
    """Refuses the request with 403 unless the user holds ``permission``.

    The check runs in ``dispatch`` before any object is looked up, so a user without the
    permission learns nothing about which records exist.
    """

    permission: ClassVar[Permission]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        permission = getattr(self, "permission", None)
        if permission is None:
            raise ImproperlyConfigured(f"{type(self).__name__} must declare a permission.")
        if not user_can(request.user, permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc, no-any-return]


def requires(permission: Permission) -> Callable[[ViewFunc], ViewFunc]:
    """Decorate a function view so that it needs ``permission``."""

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not user_can(request.user, permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.caseline_permission = permission  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


def declared_permission(view: Callable[..., Any]) -> Permission | None:
    """The permission a resolved URL's view declares, if any."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return getattr(view_class, "permission", None)
    return getattr(view, "caseline_permission", None)
