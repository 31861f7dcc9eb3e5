"""The demo users: one per role, all with the password ``caseline-demo``."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from caseline.apps.accounts.actions import create_user
from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.events import EventType
from caseline.apps.audit.record import record_event

DEMO_PASSWORD = "caseline-demo"  # noqa: S105 - the published demo password, synthetic data only


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: Role
    team: str
    job_title: str


DEMO_TEAMS: dict[str, Team.Service] = {
    "Front Door (MASH)": Team.Service.FRONT_DOOR,
    "Assessment Team North": Team.Service.ASSESSMENT,
    "Independent Reviewing Service": Team.Service.REVIEWING,
    "Performance and Quality": Team.Service.QUALITY,
}

DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser(
        "front.door",
        "Farah",
        "Doorley",
        Role.FRONT_DOOR,
        "Front Door (MASH)",
        "Front door social worker",
    ),
    DemoUser(
        "social.worker",
        "Sam",
        "Worth",
        Role.SOCIAL_WORKER,
        "Assessment Team North",
        "Social worker",
    ),
    DemoUser(
        "team.manager",
        "Tess",
        "Manning",
        Role.TEAM_MANAGER,
        "Assessment Team North",
        "Team manager",
    ),
    DemoUser(
        "iro",
        "Ira",
        "Reeve",
        Role.IRO,
        "Independent Reviewing Service",
        "Independent reviewing officer",
    ),
    DemoUser(
        "analyst", "Ana", "Lister", Role.ANALYST, "Performance and Quality", "Performance analyst"
    ),
    DemoUser(
        "qa.lead",
        "Quinn",
        "Ashby",
        Role.QA_LEAD,
        "Performance and Quality",
        "Quality assurance lead",
    ),
    DemoUser(
        "director",
        "Dee",
        "Rector",
        Role.SENIOR_LEADER,
        "Performance and Quality",
        "Director of children's services",
    ),
    DemoUser(
        "admin",
        "Adi",
        "Minter",
        Role.ADMINISTRATOR,
        "Performance and Quality",
        "System administrator",
    ),
    DemoUser(
        "lado",
        "Lara",
        "Dowd",
        Role.LADO,
        "Performance and Quality",
        "Local authority designated officer",
    ),
    DemoUser(
        "complaints",
        "Cora",
        "Plant",
        Role.COMPLAINTS_OFFICER,
        "Performance and Quality",
        "Complaints manager",
    ),
)


def ensure_demo_users() -> list[DemoUser]:
    """Create the demo teams and users that do not exist yet. Safe to re-run."""
    with transaction.atomic():
        for name, service in DEMO_TEAMS.items():
            team, created = Team.objects.get_or_create(name=name, defaults={"service": service})
            if created:
                record_event(acting_user=None, event_type=EventType.CREATED, target=team)
    existing = set(
        User.objects.filter(username__in=[u.username for u in DEMO_USERS]).values_list(
            "username", flat=True
        )
    )
    for demo in DEMO_USERS:
        if demo.username in existing:
            continue
        create_user(
            acting_user=None,
            username=demo.username,
            password=DEMO_PASSWORD,
            first_name=demo.first_name,
            last_name=demo.last_name,
            roles=[demo.role],
            team=Team.objects.get(name=demo.team),
            job_title=demo.job_title,
        )
    with transaction.atomic():
        team = Team.objects.get(name="Assessment Team North")
        if team.manager is None:
            team.manager = User.objects.get(username="team.manager")
            team.save(update_fields=["manager"])
            record_event(
                acting_user=None,
                event_type=EventType.UPDATED,
                target=team,
                new_values={"manager": team.manager.pk},
            )
    return list(DEMO_USERS)
