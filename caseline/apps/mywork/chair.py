"""A conference chair's or independent reviewing officer's work: their caseload, the
conferences and reviews due for it, and the initial conferences still to be arranged.

Whose child is it? The rule Caseline uses:

- **Child protection.** A child on an open child protection plan (no end date) belongs to
  the chair of the plan's latest held conference: the conference that started the plan
  (initial or transfer-in) or, once there is one, its latest review conference (by
  conference date, then the order recorded). Working Together 2023 expects the same person
  to chair a child's conferences where possible, so the next review goes to whoever chaired
  the last one; a review chaired by someone else moves the child to them.
- **Looked after.** A child belongs to their independent reviewing officer: the open IRO
  allocation (no end date). Ending the allocation drops the child.

A chair sees, for their children, the review conferences (CP) and the looked-after reviews
(IRO) due, never the other one's: a child on a plan and looked after may have a different
chair and IRO. Initial and transfer-in conferences have no chair until one is held, so they
are listed for every chair as the authority-wide queue to arrange.

Everything goes through ``visible_people`` (via ``visible_among``): a child the user may not
see is neither in their caseload nor in the queue. The query count does not grow with the
number of children: three narrow queries find the candidates, one checks visibility, one
reads the people, and the due work of child protection and care (``CHAIR_APPS``) gives the
items.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from caseline.apps.accounts.models import User
from caseline.apps.lookedafter.models import IROAllocation
from caseline.apps.mywork.queries import (
    TEAM_LIST_LIMIT,
    WorkList,
    WorkRow,
    build_work_list,
    theirs,
    urgency_key,
)
from caseline.apps.people.models import Person
from caseline.apps.people.queries import visible_among
from caseline.apps.people.summary import work_items
from caseline.apps.protection.models import (
    AWAITING_CONFERENCE,
    Conference,
    ProtectionPlan,
    Section47Enquiry,
    TransferIn,
)
from caseline.apps.protection.work import latest_chair
from caseline.apps.timescales.rules import CATALOGUE

# Work a conference chair or independent reviewing officer does: rule codes starting with
# one of these. Change here to widen or narrow the chair's page.
# Review conferences, for the children on plans the user chairs.
CP_REVIEW_PREFIXES: tuple[str, ...] = ("rcpc",)
# Looked-after reviews (and their record), for the children the user is IRO for.
LAC_REVIEW_PREFIXES: tuple[str, ...] = ("lac-review",)
# Initial and transfer-in conferences: no chair yet, so every chair's queue.
INITIAL_CONFERENCE_PREFIXES: tuple[str, ...] = ("icpc", "transfer-in")
CHAIR_RULE_PREFIXES: tuple[str, ...] = (
    *INITIAL_CONFERENCE_PREFIXES,
    *CP_REVIEW_PREFIXES,
    *LAC_REVIEW_PREFIXES,
)

# The apps whose due work has the chair's rules: child protection conferences and looked-after
# reviews. The page asks only these, not every app (supervision, visits and the rest would be
# worked out and thrown away); a test checks that no other app gives a chair's rule.
CHAIR_APPS = ("protection", "lookedafter")

# The queue of initial conferences lists at most this many (the most urgent), and says how
# many there are in all, as the team page does.
INITIAL_LIST_LIMIT = TEAM_LIST_LIMIT


def is_chair_rule(code: str, prefixes: tuple[str, ...] = CHAIR_RULE_PREFIXES) -> bool:
    return code.startswith(prefixes)


def chair_rules(prefixes: tuple[str, ...] = CHAIR_RULE_PREFIXES) -> list[tuple[str, str]]:
    """The catalogued rules the chair's page covers, as (code, title)."""
    return [(r.code, r.title) for r in CATALOGUE.all() if is_chair_rule(r.code, prefixes)]


@dataclass(frozen=True)
class ChairCaseload:
    """The ids of a chair's children, among those the user may see."""

    chaired_plans: frozenset[int]  # on an open plan whose latest conference the user chaired
    iro_for: frozenset[int]  # with an open IRO allocation to the user

    @property
    def children(self) -> frozenset[int]:
        """Every child in the caseload (a child on both counts once)."""
        return self.chaired_plans | self.iro_for

    @property
    def plan_count(self) -> int:
        return len(self.chaired_plans)

    @property
    def iro_count(self) -> int:
        return len(self.iro_for)

    @property
    def total(self) -> int:
        return len(self.children)


@dataclass(frozen=True)
class ChairWork:
    """The chair's page: their caseload, its work due, and the initial conferences queue."""

    caseload: ChairCaseload
    work: WorkList
    initial: list[WorkRow]  # initial and transfer-in conferences awaited, most urgent first

    @property
    def initial_shown(self) -> list[WorkRow]:
        return self.initial[:INITIAL_LIST_LIMIT]


def chaired_plan_people(user: Any) -> set[int]:
    """Children on an open plan whose latest held conference the user chaired (not yet
    checked for visibility). One query.

    Narrowed first to the plans with any conference the user chaired (``chair`` is indexed),
    then each candidate's latest conference, the plan's own or its latest review by date then
    id, must be theirs.
    """
    theirs = Conference.objects.filter(chair=user, plan__isnull=False).values("plan_id")
    plans = (
        ProtectionPlan.objects.filter(end_date__isnull=True)
        .filter(Q(conference__chair=user) | Q(pk__in=theirs))
        .annotate(latest_chair=latest_chair())
        .filter(latest_chair=user.pk)
    )
    return set(plans.values_list("person_id", flat=True))


def iro_people(user: Any) -> set[int]:
    """Children with an open IRO allocation to the user (not yet checked for visibility).
    One query."""
    allocations = IROAllocation.objects.filter(iro=user, end_date__isnull=True)
    return set(allocations.values_list("person_id", flat=True))


def awaiting_initial_conference() -> set[int]:
    """Children with a section 47 enquiry that concluded a conference is needed and has none
    yet, or who moved in on another authority's plan with no transfer-in conference yet: the
    children the protection work provider gives an initial or transfer-in conference for.
    Two queries."""
    enquiries = Section47Enquiry.objects.filter(AWAITING_CONFERENCE)
    transfers = TransferIn.objects.filter(conference__isnull=True)
    return set(enquiries.values_list("person_id", flat=True)) | set(
        transfers.values_list("person_id", flat=True)
    )


def chair_children(user: Any) -> ChairCaseload:
    """The user's caseload as chair and IRO, among the children they may see. Three queries."""
    plans, iro = chaired_plan_people(user), iro_people(user)
    visible = visible_among(user, plans | iro)
    return ChairCaseload(frozenset(plans & visible), frozenset(iro & visible))


def _is_theirs(row: WorkRow, caseload: ChairCaseload) -> bool:
    """A review conference of a child on a plan they chair, or a looked-after review of a
    child they are IRO for."""
    code, person_id = row.item.rule_code, row.person.pk
    return (person_id in caseload.chaired_plans and is_chair_rule(code, CP_REVIEW_PREFIXES)) or (
        person_id in caseload.iro_for and is_chair_rule(code, LAC_REVIEW_PREFIXES)
    )


def chair_work(user: User, as_at: datetime.date) -> ChairWork:
    """The conferences and reviews due for the user's children as chair and IRO, most urgent
    first, and the initial conferences awaited for any child the user may see.

    A fixed number of queries however many children: the candidates (three), visibility
    (one), the people (one), then the due work of ``CHAIR_APPS`` once for all of them.
    """
    plans, iro, initial = chaired_plan_people(user), iro_people(user), awaiting_initial_conference()
    visible = visible_among(user, plans | iro | initial)
    caseload = ChairCaseload(frozenset(plans & visible), frozenset(iro & visible))
    people = Person.objects.in_bulk(visible)
    items = work_items(list(people), as_at, apps=CHAIR_APPS)
    rows = [WorkRow(i, people[i.person_id]) for i in items if i.person_id in people]
    # As on My work, only what the user may do: a chair who does not chair looked-after
    # reviews is not sent to a form that refuses them.
    rows, _ = theirs(user, rows)
    mine = [r for r in rows if _is_theirs(r, caseload)]
    queue = [r for r in rows if is_chair_rule(r.item.rule_code, INITIAL_CONFERENCE_PREFIXES)]
    return ChairWork(
        caseload=caseload,
        work=build_work_list(mine, caseload.total, as_at),
        initial=sorted(queue, key=urgency_key),
    )
