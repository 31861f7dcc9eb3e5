"""Give each request an id so its audit events can be read together."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from caseline.apps.audit.context import begin_request, end_request


class RequestIdMiddleware:
    """Sets the request id for the audit trail and echoes it in a response header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_uuid = begin_request()
        try:
            response = self.get_response(request)
        finally:
            end_request()
        response["X-Request-Id"] = str(request_uuid)
        return response
