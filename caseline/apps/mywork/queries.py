"""Reading each role's work: due and overdue items, always from the current record.

Nothing here is stored. Every item comes from ``people.summary.work_items``, which asks
each app's record contribution for its due items (a child's kept in memory only until their
record changes); recording the event that completes a piece of work (a visit, a review, a
decision) removes the item on the next page load.

Each page shows a person only the work they can do as theirs: My work and the chair's page
list only the items whose permission the user holds (``DueItem.permission``) and count the
rest; the team page and a worker's page, where a manager oversees others' work, list every
item and say whose each one the manager may not do is (``people.summary.as_seen_by``).
"""

from __future__ import annotations

import datetime
import functools
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from caseline.apps.accounts.models import Team, User
from caseline.apps.assessments.models import Assessment
from caseline.apps.assessments.queries import awaiting_for_teams, managed_teams
from caseline.apps.frontdoor.models import Referral
from caseline.apps.people.contribution import Doer, DueItem
from caseline.apps.people.models import Allocation, Person
from caseline.apps.people.queries import (
    hide_restricted,
    restricted_from,
    visible_among,
    visible_people,
)
from caseline.apps.people.summary import (
    CaseHolders,
    as_seen_by,
    may_do,
    permissions_held,
    work_items,
)
from caseline.apps.quality.queries import children_with_actions_owned
from caseline.apps.timescales.calendar import england_and_wales
from caseline.apps.timescales.rules import CATALOGUE, TimelinessStatus

# How far ahead "due soon" looks.
SOON_WORKING_DAYS = 5

# The team page lists at most this many unallocated children (the oldest), and says how many
# there are in all. Its overdue work is paged, like My work.
TEAM_LIST_LIMIT = 100


class StatusFilter(StrEnum):
    ALL = "all"
    OVERDUE = "overdue"
    SOON = "soon"


STATUS_LABELS = {
    StatusFilter.ALL: "All due work",
    StatusFilter.OVERDUE: "Overdue",
    StatusFilter.SOON: f"Due today or in the next {SOON_WORKING_DAYS} working days",
}


@dataclass(frozen=True, slots=True)
class WorkRow:
    """A due item with the child it is for, and whose it is when the viewer may not do it
    (then it has no link)."""

    item: DueItem
    person: Person
    worker: User | None = None
    for_whom: str = ""

    @property
    def href(self) -> str:
        return "" if self.for_whom else self.item.href

    @property
    def is_overdue(self) -> bool:
        return self.item.timeliness.status is TimelinessStatus.OVERDUE

    @property
    def tag_colour(self) -> str:
        return self.item.timeliness.tag_colour


def urgency_key(row: WorkRow) -> tuple[Any, ...]:
    """Overdue first (most working days late first), then due today, then soonest."""
    timeliness = row.item.timeliness
    if timeliness.status is TimelinessStatus.OVERDUE:
        band, late = 0, -timeliness.working_days_late
    elif timeliness.status is TimelinessStatus.DUE_TODAY:
        band, late = 1, 0
    else:
        band, late = 2, 0
    return (band, late, timeliness.due_date, row.person.family_name, row.person.pk, row.item.title)


@functools.lru_cache(maxsize=64)  # asked for every row; the shared calendar never changes
def soon_limit(as_at: datetime.date) -> datetime.date:
    """The last day counted as "due soon": 5 working days after ``as_at``."""
    return england_and_wales().add_working_days(as_at, SOON_WORKING_DAYS)


def is_due_soon(item: DueItem, as_at: datetime.date) -> bool:
    """Due today or within the next 5 working days (not overdue)."""
    return as_at <= item.timeliness.due_date <= soon_limit(as_at)


def rule_title(code: str) -> str:
    """The catalogue title of a rule, or the code if it is not (yet) catalogued."""
    return CATALOGUE.get(code).title if code in CATALOGUE else code


@dataclass(frozen=True)
class WorkList:
    """Rows sorted by urgency, with the counts a page shows above them."""

    rows: list[WorkRow]
    overdue: int
    due_today: int
    due_soon: int
    children: int
    kinds: list[tuple[str, str]]  # (rule code, title) present before filtering
    for_others: int = 0  # items due for the children that are someone else's to do


# What a row of work shows of the child and the worker (and sorts by): reading only these
# spares building hundreds of whole person records for a team.
PERSON_ROW_FIELDS = ("id", "given_name", "family_name")
WORKER_ROW_FIELDS = ("id", "username", "first_name", "last_name", "team_id")
ALLOCATION_ROW_FIELDS = (
    "id",
    "person_id",
    "worker_id",
    "team_id",
    "start_date",
    *(f"person__{name}" for name in PERSON_ROW_FIELDS),
)


def _rows(people: QuerySet[Person], as_at: datetime.date) -> tuple[list[Person], list[WorkRow]]:
    children = list(people.only(*PERSON_ROW_FIELDS).order_by("family_name", "given_name", "pk"))
    by_id = {p.pk: p for p in children}
    items = work_items(list(by_id), as_at)
    return children, [WorkRow(i, by_id[i.person_id]) for i in items if i.person_id in by_id]


def theirs(user: User, rows: list[WorkRow]) -> tuple[list[WorkRow], int]:
    """The rows whose work the user may do (they hold the permission its link needs), and
    how many others there are."""
    held = permissions_held(user, (r.item for r in rows))
    mine = [r for r in rows if may_do(user, r.item, held)]
    return mine, len(rows) - len(mine)


def _owned_elsewhere(user: User, caseload_ids: set[int], as_at: datetime.date) -> list[WorkRow]:
    """Actions from case audits the user owns on children outside their caseload (a
    manager's or an IRO's), for children they may see."""
    others = children_with_actions_owned(user) - caseload_ids
    if not others:
        return []
    visible = visible_among(user, others)
    children = {
        p.pk: p for p in Person.objects.filter(pk__any_of=list(visible)).only(*PERSON_ROW_FIELDS)
    }
    return [
        WorkRow(item, children[item.person_id])
        for item in work_items(list(children), as_at, apps=["quality"])
        if item.assigned_to_id == user.pk and item.doer is Doer.ACTION_OWNER
    ]


def seen_by(user: User, rows: list[WorkRow], holders: Mapping[int, CaseHolders]) -> list[WorkRow]:
    """The rows as ``user`` sees them: those they may not do unlinked, saying whose they
    are (``people.summary.as_seen_by``; the names in one query, when there are any)."""
    lines = as_seen_by(user, [r.item for r in rows], holders)
    return [
        replace(row, for_whom=line.for_whom) if line.for_whom else row
        for row, line in zip(rows, lines, strict=True)
    ]


def build_work_list(
    rows: list[WorkRow], children: int, as_at: datetime.date, *, for_others: int = 0
) -> WorkList:
    """Count the rows and sort them by urgency."""
    counts = Counter(r.item.timeliness.status for r in rows)
    kinds = {(r.item.rule_code, rule_title(r.item.rule_code)) for r in rows}
    return WorkList(
        rows=sorted(rows, key=urgency_key),
        overdue=counts[TimelinessStatus.OVERDUE],
        due_today=counts[TimelinessStatus.DUE_TODAY],
        due_soon=sum(1 for r in rows if is_due_soon(r.item, as_at)),
        children=children,
        kinds=sorted(kinds, key=lambda k: (k[1], k[0])),
        for_others=for_others,
    )


def filter_rows(
    rows: list[WorkRow], as_at: datetime.date, *, kind: str = "", status: str = StatusFilter.ALL
) -> list[WorkRow]:
    """Only the rows of one kind (rule code) and status; order is kept."""
    if kind:
        rows = [r for r in rows if r.item.rule_code == kind]
    if status == StatusFilter.OVERDUE:
        rows = [r for r in rows if r.is_overdue]
    elif status == StatusFilter.SOON:
        rows = [r for r in rows if is_due_soon(r.item, as_at)]
    return rows


# --- A social worker's work -----------------------------------------------------------------


def caseload(user: Any) -> QuerySet[Person]:
    """The children allocated to the user (an open allocation with them as worker), less any
    whose record is restricted to others."""
    # Read from the allocations (an index on worker), not by testing every person on the
    # register with EXISTS.
    mine = Allocation.objects.filter(worker=user, end_date__isnull=True).values("person_id")
    return hide_restricted(Person.objects.filter(pk__in=mine), user)


def my_work(user: User, as_at: datetime.date) -> WorkList:
    """Due and overdue work across the user's children that the user may do, most urgent
    first, and how many items are someone else's (a manager's supervision, an IRO's
    review)."""
    children, rows = _rows(caseload(user), as_at)
    rows += _owned_elsewhere(user, {p.pk for p in children}, as_at)
    mine, others = theirs(user, rows)
    return build_work_list(mine, len(children), as_at, for_others=others)


# --- A worker's work, as their manager sees it -----------------------------------------------


def get_team_member_for_user(user: User, member_id: int) -> User:
    """A member of a team the user manages (``managed_teams``): 404 for anyone else, so a
    manager learns nothing of other teams' staff."""
    members = User.objects.filter(team__in=managed_teams(user)).only(*WORKER_ROW_FIELDS)
    try:
        return members.get(pk=member_id)
    except User.DoesNotExist:
        raise Http404("No member of your teams with that ID") from None


def worker_work(viewer: User, worker: User, as_at: datetime.date) -> WorkList:
    """Everything due for the children allocated to ``worker`` that ``viewer`` may see, most
    urgent first, as ``viewer`` sees it: what they may not do says whose it is.

    Four queries and the due work: the worker's open allocations with their teams'
    managers, which of those children the viewer may see, the children, and the names of
    whoever is to do what the viewer may not.
    """
    held = {
        person_id: CaseHolders(worker.pk, manager_id)
        for person_id, manager_id in Allocation.objects.filter(
            worker=worker, end_date__isnull=True
        ).values_list("person_id", "team__manager_id")
    }
    visible = visible_among(viewer, set(held))
    children, rows = _rows(Person.objects.filter(pk__any_of=list(visible)), as_at)
    return build_work_list(seen_by(viewer, rows, held), len(children), as_at)


# --- A team manager's team ------------------------------------------------------------------


@dataclass(frozen=True)
class WorkerLine:
    """One worker's line in the team table."""

    worker: User | None  # None: children allocated to the team with no worker yet
    caseload: int
    overdue: int
    due_soon: int
    member: bool = False  # of a team the manager manages: their work is a page of its own


@dataclass(frozen=True)
class UnallocatedChild:
    person: Person
    referral_date: datetime.date


@dataclass(frozen=True)
class TeamWork:
    teams: list[Team]
    workers: list[WorkerLine]
    overdue_rows: list[WorkRow]
    awaiting_sign_off: list[Assessment]
    unallocated: list[UnallocatedChild]
    children: int
    # The rest of the due work (not overdue), most urgent first, as the manager sees it.
    upcoming_rows: list[WorkRow] = field(default_factory=list)

    @property
    def unallocated_shown(self) -> list[UnallocatedChild]:
        return self.unallocated[:TEAM_LIST_LIMIT]


def unallocated_children(user: Any) -> list[UnallocatedChild]:
    """Children the user may see with an open referral and no open allocation, oldest first.

    Two queries: the open referrals without an allocation (their dates only: joining every
    child to them made PostgreSQL read the whole register), then, of those children, the
    ones the user may see (``visible_people``, the only place visibility is decided).
    """
    any_allocation = Allocation.objects.filter(person=OuterRef("person_id"), end_date__isnull=True)
    referred: dict[int, datetime.date] = dict(
        Referral.objects.filter(closed_on__isnull=True)
        .exclude(Exists(any_allocation))
        .order_by()
        .values_list("person_id", "referral_date")
    )
    if not referred:
        return []
    children = visible_people(user).filter(pk__any_of=list(referred)).only(*PERSON_ROW_FIELDS)
    return sorted(
        (UnallocatedChild(child, referred[child.pk]) for child in children),
        key=lambda entry: (entry.referral_date, entry.person.family_name, entry.person.pk),
    )


@dataclass(frozen=True)
class TeamDueWork:
    """The due work of the children allocated to the teams a manager manages (or their own),
    as the manager sees it: each worker's line, the overdue rows and the rest, most urgent
    first. The team page adds sign-off and unallocated children; the weekly analysis reads
    it alone."""

    teams: list[Team]
    workers: list[WorkerLine]
    overdue_rows: list[WorkRow]
    upcoming_rows: list[WorkRow]
    child_ids: list[int]


def team_due_work(
    user: User, as_at: datetime.date, *, upcoming_until: datetime.date | None = None
) -> TeamDueWork:
    """The due work of the teams the user manages (or their own), by worker. Each worker's
    counts are of all their children's work; of the work not overdue, only that due by
    ``upcoming_until`` (when given) is listed, for a page showing no further ahead."""
    team_list = list(managed_teams(user).order_by("name"))
    team_ids = [team.pk for team in team_list]
    members = list(
        User.objects.filter(team_id__any_of=team_ids, is_active=True).order_by(
            "last_name", "first_name", "pk"
        )
    )
    allocations = list(
        Allocation.objects.filter(team_id__any_of=team_ids, end_date__isnull=True)
        .select_related("person")
        .only(*ALLOCATION_ROW_FIELDS)
        .order_by("start_date", "pk")
    )
    # A child whose record is restricted to others is left out: not named, not counted.
    hidden = restricted_from(user, {a.person_id for a in allocations})
    allocations = [a for a in allocations if a.person_id not in hidden]
    # The workers are mostly the team's members, read once each; others (a worker since
    # moved to another team) are read by id.
    staff: dict[int, User] = {m.pk: m for m in members}
    elsewhere = {a.worker_id for a in allocations if a.worker_id and a.worker_id not in staff}
    if elsewhere:
        staff.update(User.objects.only(*WORKER_ROW_FIELDS).in_bulk(list(elsewhere)))
    worker_of: dict[int, User | None] = {}
    children: dict[int, Person] = {}
    managers = {team.pk: team.manager_id for team in team_list}
    holders: dict[int, CaseHolders] = {}
    for allocation in allocations:
        worker_of.setdefault(
            allocation.person_id, staff[allocation.worker_id] if allocation.worker_id else None
        )
        holders.setdefault(
            allocation.person_id,
            CaseHolders(allocation.worker_id, managers.get(allocation.team_id)),
        )
        children[allocation.person_id] = allocation.person
    items = work_items(list(children), as_at)
    rows = [
        WorkRow(i, children[i.person_id], worker_of[i.person_id])
        for i in items
        if i.person_id in children
    ]
    workers: dict[int | None, User | None] = {m.pk: m for m in members}
    for worker in worker_of.values():
        workers.setdefault(worker.pk if worker else None, worker)
    loads = Counter(w.pk if w else None for w in worker_of.values())
    overdue = Counter(r.worker.pk if r.worker else None for r in rows if r.is_overdue)
    soon = Counter(r.worker.pk if r.worker else None for r in rows if is_due_soon(r.item, as_at))
    lines = [
        WorkerLine(
            worker,
            loads[key],
            overdue[key],
            soon[key],
            member=worker is not None and worker.team_id in managers,
        )
        for key, worker in workers.items()
    ]
    lines.sort(key=lambda line: (line.worker is None, -line.overdue, -line.caseload))
    overdue_rows = sorted((r for r in rows if r.is_overdue), key=urgency_key)
    upcoming_rows = sorted(
        (
            r
            for r in rows
            if not r.is_overdue
            and (upcoming_until is None or r.item.timeliness.due_date <= upcoming_until)
        ),
        key=urgency_key,
    )
    seen = seen_by(user, overdue_rows + upcoming_rows, holders)  # the names in one query
    return TeamDueWork(
        teams=team_list,
        workers=lines,
        overdue_rows=seen[: len(overdue_rows)],
        upcoming_rows=seen[len(overdue_rows) :],
        child_ids=list(children),
    )


def team_work(user: User, as_at: datetime.date, *, can_authorise: bool) -> TeamWork:
    """The teams the user manages (or their own): work by worker, sign-off, unallocated."""
    due = team_due_work(user, as_at)
    return TeamWork(
        teams=due.teams,
        workers=due.workers,
        overdue_rows=due.overdue_rows,
        awaiting_sign_off=(
            awaiting_for_teams(user, [team.pk for team in due.teams], due.child_ids)
            if can_authorise
            else []
        ),
        unallocated=unallocated_children(user),
        children=len(due.child_ids),
        upcoming_rows=due.upcoming_rows,
    )
