"""Give the demo users work in a freshly generated synthetic authority."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from caseline.apps.accounts.demo import ensure_demo_users
from caseline.apps.accounts.models import Team, User
from caseline.apps.lookedafter.actions import allocate_iro
from caseline.apps.lookedafter.models import Episode, IROAllocation
from caseline.apps.people.models import Allocation
from caseline.apps.protection.models import Conference, ProtectionPlan

DEMO_CASELOAD = 15
DEMO_TEAM = "Assessment Team North"
# The demo IRO and conference chair: the IRO of about 8 looked-after children and the chair
# of about 6 children's plans (as many as the small demo authority has, if fewer).
DEMO_IRO_CASELOAD = 8
DEMO_CHAIR_CASELOAD = 6


def attach_demo_users() -> int:
    """Allocate about 15 open cases to ``social.worker`` in the team ``team.manager`` manages,
    and give ``iro`` children to chair and review (``attach_demo_iro``).

    Moves current allocations (oldest child first, so it is the same every time) to the demo
    social worker and team. Returns how many were moved.
    """
    ensure_demo_users()
    worker = User.objects.get(username="social.worker")
    manager = User.objects.get(username="team.manager")
    team = Team.objects.get(name=DEMO_TEAM)
    with transaction.atomic():
        if team.manager_id != manager.pk:
            team.manager = manager
            team.save(update_fields=["manager"])
        current = list(
            Allocation.objects.filter(end_date__isnull=True)
            .exclude(worker=worker)
            .order_by("start_date", "person__date_of_birth", "person__family_name", "id")
            .values_list("id", flat=True)[:DEMO_CASELOAD]
        )
        Allocation.objects.filter(id__in=current).update(worker=worker, team=team)
    attach_demo_iro()
    return len(current)


def attach_demo_iro(as_at: datetime.date | None = None) -> tuple[int, int]:
    """Make ``iro`` the IRO of about 8 looked-after children and the chair of about 6
    children's child protection plans. Returns how many of each ``iro`` then has.

    IRO: children looked after now (an open episode) with another IRO, through
    ``lookedafter.actions.allocate_iro`` from ``as_at`` (today), made by ``team.manager`` (who
    may record care), which ends the child's current IRO allocation that day and audits the
    change. Chair: the plan's latest conference (its
    own or its latest review, by date then id) is changed to ``iro`` directly, as generated
    data. Oldest first, counting what is already theirs, so it is the same every time and
    safe to re-run.
    """
    day = as_at or timezone.localdate()
    iro = User.objects.get(username="iro")
    manager = User.objects.get(username="team.manager")
    order = ("start_date", "person__date_of_birth", "person__family_name", "id")
    reviewing = IROAllocation.objects.filter(iro=iro, end_date__isnull=True).count()
    in_care = Episode.objects.filter(person=OuterRef("person_id"), end_date__isnull=True)
    others = (
        IROAllocation.objects.filter(Exists(in_care), end_date__isnull=True, start_date__lte=day)
        .exclude(iro=iro)
        .select_related("person")
        .order_by(*order)
    )
    taken = list(others[: max(0, DEMO_IRO_CASELOAD - reviewing)])
    for allocation in taken:
        allocate_iro(acting_user=manager, child=allocation.person, iro=iro, start_date=day)
    plans = list(
        ProtectionPlan.objects.filter(end_date__isnull=True).order_by(*order)[:DEMO_CHAIR_CASELOAD]
    )
    with transaction.atomic():
        for plan in plans:
            latest = (
                Conference.objects.filter(Q(pk=plan.conference_id) | Q(plan=plan))
                .order_by("-conference_date", "-id")
                .first()
            )
            if latest is not None and latest.chair_id != iro.pk:
                Conference.objects.filter(pk=latest.pk).update(chair=iro)
    return reviewing + len(taken), len(plans)
