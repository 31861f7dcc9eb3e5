"""Give the demo users work in a freshly generated synthetic authority."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from caseline.apps.accounts.demo import ensure_demo_users
from caseline.apps.accounts.models import Team, User
from caseline.apps.complaints import actions as complaint_actions
from caseline.apps.complaints.models import Complaint
from caseline.apps.lado import actions as lado_actions
from caseline.apps.lado.models import Allegation
from caseline.apps.lookedafter.actions import allocate_iro
from caseline.apps.lookedafter.models import Episode, IROAllocation
from caseline.apps.people.models import Allocation, Person
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
    attach_demo_allegations_and_complaints()
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


def attach_demo_allegations_and_complaints(as_at: datetime.date | None = None) -> tuple[int, int]:
    """Give ``lado`` three allegations and ``complaints`` two complaints about the youngest
    children on the record aged six or more, through the apps' actions (so audited), at
    different steps: one allegation waiting for its initial consideration, one for its
    strategy meeting, one concluded; one complaint at stage 1, one at stage 2. Only where
    the demo user holds none yet (the generated officers hold the rest), so safe to re-run.
    Returns how many each demo user then holds."""
    day = as_at or timezone.localdate()
    lado = User.objects.get(username="lado")
    officer = User.objects.get(username="complaints")

    def ago(days: int) -> datetime.date:
        return day - datetime.timedelta(days=days)  # synthetic dates, not due dates

    children = list(
        Person.objects.filter(date_of_birth__lte=ago(6 * 365), date_of_death__isnull=True)
        .order_by("-date_of_birth", "id")
        .only("pk", "given_name", "family_name", "date_of_birth")[:4]
    )
    held = (Allegation.objects.filter(officer=lado), Complaint.objects.filter(officer=officer))
    if len(children) < 4:
        return held[0].count(), held[1].count()
    if not held[0].exists():
        adults = [
            (
                "Pat Hollis",
                "Brookside Primary School",
                "Teaching assistant",
                "education",
                "employer",
            ),
            ("Dev Marsh", "Riverside Youth FC", "Volunteer coach", "sport", "parent"),
            (
                "Lee Carver",
                "Oakfield Children's Home",
                "Residential worker",
                "social-care",
                "police",
            ),
        ]
        made = []
        for (name, employer, role, sector, source), child, days in zip(
            adults, children, (0, 20, 90), strict=False
        ):
            made.append(
                lado_actions.record_allegation(
                    acting_user=lado,
                    received_date=ago(days),
                    source=source,
                    adult_name=name,
                    adult_employer=employer,
                    adult_role=role,
                    sector=sector,
                    what_was_alleged="Synthetic: an allegation of rough handling.",
                    child_ids=[child.pk],
                )
            )
        for allegation, days in ((made[1], 19), (made[2], 89)):
            lado_actions.record_initial_consideration(
                acting_user=lado,
                allegation=allegation,
                consideration_date=ago(days),
                threshold_met=True,
                notes="Synthetic: the harm test is met.",
            )
        lado_actions.record_strategy_meeting(
            acting_user=lado,
            allegation=made[2],
            meeting_date=ago(84),
            attendees="Designated officer; police; registered manager",
            decisions="Synthetic: police to investigate; the worker is suspended meanwhile.",
        )
        lado_actions.record_outcome(
            acting_user=lado,
            allegation=made[2],
            police_action="No further action",
            employer_action="Returned to work with a written warning",
            outcome="unsubstantiated",
            outcome_date=ago(30),
        )
    if not held[1].exists():
        complaint_actions.record_complaint(
            acting_user=officer,
            child=children[3],
            received_date=ago(5),
            complainant="child",
            complainant_name=f"{children[3].given_name} {children[3].family_name}",
            theme="communication",
            summary="Synthetic: my social worker does not call back.",
            advocacy_offered=True,
            advocacy_taken_up=True,
        )
        second = complaint_actions.record_complaint(
            acting_user=officer,
            child=children[0],
            received_date=ago(60),
            complainant="parent",
            complainant_name="Sandy Parent",
            theme="decisions",
            summary="Synthetic: the family time arrangements were changed without asking us.",
            advocacy_offered=False,
            advocacy_taken_up=False,
        )
        complaint_actions.complete_stage(
            acting_user=officer, complaint=second, completed_date=ago(50), outcome="not-upheld"
        )
        complaint_actions.escalate(acting_user=officer, complaint=second, requested_date=ago(45))
    return held[0].count(), held[1].count()
