"""Each child's due work, kept in this process's memory until that child's record changes
([ADR 0043](../../../docs/adr/0043-a-childs-due-work-is-kept-until-their-record-changes.md)).

A child's due work is worked out from their own record, the local standards and the
calendar (``people.summary.work_items``). Every write through an action records an audit
event naming each child whose record it changes; writes about no child (a local standard,
the providers' register, an import) record an event naming no one. So a child's items still
hold while neither the newest change about them (``audit.queries.last_changes_about``) nor
the newest change about no child (``last_general_change_id``) has moved: a page asks for both,
two index lookups, and works out only the children whose record changed since. The kept
items are keyed on the as-at date too, so a new day works everything out again.
"""

from __future__ import annotations

import datetime
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from django.conf import settings

from caseline.apps.audit.queries import last_changes_about, last_general_change_id
from caseline.apps.people.contribution import DueItem

# Which apps' contributions were asked for (None: all of them).
AppsAsked = frozenset[str] | None
KeptKey = tuple[int, datetime.date, AppsAsked]


@dataclass(frozen=True, slots=True)
class Kept:
    """One child's items, and the changes they were worked out after."""

    child_change: int  # the newest change event about the child (0: none)
    general_change: int  # the newest change event about no child
    items: tuple[DueItem, ...]


class KeptWork:
    """Children's due work kept until their record changes: at most ``DUE_WORK_KEPT_CHILDREN``
    children (each for one as-at date and set of apps), the least recently used let go first.
    ``0`` keeps nothing (the test settings: factories write without the audit trail)."""

    def __init__(self) -> None:
        self._entries: OrderedDict[KeptKey, Kept] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def capacity() -> int:
        return int(getattr(settings, "DUE_WORK_KEPT_CHILDREN", 0))

    def due_work(
        self,
        ids: Sequence[int],
        as_at: datetime.date,
        apps: Collection[str] | None,
        work_out: Callable[[list[int]], list[DueItem]],
    ) -> list[DueItem]:
        """The due work of the children ``ids``: kept items where the child's record has not
        changed since, ``work_out(ids)`` for the rest (kept for next time)."""
        limit = self.capacity()
        if limit <= 0:
            return work_out(list(ids))
        asked: AppsAsked = frozenset(apps) if apps is not None else None
        # Read before working anything out: items worked out from a record that changes
        # meanwhile are filed under the older change, and worked out again next time.
        changes = last_changes_about(ids)
        general = last_general_change_id()
        items: list[DueItem] = []
        missing: list[int] = []
        with self._lock:
            for child in ids:
                key = (child, as_at, asked)
                kept = self._entries.get(key)
                if (
                    kept is not None
                    and kept.child_change == changes.get(child, 0)
                    and kept.general_change == general
                ):
                    self._entries.move_to_end(key)
                    items.extend(kept.items)
                else:
                    missing.append(child)
        if not missing:
            return items
        worked_out = work_out(missing)
        by_child: defaultdict[int, list[DueItem]] = defaultdict(list)
        for item in worked_out:
            by_child[item.person_id].append(item)
        with self._lock:
            for child in missing:
                key = (child, as_at, asked)
                self._entries[key] = Kept(
                    changes.get(child, 0), general, tuple(by_child.get(child, ()))
                )
                self._entries.move_to_end(key)
            while len(self._entries) > limit:
                self._entries.popitem(last=False)
        return items + worked_out

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


KEPT = KeptWork()
