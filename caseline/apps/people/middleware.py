"""Audit every response that shows people's data, and every refusal, in one place."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from caseline.apps.audit.events import EventType
from caseline.apps.audit.record import record_event
from caseline.apps.people.shown import people_in, shown_on

# Responses that show the page's data: a page (200) and a form shown again with its errors.
SHOWING = frozenset({200, 400})


class ReadAuditMiddleware:
    """Writes one audit event for each response that shows people (see ``people.shown``):
    ``record.viewed`` for a page of a person's record (the person and the section, with any
    others shown), ``record.listed`` for any other page (the people in ``extra``). Writes
    ``access.refused`` for every 403, naming the user and the address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if response.status_code == 403:
            record_event(
                acting_user=user,
                event_type=EventType.ACCESS_REFUSED,
                extra={"path": request.path, "method": request.method},
            )
            return response
        if response.status_code not in SHOWING or not (user and user.is_authenticated):
            return response
        shown = shown_on(request)
        people = set(shown.people)
        context = getattr(response, "context_data", None)
        if context:
            view = context.get("view")
            paths = getattr(view, "children_shown_from", None)
            people |= people_in(context, paths)
        subject = shown.subject
        if subject is None and len(people) == 1:
            subject = next(iter(people))
        if subject is None and not people:
            return response
        others = sorted(people - {subject} if subject is not None else people)
        match = request.resolver_match
        section = shown.section or (match.view_name if match else request.path)
        extra: dict[str, object] = {"section": section}
        if others:
            extra["people"] = others
        record_event(
            acting_user=user,
            event_type=EventType.CHILD_RECORD_VIEWED if subject else EventType.CHILDREN_LISTED,
            subject_person_id=subject,
            extra=extra,
        )
        return response
