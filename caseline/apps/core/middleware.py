"""Security headers on every response (issue 19)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class SecurityHeadersMiddleware:
    """``Cache-Control: no-store`` on every response to a signed-in user (children's pages
    and PDFs are never kept by the browser or a proxy), and the Content-Security-Policy on
    every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        signed_in = bool(user and user.is_authenticated)  # before the view: sign-out ends it
        response = self.get_response(request)
        if signed_in:
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        response.setdefault("Content-Security-Policy", settings.CASELINE_CONTENT_SECURITY_POLICY)
        return response
