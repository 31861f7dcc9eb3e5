"""Reading users: names for display, and who can hold children's cases."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Permission


def display_names(user_ids: Iterable[int | None]) -> dict[int, str]:
    """Each user's name as ``str(user)`` gives it (full name, or username), in one query.

    For lists of many records that name who recorded them: reading the names once is far
    cheaper than a user object for every row.
    """
    wanted = {pk for pk in user_ids if pk is not None}
    if not wanted:
        return {}
    rows = User.objects.filter(pk__in=wanted).values_list(
        "pk", "first_name", "last_name", "username"
    )
    return {pk: f"{first} {last}".strip() or username for pk, first, last, username in rows}


# --- Who can hold a child's case ------------------------------------------------------------

# Holding a child's case means visiting them: whoever may record statutory visits may be
# allocated a child's case and lead its plans. The roles as shipped give that permission to
# social workers and team managers only (``permissions.ROLE_PERMISSIONS``): never a front door
# worker (who decides on contacts, not cases), an IRO or conference chair (who chairs, not
# holds), an analyst, a quality lead, a director or an administrator. Asking the permission,
# not the role names, keeps the catalogue the one place that says who does what.
HOLDS_CASES = Permission.VISIT_RECORD
# The services whose teams hold children's cases: not independent reviewing (its officers
# chair, they do not hold), nor quality and performance.
CASE_HOLDING_SERVICES = frozenset(
    {
        Team.Service.FRONT_DOOR,
        Team.Service.ASSESSMENT,
        Team.Service.CHILDREN_IN_NEED,
        Team.Service.LOOKED_AFTER,
        Team.Service.LEAVING_CARE,
    }
)


def case_holding_teams() -> QuerySet[Team]:
    """The teams a child's case can be allocated to, by name."""
    return Team.objects.filter(service__in=CASE_HOLDING_SERVICES).order_by("name")


def _holding_cases() -> QuerySet[User]:
    """The active users who hold ``HOLDS_CASES``, through a role or as their own permission
    (a superuser's blanket permissions do not make them a practitioner)."""
    code, app_label = HOLDS_CASES.codename, "accounts"
    through_role = User.groups.through.objects.filter(
        user=OuterRef("pk"),
        group__permissions__codename=code,
        group__permissions__content_type__app_label=app_label,
    )
    own = User.user_permissions.through.objects.filter(
        user=OuterRef("pk"),
        permission__codename=code,
        permission__content_type__app_label=app_label,
    )
    return User.objects.filter(Exists(through_role) | Exists(own), is_active=True)


def case_holders() -> QuerySet[User]:
    """The active users who can hold children's cases (who may record statutory visits:
    ``HOLDS_CASES``), by surname, each with their team and ``caseload``: the number of
    children allocated to them now. One query."""
    return (
        _holding_cases()
        .select_related("team")
        .annotate(
            caseload=Count(
                "allocations__person",
                filter=Q(allocations__end_date__isnull=True),
                distinct=True,
            )
        )
        .order_by("last_name", "first_name", "username")
    )


def can_hold_cases(user: User) -> bool:
    """Whether a case may be allocated to the user, or a plan led by them (as
    ``case_holders`` lists them). One query."""
    return user.pk is not None and _holding_cases().filter(pk=user.pk).exists()


def holding_cases_among(users: Iterable[User]) -> set[int]:
    """The ids of those of ``users`` who may hold cases (``can_hold_cases``), in one query."""
    ids = {user.pk for user in users if user.pk is not None}
    if not ids:
        return set()
    return set(_holding_cases().filter(pk__in=ids).values_list("pk", flat=True))


def in_team_first(
    holders: Iterable[User], team: Team | None
) -> list[tuple[str | None, list[User]]]:
    """Case holders in groups for a list to choose from: the team's own first, under its name,
    then everyone else under "Other teams" (each group in the order given, by surname). With
    no team, one group with no name. Empty groups are left out."""
    if team is None:
        return [(None, list(holders))]
    own: list[User] = []
    others: list[User] = []
    for user in holders:
        (own if user.team_id == team.pk else others).append(user)
    groups: list[tuple[str | None, list[User]]] = [(team.name, own), ("Other teams", others)]
    return [(name, users) for name, users in groups if users]


def caseload_label(user: User, team: Team | None = None) -> str:
    """ "Sam Worth (3 children)", with the user's team when it is not ``team``:
    "Sam Worth, CIN Team North (1 child)". ``user`` comes from ``case_holders``."""
    count: int = getattr(user, "caseload", 0)
    children = "no children" if count == 0 else "1 child" if count == 1 else f"{count} children"
    name = str(user)
    if user.team_id is not None and (team is None or user.team_id != team.pk):
        name = f"{name}, {user.team}"
    return f"{name} ({children})"


# --- The administrator's accounts pages -----------------------------------------------------


def locked_usernames() -> set[str]:
    """The usernames (lower case) django-axes is refusing now, from at least one address."""
    from axes.models import AccessAttempt
    from django.conf import settings
    from django.utils import timezone

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    rows = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    ).values_list("username", flat=True)
    return {str(name).lower() for name in rows if name}


def users_for_administration() -> list[User]:
    """Every user with their team and roles, for the administrator's list (three queries)."""
    return list(User.objects.select_related("team").prefetch_related("groups"))
