"""When the database goes away in the middle of a request: a clear page, not a stack trace.

A request whose database connection is lost (the database restarted, the connection ended by
an administrator, a network fault) is answered with a 503 page, "Sorry, there is a problem
with the service", which says nothing was saved and shows back what the person had typed
(the form's draft is also kept in the browser, ``frontend/js/caseline.js``). Nothing on the
page needs the database. The action's transaction was rolled back, and the form's one-time
token is given back (``core.submissions``), so sending the form again saves it once.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader

from caseline.apps.core import submissions

logger = logging.getLogger(__name__)

# The errors that mean the database could not be reached or the connection was lost, not a
# fault in Caseline's own queries (those are ProgrammingError, IntegrityError, DataError).
DATABASE_LOST = (OperationalError, InterfaceError)
# Fields never shown back: tokens, and anything secret.
NOT_SHOWN = {"csrfmiddlewaretoken", submissions.TOKEN_FIELD, "version"}


def typed_by(request: HttpRequest) -> list[tuple[str, str]]:
    """What the person typed into the form they sent, field by field, for the page."""
    if request.method != "POST":
        return []
    typed = []
    for name, values in request.POST.lists():
        if name in NOT_SHOWN or "password" in name or "token" in name:
            continue
        value = "\n".join(v for v in values if v.strip())
        if value:
            typed.append((name.replace("_", " ").capitalize(), value))
    return typed


def service_unavailable(request: HttpRequest) -> HttpResponse:
    """The 503 page, made without the database (no context processors, no user)."""
    page = loader.get_template("503.html").render({"typed": typed_by(request)})
    response = HttpResponse(page, status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"  # it may show back what was typed about a child
    return response


class DatabaseUnavailableMiddleware:
    """Answer a view whose database connection was lost with the 503 page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DATABASE_LOST):
            return None
        logger.error("Database lost during %s %s", request.method, request.path, exc_info=exception)
        return service_unavailable(request)


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's ``handler500``: the 503 page when the database was lost outside a view (a
    middleware saving the session), else the 500 page."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_LOST):
        return service_unavailable(request)
    return HttpResponseServerError(loader.get_template("500.html").render())
