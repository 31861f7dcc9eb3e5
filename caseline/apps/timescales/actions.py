"""Setting a local practice standard: the only write in timescales, permitted to those who
manage local standards, and audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.audit.record import record_event
from caseline.apps.core.access import require_permission
from caseline.apps.core.checks import Checks
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
    *, acting_user: User, rule_code: str, unit: str, count: int, reason: str
) -> LocalStandardSetting:
    """Set the council's interval for a local-standard rule, auditing the old and new values."""
    require_permission(acting_user, Permission.LOCAL_STANDARDS_MANAGE)
    if rule_code not in CATALOGUE:
        raise ValidationError({"rule_code": "Select a timescale from the catalogue"})
    rule = CATALOGUE.get(rule_code)
    if rule.basis is Basis.STATUTORY:
        raise ValidationError({"rule_code": statutory_refusal(rule_code)})
    checks = Checks()
    if checks.check(
        unit in IntervalUnit.__members__.values(),
        "unit",
        "Select the unit the timescale is measured in",
    ) and checks.check(count >= 1, "count", "The number must be 1 or more"):
        most = MAXIMUM_COUNT[IntervalUnit(unit)]
        checks.check(
            count <= most,
            "count",
            f"The number must be {most} or fewer for {UNIT_LABELS[IntervalUnit(unit)]}",
        )
    checks.required("reason", reason, "Enter why the local standard is changing")
    checks.raise_if_any()
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
