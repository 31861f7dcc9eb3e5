"""The home page and the health check."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.views.generic import TemplateView

from caseline.apps.accounts.permissions import Permission
from caseline.apps.core.access import PermissionRequiredMixin
from caseline.apps.core.home import home_sections_for


class HomeView(PermissionRequiredMixin, TemplateView):
    """Routes each role to its work."""

    permission = Permission.HOME_VIEW
    template_name = "core/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["sections"] = home_sections_for(self.request.user)
        return context


@login_not_required
def health_view(request: HttpRequest) -> JsonResponse:
    """For load balancers: answers whether the database is reachable, and nothing more."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_not_required
def favicon_view(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers ask for /favicon.ico whatever the page says: send them to Caseline's icon."""
    return HttpResponsePermanentRedirect(static("dist/images/favicon.svg"))
