"""Who the child is: the pen picture, and an unaccompanied asylum-seeking child's details
(903 UASC). One of each per child, rewritten in place with optimistic locking."""

from __future__ import annotations

import datetime

from django.db import transaction

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.core.access import require_permission
from caseline.apps.core.checks import Checks
from caseline.apps.lookedafter.actions.common import lock, save_one_per_child
from caseline.apps.lookedafter.events import LookedAfterEvent
from caseline.apps.lookedafter.models import PenPicture, UASCDetails
from caseline.apps.people.models import Person


@transaction.atomic(durable=True)
def save_pen_picture(
    *,
    acting_user: User,
    child: Person,
    read_version: int | None,
    who_they_are: str,
    what_matters: str,
    story_so_far: str,
    big_decisions: str,
) -> PenPicture:
    """Write or rewrite the child's pen picture; refuses if someone saved it meanwhile."""
    require_permission(acting_user, Permission.CARE_RECORD)
    child = lock(child)
    checks = Checks()
    checks.required("who_they_are", who_they_are, f"Enter who {child.given_name} is")
    checks.required("what_matters", what_matters, f"Enter what matters to {child.given_name}")
    checks.required("story_so_far", story_so_far, f"Enter {child.given_name}'s story so far")
    checks.required("big_decisions", big_decisions, "Enter why the big decisions were made")
    checks.raise_if_any()
    return save_one_per_child(
        PenPicture,
        LookedAfterEvent.PEN_PICTURE_SAVED,
        acting_user=acting_user,
        child=child,
        read_version=read_version,
        who_they_are=who_they_are,
        what_matters=what_matters,
        story_so_far=story_so_far,
        big_decisions=big_decisions,
    )


@transaction.atomic(durable=True)
def save_uasc_details(
    *,
    acting_user: User,
    child: Person,
    read_version: int | None,
    arrived_on: datetime.date | None,
    national_transfer_scheme: bool,
    age_assessment_on: datetime.date | None,
    age_assessment_outcome: str,
    ceased_on: datetime.date | None,
) -> UASCDetails:
    """Record or change an unaccompanied asylum-seeking child's details (903 UASC)."""
    require_permission(acting_user, Permission.CARE_RECORD)
    child = lock(child)
    checks = Checks()
    checks.check(
        child.is_uasc,
        "arrived_on",
        f"{child.given_name} is not recorded as an unaccompanied asylum-seeking child: "
        "change their identity details first",
    )
    if not checks.has("arrived_on"):
        checks.happened("arrived_on", arrived_on, "The date the child arrived", child=child)
    checks.happened(
        "age_assessment_on", age_assessment_on, "The date of the age assessment", child=child
    )
    checks.happened("ceased_on", ceased_on, "The date the child stopped being UASC", child=child)
    if arrived_on and age_assessment_on and not checks.has("age_assessment_on"):
        checks.check(
            age_assessment_on >= arrived_on,
            "age_assessment_on",
            "The age assessment must be on or after the date of arrival",
        )
    if arrived_on and ceased_on and not checks.has("ceased_on"):
        checks.check(
            ceased_on >= arrived_on,
            "ceased_on",
            "The date the child stopped being UASC must be on or after the date of arrival",
        )
    if age_assessment_on:
        checks.required(
            "age_assessment_outcome",
            age_assessment_outcome,
            "Enter the outcome of the age assessment",
        )
    checks.raise_if_any()
    return save_one_per_child(
        UASCDetails,
        LookedAfterEvent.UASC_DETAILS_SAVED,
        acting_user=acting_user,
        child=child,
        read_version=read_version,
        arrived_on=arrived_on,
        national_transfer_scheme=national_transfer_scheme,
        age_assessment_on=age_assessment_on,
        age_assessment_outcome=age_assessment_outcome,
        ceased_on=ceased_on,
    )
