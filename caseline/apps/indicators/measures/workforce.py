"""Workforce: caseloads by worker and by team (and by the child's stage), IRO and conference
chairs' caseloads, and changes of social worker, on the as-at date."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable, Iterator
from enum import StrEnum
from typing import NamedTuple

from django.db.models import Q

from caseline.apps.accounts.models import Team
from caseline.apps.accounts.queries import display_names
from caseline.apps.frontdoor.models import Referral
from caseline.apps.indicators.engine import Area, Context, Counted, Indicator, Kind
from caseline.apps.indicators.measures.looked_after import LAIT_URL, care_history, year_records
from caseline.apps.lookedafter import derive
from caseline.apps.lookedafter.models import IROAllocation
from caseline.apps.people.models import Allocation
from caseline.apps.protection.models import Conference, ProtectionPlan
from caseline.apps.returns.ssda903 import rows

# Care leavers' statuses that make a child's stage "care leaver" (the young people the
# authority still supports as a former looked-after child).
LEAVERS = (derive.Eligibility.RELEVANT, derive.Eligibility.FORMER_RELEVANT)
SOURCE_URL = "https://www.gov.uk/government/publications/inspecting-local-authority-childrens-services-from-2018"


class OpenAllocation(NamedTuple):
    """An allocation open on the as-at date, as the caseload indicators read it."""

    person_id: int
    team_id: int
    worker_id: int | None
    start_date: datetime.date


def _open_allocations(context: Context) -> list[OpenAllocation]:
    """The allocations open on the as-at date, read once for every caseload indicator."""

    def load() -> list[OpenAllocation]:
        return [
            OpenAllocation(*row)
            for row in Allocation.objects.filter(
                start_date__lte=context.as_at, person__merged_into__isnull=True
            )
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=context.as_at))
            .order_by("person_id", "start_date", "id")
            .values_list("person_id", "team_id", "worker_id", "start_date")
        ]

    value = context.shared("open-allocations", load)
    assert isinstance(value, list)
    return value


def by_worker(context: Context) -> Iterator[Counted]:
    allocations = [a for a in _open_allocations(context) if a.worker_id is not None]
    names = display_names({a.worker_id for a in allocations if a.worker_id is not None})
    for allocation in allocations:
        yield Counted(
            allocation.person_id,
            True,
            (("Allocated since", allocation.start_date),),
            group=names.get(allocation.worker_id or 0, "Unknown worker"),
        )


def by_team(context: Context) -> Iterator[Counted]:
    allocations = _open_allocations(context)
    names = dict(Team.objects.values_list("id", "name"))
    for allocation in allocations:
        yield Counted(
            allocation.person_id,
            True,
            (("Allocated since", allocation.start_date),),
            group=names.get(allocation.team_id, "Unknown team"),
        )


def by_iro(context: Context) -> Iterator[Counted]:
    allocations = list(
        IROAllocation.objects.filter(
            start_date__lte=context.as_at, person__merged_into__isnull=True
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=context.as_at))
        .only("id", "person_id", "iro_id", "start_date")
        .order_by("person_id", "start_date", "id")
    )
    names = display_names({a.iro_id for a in allocations})
    for allocation in allocations:
        yield Counted(
            allocation.person_id,
            True,
            (("IRO since", allocation.start_date),),
            group=names.get(allocation.iro_id, "Unknown IRO"),
        )


CASELOAD_WORKER = Indicator(
    code="WF1",
    name="Caseloads by worker",
    area=Area.WORKFORCE,
    kind=Kind.COUNT,
    definition="Children allocated to each worker on the as-at date (allocations open that day).",
    numerator="Children with an allocation to a worker open on the as-at date",
    denominator="-",
    unit="children",
    source="Ofsted ILACS (caseloads); Annex A lists 3 to 9 (allocated worker)",
    source_url=SOURCE_URL,
    compute=by_worker,
    groups="The allocated worker",
)

CASELOAD_TEAM = Indicator(
    code="WF2",
    name="Caseloads by team",
    area=Area.WORKFORCE,
    kind=Kind.COUNT,
    definition="Children allocated to each team on the as-at date (allocations open that day).",
    numerator="Children with an allocation open on the as-at date",
    denominator="-",
    unit="children",
    source="Ofsted ILACS (caseloads); Annex A lists 3 to 9 (allocated team)",
    source_url=SOURCE_URL,
    compute=by_team,
    groups="The allocated team",
)

CASELOAD_IRO = Indicator(
    code="WF3",
    name="IRO caseloads",
    area=Area.WORKFORCE,
    kind=Kind.COUNT,
    definition="Children allocated to each independent reviewing officer on the as-at date.",
    numerator="Children with an IRO allocation open on the as-at date",
    denominator="-",
    unit="children",
    source="IRO Handbook (2010), caseloads of 50 to 70 suggested (DOMAIN.md §6: unverified)",
    source_url="https://www.gov.uk/government/publications/independent-reviewing-officers-handbook",
    compute=by_iro,
    groups="The IRO",
    unverified="The IRO Handbook's suggested caseload (50 to 70) is not checked.",
)

INDICATORS: tuple[Indicator, ...] = (CASELOAD_WORKER, CASELOAD_TEAM, CASELOAD_IRO)


# --- Conference chairs, changes of social worker, caseloads by stage -------------------------


def by_chair(context: Context) -> Iterator[Counted]:
    """Children on a child protection plan on the as-at date, by the chair of the plan's latest
    conference (initial or review) held by then."""
    as_at = context.as_at
    plans = list(
        ProtectionPlan.objects.filter(start_date__lte=as_at, person__merged_into__isnull=True)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=as_at))
        .only("id", "person_id", "conference_id", "start_date")
    )
    by_plan = {plan.pk: plan for plan in plans}
    initial = {plan.conference_id: plan.pk for plan in plans}
    latest: dict[int, tuple[datetime.date, int | None]] = {}
    conferences = Conference.objects.filter(
        Q(id__any_of=list(initial)) | Q(plan_id__any_of=list(by_plan)),
        conference_date__lte=as_at,
    ).values_list("id", "plan_id", "conference_date", "chair_id")
    for conference_id, plan_id, day, chair_id in conferences:
        plan_pk = plan_id if plan_id in by_plan else initial.get(conference_id)
        if plan_pk is None:
            continue
        if plan_pk not in latest or day >= latest[plan_pk][0]:
            latest[plan_pk] = (day, chair_id)
    names = display_names({chair for _, chair in latest.values() if chair is not None})
    for plan in plans:
        held, chair = latest.get(plan.pk, (None, None))
        if chair is not None:
            group = names.get(chair, "Unknown chair")
        else:  # a conference with no chair was held in another system (ADR 0036)
            group = "Held in another system" if held is not None else "No conference"
        yield Counted(
            plan.person_id,
            True,
            (("Plan started", plan.start_date), ("Latest conference", held)),
            group=group,
            what=f"Plan started {plan.start_date:%-d %B %Y}",
        )


def social_worker_changes(context: Context) -> Iterator[Counted]:
    """Children the SSDA903's SWEpisodes table holds for the 12 months to the period's end
    (``rows.social_worker_rows``, the same reading): how many times the social worker
    changed (a row whose worker differs from the row before)."""
    year, children = year_records(context)
    for child in children:
        if not child.in_year:
            continue
        found = rows.social_worker_rows(child.records, year)
        if not found:
            continue
        workers = [row[2] for row in found]
        changes = sum(1 for before, after in itertools.pairwise(workers) if after != before)
        yield Counted(
            child.person.pk,
            True,
            (
                ("Social worker episodes", len(found)),
                ("Changes of social worker", changes),
                ("Latest from", found[-1][3]),
            ),
            group=f"{changes} change{'s' if changes != 1 else ''}" if changes < 3 else "3 or more",
            amount=changes,
        )


class Stage(StrEnum):
    """Where a child is in their journey on a day, the furthest along first."""

    LOOKED_AFTER = "Looked after"
    PROTECTION = "Child protection"
    CARE_LEAVER = "Care leaver"
    IN_NEED = "Child in need"
    OTHER = "Other"


def stages(context: Context, person_ids: set[int]) -> dict[int, Stage]:
    """Each child's stage on the as-at date (``person_ids``: every child with an allocation
    open that day; read once per context): looked after (not on short breaks only), else on a
    child protection plan, else a relevant or former relevant care leaver, else in an open
    child in need episode, else other. Two queries, and the shared care history."""

    def load() -> dict[int, Stage]:
        as_at, history = context.as_at, care_history(context)
        ids = sorted(person_ids)
        episodes = history.episodes
        on_plan = set(
            ProtectionPlan.objects.filter(person_id__any_of=ids, start_date__lte=as_at)
            .filter(Q(end_date__isnull=True) | Q(end_date__gt=as_at))
            .values_list("person_id", flat=True)
        )
        in_need = set(
            Referral.objects.filter(person_id__any_of=ids, referral_date__lte=as_at)
            .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=as_at))
            .values_list("person_id", flat=True)
        )
        people = history.people
        found: dict[int, Stage] = {}
        for pk in ids:
            care = episodes.get(pk, [])
            if care and derive.period_on(derive.periods_of_care(care), as_at) is not None:
                found[pk] = Stage.LOOKED_AFTER
            elif pk in on_plan:
                found[pk] = Stage.PROTECTION
            elif care and derive.care_leaver_status(people[pk], care, as_at) in LEAVERS:
                found[pk] = Stage.CARE_LEAVER
            elif pk in in_need:
                found[pk] = Stage.IN_NEED
            else:
                found[pk] = Stage.OTHER
        return found

    value = context.shared("stages", load)
    assert isinstance(value, dict)
    return value


def by_stage(owner: str) -> Callable[[Context], Iterator[Counted]]:
    """Children allocated on the as-at date by their worker ("worker") or team ("team") and
    their stage."""

    def compute(context: Context) -> Iterator[Counted]:
        allocations = _open_allocations(context)
        # Every allocated child's stage, shared by both indicators (read once for them all).
        stage = stages(context, {a.person_id for a in allocations})
        if owner == "worker":
            allocations = [a for a in allocations if a.worker_id is not None]
            names = display_names({a.worker_id for a in allocations if a.worker_id is not None})
        else:
            names = dict(Team.objects.values_list("id", "name"))
        for allocation in allocations:
            key = allocation.worker_id if owner == "worker" else allocation.team_id
            who = names.get(key or 0, f"Unknown {owner}")
            where = stage[allocation.person_id]
            yield Counted(
                allocation.person_id,
                True,
                (("Allocated since", allocation.start_date), ("Stage", str(where))),
                group=f"{who}: {where}",
            )

    return compute


CASELOAD_CHAIR = Indicator(
    code="WF4",
    name="Conference chairs' caseloads",
    area=Area.WORKFORCE,
    kind=Kind.COUNT,
    definition=(
        "Children on a child protection plan on the as-at date, by the chair of the plan's "
        "latest conference (the initial conference or the latest review) held by then."
    ),
    numerator="Child protection plans open on the as-at date",
    denominator="-",
    unit="plans",
    source=(
        "Ofsted ILACS (caseloads of those who chair child protection conferences); Working "
        "Together to Safeguard Children (the conference chair)"
    ),
    source_url=SOURCE_URL,
    compute=by_chair,
    groups="The chair of the latest conference",
    unverified=(
        "No national caseload standard for conference chairs is known; whether an authority "
        "counts a chair's plans by the latest conference or by a named allocation is a local "
        "choice."
    ),
)

SOCIAL_WORKER_CHANGES = Indicator(
    code="WF5",
    name="Changes of social worker per child looked after",
    area=Area.WORKFORCE,
    reads_care=True,
    kind=Kind.AVERAGE,
    definition=(
        "For the children in the SSDA903's social worker episodes (SWEpisodes) for the 12 "
        "months to the period's last day, the average number of times their social worker "
        "changed: each episode whose worker differs from the one before is a change, read as "
        "the return reads the allocations (from the start of the latest period of care)."
    ),
    numerator="Changes of social worker, added up",
    denominator="Children looked after in the 12 months with a social worker episode",
    unit="children",
    source="DfE SSDA903 SWEpisodes table (from 2023-24); Ofsted ILACS (stability of workers)",
    source_url=LAIT_URL,
    compute=social_worker_changes,
    higher_is_better=False,
    at_period_end=True,
    amount_unit="changes",
    groups="Changes of social worker in the 12 months",
    unverified=(
        "The DfE's own measure from SWEpisodes is not published as read here; the table's "
        "reading is the Data to Insight validator's (docs/returns.md), not checked against "
        "the 903 guide."
    ),
)

CASELOAD_WORKER_STAGE = Indicator(
    code="WF6",
    name="Caseloads by worker and stage",
    area=Area.WORKFORCE,
    reads_care=True,
    kind=Kind.COUNT,
    definition=(
        "Children allocated to each worker on the as-at date, by the child's stage that day: "
        "looked after, on a child protection plan, a care leaver (relevant or former "
        "relevant), in an open child in need episode, or other (the furthest along counts)."
    ),
    numerator="Children with an allocation to a worker open on the as-at date",
    denominator="-",
    unit="children",
    source="Ofsted ILACS (caseloads); Annex A lists 3 to 9 (allocated worker)",
    source_url=SOURCE_URL,
    compute=by_stage("worker"),
    groups="The allocated worker and the child's stage",
)

CASELOAD_TEAM_STAGE = Indicator(
    code="WF7",
    name="Caseloads by team and stage",
    area=Area.WORKFORCE,
    reads_care=True,
    kind=Kind.COUNT,
    definition=(
        "Children allocated to each team on the as-at date, by the child's stage that day (as WF6)."
    ),
    numerator="Children with an allocation open on the as-at date",
    denominator="-",
    unit="children",
    source="Ofsted ILACS (caseloads); Annex A lists 3 to 9 (allocated team)",
    source_url=SOURCE_URL,
    compute=by_stage("team"),
    groups="The allocated team and the child's stage",
)

INDICATORS = (
    *INDICATORS,
    CASELOAD_CHAIR,
    SOCIAL_WORKER_CHANGES,
    CASELOAD_WORKER_STAGE,
    CASELOAD_TEAM_STAGE,
)
