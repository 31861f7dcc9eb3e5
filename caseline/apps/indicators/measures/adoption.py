"""Adoption timeliness: the DfE's adoption scorecard measures A1, A2 and A10 (DOMAIN.md §1.6).

Each is an average in calendar days over the children adopted in the period (an episode that
ended with an adoption, 903 REC E11 or E12, as the SSDA903's AD1 reads it:
``ssda903.rows.adoption_day``), read with the SSDA903's own loader and its decision that led
to the adoption (``ssda903.rows.decision_adopted_under``: the AD1's DATE_MATCH and
FOSTER_CARE). The DfE publishes them over three years ending 31 March: choose a three-year
range for its figure.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from caseline.apps.indicators.engine import Area, Context, Counted, Indicator, Kind
from caseline.apps.indicators.measures.looked_after import READ_FROM_THE_RETURN
from caseline.apps.lookedafter import derive
from caseline.apps.lookedafter.models import Episode
from caseline.apps.returns.rules.ssda903 import ADOPTED
from caseline.apps.returns.ssda903 import rows
from caseline.apps.returns.ssda903.records import ChildRecords, batches, load_batch

SCORECARD_URL = "https://www.gov.uk/government/collections/adoption-scorecards"
# 903 PLACE codes of a placement for adoption; A3 and A5 are with the child's current foster
# carers (the 903 guide's placement codes, as ``looked_after`` reads them).
PLACED_FOR_ADOPTION = frozenset({"A3", "A4", "A5", "A6"})
WITH_FOSTER_CARERS = frozenset({"A3", "A5"})
# Legal statuses that are court authority to place: a placement order (E1) or, before 2005,
# a freeing order (D1).
COURT_AUTHORITY = frozenset({"E1", "D1"})


@dataclass(frozen=True)
class Adoption:
    """What decided one child's adoption timeliness."""

    child: ChildRecords
    adopted: datetime.date
    entered_care: datetime.date
    placed_for_adoption: datetime.date | None  # moved in with the adoptive family
    foster_placement_began: datetime.date | None  # for an adoption by the foster carers
    by_foster_carers: bool
    court_authority: datetime.date | None  # placement or freeing order
    matched: datetime.date | None


def _adoption(child: ChildRecords, adopted: datetime.date) -> Adoption | None:
    care = next(
        (p for p in derive.periods_of_care(child.episodes) if p.end_date == adopted),
        None,
    )
    if care is None:
        return None
    decision = rows.decision_adopted_under(child.adoption_decisions, adopted)
    placements = care.placements
    adoptive = next(
        (
            n
            for n, p in enumerate(placements)
            if p.episodes[0].placement_type in PLACED_FOR_ADOPTION
        ),
        None,
    )
    placed = placements[adoptive].start_date if adoptive is not None else None
    kind = placements[adoptive].episodes[0].placement_type if adoptive is not None else ""
    by_carers = bool(decision and decision.adopted_by_foster_carers) or kind in WITH_FOSTER_CARERS
    foster_began = None
    if by_carers and adoptive is not None:
        foster_began = placements[adoptive - 1].start_date if adoptive > 0 else placed
    orders = [e.start_date for e in care.episodes if e.legal_status in COURT_AUTHORITY]
    return Adoption(
        child=child,
        adopted=adopted,
        entered_care=care.start_date,
        placed_for_adoption=placed,
        foster_placement_began=foster_began,
        by_foster_carers=by_carers,
        court_authority=min(orders) if orders else None,
        matched=decision.matched_on if decision is not None else None,
    )


def adoptions(context: Context) -> list[Adoption]:
    """The children adopted in the period, with what decided their timeliness (read once for
    the three measures)."""

    def load() -> list[Adoption]:
        period = context.period
        ids = sorted(
            set(
                Episode.objects.filter(
                    end_date__range=(period.start, period.end),
                    reason_episode_ceased__in=ADOPTED,
                    person__merged_into__isnull=True,
                ).values_list("person_id", flat=True)
            )
        )
        found: list[Adoption] = []
        for batch in batches(ids):
            for child in load_batch(batch, period, READ_FROM_THE_RETURN | {"episodes"}):
                adopted = rows.adoption_day(child, period)
                adoption = _adoption(child, adopted) if adopted is not None else None
                if adoption is not None:
                    found.append(adoption)
        return found

    value = context.shared("adoptions", load)
    assert isinstance(value, list)
    return value


def _days(start: datetime.date | None, end: datetime.date | None) -> int | None:
    return (end - start).days if start is not None and end is not None else None


def entry_to_adoptive_family(adjusted: bool) -> Callable[[Context], Iterator[Counted]]:
    """A1 (``adjusted`` False) or A10 (True: for an adoption by the child's foster carers, the
    end is the day the foster placement began)."""

    def compute(context: Context) -> Iterator[Counted]:
        for a in adoptions(context):
            end = a.placed_for_adoption
            if adjusted and a.by_foster_carers:
                end = a.foster_placement_began
            days = _days(a.entered_care, end)
            yield Counted(
                a.child.person.pk,
                days is not None,
                (
                    ("Entered care", a.entered_care),
                    ("Moved in with the adoptive family", a.placed_for_adoption),
                    ("Adopted by the foster carers", "Yes" if a.by_foster_carers else "No"),
                    *((("Foster placement began", a.foster_placement_began),) if adjusted else ()),
                    ("Adopted", a.adopted),
                    ("Days", days),
                ),
                what=f"Adopted {a.adopted:%-d %B %Y}",
                amount=days or 0,
            )

    return compute


def order_to_match(context: Context) -> Iterator[Counted]:
    """A2: court authority to place (placement or freeing order) to the match; 0 if matched
    first. Left out: no order, no match recorded, or not placed for adoption before the
    adoption order."""
    for a in adoptions(context):
        days = _days(a.court_authority, a.matched)
        counted = days is not None and a.placed_for_adoption is not None
        yield Counted(
            a.child.person.pk,
            counted,
            (
                ("Placement or freeing order", a.court_authority),
                ("Matched", a.matched),
                ("Moved in with the adoptive family", a.placed_for_adoption),
                ("Adopted", a.adopted),
                ("Days", max(days, 0) if days is not None else None),
            ),
            what=f"Adopted {a.adopted:%-d %B %Y}",
            amount=max(days, 0) if days is not None else 0,
        )


_THREE_YEARS = (
    "The DfE publishes it as a three-year average to 31 March: choose a three-year range for "
    "its figure; over one year it is that year's average."
)

A1 = Indicator(
    code="A1",
    name="Average days from entering care to moving in with the adoptive family",
    area=Area.ADOPTION,
    kind=Kind.AVERAGE,
    definition=(
        "For the children adopted in the period, the average number of days from entering "
        "care (the start of the period of care that ended in the adoption) to moving in with "
        "the adoptive family (the start of the placement for adoption, 903 PLACE A3 to A6). "
        + _THREE_YEARS
    ),
    numerator="Days, added up, from entering care to moving in with the adoptive family",
    denominator="Children adopted in the period who were placed for adoption first",
    unit="children adopted",
    source=(
        "DfE adoption scorecards, measure A1 (thresholds 639 days in 2012 to 426 days, 14 "
        "months, for 2013-16; DOMAIN.md §1.6)"
    ),
    source_url=SCORECARD_URL,
    compute=entry_to_adoptive_family(adjusted=False),
    higher_is_better=False,
    amount_unit="days",
    day_counting=(
        "Calendar days from the day care began to the day the placement for adoption began."
    ),
    unverified=(
        "The scorecard methodology (2018) was read only in secondary copies; whether the DfE "
        "leaves out a child adopted without a placement for adoption (as here) is not seen in "
        "its words, nor its figures after 2018."
    ),
)

A10 = Indicator(
    code="A10",
    name="Average days from entering care to moving in with the adoptive family, adjusted "
    "for foster carer adoptions",
    area=Area.ADOPTION,
    kind=Kind.AVERAGE,
    definition=(
        "A1, except that for a child adopted by their foster carers the time ends on the day "
        "the child moved in with them as foster carers (the placement before the placement "
        "for adoption), not the day the placement became one for adoption. " + _THREE_YEARS
    ),
    numerator="Days, added up, from entering care to moving in with the adoptive family "
    "(for foster carer adoptions, with the foster carers)",
    denominator="Children adopted in the period who were placed for adoption first",
    unit="children adopted",
    source=(
        "DfE adoption scorecards, measure A10 (from 2012-13); Adoption and Special "
        "Guardianship Leadership Board survey (DOMAIN.md §1.6)"
    ),
    source_url=SCORECARD_URL,
    compute=entry_to_adoptive_family(adjusted=True),
    higher_is_better=False,
    amount_unit="days",
    day_counting="Calendar days, as A1.",
    unverified=(
        "A foster carer adoption is the AD1's FOSTER_CARE (the decision's 'adopted by the "
        "foster carers') or a placement for adoption with the current foster carers (A3, "
        "A5); that the foster placement is the one just before the placement for adoption "
        "is Caseline's reading, not the DfE's words."
    ),
)

A2 = Indicator(
    code="A2",
    name="Average days from court authority to place to a match with an adoptive family",
    area=Area.ADOPTION,
    kind=Kind.AVERAGE,
    definition=(
        "For the children adopted in the period, the average number of days from the "
        "placement order (or freeing order) to the decision on a match to an adoptive family; "
        "0 for a child matched before the order. Children with no placement or freeing order, "
        "or not placed for adoption before the adoption order, are left out. " + _THREE_YEARS
    ),
    numerator="Days, added up, from the placement or freeing order to the match",
    denominator="Children adopted in the period with an order and a match, placed for "
    "adoption before the adoption order",
    unit="children adopted",
    source=(
        "DfE adoption scorecards, measure A2; LG Inform metric 912 (thresholds 213 days in "
        "2012 to 121 days, 4 months; DOMAIN.md §1.6)"
    ),
    source_url=SCORECARD_URL,
    compute=order_to_match,
    higher_is_better=False,
    amount_unit="days",
    day_counting=(
        "Calendar days from the first day of legal status E1 (placement order) or D1 "
        "(freeing order) in the period of care to the match (AD1 DATE_MATCH)."
    ),
    unverified=(
        "The order's date is the day the episode with legal status E1 or D1 began, as the "
        "SSDA903 records it; a match recorded on a decision other than the one that led to "
        "the adoption is not read."
    ),
)

INDICATORS = (A1, A2, A10)
