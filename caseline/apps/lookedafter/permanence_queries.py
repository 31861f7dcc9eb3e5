"""Reading the child's adoption decisions, previous permanence and deprivation of liberty
orders. Visibility is checked by the caller (``ChildRecordMixin``); these helpers only read
rows of a person already allowed."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from caseline.apps.lookedafter import derive, queries
from caseline.apps.lookedafter.models import (
    AdoptionDecision,
    DeprivationOfLibertyOrder,
    PreviousPermanence,
)
from caseline.apps.people.models import Person


@dataclass(frozen=True)
class PermanenceRecord:
    """What the child's adoption and permanence page shows."""

    decisions: list[AdoptionDecision]  # newest first
    period: derive.PeriodOfCare | None  # the latest period of care (not short breaks only)
    previous: PreviousPermanence | None  # recorded for that period
    orders: list[DeprivationOfLibertyOrder]  # newest first

    @property
    def open_decision(self) -> AdoptionDecision | None:
        return next((d for d in self.decisions if d.is_open), None)

    @property
    def open_order(self) -> DeprivationOfLibertyOrder | None:
        return next((o for o in self.orders if o.end_date is None), None)


def latest_period(child: Person) -> derive.PeriodOfCare | None:
    """The child's latest period of care, not of short breaks only: the one previous
    permanence is recorded for."""
    periods = derive.periods_of_care(queries.episodes_of(child))
    return next((p for p in reversed(periods) if not p.is_short_breaks), None)


def previous_permanence_for(period: derive.PeriodOfCare | None) -> PreviousPermanence | None:
    if period is None:
        return None
    return PreviousPermanence.objects.filter(episode=period.episodes[0]).first()


def permanence_record(child: Person) -> PermanenceRecord:
    period = latest_period(child)
    return PermanenceRecord(
        decisions=list(
            AdoptionDecision.objects.filter(person=child).order_by("-decided_on", "-id")
        ),
        period=period,
        previous=previous_permanence_for(period),
        orders=list(
            DeprivationOfLibertyOrder.objects.filter(person=child).order_by("-start_date", "-id")
        ),
    )


def get_adoption_decision(child: Person, decision_id: int) -> AdoptionDecision:
    """One of the child's decisions that they should be placed for adoption (404 if not
    theirs)."""
    try:
        return AdoptionDecision.objects.get(pk=decision_id, person=child)
    except AdoptionDecision.DoesNotExist:
        raise Http404("No such adoption decision for this child") from None


def get_deprivation_of_liberty_order(child: Person, order_id: int) -> DeprivationOfLibertyOrder:
    """One of the child's deprivation of liberty orders (404 if not theirs)."""
    try:
        return DeprivationOfLibertyOrder.objects.get(pk=order_id, person=child)
    except DeprivationOfLibertyOrder.DoesNotExist:
        raise Http404("No such deprivation of liberty order for this child") from None
