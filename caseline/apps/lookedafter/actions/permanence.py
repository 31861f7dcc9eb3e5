"""Adoption, previous permanence and deprivation of liberty (903 AD1, PlacedAdoption, PrevPerm
and DoLo).

- The local authority's decision that the child should be placed for adoption, the match with
  prospective adopters (who they are) and, if it comes to that, the decision ceasing.
- Whether the child, before their latest period of care, had left care under an adoption,
  special guardianship, residence or child arrangements order.
- Court orders depriving the child of their liberty, from when to when.

Each action refuses what would break a DfE rule that one child's record can break, each a
:class:`Rule` named by its 903 code (``903:1003``), the DfE's message quoted in its source
from the rule lists (``903_2023_24`` to ``903_2026_27_rule_info.csv``, data-to-insight
csc-validator-be-903). Rules that read the whole return (a child in AD1 was adopted in the
year; last year's return) belong to the exporter and the rule catalogue.
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
from caseline.apps.timescales.rules import format_date

Kept = AdoptionDecision | PreviousPermanence | DeprivationOfLibertyOrder

ALL_YEARS = "2023-24 to 2026-27 (903_2023_24 to 903_2026_27_rule_info.csv)"
DOLO_YEARS = "2026-27 (903_2026_27_rule_info.csv; the DoLo table is new that year)"


def dfe_rule(code: str, years: str, dfe_message: str, message: str) -> Rule:
    """A 903 validation rule: its code, the years it is in the DfE's rule lists and its
    message there (quoted), and what Caseline says when a record would break it."""
    return Rule(f"903:{code}", f'SSDA903 rule {code}, {years}: "{dfe_message}"', message)


# --- The decision that the child should be placed for adoption (PlacedAdoption DATE_PLACED,
# AD1 DATE_INT) -----------------------------------------------------------------------------

DECISION_BEFORE_BIRTH = dfe_rule(
    "184",
    ALL_YEARS,
    "Date of decision that a child should be placed for adoption is before the child was born.",
    "The date of the decision must be on or after {name}'s date of birth ({born})",
)
DECISION_BEFORE_CARE = dfe_rule(
    "1003",
    ALL_YEARS,
    "Date of LA's decision that a child should be placed for adoption is before the child "
    "started to be looked after.",
    "The date of the decision must be on or after the date {name} started to be looked "
    "after, {start}",
)
DECISION_AFTER_CARE = dfe_rule(
    "117",
    ALL_YEARS,
    "Date of decision that a child should/should no longer be placed for adoption is beyond "
    "the current collection year or after the child ceased to be looked after.",
    "{what} must be on or before the date {name} stopped being looked after, {end}",
)
EARLIER_DECISION_OPEN = dfe_rule(
    "583",
    ALL_YEARS,
    "More than one date the child should be placed for adoption has been reported, but an "
    "earlier decision has not been revoked. Check that both dates are required and add in the "
    "date the earlier decision was revoked. Note this may be in a previous year.",
    "The decision of {earlier} that {name} should be placed for adoption has not ceased: "
    "record that it ceased before recording a new decision",
)
DECISIONS_OVERLAP = dfe_rule(
    "579",
    ALL_YEARS,
    "A new decision that the child should be placed for adoption this year cannot start when "
    "the previous decision is still open. Decisions to place the child for adoption should "
    "also not overlap. The date of any new decision to place the child for adoption must not "
    "be before the date placed ceased of previous decisions.",
    "The date of the decision must be on or after the date the earlier decision ceased, {ceased}",
)
DECISION_AFTER_PLACEMENT = dfe_rule(
    "552",
    ALL_YEARS,
    "Date of Decision to place a child for adoption should be on or prior to the date that "
    "the child was placed for adoption.",
    "The date of the decision must be on or before the date {name} was placed for adoption, "
    "{placed}",
)

# --- The match and the adopters (AD1 DATE_MATCH, FOSTER_CARE, SEX_ADOPTR, LS_ADOPTR) --------

MATCH_BEFORE_DECISION = dfe_rule(
    "333",
    ALL_YEARS,
    "Date should be placed for adoption must be on or prior to the date of matching child "
    "with adopter(s).",
    "The date of the match must be on or after the date of the decision, {decided}",
)
MATCH_AFTER_PLACEMENT = dfe_rule(
    "331",
    ALL_YEARS,
    "Date of matching child and adopter(s) should be the same as, or prior to, the date of "
    "placement of adoption.",
    "The date of the match must be on or before the date {name} was placed for adoption, {placed}",
)
MATCH_OF_CEASED_DECISION = Rule(
    "caseline:adoption-match-decision-open",
    "Caseline: a match follows a decision that the child should be placed for adoption that "
    "still stands (903 rule 525: a child whose decision was reversed cannot be adopted)",
    "The decision ceased on {ceased}: a match cannot be recorded for it",
)
FOSTER_CARERS_AND_PLACEMENT = dfe_rule(
    "335",
    ALL_YEARS,
    "The current foster value (0) suggests that child is not adopted by current foster carer, "
    "but last placement is A2, A3, or A5. Or the current foster value (1) suggests that child "
    "is adopted by current foster carer, but last placement is A1, A4 or A6.",
    "{name} was placed for adoption {placed_with} their foster carers ({code}, from {since}): "
    "select {answer}",
)
# Which adopters' sexes (SEX_ADOPTR) each legal status (LS_ADOPTR) allows, and the rule.
ADOPTERS_RULES: dict[str, tuple[frozenset[str], Rule]] = {
    "L0": (
        frozenset({"M1", "F1"}),
        dfe_rule(
            "514",
            ALL_YEARS,
            "Data entry on the legal status of adopters shows a single adopter but data entry "
            "for the numbers of adopters shows it as a couple.",
            "A single adopter (L0) must be a single male (M1) or single female (F1) adopter",
        ),
    ),
    "L11": (
        frozenset({"MF"}),
        dfe_rule(
            "520",
            ALL_YEARS,
            "Data entry on the legal status of adopters shows different gender married couple "
            "but data entry on genders of adopters shows it as a same gender couple.",
            "A married couple of different sexes (L11) must be a male and female couple (MF)",
        ),
    ),
    "L12": (
        frozenset({"MM", "FF"}),
        dfe_rule(
            "524",
            ALL_YEARS,
            "If reporting legal status of adopters is L12 then the genders of adopters should "
            "be coded as MM or FF. MM = the adopting couple are both males. FF = the adopting "
            "couple are both females",
            "A married couple of the same sex (L12) must be a male couple (MM) or a female "
            "couple (FF)",
        ),
    ),
    "L2": (
        frozenset({"MM", "FF", "MF"}),
        dfe_rule(
            "519",
            ALL_YEARS,
            "Data entered on the legal status of adopters shows civil partnership couple, but "
            "data entered on genders of adopters does not show it as a couple.",
            "Civil partners (L2) must be a couple (MM, FF or MF)",
        ),
    ),
    "L3": (
        frozenset({"MF"}),
        dfe_rule(
            "517",
            ALL_YEARS,
            "If reporting legal status of adopters is L3 then the genders of adopters should be "
            "coded as MF. MF = the adopting couple are male and female.",
            "A couple of different sexes (L3) must be a male and female couple (MF)",
        ),
    ),
    "L4": (
        frozenset({"MM", "FF"}),
        dfe_rule(
            "518",
            ALL_YEARS,
            "If reporting legal status of adopters is L4 then the genders of adopters should be "
            "coded as MM or FF. MM = the adopting couple are both males. FF = the adopting "
            "couple are both females.",
            "A couple of the same sex (L4) must be a male couple (MM) or a female couple (FF)",
        ),
    ),
}

# --- The decision ceasing (PlacedAdoption DATE_PLACED_CEASED, REASON_PLACED_CEASED) ---------

_CEASED_BOTH = (
    "If the decision is made that a child should no longer be placed for adoption, then the "
    "date of this decision and the reason why this decision was made must be completed."
)
CEASED_DATE_NEEDED = dfe_rule(
    "119",
    ALL_YEARS,
    _CEASED_BOTH,
    "Enter the date of the decision that {name} should no longer be placed for adoption",
)
CEASED_REASON_NEEDED = dfe_rule(
    "119",
    ALL_YEARS,
    _CEASED_BOTH,
    "Select why {name} should no longer be placed for adoption",
)
CEASED_BEFORE_DECISION = dfe_rule(
    "522",
    ALL_YEARS,
    "Date of decision that the child should be placed for adoption must be on or before the "
    "date that a child should no longer be placed for adoption.",
    "The date the decision ceased must be on or after the date of the decision, {decided}",
)
ADOPTED_SO_NOT_CEASED = dfe_rule(
    "558",
    ALL_YEARS,
    "If a child has been adopted, then the decision to place them for adoption has not been "
    "disrupted and the date of the decision that a child should no longer be placed for "
    "adoption should be left blank.",
    "{name} was adopted on {adopted}: the decision that led to the adoption did not cease",
)
ALREADY_CEASED = Rule(
    "caseline:adoption-decision-ceases-once",
    "Caseline: a decision that the child should be placed for adoption ceases once",
    "The decision already ceased on {ceased}",
)

# --- Previous permanence (PrevPerm PREV_PERM, LA_PERM, DATE_PERM) ----------------------------

# The local authority numbers 903 rule 633 accepts for LA_PERM, and WAL, SCO, NIR and NUK for
# an order made in Wales, Scotland, Northern Ireland or outside the UK (csc-validator-be-903
# lac2022_23 rule 633, commit 10ad07c; 999 is in its list, meaning not checked).
_LA_PERM = (
    "800,889,822,301,304,303,330,825,837,302,846,370,350,890,867,380,305,801,351,873,823,"
    "895,896,381,909,202,908,331,306,841,830,831,878,371,835,332,840,307,308,811,881,845,"
    "390,916,203,876,850,311,204,884,312,205,313,805,919,310,309,420,921,206,207,886,810,"
    "382,314,340,888,208,856,383,855,209,925,341,201,821,352,806,887,826,315,929,812,391,"
    "926,892,813,802,928,891,392,316,815,353,931,879,836,851,874,807,354,317,870,318,372,"
    "857,333,935,343,803,373,342,893,356,355,871,394,334,933,882,936,861,852,319,860,808,"
    "393,866,210,357,894,883,880,358,211,937,869,320,359,865,384,335,336,212,868,872,885,"
    "344,877,213,938,816,999,WAL,SCO,NUK,NIR"
)
LA_PERM_CODES = frozenset(_LA_PERM.split(","))
# 903 rule 634: previous permanence is returned for periods of care from this day.
PREVIOUS_PERMANENCE_FROM = datetime.date(2016, 4, 1)

PREVIOUS_PERMANENCE_TOO_EARLY = dfe_rule(
    "634",
    ALL_YEARS,
    "There are entries for previous permanence options, but child has not started to be "
    "looked after from 1 April 2016 onwards.",
    "Previous permanence is recorded for periods of care from 1 April 2016: {name}'s began "
    "on {start}",
)
NO_OPTION_NO_ORDER = dfe_rule(
    "635",
    ALL_YEARS,
    "There are entries for date of order and local authority code where previous permanence "
    "option was arranged but previous permanence code is Z1",
    "Leave the local authority and the date of the order blank: {name} had no previous "
    "permanence option",
)
UNKNOWN_OPTION_NO_ORDER = Rule(
    "caseline:previous-permanence-unknown-has-no-order",
    "Caseline: P4 says it is not known whether the child had a previous permanence option "
    "(SSD LAPP004A), so there is no order to give an authority or date for",
    "Leave the local authority and the date of the order blank: it is not known whether "
    "{name} had a previous permanence option",
)
ORDER_NEEDS_AUTHORITY = dfe_rule(
    "630",
    ALL_YEARS,
    "Information on previous permanence option should be returned.",
    "Enter the local authority that arranged the order (its number, or WAL, SCO, NIR or NUK)",
)
AUTHORITY_CODE = dfe_rule(
    "633",
    ALL_YEARS,
    "Local authority code where previous permanence option was arranged is not a valid value.",
    "Enter the local authority's three-digit DfE number, or WAL, SCO, NIR or NUK",
)
ORDER_DATE_SHAPE = dfe_rule(
    "632",
    ALL_YEARS,
    "Date of previous permanence order not a valid value. NOTE: This rule may result in false "
    "negatives where the period of care started before the current collection year",
    "The date of the order must be a real date, or a month and year, or a year: leave blank "
    "the parts not known",
)
ORDER_DATE_NOT_BEFORE_CARE = dfe_rule(
    "632",
    ALL_YEARS,
    "Date of previous permanence order not a valid value. NOTE: This rule may result in false "
    "negatives where the period of care started before the current collection year",
    "The date of the order must be before the date {name} started to be looked after, {start}",
)

# --- Deprivation of liberty orders (DoLo DOLO_START, DOLO_END) ------------------------------

DOLO_BEFORE_BIRTH = dfe_rule(
    "708",
    DOLO_YEARS,
    "Dates of DoLOs are before child's date of birth.",
    "The date the order started must be on or after {name}'s date of birth ({born})",
)
DOLO_ENDS_BEFORE_START = dfe_rule(
    "702",
    DOLO_YEARS,
    "The date that the DoLO ended is before the date that it started.",
    "The date the order ended must be on or after the date it started, {start}",
)
DOLO_EARLIER_OPEN = dfe_rule(
    "705",
    DOLO_YEARS,
    "A DoLO cannot start when the previous DoLO is still open.",
    "The order from {start} has not ended: record its end before recording a new order",
)
DOLO_OVERLAP = dfe_rule(
    "705",
    DOLO_YEARS,
    "A DoLO cannot start when the previous DoLO is still open.",
    "The order must not overlap the order from {start} to {end}",
)
DOLO_OPEN_AFTER_CARE = dfe_rule(
    "707",
    DOLO_YEARS,
    "Child ceased to be looked after but there is a DoLO without an end date.",
    "{name} stopped being looked after on {end}: enter the date the order ended, on or before then",
)
DOLO_PLACEMENT = dfe_rule(
    "710",
    DOLO_YEARS,
    "Child with a DoLO can not be placed in secure children's homes, with parents, young "
    "offender institutions, or supported accommodation.",
    "{name} was placed in {placement} from {since}, while the order was in force: a child with "
    "a deprivation of liberty order cannot be placed there",
)
# 903 rule 710's placement types (csc-validator-be-903 lac2026_27 rule 710): a secure children's
# home (K1), with parents (P1), a young offender institution (R5), supported accommodation (K3).
NOT_WITH_DOLO = frozenset({"K1", "P1", "R5", "K3"})

# Placements for adoption (903 PLACE): with the child's current foster carers (A3 with consent,
# A5 with a placement order) or not (A4, A6). Rules 331, 335, 521 and 552 read them.
WITH_FOSTER_CARERS = frozenset({"A3", "A5"})
NOT_WITH_FOSTER_CARERS = frozenset({"A4", "A6"})
PLACED_FOR_ADOPTION = WITH_FOSTER_CARERS | NOT_WITH_FOSTER_CARERS
# The 903 reasons an episode ceased that mean the child was adopted (REC E11, E12).
ADOPTED = frozenset({"E11", "E12"})


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
        checks.broken(
            DECISION_BEFORE_CARE, field, name=name, start=format_date(later[0].start_date)
        )
    elif earlier and earlier[-1].end_date is not None:
        end = format_date(earlier[-1].end_date)
        checks.broken(DECISION_AFTER_CARE, field, what=what, name=name, end=end)
    else:
        checks.add(field, f"{name} has never been looked after: start a period of care first")
    return None


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
    if checks.happened("decided_on", decided_on, what):
        born = child.date_of_birth
        if born is not None and decided_on < born:
            checks.broken(DECISION_BEFORE_BIRTH, "decided_on", name=name, born=format_date(born))
    earlier = _decisions(child)
    if earlier and not checks.has("decided_on"):
        latest = earlier[-1]
        if latest.ceased_on is None:
            checks.broken(
                EARLIER_DECISION_OPEN,
                "decided_on",
                earlier=format_date(latest.decided_on),
                name=name,
            )
        elif decided_on < latest.ceased_on:
            checks.broken(DECISIONS_OVERLAP, "decided_on", ceased=format_date(latest.ceased_on))
    period = _in_care_on(checks, child, _periods(child), decided_on, "decided_on", what)
    if period is not None and not checks.has("decided_on"):
        # The placement for adoption this decision led to: the first after an earlier
        # decision in the period ceased (a placement under that one is not this one's).
        since = max([period.start_date, *(d.ceased_on for d in earlier if d.ceased_on is not None)])
        placed = placed_for_adoption(period, since)
        if placed is not None and placed.start_date < decided_on:
            checks.broken(
                DECISION_AFTER_PLACEMENT,
                "decided_on",
                name=name,
                placed=format_date(placed.start_date),
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
    if sex_ok and status_ok and adopters_legal_status in ADOPTERS_RULES:
        allowed, rule = ADOPTERS_RULES[adopters_legal_status]
        if adopters_sex not in allowed:
            checks.broken(rule, "adopters_legal_status")


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
        checks.check(
            matched_on >= decision.decided_on,
            "matched_on",
            MATCH_BEFORE_DECISION.says(decided=format_date(decision.decided_on)),
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
        since = format_date(placed.start_date)
        if not checks.has("matched_on") and matched_on > placed.start_date:
            checks.broken(MATCH_AFTER_PLACEMENT, "matched_on", name=name, placed=since)
        with_carers = placed.placement_type in WITH_FOSTER_CARERS
        if adopted_by_foster_carers is not None and adopted_by_foster_carers != with_carers:
            checks.broken(
                FOSTER_CARERS_AND_PLACEMENT,
                "adopted_by_foster_carers",
                name=name,
                placed_with="with" if with_carers else "not with",
                code=placed.placement_type,
                since=since,
                answer="Yes" if with_carers else "No",
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
    if ceased_on is None:
        checks.broken(CEASED_DATE_NEEDED, "ceased_on", name=name)
    if not reason_ceased:
        checks.broken(CEASED_REASON_NEEDED, "reason_ceased", name=name)
    else:
        checks.code(
            "reason_ceased",
            CodeListName.REASON_PLACED_CEASED,
            reason_ceased,
            on=ceased_on or decision.decided_on,
            what="reason",
        )
    what = "The date the decision ceased"
    if ceased_on is not None and checks.happened("ceased_on", ceased_on, what):
        checks.check(
            ceased_on >= decision.decided_on,
            "ceased_on",
            CEASED_BEFORE_DECISION.says(decided=format_date(decision.decided_on)),
        )
    period = derive.period_on(_periods(child), decision.decided_on)
    if period is not None and period.end_date is not None:
        if period.reason_ceased in ADOPTED:
            checks.broken(
                ADOPTED_SO_NOT_CEASED, None, name=name, adopted=format_date(period.end_date)
            )
        elif ceased_on is not None and not checks.has("ceased_on") and ceased_on > period.end_date:
            end = format_date(period.end_date)
            checks.broken(DECISION_AFTER_CARE, "ceased_on", what=what, name=name, end=end)
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
    if not order_date.is_whole:
        checks.broken(ORDER_DATE_SHAPE, field)
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
    elif earliest >= start:
        checks.broken(ORDER_DATE_NOT_BEFORE_CARE, field, name=name, start=format_date(start))


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
    if start < PREVIOUS_PERMANENCE_FROM:
        checks.broken(PREVIOUS_PERMANENCE_TOO_EARLY, None, name=name, start=format_date(start))
    ok = checks.code(
        "option", CodeListName.PREVIOUS_PERMANENCE, option, on=start, what="previous permanence"
    )
    if ok and option in NO_ORDER:
        rule = NO_OPTION_NO_ORDER if option == "Z1" else UNKNOWN_OPTION_NO_ORDER
        if arranged_by:
            checks.broken(rule, "arranged_by", name=name)
        if not order_date.is_blank:
            checks.broken(rule, "order_date", name=name)
    elif ok:
        if not arranged_by:
            checks.broken(ORDER_NEEDS_AUTHORITY, "arranged_by")
        elif arranged_by not in LA_PERM_CODES:
            checks.broken(AUTHORITY_CODE, "arranged_by")
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
    start = format_date(start_date)
    if end_date is not None and checks.happened("end_date", end_date, "The date the order ended"):
        checks.check(end_date >= start_date, "end_date", DOLO_ENDS_BEFORE_START.says(start=start))
    period = derive.period_on(_periods(child), start_date)
    ended = period.end_date if period is not None else None
    if ended is not None and not checks.has("end_date") and (end_date is None or end_date > ended):
        checks.broken(DOLO_OPEN_AFTER_CARE, "end_date", name=name, end=format_date(ended))
    if checks:
        return
    until = end_date or datetime.date.max
    for other in others:
        if other.end_date is None:
            if other.start_date <= until:
                checks.broken(DOLO_EARLIER_OPEN, "start_date", start=format_date(other.start_date))
                return
        elif other.start_date <= until and start_date <= other.end_date:
            checks.broken(
                DOLO_OVERLAP,
                "start_date",
                start=format_date(other.start_date),
                end=format_date(other.end_date),
            )
            return
    if period is None:
        return
    last = end_date or timezone.localdate()
    for placement in period.placements:
        first = placement.episodes[0]
        ends = placement.end_date or datetime.date.max
        if (
            first.placement_type in NOT_WITH_DOLO
            and first.start_date <= last
            and start_date <= ends
        ):
            label = code_list(CodeListName.PLACEMENT_TYPE).label(first.placement_type)
            checks.broken(
                DOLO_PLACEMENT,
                None,
                name=name,
                placement=f"{label.lower()} ({first.placement_type})",
                since=format_date(first.start_date),
            )
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
    if checks.happened("start_date", start_date, what):
        born = child.date_of_birth
        if born is not None and start_date < born:
            checks.broken(
                DOLO_BEFORE_BIRTH, "start_date", name=child.given_name, born=format_date(born)
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
