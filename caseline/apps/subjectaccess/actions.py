"""Subject access's writes: record a request, extend its deadline, record its answer."""

from __future__ import annotations

import datetime

from django.db import transaction

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.audit.record import record_event, snapshot
from caseline.apps.core.access import require_permission, user_can
from caseline.apps.core.checks import Checks
from caseline.apps.people.models import Person
from caseline.apps.subjectaccess.deadline import MAX_EXTENSION_MONTHS
from caseline.apps.subjectaccess.events import SubjectAccessEvent
from caseline.apps.subjectaccess.models import SubjectAccessRequest

REASON_LIMIT = 2000
_FIELDS = ["person", "requester", "received_on", "identity_confirmed_on", "handler"]


@transaction.atomic(durable=True)
def record_request(
    *,
    acting_user: User,
    person: Person,
    requester: str,
    received_on: datetime.date | None,
    identity_confirmed_on: datetime.date | None = None,
    handler: User | None = None,
) -> SubjectAccessRequest:
    """Record a request for what the council holds about ``person``; its deadline follows."""
    require_permission(acting_user, Permission.SUBJECT_ACCESS_MANAGE)
    checks = Checks()
    checks.check(
        requester in SubjectAccessRequest.Requester.values, "requester", "Select who is asking"
    )
    if checks.required("received_on", received_on, "Enter the date the request was received"):
        checks.happened("received_on", received_on, "The date the request was received")
    if identity_confirmed_on is not None:
        checks.happened(
            "identity_confirmed_on", identity_confirmed_on, "The date the identity was confirmed"
        )
        if received_on is not None and not checks.has("identity_confirmed_on"):
            checks.check(
                identity_confirmed_on >= received_on,
                "identity_confirmed_on",
                "The date the identity was confirmed must be on or after the date received",
            )
    handler = handler or acting_user
    checks.check(
        user_can(handler, Permission.SUBJECT_ACCESS_MANAGE),
        "handler",
        "The handler must be someone who may answer subject access requests",
    )
    checks.raise_if_any()
    assert received_on is not None
    request = SubjectAccessRequest.objects.create(
        person=person,
        requester=requester,
        received_on=received_on,
        identity_confirmed_on=identity_confirmed_on,
        handler=handler,
        recorded_by=acting_user,
    )
    record_event(
        acting_user=acting_user,
        event_type=SubjectAccessEvent.REQUEST_RECORDED,
        target=request,
        subject_person_id=person.pk,
        new_values={**snapshot(request, _FIELDS), "due": request.due},
    )
    return request


@transaction.atomic(durable=True)
def extend_request(
    *,
    acting_user: User,
    request: SubjectAccessRequest,
    months: int,
    reason: str,
    as_at: datetime.date,
) -> SubjectAccessRequest:
    """Extend a complex request by one or two months, within its first month, saying why."""
    require_permission(acting_user, Permission.SUBJECT_ACCESS_MANAGE)
    request = SubjectAccessRequest.objects.select_for_update().get(pk=request.pk)
    checks = Checks()
    reason = reason.strip()
    checks.check(request.completed_on is None, None, "This request has already been answered")
    checks.check(
        request.extension_months == 0, None, "This request's deadline has already been extended"
    )
    checks.check(
        as_at <= request.first_due,
        None,
        f"A deadline can only be extended within the first month, by {request.first_due:%-d %B %Y}",
    )
    checks.check(
        1 <= months <= MAX_EXTENSION_MONTHS, "months", "Select an extension of 1 or 2 months"
    )
    checks.required("reason", reason, "Enter why the request needs longer")
    checks.check(
        len(reason) <= REASON_LIMIT,
        "reason",
        f"The reason must be {REASON_LIMIT} characters or fewer",
    )
    checks.raise_if_any()
    before = request.due
    request.extension_months = months
    request.extension_reason = reason
    request.extended_on = as_at
    request.save(update_fields=["extension_months", "extension_reason", "extended_on"])
    record_event(
        acting_user=acting_user,
        event_type=SubjectAccessEvent.REQUEST_EXTENDED,
        target=request,
        subject_person_id=request.person_id,
        old_values={"due": before},
        new_values={"due": request.due, "extension_months": months, "reason": reason},
    )
    return request


@transaction.atomic(durable=True)
def complete_request(
    *, acting_user: User, request: SubjectAccessRequest, completed_on: datetime.date | None
) -> SubjectAccessRequest:
    """Record the day the answer was sent."""
    require_permission(acting_user, Permission.SUBJECT_ACCESS_MANAGE)
    request = SubjectAccessRequest.objects.select_for_update().get(pk=request.pk)
    checks = Checks()
    checks.check(request.completed_on is None, None, "This request has already been answered")
    if checks.required("completed_on", completed_on, "Enter the date the answer was sent"):
        checks.happened("completed_on", completed_on, "The date the answer was sent")
    if completed_on is not None and not checks.has("completed_on"):
        checks.check(
            completed_on >= request.received_on,
            "completed_on",
            "The date the answer was sent must be on or after the date the request was received",
        )
    checks.raise_if_any()
    request.completed_on = completed_on
    request.save(update_fields=["completed_on"])
    record_event(
        acting_user=acting_user,
        event_type=SubjectAccessEvent.REQUEST_COMPLETED,
        target=request,
        subject_person_id=request.person_id,
        new_values={"completed_on": completed_on, "due": request.due},
    )
    return request
