"""Place each member of a family on a three-row grid: grandparents, parents, children.

Deterministic and simple: the parents' generation is ordered around the child's parents,
children sit under the union they were born to, grandparents above their own child, and
anything that would overlap is pushed right.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from caseline.apps.genogram.family import Family, Union

SPACING = 130  # centre to centre, pixels
ROW_TOP = 60
ROW_GAP = 160
MARGIN = 80


@dataclass(frozen=True)
class Layout:
    x: dict[int, float]
    y: dict[int, float]
    width: float
    height: float


def _push_apart(order: list[int], x: dict[int, float]) -> None:
    """Keep members of one row at least SPACING apart, in the given order."""
    for left, right in pairwise(order):
        if x[right] < x[left] + SPACING:
            x[right] = x[left] + SPACING


def _parents_row(family: Family) -> list[int]:
    """The parents' generation in reading order: each parent beside their partners."""
    focus_union = next((u for u in family.unions if family.focus in u.children), None)
    row = [m.person_id for m in family.generation(1)]
    if focus_union is None:
        return sorted(row)
    first, second = focus_union.first, focus_union.second
    if (
        second is not None
        and family.members[first].sex == "F"
        and family.members[second].sex == "M"
    ):
        first, second = second, first
    partners: dict[int, list[int]] = {pid: [] for pid in row}
    for union in family.unions:
        if union.second is None:
            continue
        for a, b in ((union.first, union.second), (union.second, union.first)):
            if a in partners and b in partners and b not in (first, second):
                partners[a].append(b)
    ordered: list[int] = [*sorted(partners.get(first, [])), first]
    if second is not None:
        ordered += [second, *sorted(partners.get(second, []))]
    ordered += sorted(pid for pid in row if pid not in ordered)
    return list(dict.fromkeys(ordered))


def _midpoint(union: Union, x: dict[int, float]) -> float:
    if union.second is None or union.second not in x:
        return x[union.first]
    return (x[union.first] + x[union.second]) / 2


def layout(family: Family) -> Layout:
    """Positions for every member."""
    x: dict[int, float] = {}
    parents = _parents_row(family)
    for index, pid in enumerate(parents):
        x[pid] = index * SPACING

    # Children under the union they belong to, unions taken left to right.
    child_unions = [u for u in family.unions if u.children and u.first in x]
    child_unions.sort(key=lambda u: _midpoint(u, x))
    children_row: list[int] = []
    for union in child_unions:
        mid = _midpoint(union, x)
        start = mid - (len(union.children) - 1) * SPACING / 2
        for offset, child in enumerate(union.children):
            if child in x:
                continue
            x[child] = start + offset * SPACING
            children_row.append(child)
    for member in family.generation(2):
        if member.person_id not in x:  # a sibling whose parents are not recorded
            x[member.person_id] = (max(x.values()) + SPACING) if x else 0
            children_row.append(member.person_id)
    children_row.sort(key=lambda pid: x[pid])
    _push_apart(children_row, x)

    # Grandparents above the parent they belong to.
    grand_row: list[int] = []
    for union in sorted(
        (u for u in family.unions if any(family.members[c].generation == 1 for c in u.children)),
        key=lambda u: min(x.get(c, 0) for c in u.children),
    ):
        anchor = min(x[c] for c in union.children if c in x)
        pair = [union.first] + ([union.second] if union.second is not None else [])
        start = anchor - (len(pair) - 1) * SPACING / 2
        for offset, pid in enumerate(pair):
            x.setdefault(pid, start + offset * SPACING)
            grand_row.append(pid)
    for member in family.generation(0):
        if member.person_id not in x:
            x[member.person_id] = (max(x.values()) + SPACING) if x else 0
            grand_row.append(member.person_id)
    grand_row.sort(key=lambda pid: x[pid])
    _push_apart(grand_row, x)

    shift = MARGIN - min(x.values())
    for pid in x:
        x[pid] += shift
    # Only the generations recorded take up a row.
    rows = sorted({family.members[pid].generation for pid in x})
    row_y = {generation: ROW_TOP + index * ROW_GAP for index, generation in enumerate(rows)}
    y = {pid: float(row_y[family.members[pid].generation]) for pid in x}
    width = max(x.values()) + MARGIN
    return Layout(x=x, y=y, width=width, height=max(row_y.values()) + 110)
