"""Give the demo users work in a freshly generated synthetic authority."""

from __future__ import annotations

from django.db import transaction

from caseline.apps.accounts.demo import ensure_demo_users
from caseline.apps.accounts.models import Team, User
from caseline.apps.people.models import Allocation

DEMO_CASELOAD = 15
DEMO_TEAM = "Assessment Team North"


def attach_demo_users() -> int:
    """Allocate about 15 open cases to ``social.worker`` in the team ``team.manager`` manages.

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
    return len(current)
