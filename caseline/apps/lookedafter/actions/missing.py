"""Missing and away from placement (903 Missing table), and the return interview."""

from __future__ import annotations

import datetime

from django.db import transaction

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.codes.lists import CodeListName
from caseline.apps.core.access import require_permission
from caseline.apps.core.checks import Checks
from caseline.apps.lookedafter.actions.common import change, lock, looked_after_on, record_new
from caseline.apps.lookedafter.events import LookedAfterEvent
from caseline.apps.lookedafter.models import MissingEpisode
from caseline.apps.people.models import Person
from caseline.apps.timescales.rules import format_date


def _check_return(
    checks: Checks,
    child: Person,
    start_date: datetime.date,
    end_date: datetime.date | None,
    return_interview_offered: bool | None,
    return_interview_accepted: bool | None,
) -> None:
    """The return (if the child is back) comes after the episode began; an interview can be
    accepted only if it was offered."""
    if end_date is not None and checks.check(
        end_date >= start_date,
        "end_date",
        "The date the child returned must be on or after the date the episode began, "
        f"{format_date(start_date)}",
    ):
        checks.happened("end_date", end_date, "The date the child returned", child=child)
    checks.check(
        return_interview_accepted is None or bool(return_interview_offered),
        "return_interview_accepted",
        "A return interview can only be accepted if it was offered",
    )


@transaction.atomic(durable=True)
def record_missing(
    *,
    acting_user: User,
    child: Person,
    missing_type: str,
    start_date: datetime.date,
    end_date: datetime.date | None,
    return_interview_offered: bool | None,
    return_interview_accepted: bool | None,
    notes: str = "",
) -> MissingEpisode:
    """The child went missing, or was away from placement without authorisation."""
    require_permission(acting_user, Permission.CARE_RECORD)
    child = lock(child)
    checks = Checks()
    checks.code(
        "missing_type",
        CodeListName.MISSING_TYPE,
        missing_type,
        on=start_date,
        what="type of episode",
    )
    checks.happened("start_date", start_date, "The date the episode began", child=child)
    _check_return(
        checks, child, start_date, end_date, return_interview_offered, return_interview_accepted
    )
    looked_after_on(checks, child, start_date, "start_date", "The date the episode began")
    checks.raise_if_any()
    return record_new(
        MissingEpisode,
        LookedAfterEvent.MISSING_RECORDED,
        acting_user=acting_user,
        child=child,
        missing_type=missing_type,
        start_date=start_date,
        end_date=end_date,
        return_interview_offered=return_interview_offered,
        return_interview_accepted=return_interview_accepted,
        notes=notes,
    )


@transaction.atomic(durable=True)
def record_missing_return(
    *,
    acting_user: User,
    missing: MissingEpisode,
    end_date: datetime.date | None,
    return_interview_offered: bool | None,
    return_interview_accepted: bool | None,
) -> MissingEpisode:
    """The child's return and the return interview, recorded after the episode began."""
    require_permission(acting_user, Permission.CARE_RECORD)
    missing = MissingEpisode.objects.select_for_update().get(pk=missing.pk)
    checks = Checks()
    _check_return(
        checks,
        missing.person,
        missing.start_date,
        end_date,
        return_interview_offered,
        return_interview_accepted,
    )
    checks.raise_if_any()
    change(
        missing,
        LookedAfterEvent.MISSING_RETURN_RECORDED,
        acting_user=acting_user,
        end_date=end_date,
        return_interview_offered=return_interview_offered,
        return_interview_accepted=return_interview_accepted,
    )
    return missing
