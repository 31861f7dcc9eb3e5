"""Subject access's writes: record a request, extend its deadline, assemble its pack, review
and approve its redactions, record its answer."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.audit.record import record_event, snapshot
from caseline.apps.core.access import require_permission, user_can
from caseline.apps.core.checks import Checks
from caseline.apps.people.models import Person
from caseline.apps.people.queries import relationships_of, visible_among
from caseline.apps.subjectaccess.deadline import MAX_EXTENSION_MONTHS
from caseline.apps.subjectaccess.events import SubjectAccessEvent
from caseline.apps.subjectaccess.models import AccessPack, Redaction, SubjectAccessRequest
from caseline.apps.subjectaccess.pack import assemble

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


@transaction.atomic(durable=True)
def assemble_pack(*, acting_user: User, request: SubjectAccessRequest) -> AccessPack:
    """Find every record about and mentioning the requester, keep it on the pack as it stands,
    and propose the third parties' information for redaction."""
    require_permission(acting_user, Permission.SUBJECT_ACCESS_MANAGE)
    request = SubjectAccessRequest.objects.select_for_update().get(pk=request.pk)
    checks = Checks()
    checks.check(request.completed_on is None, None, "This request has already been answered")
    checks.check(
        not AccessPack.objects.filter(request=request).exists(),
        None,
        "The pack for this request has already been assembled",
    )
    checks.raise_if_any()
    person = request.person
    related = {
        r.other_id if r.person_id == person.pk else r.person_id for r in relationships_of(person)
    }
    found = assemble(person, visible_among(acting_user, related))
    pack = AccessPack.objects.create(
        request=request,
        entries=found.entries,
        searched={
            "related": len(related),
            "searched": len(found.related_searched),
            "included": len(found.related_included),
        },
        assembled_by=acting_user,
    )
    Redaction.objects.bulk_create(
        Redaction(
            pack=pack,
            text=p.text[:200],
            reason=p.reason,
            origin=Redaction.Origin.PROPOSED,
            added_by=acting_user,
        )
        for p in found.proposals
    )
    record_event(
        acting_user=acting_user,
        event_type=SubjectAccessEvent.PACK_ASSEMBLED,
        target=pack,
        subject_person_id=person.pk,
        new_values={
            "entries": len(found.entries),
            "proposed_redactions": len(found.proposals),
            **pack.searched,
        },
    )
    # Each related person's record read for the pack is a read of that record.
    for other_id in found.related_searched:
        record_event(
            acting_user=acting_user,
            event_type=SubjectAccessEvent.RECORD_SEARCHED,
            target=pack,
            subject_person_id=other_id,
            extra={"for_person_id": person.pk},
        )
    return pack


def _check_open(checks: Checks, pack: AccessPack) -> None:
    checks.check(
        pack.approved_at is None, None, "The pack is approved: its redactions cannot change"
    )
    checks.check(pack.request.completed_on is None, None, "This request has already been answered")


@transaction.atomic(durable=True)
def add_redaction(*, acting_user: User, pack: AccessPack, text: str, reason: str) -> Redaction:
    """Blank out ``text`` wherever it appears in the pack, saying why."""
    require_permission(acting_user, Permission.SUBJECT_ACCESS_MANAGE)
    pack = AccessPack.objects.select_for_update().select_related("request").get(pk=pack.pk)
    text, reason = text.strip(), reason.strip()
    checks = Checks()
    _check_open(checks, pack)
    if checks.required("text", text, "Enter the words to redact"):
        checks.check(
            len(text) <= 200, "text", "The words to redact must be 200 characters or fewer"
        )
        checks.check(
            not pack.redactions.filter(text__iexact=text, removed_by__isnull=True).exists(),
            "text",
            f"“{text}” is already redacted",
        )
    if checks.required("reason", reason, "Enter why it is redacted"):
        checks.check(len(reason) <= 500, "reason", "The reason must be 500 characters or fewer")
    checks.raise_if_any()
    redaction = Redaction.objects.create(
        pack=pack, text=text, reason=reason, origin=Redaction.Origin.ADDED, added_by=acting_user
    )
    record_event(
        acting_user=acting_user,
        event_type=SubjectAccessEvent.REDACTION_ADDED,
        target=redaction,
        subject_person_id=pack.request.person_id,
        new_values={"text": text, "reason": reason},
    )
    return redaction


@transaction.atomic(durable=True)
def remove_redaction(*, acting_user: User, redaction: Redaction, reason: str) -> Redaction:
    """Release what a redaction blanked out, saying why (it stays listed as removed)."""
    require_permission(acting_user, Permission.SUBJECT_ACCESS_MANAGE)
    redaction = (
        Redaction.objects.select_for_update()
        .select_related("pack", "pack__request")
        .get(pk=redaction.pk)
    )
    reason = reason.strip()
    checks = Checks()
    _check_open(checks, redaction.pack)
    checks.check(redaction.active, None, "This redaction has already been removed")
    if checks.required("reason", reason, "Enter why the redaction is removed"):
        checks.check(len(reason) <= 500, "reason", "The reason must be 500 characters or fewer")
    checks.raise_if_any()
    redaction.removed_by = acting_user
    redaction.removed_reason = reason
    redaction.save(update_fields=["removed_by", "removed_reason"])
    record_event(
        acting_user=acting_user,
        event_type=SubjectAccessEvent.REDACTION_REMOVED,
        target=redaction,
        subject_person_id=redaction.pack.request.person_id,
        old_values={"text": redaction.text},
        new_values={"reason": reason},
    )
    return redaction


@transaction.atomic(durable=True)
def approve_pack(*, acting_user: User, pack: AccessPack, confirmed: bool) -> AccessPack:
    """The second person approves the pack's redactions: someone other than whoever assembled
    it or changed its redactions. Only then may it be produced."""
    require_permission(acting_user, Permission.SUBJECT_ACCESS_APPROVE)
    pack = AccessPack.objects.select_for_update().select_related("request").get(pk=pack.pk)
    checks = Checks()
    checks.check(pack.approved_at is None, None, "The pack is already approved")
    checks.check(pack.request.completed_on is None, None, "This request has already been answered")
    preparers = {pack.assembled_by_id}
    for added_by, removed_by in pack.redactions.values_list("added_by", "removed_by"):
        preparers.update({added_by, removed_by})
    checks.check(
        acting_user.pk not in preparers,
        None,
        "You prepared this pack: a second person must approve it",
    )
    checks.check(confirmed, "confirmed", "Confirm that you have reviewed the redactions")
    checks.raise_if_any()
    pack.approved_by = acting_user
    pack.approved_at = timezone.now()
    pack.save(update_fields=["approved_by", "approved_at"])
    record_event(
        acting_user=acting_user,
        event_type=SubjectAccessEvent.PACK_APPROVED,
        target=pack,
        subject_person_id=pack.request.person_id,
        new_values={
            "redactions": pack.redactions.filter(removed_by__isnull=True).count(),
            "entries": len(pack.entries),
        },
    )
    return pack
