"""Reads for subject access: a handler's open requests with their deadlines."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from caseline.apps.accounts.models import User
from caseline.apps.subjectaccess.models import SubjectAccessRequest
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
