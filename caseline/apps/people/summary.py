"""Reading what every app contributes to a child's summary, identity bar and due work
(``people.contribution``): for the summary page, the identity bar, a child's "what is due"
and the My work pages. None of it is stored: a child's due work is worked out from their
record, and kept in this process's memory only until that record changes
(``people.kept_work``).

Due work as one viewer sees it (:func:`as_seen_by`): an item they may do links to where it
is done; any other says whose it is, from the child's allocation (the worker, the team's
manager) or the person the app names (the IRO, the chair).
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.db.models import QuerySet

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.accounts.queries import display_names
from caseline.apps.core.access import user_can
from caseline.apps.people.contribution import (
    Badge,
    Doer,
    DueItem,
    SummaryBlock,
    contributions,
)
from caseline.apps.people.kept_work import KEPT
from caseline.apps.people.models import Allocation, Person
from caseline.apps.timescales.queries import standards_read_once


def summary_blocks(
    person: Person, as_at: datetime.date, user: User | None = None
) -> list[SummaryBlock]:
    """Every app's blocks for the child's summary; given ``user``, only the blocks they may
    see (a block naming a permission is shown only to those who hold it)."""
    blocks = [b for c in contributions() for b in c.summary_blocks(person, as_at)]
    if user is not None:
        blocks = [b for b in blocks if b.permission is None or user_can(user, b.permission)]
    return sorted(blocks, key=lambda b: b.order)


def badges(person: Person, as_at: datetime.date) -> list[Badge]:
    return [b for c in contributions() for b in c.badges(person, as_at)]


def due_items(person: Person, as_at: datetime.date) -> list[DueItem]:
    """Open (not completed) due work for the person, most urgent first: :func:`work_items`
    for this one child, so each rule has one implementation whether one child's record or a
    team's work is shown."""
    return sorted(work_items([person.pk], as_at), key=lambda i: i.timeliness.due_date)


def work_items(
    people: QuerySet[Person] | Collection[int],
    as_at: datetime.date,
    *,
    apps: Collection[str] | None = None,
) -> list[DueItem]:
    """Open due work for every person in ``people`` (a queryset, or their ids), in no
    particular order, from every app's contribution (only those of ``apps`` when given: the
    chair's page asks only for conferences and reviews).

    Each app answers for all the people at once in a fixed number of queries, and they share
    one read of the local standards. A child's items worked out since their record last
    changed are kept (``people.kept_work``): only the others are worked out.
    """
    # Read who the people are once, and hand the apps their ids: a query with a correlated
    # condition (a caseload, a team) repeated inside every app's queries made each of them
    # scan the people table.
    if isinstance(people, QuerySet):
        ids: list[int] = list(people.values_list("pk", flat=True))
    else:
        ids = list(people)
    if not ids:
        return []

    def work_out(children: list[int]) -> list[DueItem]:
        with standards_read_once():
            return [i for c in contributions(apps) for i in c.due_for(children, as_at)]

    return KEPT.due_work(ids, as_at, apps, work_out)


# --- Due work as one viewer sees it ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CaseHolders:
    """Who holds a child's case: the allocated worker and the team's manager (user ids)."""

    worker_id: int | None = None
    manager_id: int | None = None

    @classmethod
    def of(cls, allocation: Allocation | None) -> CaseHolders:
        """From the child's open allocation, read with its team."""
        if allocation is None:
            return cls()
        return cls(allocation.worker_id, allocation.team.manager_id)


NOBODY_HOLDS = CaseHolders()


@dataclass(frozen=True, slots=True)
class DueLine:
    """A due item as one viewer sees it: ``for_whom`` is empty when they may do it, and
    otherwise says whose work it is ("For the IRO, Ana Chair"), with no link."""

    item: DueItem
    for_whom: str = ""

    @property
    def href(self) -> str:
        return "" if self.for_whom else self.item.href


def permissions_held(user: User, items: Iterable[DueItem]) -> frozenset[Permission]:
    """The permissions these items need that the user holds, each asked once."""
    return frozenset(p for p in {item.permission for item in items} if user_can(user, p))


def _doer_id(item: DueItem, holders: Mapping[int, CaseHolders]) -> int | None:
    doer = item.doer
    if doer is Doer.SOCIAL_WORKER:
        return holders.get(item.person_id, NOBODY_HOLDS).worker_id
    if doer is Doer.TEAM_MANAGER:
        return holders.get(item.person_id, NOBODY_HOLDS).manager_id
    return item.assigned_to_id


def as_seen_by(
    user: User, items: Sequence[DueItem], holders: Mapping[int, CaseHolders]
) -> list[DueLine]:
    """Each item as ``user`` sees it, in the same order: linked when they hold the
    permission it needs, otherwise saying whose it is. ``holders`` are the children's case
    holders, which the page has read already; the names are read in one query, and only
    when some item is someone else's."""
    held = permissions_held(user, items)
    mine = [may_do(user, item, held) for item in items]
    doers = [None if ok else _doer_id(item, holders) for item, ok in zip(items, mine, strict=True)]
    names = display_names(doers)
    return [
        DueLine(item)
        if ok
        else DueLine(item, item.doer.for_whom(names.get(doer, "") if doer else ""))
        for item, ok, doer in zip(items, mine, doers, strict=True)
    ]


def may_do(user: User, item: DueItem, held: frozenset[Permission]) -> bool:
    """Whether the work is the user's to do: they hold the permission its link needs and,
    for work that names one person only (an action from a case audit), they are that
    person."""
    if item.permission not in held:
        return False
    return item.doer is not Doer.ACTION_OWNER or item.assigned_to_id == user.pk


def due_lines(
    user: User, person: Person, as_at: datetime.date, allocation: Allocation | None
) -> list[DueLine]:
    """The child's due work (:func:`due_items`) as ``user`` sees it, for the summary page:
    every item, saying whose those the user may not do are (``allocation``: the child's
    open allocation, with its team)."""
    return as_seen_by(user, due_items(person, as_at), {person.pk: CaseHolders.of(allocation)})
