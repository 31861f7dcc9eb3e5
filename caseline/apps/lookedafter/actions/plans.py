"""Plans: the care plan of a looked-after child, and a care leaver's needs assessment and
pathway plan. A care plan, a pathway plan and its review each say how the plan meets the
child's identity needs (``plans.identity``)."""

from __future__ import annotations

import datetime

from django.db import transaction

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.core.access import require_permission
from caseline.apps.core.checks import Checks
from caseline.apps.lookedafter.actions.common import lock, looked_after_on, record_new
from caseline.apps.lookedafter.events import LookedAfterEvent
from caseline.apps.lookedafter.models import CarePlan, PathwayPlan
from caseline.apps.people.models import Person
from caseline.apps.plans.identity import check_identity

PATHWAY_MIN_AGE = 15
# What must say how it meets the young person's identity needs: a plan, and its review.
PLANS_MEETING_IDENTITY = frozenset({PathwayPlan.Kind.PLAN, PathwayPlan.Kind.REVIEW})


@transaction.atomic(durable=True)
def record_care_plan(
    *,
    acting_user: User,
    child: Person,
    plan_date: datetime.date,
    permanence_plan: str,
    plan_summary: str,
    placement_plan: str,
    child_views: str,
    identity_needs: str,
) -> CarePlan:
    """The child's care plan as of ``plan_date``, made while they were looked after. It says
    how it meets the child's identity needs."""
    require_permission(acting_user, Permission.PLAN_RECORD)
    child = lock(child)
    checks = Checks()
    checks.happened("plan_date", plan_date, "The date of the care plan", child=child)
    checks.check(
        permanence_plan in CarePlan.Permanence.values,
        "permanence_plan",
        "Select the permanence plan",
    )
    checks.required("plan_summary", plan_summary, "Enter what the plan is and why")
    checks.required("placement_plan", placement_plan, "Enter the placement plan")
    checks.required("child_views", child_views, f"Enter {child.given_name}'s views on the plan")
    check_identity(checks, identity_needs)
    looked_after_on(checks, child, plan_date, "plan_date", "The date of the care plan")
    checks.raise_if_any()
    return record_new(
        CarePlan,
        LookedAfterEvent.CARE_PLAN_RECORDED,
        acting_user=acting_user,
        child=child,
        plan_date=plan_date,
        permanence_plan=permanence_plan,
        plan_summary=plan_summary,
        placement_plan=placement_plan,
        child_views=child_views,
        identity_needs=identity_needs.strip(),
    )


@transaction.atomic(durable=True)
def record_pathway_plan(
    *,
    acting_user: User,
    child: Person,
    kind: str,
    plan_date: datetime.date,
    summary: str,
    young_person_views: str,
    identity_needs: str = "",
) -> PathwayPlan:
    """A needs assessment or pathway plan, for a young person aged 15 or over. A pathway plan
    and its review say how the plan meets the young person's identity needs; a needs
    assessment may (what it finds is the plan's to meet)."""
    require_permission(acting_user, Permission.PLAN_RECORD)
    child = lock(child)
    checks = Checks()
    checks.happened("plan_date", plan_date, "The date", child=child)
    checks.check(kind in PathwayPlan.Kind.values, "kind", "Select what is being recorded")
    if not checks.has("plan_date"):
        age = child.age_on(plan_date)
        checks.check(
            age is not None and age >= PATHWAY_MIN_AGE,
            "plan_date",
            f"A needs assessment or pathway plan is for a young person aged {PATHWAY_MIN_AGE} "
            "or over on that date",
        )
    checks.required("summary", summary, "Enter the plan or assessment")
    checks.required("young_person_views", young_person_views, f"Enter {child.given_name}'s views")
    if kind in PLANS_MEETING_IDENTITY:
        check_identity(checks, identity_needs)
    checks.raise_if_any()
    return record_new(
        PathwayPlan,
        LookedAfterEvent.PATHWAY_PLAN_RECORDED,
        acting_user=acting_user,
        child=child,
        kind=kind,
        plan_date=plan_date,
        summary=summary,
        young_person_views=young_person_views,
        identity_needs=identity_needs.strip(),
    )
