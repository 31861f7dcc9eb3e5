"""Adoption, previous permanence and deprivation of liberty (903 AD1, PlacedAdoption, PrevPerm
and DoLo).

- The local authority's decision that the child should be placed for adoption, the match with
  prospective adopters (who they are) and, if it comes to that, the decision ceasing.
- Whether the child, before their latest period of care, had left care under an adoption,
  special guardianship, residence or child arrangements order.
- Court orders depriving the child of their liberty, from when to when.

Each action refuses what would break a DfE rule that one child's record can break: the rules
are classes in the catalogue (:mod:`caseline.apps.returns.rules.ssda903_adoption`), and a
refusal says what is wrong in the worker's terms, then the rule ("SSDA903 rule 1003"). Rules
that read the whole return (a child in AD1 was adopted in the year; last year's return) are
the validator's.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.audit.record import snapshot
from caseline.apps.codes.lists import CodeListName, code_list
from caseline.apps.core.access import require_permission
from caseline.apps.core.checks import (
    NOT_BEFORE_1900,
    NOT_BEFORE_BIRTH,
    NOT_IN_FUTURE,
    Checks,
    Rule,
)
from caseline.apps.lookedafter import derive, permanence_queries, queries
from caseline.apps.lookedafter.actions.common import audit, lock, looked_after_on, record_new
from caseline.apps.lookedafter.events import LookedAfterEvent
from caseline.apps.lookedafter.models import (
    NO_ORDER,
    AdoptionDecision,
    DeprivationOfLibertyOrder,
    Episode,
    PreviousPermanence,
)
from caseline.apps.people.models import Person
from caseline.apps.returns.rules.ssda903 import PLACED_FOR_ADOPTION
from caseline.apps.returns.rules.ssda903_adoption import (
    ADOPTERS_RULES,
    NO_PREVIOUS_PERMANENCE,
    WITH_FOSTER_CARERS,
    SSDA903Rule117,
    SSDA903Rule119,
    SSDA903Rule184,
    SSDA903Rule331,
    SSDA903Rule333,
    SSDA903Rule335,
    SSDA903Rule522,
    SSDA903Rule552,
    SSDA903Rule558,
    SSDA903Rule579,
    SSDA903Rule583,
    SSDA903Rule630,
    SSDA903Rule632,
    SSDA903Rule633,
    SSDA903Rule634,
    SSDA903Rule635,
    SSDA903Rule702,
    SSDA903Rule705,
    SSDA903Rule707,
    SSDA903Rule708,
    SSDA903Rule710,
    SSDA903Rule1003,
)
from caseline.apps.timescales.rules import format_date

Kept = AdoptionDecision | PreviousPermanence | DeprivationOfLibertyOrder

# Caseline's own rules here; the DfE's are classes in the rule catalogue.
MATCH_OF_CEASED_DECISION = Rule(
    "caseline:adoption-match-decision-open",
    "Caseline: a match follows a decision that the child should be placed for adoption that "
    "still stands (903 rule 525: a child whose decision was reversed cannot be adopted)",
    "The decision ceased on {ceased}: a match cannot be recorded for it",
)
ALREADY_CEASED = Rule(
    "caseline:adoption-decision-ceases-once",
    "Caseline: a decision that the child should be placed for adoption ceases once",
    "The decision already ceased on {ceased}",
)
UNKNOWN_OPTION_NO_ORDER = Rule(
    "caseline:previous-permanence-unknown-has-no-order",
    "Caseline: P4 says it is not known whether the child had a previous permanence option "
    "(SSD LAPP004A), so there is no order to give an authority or date for",
    "Leave the local authority and the date of the order blank: it is not known whether "
    "{name} had a previous permanence option",
)
# What a worker is told when the adopters' sexes do not fit their legal status (903 rules 514
# to 524), by legal status.
ADOPTERS_EXPLAINED = {
    "L0": "A single adopter (L0) must be a single male (M1) or single female (F1) adopter",
    "L11": "A married couple of different sexes (L11) must be a male and female couple (MF)",
    "L12": "A married couple of the same sex (L12) must be a male couple (MM) or a female "
    "couple (FF)",
    "L2": "Civil partners (L2) must be a couple (MM, FF or MF)",
    "L3": "A couple of different sexes (L3) must be a male and female couple (MF)",
    "L4": "A couple of the same sex (L4) must be a male couple (MM) or a female couple (FF)",
}


# --- Reading the child's periods of care -----------------------------------------------------


def _periods(child: Person) -> list[derive.PeriodOfCare]:
    return derive.periods_of_care(queries.episodes_of(child))


def _in_care_on(
    checks: Checks,
    child: Person,
    periods: list[derive.PeriodOfCare],
    day: datetime.date,
    field: str,
    what: str,
) -> derive.PeriodOfCare | None:
    """The period of care ``day`` falls in; if none, why not as the 903 says it: before the
    child started to be looked after (rule 1003) or after they stopped (rule 117)."""
    period = derive.period_on(periods, day)
    if period is not None or checks.has(field):
        return period
    name = child.given_name
    later = [p for p in periods if p.start_date > day and not p.is_short_breaks]
    earlier = [p for p in periods if p.end_date is not None and p.end_date < day]
    if later:
        start = later[0].start_date
        SSDA903Rule1003.check(
            checks,
            field,
            broken=SSDA903Rule1003.breaks(decided_on=day, care_started=start),
            on=day,
            explain=f"The date of the decision must be on or after the date {name} started to "
            f"be looked after, {format_date(start)}",
        )
    elif earlier and earlier[-1].end_date is not None:
        _after_care(checks, field, day, what, name, earlier[-1].end_date)
    else:
        checks.add(field, f"{name} has never been looked after: start a period of care first")
    return None


def _after_care(
    checks: Checks,
    field: str,
    day: datetime.date,
    what: str,
    name: str,
    ended: datetime.date,
) -> None:
    """903 rule 117: ``day`` (a decision, or its ceasing) on or before the day care ended."""
    SSDA903Rule117.check(
        checks,
        field,
        broken=SSDA903Rule117.breaks(decided_on=day, care_ended=ended),
        on=day,
        explain=f"{what} must be on or before the date {name} stopped being looked after, "
        f"{format_date(ended)}",
    )


def placed_for_adoption(period: derive.PeriodOfCare, after: datetime.date) -> Episode | None:
    """The episode that placed the child for adoption (A3 to A6) in ``period``, first on or
    after ``after`` (the decision, or the date an earlier decision ceased)."""
    for placement in period.placements:
        first = placement.episodes[0]
        if first.placement_type in PLACED_FOR_ADOPTION and first.start_date >= after:
            return first
    return None


def _decisions(child: Person) -> list[AdoptionDecision]:
    """The child's decisions that they should be placed for adoption, oldest first."""
    return list(AdoptionDecision.objects.filter(person=child).order_by("decided_on", "id"))


def _update(row: Kept, event: LookedAfterEvent, *, acting_user: User, **values: Any) -> None:
    """Change fields of a row of the child's record; audit the old and new values of what
    changed."""
    before = snapshot(row, values)
    for name, value in values.items():
        setattr(row, name, value)
    row.save(update_fields=list(values))
    audit(
        row,
        event,
        acting_user=acting_user,
        child_id=row.person_id,
        fields=values,
        before=before,
    )


# --- Adoption --------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def record_adoption_decision(
    *,
    acting_user: User,
    child: Person,
    decided_on: datetime.date,
    decided_by: str,
    notes: str = "",
) -> AdoptionDecision:
    """The local authority decided (its agency decision maker endorsed the adoption plan) that
    the child should be placed for adoption. 903 PlacedAdoption DATE_PLACED and AD1 DATE_INT.
    """
    require_permission(acting_user, Permission.CARE_RECORD)
    child = lock(child)
    checks = Checks()
    name = child.given_name
    checks.required("decided_by", decided_by, "Enter the name of the agency decision maker")
    what = "The date of the decision"
    born = child.date_of_birth
    if checks.happened("decided_on", decided_on, what) and born is not None:
        SSDA903Rule184.check(
            checks,
            "decided_on",
            broken=SSDA903Rule184.breaks(decided_on=decided_on, born=born),
            on=decided_on,
            explain=f"The date of the decision must be on or after {name}'s date of birth "
            f"({format_date(born)})",
        )
    earlier = _decisions(child)
    if earlier and not checks.has("decided_on"):
        still_open = [d for d in earlier if d.ceased_on is None]
        ceased_on = [d.ceased_on for d in earlier if d.ceased_on is not None]
        if still_open:
            SSDA903Rule583.check(
                checks,
                "decided_on",
                broken=SSDA903Rule583.breaks(earlier_ceased_on=[d.ceased_on for d in earlier]),
                on=decided_on,
                explain=f"The decision of {format_date(still_open[-1].decided_on)} that {name} "
                "should be placed for adoption has not ceased: record that it ceased before "
                "recording a new decision",
            )
        else:
            ceased = max(ceased_on)
            SSDA903Rule579.check(
                checks,
                "decided_on",
                broken=SSDA903Rule579.breaks(decided_on=decided_on, earlier_ceased_on=ceased),
                on=decided_on,
                explain="The date of the decision must be on or after the date the earlier "
                f"decision ceased, {format_date(ceased)}",
            )
    period = _in_care_on(checks, child, _periods(child), decided_on, "decided_on", what)
    if period is not None and not checks.has("decided_on"):
        # The placement for adoption this decision led to: the first after an earlier
        # decision in the period ceased (a placement under that one is not this one's).
        since = max([period.start_date, *(d.ceased_on for d in earlier if d.ceased_on is not None)])
        placed = placed_for_adoption(period, since)
        if placed is not None:
            SSDA903Rule552.check(
                checks,
                "decided_on",
                broken=SSDA903Rule552.breaks(decided_on=decided_on, placed_on=placed.start_date),
                on=decided_on,
                explain="The date of the decision must be on or before the date "
                f"{name} was placed for adoption, {format_date(placed.start_date)}",
            )
    checks.raise_if_any()
    return record_new(
        AdoptionDecision,
        LookedAfterEvent.ADOPTION_DECISION_RECORDED,
        acting_user=acting_user,
        child=child,
        decided_on=decided_on,
        decided_by=decided_by.strip(),
        notes=notes,
    )


def _lock_decision(decision: AdoptionDecision) -> tuple[Person, AdoptionDecision]:
    """The child (locked, as every write for the child is) and the decision, read again."""
    child = lock(decision.person)
    return child, AdoptionDecision.objects.select_for_update().get(pk=decision.pk)


def _check_adopters(
    checks: Checks, matched_on: datetime.date, adopters_sex: str, adopters_legal_status: str
) -> None:
    """Both codes valid on the date of the match, and the legal status one the sexes allow
    (903 rules 176, 177, and 514 to 524)."""
    sex_ok = checks.code(
        "adopters_sex",
        CodeListName.ADOPTER_SEX,
        adopters_sex,
        on=matched_on,
        what="sex of the adopters",
    )
    status_ok = checks.code(
        "adopters_legal_status",
        CodeListName.ADOPTER_LEGAL_STATUS,
        adopters_legal_status,
        on=matched_on,
        what="legal status of the adopters",
    )
    rule = ADOPTERS_RULES.get(adopters_legal_status)
    if sex_ok and status_ok and rule is not None:
        rule.check(
            checks,
            "adopters_legal_status",
            broken=rule.breaks(legal_status=adopters_legal_status, sex=adopters_sex),
            on=matched_on,
            explain=ADOPTERS_EXPLAINED[adopters_legal_status],
        )


@transaction.atomic(durable=True)
def record_adoption_match(
    *,
    acting_user: User,
    decision: AdoptionDecision,
    matched_on: datetime.date,
    adopters_sex: str,
    adopters_legal_status: str,
    adopted_by_foster_carers: bool | None,
) -> AdoptionDecision:
    """The child was matched with prospective adopters (903 AD1 DATE_MATCH): who they are
    (SEX_ADOPTR, from which NB_ADOPTR follows; LS_ADOPTR) and whether they are the child's
    foster carers (FOSTER_CARE). Recording it again (a new match, a correction) replaces it;
    the audit keeps what it said before."""
    require_permission(acting_user, Permission.CARE_RECORD)
    child, decision = _lock_decision(decision)
    checks = Checks()
    name = child.given_name
    if decision.ceased_on is not None:
        checks.broken(MATCH_OF_CEASED_DECISION, None, ceased=format_date(decision.ceased_on))
        checks.raise_if_any()
    what = "The date of the match"
    if checks.happened("matched_on", matched_on, what, child=child):
        SSDA903Rule333.check(
            checks,
            "matched_on",
            broken=SSDA903Rule333.breaks(matched_on=matched_on, decided_on=decision.decided_on),
            on=matched_on,
            explain="The date of the match must be on or after the date of the decision, "
            f"{format_date(decision.decided_on)}",
        )
    _check_adopters(checks, matched_on, adopters_sex, adopters_legal_status)
    checks.required(
        "adopted_by_foster_carers",
        adopted_by_foster_carers,
        f"Select whether the adopters are {name}'s foster carers",
    )
    period = derive.period_on(_periods(child), decision.decided_on)
    placed = placed_for_adoption(period, decision.decided_on) if period else None
    if placed is not None:
        since, place = format_date(placed.start_date), placed.placement_type
        if not checks.has("matched_on"):
            SSDA903Rule331.check(
                checks,
                "matched_on",
                broken=SSDA903Rule331.breaks(matched_on=matched_on, placed_on=placed.start_date),
                on=matched_on,
                explain="The date of the match must be on or before the date "
                f"{name} was placed for adoption, {since}",
            )
        if adopted_by_foster_carers is not None:
            with_carers = place in WITH_FOSTER_CARERS
            SSDA903Rule335.check(
                checks,
                "adopted_by_foster_carers",
                broken=SSDA903Rule335.breaks(
                    adopted_by_foster_carers=adopted_by_foster_carers, placement_type=place
                ),
                on=matched_on,
                explain=f"{name} was placed for adoption {'with' if with_carers else 'not with'} "
                f"their foster carers ({place}, from {since}): select "
                f"{'Yes' if with_carers else 'No'}",
            )
    checks.raise_if_any()
    _update(
        decision,
        LookedAfterEvent.ADOPTION_MATCH_RECORDED,
        acting_user=acting_user,
        matched_on=matched_on,
        adopters_sex=adopters_sex,
        adopters_legal_status=adopters_legal_status,
        adopted_by_foster_carers=adopted_by_foster_carers,
    )
    return decision


@transaction.atomic(durable=True)
def record_adoption_decision_ceased(
    *,
    acting_user: User,
    decision: AdoptionDecision,
    ceased_on: datetime.date | None,
    reason_ceased: str,
) -> AdoptionDecision:
    """The local authority decided that the child should no longer be placed for adoption, and
    why (903 PlacedAdoption DATE_PLACED_CEASED, REASON_PLACED_CEASED)."""
    require_permission(acting_user, Permission.CARE_RECORD)
    child, decision = _lock_decision(decision)
    checks = Checks()
    name = child.given_name
    if decision.ceased_on is not None:
        checks.broken(ALREADY_CEASED, None, ceased=format_date(decision.ceased_on))
        checks.raise_if_any()
    on = ceased_on or decision.decided_on
    SSDA903Rule119.check(
        checks,
        "ceased_on",
        broken=ceased_on is None,
        on=on,
        explain=f"Enter the date of the decision that {name} should no longer be placed for "
        "adoption",
    )
    if SSDA903Rule119.check(
        checks,
        "reason_ceased",
        broken=not reason_ceased,
        on=on,
        explain=f"Select why {name} should no longer be placed for adoption",
    ):
        checks.code(
            "reason_ceased",
            CodeListName.REASON_PLACED_CEASED,
            reason_ceased,
            on=on,
            what="reason",
        )
    what = "The date the decision ceased"
    if ceased_on is not None and checks.happened("ceased_on", ceased_on, what):
        SSDA903Rule522.check(
            checks,
            "ceased_on",
            broken=SSDA903Rule522.breaks(ceased_on=ceased_on, decided_on=decision.decided_on),
            on=ceased_on,
            explain="The date the decision ceased must be on or after the date of the "
            f"decision, {format_date(decision.decided_on)}",
        )
    period = derive.period_on(_periods(child), decision.decided_on)
    if period is not None and period.end_date is not None:
        not_adopted = SSDA903Rule558.check(
            checks,
            None,
            broken=SSDA903Rule558.breaks(care_ended_because=period.reason_ceased),
            on=on,
            explain=f"{name} was adopted on {format_date(period.end_date)}: the decision that "
            "led to the adoption did not cease",
        )
        if not_adopted and ceased_on is not None and not checks.has("ceased_on"):
            _after_care(checks, "ceased_on", ceased_on, what, name, period.end_date)
    checks.raise_if_any()
    _update(
        decision,
        LookedAfterEvent.ADOPTION_DECISION_CEASED,
        acting_user=acting_user,
        ceased_on=ceased_on,
        reason_ceased=reason_ceased,
    )
    return decision


# --- Previous permanence ---------------------------------------------------------------------


@dataclass(frozen=True)
class PartialDate:
    """A date of which only some parts may be known (903 DATE_PERM): a full date, a month and
    year, a year, or nothing."""

    year: int | None = None
    month: int | None = None
    day: int | None = None

    @property
    def is_blank(self) -> bool:
        return self.year is None and self.month is None and self.day is None

    @property
    def is_whole(self) -> bool:
        """Whether the parts make a date, month or year that exists (a day needs its month,
        a month its year)."""
        if self.is_blank:
            return True
        if self.year is None or (self.day is not None and self.month is None):
            return False
        try:
            datetime.date(self.year, self.month or 1, self.day or 1)
        except ValueError:
            return False
        return True

    def earliest(self) -> datetime.date | None:
        """The first day it could be (``None`` if the year is not known)."""
        if self.year is None:
            return None
        return datetime.date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> datetime.date | None:
        """The last day it could be (``None`` if the year is not known)."""
        if self.year is None:
            return None
        if self.month is None:
            return datetime.date(self.year, 12, 31)
        if self.day is not None:
            return datetime.date(self.year, self.month, self.day)
        following = datetime.date(self.year + self.month // 12, self.month % 12 + 1, 1)
        return following - datetime.timedelta(days=1)


def _check_order_date(
    checks: Checks, child: Person, order_date: PartialDate, start: datetime.date
) -> None:
    """A date that exists, has happened, is not before the child was born and (903 rule
    632) is before the period of care began. Part-known dates are judged by the days they
    could be: refused only where no day they could be would do."""
    field, what, name = "order_date", "The date of the order", child.given_name
    if not SSDA903Rule632.check(
        checks,
        field,
        broken=not order_date.is_whole,
        on=start,
        explain="The date of the order must be a real date, or a month and year, or a year: "
        "leave blank the parts not known",
    ):
        return
    earliest, latest = order_date.earliest(), order_date.latest()
    if earliest is None or latest is None:
        return
    born = child.date_of_birth
    if earliest > timezone.localdate():
        checks.broken(NOT_IN_FUTURE, field, what=what)
    elif latest < datetime.date(1900, 1, 1):
        checks.broken(NOT_BEFORE_1900, field, what=what)
    elif born is not None and latest < born:
        checks.broken(NOT_BEFORE_BIRTH, field, what=what, name=name, born=format_date(born))
    else:
        SSDA903Rule632.check(
            checks,
            field,
            broken=SSDA903Rule632.breaks(order_from=earliest, care_started=start),
            on=start,
            explain="The date of the order must be before the date "
            f"{name} started to be looked after, {format_date(start)}",
        )


def _check_no_order(
    checks: Checks,
    option: str,
    name: str,
    start: datetime.date,
    arranged_by: str,
    order_date: PartialDate,
) -> None:
    """No authority or date of an order where there was no order (Z1, 903 rule 635) or it is
    not known whether there was one (P4, Caseline's rule)."""
    for field, given in (
        ("arranged_by", bool(arranged_by)),
        ("order_date", not order_date.is_blank),
    ):
        if option == NO_PREVIOUS_PERMANENCE:
            SSDA903Rule635.check(
                checks,
                field,
                broken=SSDA903Rule635.breaks(option=option, order_detail_given=given),
                on=start,
                explain="Leave the local authority and the date of the order blank: "
                f"{name} had no previous permanence option",
            )
        elif given:
            checks.broken(UNKNOWN_OPTION_NO_ORDER, field, name=name)


@transaction.atomic(durable=True)
def save_previous_permanence(
    *,
    acting_user: User,
    child: Person,
    option: str,
    arranged_by: str,
    order_date: PartialDate,
) -> PreviousPermanence:
    """Whether the child, before their latest period of care, left care under an adoption,
    special guardianship, residence or child arrangements order (903 PrevPerm PREV_PERM), the
    authority that arranged it (LA_PERM) and the date of the order (DATE_PERM, as much of it
    as is known). Saving again rewrites it, as more comes to light; the audit keeps what it
    said before."""
    require_permission(acting_user, Permission.CARE_RECORD)
    child = lock(child)
    checks = Checks()
    name = child.given_name
    arranged_by = arranged_by.strip().upper()
    period = permanence_queries.latest_period(child)
    if period is None:
        checks.add(None, f"{name} has never been looked after: start a period of care first")
        raise ValidationError(checks.errors)
    start = period.start_date
    SSDA903Rule634.check(
        checks,
        None,
        broken=SSDA903Rule634.breaks(care_started=start),
        on=start,
        explain=f"Previous permanence is recorded for periods of care from 1 April 2016: {name}'s "
        f"began on {format_date(start)}",
    )
    ok = checks.code(
        "option", CodeListName.PREVIOUS_PERMANENCE, option, on=start, what="previous permanence"
    )
    if ok and option in NO_ORDER:
        _check_no_order(checks, option, name, start, arranged_by, order_date)
    elif ok:
        if SSDA903Rule630.check(
            checks,
            "arranged_by",
            broken=not arranged_by,
            on=start,
            explain="Enter the local authority that arranged the order (its number, or WAL, "
            "SCO, NIR or NUK)",
        ):
            SSDA903Rule633.check(
                checks,
                "arranged_by",
                broken=SSDA903Rule633.breaks(arranged_by=arranged_by),
                on=start,
                explain="Enter the local authority's three-digit DfE number, or WAL, SCO, NIR "
                "or NUK",
            )
        _check_order_date(checks, child, order_date, start)
    checks.raise_if_any()
    values: dict[str, Any] = {
        "option": option,
        "arranged_by": arranged_by,
        "order_year": order_date.year,
        "order_month": order_date.month,
        "order_day": order_date.day,
    }
    first = period.episodes[0]
    existing = PreviousPermanence.objects.filter(episode=first).first()
    if existing is None:
        return record_new(
            PreviousPermanence,
            LookedAfterEvent.PREVIOUS_PERMANENCE_SAVED,
            acting_user=acting_user,
            child=child,
            episode=first,
            **values,
        )
    _update(existing, LookedAfterEvent.PREVIOUS_PERMANENCE_SAVED, acting_user=acting_user, **values)
    return existing


# --- Deprivation of liberty orders -----------------------------------------------------------


def _check_dolo(
    checks: Checks,
    child: Person,
    start_date: datetime.date,
    end_date: datetime.date | None,
    others: Iterable[DeprivationOfLibertyOrder],
) -> None:
    """An order's dates against the DoLo rules: it ends on or after it starts (702), while
    the child is looked after (707), overlaps no other order (705), and covers no placement
    where a child with an order cannot be (710)."""
    name = child.given_name
    if end_date is not None and checks.happened("end_date", end_date, "The date the order ended"):
        SSDA903Rule702.check(
            checks,
            "end_date",
            broken=SSDA903Rule702.breaks(started_on=start_date, ended_on=end_date),
            on=start_date,
            explain="The date the order ended must be on or after the date it started, "
            f"{format_date(start_date)}",
        )
    period = derive.period_on(_periods(child), start_date)
    ended = period.end_date if period is not None else None
    if ended is not None and not checks.has("end_date"):
        SSDA903Rule707.check(
            checks,
            "end_date",
            broken=SSDA903Rule707.breaks(ended_on=end_date, care_ended=ended),
            on=start_date,
            explain=f"{name} stopped being looked after on {format_date(ended)}: enter the date "
            "the order ended, on or before then",
        )
    if checks:
        return
    for other in others:
        overlaps = SSDA903Rule705.breaks(
            started_on=start_date,
            ended_on=end_date,
            other_started_on=other.start_date,
            other_ended_on=other.end_date,
        )
        if overlaps:
            since = format_date(other.start_date)
            SSDA903Rule705.check(
                checks,
                "start_date",
                broken=True,
                on=start_date,
                explain=f"The order from {since} has not ended: record its end before "
                "recording a new order"
                if other.end_date is None
                else f"The order must not overlap the order from {since} to "
                f"{format_date(other.end_date)}",
            )
            return
    if period is None:
        return
    last = end_date or timezone.localdate()
    for placement in period.placements:
        first = placement.episodes[0]
        ends = placement.end_date or datetime.date.max
        if first.start_date <= last and start_date <= ends:
            label = code_list(CodeListName.PLACEMENT_TYPE).label(first.placement_type)
            if not SSDA903Rule710.check(
                checks,
                None,
                broken=SSDA903Rule710.breaks(placement_type=first.placement_type),
                on=start_date,
                explain=f"{name} was placed in {label.lower()} ({first.placement_type}) from "
                f"{format_date(first.start_date)}, while the order was in force: a child with "
                "a deprivation of liberty order cannot be placed there",
            ):
                return


@transaction.atomic(durable=True)
def record_deprivation_of_liberty(
    *,
    acting_user: User,
    child: Person,
    start_date: datetime.date,
    end_date: datetime.date | None,
    notes: str = "",
) -> DeprivationOfLibertyOrder:
    """A court order authorised depriving the looked-after child of their liberty, from
    ``start_date`` (903 DoLo DOLO_START) to ``end_date`` if it has ended (DOLO_END)."""
    require_permission(acting_user, Permission.CARE_RECORD)
    child = lock(child)
    checks = Checks()
    what = "The date the order started"
    born = child.date_of_birth
    if checks.happened("start_date", start_date, what) and born is not None:
        SSDA903Rule708.check(
            checks,
            "start_date",
            broken=SSDA903Rule708.breaks(started_on=start_date, born=born),
            on=start_date,
            explain=f"The date the order started must be on or after {child.given_name}'s date "
            f"of birth ({format_date(born)})",
        )
    looked_after_on(checks, child, start_date, "start_date", what)
    if not checks:
        others = DeprivationOfLibertyOrder.objects.filter(person=child)
        _check_dolo(checks, child, start_date, end_date, others)
    checks.raise_if_any()
    return record_new(
        DeprivationOfLibertyOrder,
        LookedAfterEvent.DOLO_RECORDED,
        acting_user=acting_user,
        child=child,
        start_date=start_date,
        end_date=end_date,
        notes=notes,
    )


@transaction.atomic(durable=True)
def end_deprivation_of_liberty(
    *,
    acting_user: User,
    order: DeprivationOfLibertyOrder,
    end_date: datetime.date | None,
) -> DeprivationOfLibertyOrder:
    """The order ended on ``end_date`` (903 DoLo DOLO_END); given again, the date is
    corrected, and the audit keeps the one before."""
    require_permission(acting_user, Permission.CARE_RECORD)
    child = lock(order.person)
    order = DeprivationOfLibertyOrder.objects.select_for_update().get(pk=order.pk)
    checks = Checks()
    if end_date is None:
        checks.add("end_date", "Enter the date the order ended")
    else:
        others = DeprivationOfLibertyOrder.objects.filter(person=child).exclude(pk=order.pk)
        _check_dolo(checks, child, order.start_date, end_date, others)
    checks.raise_if_any()
    _update(order, LookedAfterEvent.DOLO_ENDED, acting_user=acting_user, end_date=end_date)
    return order
