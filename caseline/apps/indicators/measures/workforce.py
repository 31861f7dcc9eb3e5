"""Workforce: caseloads by worker and by team on the as-at date."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Q

from caseline.apps.accounts.models import Team
from caseline.apps.accounts.queries import display_names
from caseline.apps.indicators.engine import Area, Context, Counted, Indicator, Kind
from caseline.apps.lookedafter.models import IROAllocation
from caseline.apps.people.models import Allocation

SOURCE_URL = "https://www.gov.uk/government/publications/inspecting-local-authority-childrens-services-from-2018"


def _open_allocations(context: Context) -> list[Allocation]:
    return list(
        Allocation.objects.filter(start_date__lte=context.as_at, person__merged_into__isnull=True)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=context.as_at))
        .only("id", "person_id", "team_id", "worker_id", "start_date")
        .order_by("person_id", "start_date", "id")
    )


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

INDICATORS = (CASELOAD_WORKER, CASELOAD_TEAM, CASELOAD_IRO)
