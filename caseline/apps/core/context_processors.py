"""Values every page template needs: navigation, the signed-in user's roles, session timing."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from caseline.apps.accounts.backends import roles_of
from caseline.apps.core.navigation import navigation_for


def shell(request: HttpRequest) -> dict[str, Any]:
    """Context for the page shell in ``base.html``."""
    user = request.user
    signed_in = bool(user.is_authenticated)
    return {
        "service_name": "Caseline",
        "service_navigation": navigation_for(user, request.path) if signed_in else [],
        "user_roles": roles_of(user) if signed_in else [],
        "session_idle_seconds": settings.CASELINE_SESSION_IDLE_MINUTES * 60,
        "session_warning_seconds": settings.CASELINE_SESSION_WARNING_MINUTES * 60,
        "session_warning_minutes": settings.CASELINE_SESSION_WARNING_MINUTES,
        "caseline_environment": settings.CASELINE_ENVIRONMENT,
    }
