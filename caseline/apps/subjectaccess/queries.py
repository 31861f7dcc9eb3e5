"""Reads for subject access: a handler's open requests with their deadlines, packs awaiting
approval."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from caseline.apps.accounts.models import User
from caseline.apps.subjectaccess.models import AccessPack, SubjectAccessRequest
from caseline.apps.timescales.rules import Timeliness, assess_timeliness


@dataclass(frozen=True)
class OpenRequest:
    """An open request and how it stands against its deadline."""

    request: SubjectAccessRequest
    timeliness: Timeliness


def open_requests_for(user: User, as_at: datetime.date) -> list[OpenRequest]:
    """The requests ``user`` handles that are not yet answered, soonest deadline first: one
    query."""
    requests = SubjectAccessRequest.objects.filter(
        handler=user, completed_on__isnull=True
    ).select_related("person")
    rows = [OpenRequest(r, assess_timeliness(r.due, None, as_at)) for r in requests]
    return sorted(rows, key=lambda row: (row.request.due, row.request.pk))


def active_terms(pack: AccessPack) -> list[str]:
    """The words a pack blanks out: its redactions not removed."""
    return list(pack.redactions.filter(removed_by__isnull=True).values_list("text", flat=True))


def packs_awaiting_approval(user: User) -> list[AccessPack]:
    """Packs assembled for open requests and not yet approved that ``user`` did not assemble,
    oldest request first: one query."""
    return list(
        AccessPack.objects.filter(approved_at__isnull=True, request__completed_on__isnull=True)
        .exclude(assembled_by=user)
        .select_related("request", "request__person")
        .order_by("request__received_on", "pk")
    )
