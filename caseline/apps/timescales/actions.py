"""Setting a local practice standard: the only write in timescales, audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from caseline.apps.audit.record import record_event
from caseline.apps.timescales.events import TimescalesEvent
from caseline.apps.timescales.models import LocalStandardSetting
from caseline.apps.timescales.rules import CATALOGUE, Basis, Interval, IntervalUnit

# The longest interval that makes sense for each unit: about a year (two for months).
MAXIMUM_COUNT: dict[IntervalUnit, int] = {
    IntervalUnit.WORKING_DAYS: 260,
    IntervalUnit.CALENDAR_DAYS: 366,
    IntervalUnit.WEEKS: 52,
    IntervalUnit.MONTHS: 24,
}

UNIT_LABELS: dict[IntervalUnit, str] = {
    IntervalUnit.WORKING_DAYS: "working days",
    IntervalUnit.CALENDAR_DAYS: "calendar days",
    IntervalUnit.WEEKS: "weeks",
    IntervalUnit.MONTHS: "months",
}


def statutory_refusal(code: str) -> str:
    """Why a statutory rule's timescale cannot be changed here."""
    rule = CATALOGUE.get(code)
    return (
        f"{rule.title} is a statutory timescale ({rule.source}). It is set nationally, so it "
        "cannot be changed as a local standard."
    )


@transaction.atomic(durable=True)
def set_local_standard(
    *, acting_user: Any, rule_code: str, unit: str, count: int, reason: str
) -> LocalStandardSetting:
    """Set the council's interval for a local-standard rule, auditing the old and new values."""
    if rule_code not in CATALOGUE:
        raise ValidationError({"rule_code": "Select a timescale from the catalogue"})
    rule = CATALOGUE.get(rule_code)
    if rule.basis is Basis.STATUTORY:
        raise ValidationError({"rule_code": statutory_refusal(rule_code)})
    errors: dict[str, str] = {}
    if unit not in IntervalUnit.__members__.values():
        errors["unit"] = "Select the unit the timescale is measured in"
    elif count < 1:
        errors["count"] = "The number must be 1 or more"
    else:
        most = MAXIMUM_COUNT[IntervalUnit(unit)]
        if count > most:
            errors["count"] = (
                f"The number must be {most} or fewer for {UNIT_LABELS[IntervalUnit(unit)]}"
            )
    if not reason.strip():
        errors["reason"] = "Enter why the local standard is changing"
    if errors:
        raise ValidationError(errors)
    new = Interval(IntervalUnit(unit), count)
    setting = LocalStandardSetting.objects.select_for_update().filter(rule_code=rule_code).first()
    old = setting.interval if setting is not None else rule.interval
    if setting is None:
        setting = LocalStandardSetting(rule_code=rule_code)
    setting.unit = new.unit.value
    setting.count = new.count
    setting.set_by = acting_user
    setting.set_at = timezone.now()
    setting.reason = reason.strip()
    setting.save()
    record_event(
        acting_user=acting_user,
        event_type=TimescalesEvent.LOCAL_STANDARD_SET,
        target=setting,
        old_values={"rule_code": rule_code, "unit": old.unit.value, "count": old.count},
        new_values={"rule_code": rule_code, "unit": new.unit.value, "count": new.count},
        extra={"reason": setting.reason, "default": rule.interval.description},
    )
    return setting
