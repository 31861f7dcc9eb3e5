"""Health and education: health assessments and checks, and personal education plans."""

from __future__ import annotations

import datetime

from django.db import transaction

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.core.access import require_permission
from caseline.apps.core.checks import Checks
from caseline.apps.lookedafter import derive
from caseline.apps.lookedafter.actions.common import lock, looked_after_on, record_new
from caseline.apps.lookedafter.events import LookedAfterEvent
from caseline.apps.lookedafter.models import HealthRecord, PersonalEducationPlan
from caseline.apps.people.models import Person

SDQ_MAX = 40  # a strengths and difficulties questionnaire scores 0 to 40


def _check_health(
    checks: Checks,
    kind: str,
    immunisations_up_to_date: bool | None,
    sdq_score: int | None,
    health_plan: str,
) -> None:
    """What each kind of health record needs: a score for an SDQ (and only for one), an
    answer for immunisations, a plan from a health assessment."""
    checks.check(kind in HealthRecord.Kind.values, "kind", "Select what is being recorded")
    if kind != HealthRecord.Kind.SDQ:
        checks.check(
            sdq_score is None,
            "sdq_score",
            "Only a strengths and difficulties questionnaire has a score",
        )
    elif sdq_score is None:
        checks.add("sdq_score", "Enter the SDQ score")
    else:
        checks.check(
            0 <= sdq_score <= SDQ_MAX, "sdq_score", f"The SDQ score must be between 0 and {SDQ_MAX}"
        )
    if kind == HealthRecord.Kind.IMMUNISATIONS:
        checks.required(
            "immunisations_up_to_date",
            immunisations_up_to_date,
            "Select whether immunisations are up to date",
        )
    if kind in derive.HEALTH_ASSESSMENTS:
        checks.required("health_plan", health_plan, "Enter the health plan from the assessment")


@transaction.atomic(durable=True)
def record_health(
    *,
    acting_user: User,
    child: Person,
    kind: str,
    event_date: datetime.date,
    immunisations_up_to_date: bool | None = None,
    sdq_score: int | None = None,
    substance_misuse: bool | None = None,
    health_plan: str = "",
    notes: str = "",
) -> HealthRecord:
    """A health assessment, dental or immunisations check, or SDQ, while looked after."""
    require_permission(acting_user, Permission.CARE_RECORD)
    child = lock(child)
    checks = Checks()
    checks.happened("event_date", event_date, "The date", child=child)
    _check_health(checks, kind, immunisations_up_to_date, sdq_score, health_plan)
    looked_after_on(checks, child, event_date, "event_date", "The date")
    checks.raise_if_any()
    return record_new(
        HealthRecord,
        LookedAfterEvent.HEALTH_RECORDED,
        acting_user=acting_user,
        child=child,
        kind=kind,
        event_date=event_date,
        immunisations_up_to_date=immunisations_up_to_date,
        sdq_score=sdq_score,
        substance_misuse=substance_misuse,
        health_plan=health_plan,
        notes=notes,
    )


@transaction.atomic(durable=True)
def record_pep(
    *,
    acting_user: User,
    child: Person,
    pep_date: datetime.date,
    school: str,
    virtual_school_contact: str,
    quality: str,
    attainment: str,
    child_views: str,
) -> PersonalEducationPlan:
    """A personal education plan meeting, while looked after."""
    require_permission(acting_user, Permission.CARE_RECORD)
    child = lock(child)
    checks = Checks()
    checks.happened("pep_date", pep_date, "The PEP date", child=child)
    checks.required("school", school, "Enter the school or setting")
    checks.required(
        "virtual_school_contact", virtual_school_contact, "Enter the virtual school contact"
    )
    checks.check(
        quality in PersonalEducationPlan.Quality.values,
        "quality",
        "Select the quality rating of the PEP",
    )
    checks.required("attainment", attainment, "Enter attainment and progress")
    checks.required(
        "child_views", child_views, f"Enter {child.given_name}'s views on their education"
    )
    looked_after_on(checks, child, pep_date, "pep_date", "The PEP date")
    checks.raise_if_any()
    return record_new(
        PersonalEducationPlan,
        LookedAfterEvent.PEP_RECORDED,
        acting_user=acting_user,
        child=child,
        pep_date=pep_date,
        school=school,
        virtual_school_contact=virtual_school_contact,
        quality=quality,
        attainment=attainment,
        child_views=child_views,
    )
