"""Staff: teams of social workers under their managers, sized to the authority."""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Role
from caseline.apps.people.models import Allocation, Person
from caseline.apps.people.rules import SOCIAL_WORKER_EPISODES_FROM
from caseline.apps.synthetic import names
from caseline.apps.synthetic.generator.core import BATCH_SIZE, Batch, Generation

# Social workers in one team, under one team manager (a manager's usual span of 6 to 10).
TEAM_WORKERS = 8
# Social Work England numbers are "SW" and up to six digits; synthetic workers have "SW99" and
# six more, a shape no real registration has, which rule SW02STG1 still accepts (SW and 2 to
# 10 digits, accounts.registration).
SYNTHETIC_SWE_PREFIX = "SW99"
# The reason for a change of social worker (903 SW_REASON) is collected from 1 April 2023
# (code list social_worker_change_reason; people.rules.SOCIAL_WORKER_EPISODES_FROM).
CHANGE_REASONS_FROM = SOCIAL_WORKER_EPISODES_FROM


# How much more (or less) often than the authority's average a team's work is late: some
# teams better, some worse, the authority as a whole near England's figures. By the team's
# place among its kind, so it draws no random numbers.
TEAM_LATENESS = (0.6, 1.5, 1.0, 0.8, 1.2)


@dataclass
class Staff:
    team: Team
    manager: User
    workers: list[User]
    lateness: float = 1.0


@dataclass
class Authority:
    front_door: Staff
    assessment: list[Staff]
    cin: list[Staff]
    care: list[Staff]
    leaving_care: Staff
    reviewing: Staff


def build_staff(gen: Generation) -> Authority:
    n = gen.params.children
    groups = {g.name: g for g in Group.objects.filter(name__in=[r.value for r in Role])}
    users: list[User] = []
    memberships: list[tuple[User, Role]] = []
    counter = {"sw": 0, "tm": 0, "swe": 0}

    def person_name() -> tuple[str, str]:
        female = gen.rng.random() < 0.8  # the workforce is mostly women
        given = gen.rng.choice(names.ADULT_NAMES_FEMALE if female else names.ADULT_NAMES_MALE)
        return given, names.family_name(gen.rng)

    def make_user(prefix: str, role: Role, title: str) -> User:
        counter[prefix] += 1
        given, family = person_name()
        registered = title != "Personal adviser"  # personal advisers need not be social workers
        if registered:
            counter["swe"] += 1
        user = User(
            username=f"{prefix}.{counter[prefix]:04d}",
            first_name=given,
            last_name=family,
            job_title=title,
            password=make_password(None),
            swe_registration_number=(
                f"{SYNTHETIC_SWE_PREFIX}{counter['swe']:06d}" if registered else ""
            ),
        )
        users.append(user)
        memberships.append((user, role))
        return user

    def team(name: str, service: str, workers: int, role: Role, title: str) -> Staff:
        team_row, _ = Team.objects.get_or_create(name=name, defaults={"service": service})
        manager = make_user("tm", Role.TEAM_MANAGER, "Team manager")
        staff = [make_user("sw", role, title) for _ in range(workers)]
        return Staff(team_row, manager, staff)

    def teams(
        names: Callable[[int], str], service: str, workers: int, title: str, at_least: int = 1
    ) -> list[Staff]:
        """As many teams as ``workers`` need, each of at most TEAM_WORKERS with a manager."""
        count = max(at_least, math.ceil(workers / TEAM_WORKERS))
        sizes = [workers // count + (1 if i < workers % count else 0) for i in range(count)]
        made = [
            team(names(i), service, size, Role.SOCIAL_WORKER, title) for i, size in enumerate(sizes)
        ]
        if len(made) > 1:
            for i, staff in enumerate(made):
                staff.lateness = TEAM_LATENESS[i % len(TEAM_LATENESS)]
        return made

    open_cases = 0.06 * n
    n_assessment = max(2, math.ceil(n / 8000))
    n_cin = max(1, math.ceil(n / 10_000))
    per_assessment = max(3, round(open_cases * 0.4 / n_assessment / 16))
    per_cin = max(3, round(open_cases * 0.6 / n_cin / 16))
    care_workers = max(3, round(n * 0.02 / 15))  # about 15 looked-after children each
    areas = ("North", "South", "East", "West", "Central")
    front_door = team(
        "Front Door (MASH)",
        Team.Service.FRONT_DOOR,
        max(3, round(n / 2500)),
        Role.FRONT_DOOR,
        "Front door social worker",
    )
    assessment = teams(
        lambda i: f"Assessment Team {areas[i] if i < len(areas) else i + 1}",
        Team.Service.ASSESSMENT,
        per_assessment * n_assessment,
        "Social worker",
        at_least=n_assessment,
    )
    cin = teams(
        lambda i: f"Children in Need Team {i + 1}",
        Team.Service.CHILDREN_IN_NEED,
        per_cin * n_cin,
        "Social worker",
        at_least=n_cin,
    )
    care = teams(
        lambda i: (
            f"Children in Care Team {i + 1}"
            if care_workers > TEAM_WORKERS
            else "Children in Care Team"
        ),
        Team.Service.LOOKED_AFTER,
        care_workers,
        "Social worker",
    )
    small = max(2, round(n / 10_000))
    leaving_care = team(
        "Leaving Care Team", Team.Service.LEAVING_CARE, small, Role.SOCIAL_WORKER,
        "Personal adviser",
    )  # fmt: skip
    # IROs and conference chairs: about 70 children looked after or on a plan each.
    reviewing = team(
        "Independent Reviewing Service", Team.Service.REVIEWING,
        max(2, math.ceil(n * 0.03 / 70)), Role.IRO, "Independent reviewing officer",
    )  # fmt: skip
    all_staff = [front_door, *assessment, *cin, *care, leaving_care, reviewing]
    with transaction.atomic():
        for staff in all_staff:
            for user in [staff.manager, *staff.workers]:
                user.team = staff.team
        User.objects.bulk_create(users, batch_size=BATCH_SIZE)
        saved = {
            u.username: u for u in User.objects.filter(username__in=[u.username for u in users])
        }
        for staff in all_staff:
            staff.manager = saved[staff.manager.username]
            staff.workers = [saved[w.username] for w in staff.workers]
            if staff.team.manager_id is None:
                staff.team.manager = staff.manager
                staff.team.save(update_fields=["manager"])
        through = User.groups.through
        through.objects.bulk_create(
            [
                through(user_id=saved[user.username].pk, group_id=groups[role.value].pk)
                for user, role in memberships
                if role.value in groups
            ]
        )
    gen.counts["accounts.Team"] += len(all_staff)
    gen.counts["accounts.User"] += len(users)
    gen.say(f"staff: {len(all_staff)} teams, {len(users)} workers and managers")
    return Authority(front_door, assessment, cin, care, leaving_care, reviewing)


def allocate(
    batch: Batch,
    child: Person,
    staff: Staff,
    worker: User,
    day: datetime.date,
    reason: str,
    *,
    ending: Allocation | None = None,
    change_reason: str = "TSPROC",
) -> Allocation:
    """The child's case allocated to ``worker`` in this team by its manager from ``day``; the
    allocation ``ending`` (the team's before) ends that day. ``change_reason`` is the coded
    reason for the change of social worker (903 SW_REASON), kept from 1 April 2023 when the
    code list starts (rule SW13STG1); by default a transfer by the standard process."""
    if ending is not None:
        ending.end_date = day
    allocation = Allocation(
        person=child,
        team=staff.team,
        worker=worker,
        start_date=day,
        reason=reason,
        change_reason=change_reason if day >= CHANGE_REASONS_FROM else "",
        allocated_by=staff.manager,
    )
    batch.add(allocation)
    return allocation
