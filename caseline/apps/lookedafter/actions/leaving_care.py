"""Leaving care: the care leaver's personal adviser, and keeping in touch (903 OC3)."""

from __future__ import annotations

import datetime

from django.db import transaction

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.codes.lists import CodeListName
from caseline.apps.core.access import require_permission
from caseline.apps.core.checks import Checks
from caseline.apps.lookedafter.actions.common import allocate, lock, record_new
from caseline.apps.lookedafter.events import LookedAfterEvent
from caseline.apps.lookedafter.models import CareLeaverContact, PersonalAdviser
from caseline.apps.people.models import Person

IN_TOUCH = "YES"
KEEPING_IN_TOUCH_MIN_AGE = 16
STAYING_PUT_MIN_AGE = 18


@transaction.atomic(durable=True)
def allocate_personal_adviser(
    *, acting_user: User, child: Person, name: str, start_date: datetime.date
) -> PersonalAdviser:
    """``name`` is the young person's personal adviser from ``start_date``."""
    require_permission(acting_user, Permission.CARE_RECORD)
    child = lock(child)
    checks = Checks()
    checks.required("name", name, "Enter the personal adviser's name")
    checks.happened("start_date", start_date, "The date the adviser was allocated", child=child)
    return allocate(
        PersonalAdviser,
        LookedAfterEvent.ADVISER_ALLOCATED,
        checks,
        acting_user=acting_user,
        child=child,
        start_date=start_date,
        whose="adviser's",
        name=name,
    )


def _check_in_touch(
    checks: Checks,
    contact_date: datetime.date,
    in_touch: str,
    accommodation: str,
    accommodation_suitable: bool | None,
    activity: str,
) -> None:
    """Whether in touch; if so, the accommodation, its suitability and the main activity,
    each a code valid on the contact date."""
    on = contact_date
    checks.code(
        "in_touch", CodeListName.CARE_LEAVER_IN_TOUCH, in_touch, on=on, what="answer to in touch"
    )
    if in_touch != IN_TOUCH:
        return
    checks.code("accommodation", CodeListName.CARE_LEAVER_ACCOMMODATION, accommodation, on=on)
    checks.code(
        "activity", CodeListName.CARE_LEAVER_ACTIVITY, activity, on=on, what="main activity"
    )
    checks.required(
        "accommodation_suitable",
        accommodation_suitable,
        "Select whether the accommodation is suitable",
    )


@transaction.atomic(durable=True)
def record_care_leaver_contact(
    *,
    acting_user: User,
    child: Person,
    contact_date: datetime.date,
    in_touch: str,
    accommodation: str = "",
    accommodation_suitable: bool | None = None,
    activity: str = "",
    staying_put: bool = False,
    notes: str = "",
) -> CareLeaverContact:
    """Keeping in touch (903 OC3): in touch, accommodation and its suitability, activity."""
    require_permission(acting_user, Permission.CARE_RECORD)
    child = lock(child)
    checks = Checks()
    checks.happened("contact_date", contact_date, "The contact date", child=child)
    _check_in_touch(checks, contact_date, in_touch, accommodation, accommodation_suitable, activity)
    age = child.age_on(contact_date)
    if not checks.has("contact_date"):
        checks.check(
            age is not None and age >= KEEPING_IN_TOUCH_MIN_AGE,
            "contact_date",
            "Keeping-in-touch contact is for care leavers aged 16 or over",
        )
    checks.check(
        not staying_put or (age is not None and age >= STAYING_PUT_MIN_AGE),
        "staying_put",
        "Staying put is for young people aged 18 or over",
    )
    checks.raise_if_any()
    in_touch_now = in_touch == IN_TOUCH
    return record_new(
        CareLeaverContact,
        LookedAfterEvent.CARE_LEAVER_CONTACT_RECORDED,
        acting_user=acting_user,
        child=child,
        contact_date=contact_date,
        in_touch=in_touch,
        accommodation=accommodation if in_touch_now else "",
        accommodation_suitable=accommodation_suitable if in_touch_now else None,
        activity=activity if in_touch_now else "",
        staying_put=staying_put,
        notes=notes,
    )
