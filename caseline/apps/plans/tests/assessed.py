"""An assessment of a child, for tests of what a plan's form shows of it."""

from __future__ import annotations

import datetime

from caseline.apps.accounts.models import User
from caseline.apps.assessments.models import Assessment
from caseline.apps.frontdoor.models import Referral
from caseline.apps.people.models import Person


def assessed(
    child: Person,
    by: User,
    *,
    identity: str,
    authorised_on: datetime.date | None,
    status: str = Assessment.Status.AUTHORISED,
) -> Assessment:
    """An assessment in the child's referral with this identity section, written directly
    (a state to test from, not the assessments app's actions)."""
    return Assessment.objects.create(
        person=child,
        referral=Referral.objects.filter(person=child).latest("referral_date"),
        start_date=datetime.date(2025, 1, 6),
        identity=identity,
        status=status,
        authorised_on=authorised_on,
        recorded_by=by,
    )
