"""Caseline's URLs. Every view is closed by default (``LoginRequiredMiddleware``)."""

from __future__ import annotations

from django.urls import include, path

urlpatterns = [
    path("", include("caseline.apps.core.urls")),
    path("accounts/", include("caseline.apps.accounts.urls")),
    path("audit/", include("caseline.apps.audit.urls")),
]
