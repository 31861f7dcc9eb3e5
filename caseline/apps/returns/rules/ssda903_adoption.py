"""SSDA903 rules on adoption, previous permanence and deprivation of liberty (AD1,
PlacedAdoption, PrevPerm, DoLo) that one child's record can break, checked where it is written.

Source of each: the DfE's SSDA903 validation rules, as listed in the Data to Insight
validator's rule tables (``903_2023_24_rule_info.csv`` to ``903_2026_27_rule_info.csv`` in
shared/reference/returns/rules, whose messages the docstrings are; the DoLo table and its rules
are new in 2026-27) and coded in csc-validator-be-903 (commit 10ad07c; 0.1.17 for lac2026_27),
read for the codes each rule names. Each is a matter of fact or of the codes' meaning (a
decision is not made before the child is born; orders do not overlap), so Caseline applies it
to records of every year. Rules that read the whole return (a child in AD1 was adopted in the
year; last year's return) are the validator's.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import ClassVar

from caseline.apps.returns.rules.base import Collection, DfERule
from caseline.apps.returns.rules.ssda903 import ADOPTED

_LISTED = (
    "DfE SSDA903 validation rules 2023-24 to 2026-27 (csc-validator-be-903 rule lists, "
    "903_2023_24_rule_info.csv to 903_2026_27_rule_info.csv)"
)
_DOLO = (
    "DfE SSDA903 validation rules 2026-27 (903_2026_27_rule_info.csv, csc-validator-be-903 "
    "0.1.17 lac2026_27; the DoLo table is new that year)"
)

# Placements for adoption (PLACE): with the child's current foster carers (A3 with consent, A5
# with a placement order) or not (A4, A6). Rules 331, 335, 521 and 552 read them. A1 and A2 are
# the codes before 2015 that rule 335's message still names.
WITH_FOSTER_CARERS = frozenset({"A3", "A5"})
NOT_WITH_FOSTER_CARERS = frozenset({"A4", "A6"})
# The local authority numbers rule 633 accepts for LA_PERM, and WAL, SCO, NIR and NUK for an
# order made in Wales, Scotland, Northern Ireland or outside the UK (csc-validator-be-903
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
# Rule 634: previous permanence is returned for periods of care from this day.
PREVIOUS_PERMANENCE_FROM = datetime.date(2016, 4, 1)
NO_PREVIOUS_PERMANENCE = "Z1"
# Rule 710's placement types (lac2026_27 rule 710): a secure children's home (K1), with parents
# (P1), a young offender institution (R5), supported accommodation (K3).
NOT_WITH_DOLO = frozenset({"K1", "P1", "R5", "K3"})


class _Listed(DfERule):
    """A rule in the four rule lists held (2023-24 to 2026-27), checked in every year."""

    collection = Collection.SSDA903
    years = range(2024, 2028)
    source = _LISTED
    every_year = True


class _DoLoRule(DfERule):
    """A rule on deprivation of liberty orders, new in 2026-27, checked in every year: the
    orders' dates are facts whenever they were made."""

    collection = Collection.SSDA903
    years = range(2027, 2028)
    source = _DOLO
    every_year = True


# --- The decision that the child should be placed for adoption --------------------------------


class SSDA903Rule184(_Listed):
    """Date of decision that a child should be placed for adoption is before the child was
    born."""

    code = "184"
    fields = ("DATE_PLACED", "DOB")

    @classmethod
    def breaks(cls, *, decided_on: datetime.date, born: datetime.date | None) -> bool:
        return born is not None and decided_on < born


class SSDA903Rule1003(_Listed):
    """Date of LA's decision that a child should be placed for adoption is before the child
    started to be looked after."""

    code = "1003"
    fields = ("DATE_PLACED", "DECOM", "RNE")

    @classmethod
    def breaks(cls, *, decided_on: datetime.date, care_started: datetime.date) -> bool:
        return decided_on < care_started


class SSDA903Rule117(_Listed):
    """Date of decision that a child should/should no longer be placed for adoption is beyond
    the current collection year or after the child ceased to be looked after.

    Caseline checks the second: a decision, or its ceasing, on or before the day care ended.
    """

    code = "117"
    fields = ("DATE_PLACED", "DATE_PLACED_CEASED", "DEC", "DECOM", "REC")

    @classmethod
    def breaks(cls, *, decided_on: datetime.date, care_ended: datetime.date | None) -> bool:
        return care_ended is not None and decided_on > care_ended


class SSDA903Rule583(_Listed):
    """More than one date the child should be placed for adoption has been reported, but an
    earlier decision has not been revoked. Check that both dates are required and add in the
    date the earlier decision was revoked. Note this may be in a previous year."""

    code = "583"
    fields = ("DATE_PLACED", "DATE_PLACED_CEASED")

    @classmethod
    def breaks(cls, *, earlier_ceased_on: Sequence[datetime.date | None]) -> bool:
        """``earlier_ceased_on``: when each earlier decision ceased (``None``: it has not)."""
        return any(ceased is None for ceased in earlier_ceased_on)


class SSDA903Rule579(_Listed):
    """A new decision that the child should be placed for adoption this year cannot start when
    the previous decision is still open. Decisions to place the child for adoption should also
    not overlap. The date of any new decision to place the child for adoption must not be
    before the date placed ceased of previous decisions."""

    code = "579"
    fields = ("DATE_PLACED", "DATE_PLACED_CEASED")

    @classmethod
    def breaks(cls, *, decided_on: datetime.date, earlier_ceased_on: datetime.date) -> bool:
        return decided_on < earlier_ceased_on


class SSDA903Rule552(_Listed):
    """Date of Decision to place a child for adoption should be on or prior to the date that
    the child was placed for adoption."""

    code = "552"
    fields = ("DATE_PLACED", "DECOM")

    @classmethod
    def breaks(cls, *, decided_on: datetime.date, placed_on: datetime.date | None) -> bool:
        return placed_on is not None and placed_on < decided_on


# --- The match and the adopters ---------------------------------------------------------------


class SSDA903Rule333(_Listed):
    """Date should be placed for adoption must be on or prior to the date of matching child
    with adopter(s)."""

    code = "333"
    fields = ("DATE_INT", "DATE_MATCH")

    @classmethod
    def breaks(cls, *, matched_on: datetime.date, decided_on: datetime.date) -> bool:
        return matched_on < decided_on


class SSDA903Rule331(_Listed):
    """Date of matching child and adopter(s) should be the same as, or prior to, the date of
    placement of adoption."""

    code = "331"
    fields = ("DATE_MATCH", "DECOM", "REC")

    @classmethod
    def breaks(cls, *, matched_on: datetime.date, placed_on: datetime.date | None) -> bool:
        return placed_on is not None and matched_on > placed_on


class SSDA903Rule335(_Listed):
    """The current foster value (0) suggests that child is not adopted by current foster carer,
    but last placement is A2, A3, or A5. Or the current foster value (1) suggests that child is
    adopted by current foster carer, but last placement is A1, A4 or A6."""

    code = "335"
    fields = ("FOSTER_CARE", "PLACE")

    @classmethod
    def breaks(cls, *, adopted_by_foster_carers: bool, placement_type: str) -> bool:
        if adopted_by_foster_carers:
            return placement_type in NOT_WITH_FOSTER_CARERS | {"A1"}
        return placement_type in WITH_FOSTER_CARERS | {"A2"}


class _AdoptersRule(_Listed):
    """Which adopters' sexes (SEX_ADOPTR) one legal status (LS_ADOPTR) allows."""

    legal_status: ClassVar[str]
    sexes: ClassVar[frozenset[str]]
    fields = ("LS_ADOPTR", "SEX_ADOPTR")

    @classmethod
    def breaks(cls, *, legal_status: str, sex: str) -> bool:
        return legal_status == cls.legal_status and sex not in cls.sexes


class SSDA903Rule514(_AdoptersRule):
    """Data entry on the legal status of adopters shows a single adopter but data entry for
    the numbers of adopters shows it as a couple."""

    code = "514"
    legal_status = "L0"
    sexes = frozenset({"M1", "F1"})


class SSDA903Rule517(_AdoptersRule):
    """If reporting legal status of adopters is L3 then the genders of adopters should be coded
    as MF. MF = the adopting couple are male and female."""

    code = "517"
    legal_status = "L3"
    sexes = frozenset({"MF"})


class SSDA903Rule518(_AdoptersRule):
    """If reporting legal status of adopters is L4 then the genders of adopters should be coded
    as MM or FF. MM = the adopting couple are both males. FF = the adopting couple are both
    females."""

    code = "518"
    legal_status = "L4"
    sexes = frozenset({"MM", "FF"})


class SSDA903Rule519(_AdoptersRule):
    """Data entered on the legal status of adopters shows civil partnership couple, but data
    entered on genders of adopters does not show it as a couple."""

    code = "519"
    legal_status = "L2"
    sexes = frozenset({"MM", "FF", "MF"})


class SSDA903Rule520(_AdoptersRule):
    """Data entry on the legal status of adopters shows different gender married couple but
    data entry on genders of adopters shows it as a same gender couple."""

    code = "520"
    legal_status = "L11"
    sexes = frozenset({"MF"})


class SSDA903Rule524(_AdoptersRule):
    """If reporting legal status of adopters is L12 then the genders of adopters should be
    coded as MM or FF. MM = the adopting couple are both males. FF = the adopting couple are
    both females"""

    code = "524"
    legal_status = "L12"
    sexes = frozenset({"MM", "FF"})


# Rules 514 to 524, by the legal status of adopters each is about.
ADOPTERS_RULES: dict[str, type[_AdoptersRule]] = {
    rule.legal_status: rule
    for rule in (
        SSDA903Rule514,
        SSDA903Rule517,
        SSDA903Rule518,
        SSDA903Rule519,
        SSDA903Rule520,
        SSDA903Rule524,
    )
}


# --- The decision ceasing ---------------------------------------------------------------------


class SSDA903Rule119(_Listed):
    """If the decision is made that a child should no longer be placed for adoption, then the
    date of this decision and the reason why this decision was made must be completed."""

    code = "119"
    fields = ("DATE_PLACED_CEASED", "REASON_PLACED_CEASED")

    @classmethod
    def breaks(cls, *, ceased_on: datetime.date | None, reason: str) -> bool:
        return ceased_on is None or not reason


class SSDA903Rule522(_Listed):
    """Date of decision that the child should be placed for adoption must be on or before the
    date that a child should no longer be placed for adoption."""

    code = "522"
    fields = ("DATE_PLACED", "DATE_PLACED_CEASED")

    @classmethod
    def breaks(cls, *, ceased_on: datetime.date, decided_on: datetime.date) -> bool:
        return ceased_on < decided_on


class SSDA903Rule558(_Listed):
    """If a child has been adopted, then the decision to place them for adoption has not been
    disrupted and the date of the decision that a child should no longer be placed for
    adoption should be left blank."""

    code = "558"
    fields = ("DATE_PLACED_CEASED", "REC")

    @classmethod
    def breaks(cls, *, care_ended_because: str) -> bool:
        """``care_ended_because``: why the period of care of the decision ended (REC)."""
        return care_ended_because in ADOPTED


# --- Previous permanence ----------------------------------------------------------------------


class SSDA903Rule634(_Listed):
    """There are entries for previous permanence options, but child has not started to be
    looked after from 1 April 2016 onwards."""

    code = "634"
    fields = ("DATE_PERM", "DECOM", "LA_PERM", "PREV_PERM")

    @classmethod
    def breaks(cls, *, care_started: datetime.date) -> bool:
        return care_started < PREVIOUS_PERMANENCE_FROM


class SSDA903Rule635(_Listed):
    """There are entries for date of order and local authority code where previous permanence
    option was arranged but previous permanence code is Z1"""

    code = "635"
    fields = ("DATE_PERM", "LA_PERM", "PREV_PERM")

    @classmethod
    def breaks(cls, *, option: str, order_detail_given: bool) -> bool:
        return option == NO_PREVIOUS_PERMANENCE and order_detail_given


class SSDA903Rule630(_Listed):
    """Information on previous permanence option should be returned.

    The return's rule asks for a previous permanence row for each period of care; Caseline
    asks, for an option with an order, the local authority that arranged it.
    """

    code = "630"
    fields = ("RNE",)


class SSDA903Rule633(_Listed):
    """Local authority code where previous permanence option was arranged is not a valid
    value."""

    code = "633"
    fields = ("LA_PERM",)

    @classmethod
    def breaks(cls, *, arranged_by: str) -> bool:
        return bool(arranged_by) and arranged_by not in LA_PERM_CODES


class SSDA903Rule632(_Listed):
    """Date of previous permanence order not a valid value. NOTE: This rule may result in false
    negatives where the period of care started before the current collection year

    A date, a month and year or a year, before the period of care began. A part-known date is
    judged by the first day it could be.
    """

    code = "632"
    fields = ("DATE_PERM", "DECOM")

    @classmethod
    def breaks(cls, *, order_from: datetime.date, care_started: datetime.date) -> bool:
        """``order_from``: the first day the order could have been made."""
        return order_from >= care_started


# --- Deprivation of liberty orders ------------------------------------------------------------


class SSDA903Rule708(_DoLoRule):
    """Dates of DoLOs are before child\u2019s date of birth."""

    code = "708"
    fields = ("DOLO_START",)

    @classmethod
    def breaks(cls, *, started_on: datetime.date, born: datetime.date | None) -> bool:
        return born is not None and started_on < born


class SSDA903Rule702(_DoLoRule):
    """The date that the DoLO ended is before the date that it started."""

    code = "702"
    fields = ("DOLO_END", "DOLO_START")

    @classmethod
    def breaks(cls, *, started_on: datetime.date, ended_on: datetime.date | None) -> bool:
        return ended_on is not None and ended_on < started_on


class SSDA903Rule705(_DoLoRule):
    """A DoLO cannot start when the previous DoLO is still open.

    Nor may two orders overlap: one ending on the day another starts overlaps it.
    """

    code = "705"
    fields = ("DOLO_END", "DOLO_START")

    @classmethod
    def breaks(
        cls,
        *,
        started_on: datetime.date,
        ended_on: datetime.date | None,
        other_started_on: datetime.date,
        other_ended_on: datetime.date | None,
    ) -> bool:
        until = ended_on or datetime.date.max
        if other_ended_on is None:
            return other_started_on <= until
        return other_started_on <= until and started_on <= other_ended_on


class SSDA903Rule707(_DoLoRule):
    """Child ceased to be looked after but there is a DoLO without an end date.

    An order of a period of care that has ended ends on or before the day it ended.
    """

    code = "707"
    fields = ("DOLO_END",)

    @classmethod
    def breaks(cls, *, ended_on: datetime.date | None, care_ended: datetime.date | None) -> bool:
        return care_ended is not None and (ended_on is None or ended_on > care_ended)


class SSDA903Rule710(_DoLoRule):
    """Child with a DoLO can not be placed in secure children's homes, with parents, young
    offender institutions, or supported accommodation."""

    code = "710"
    fields = ("DOLO_START", "PLACEMENT")

    @classmethod
    def breaks(cls, *, placement_type: str) -> bool:
        """For a placement during the order."""
        return placement_type in NOT_WITH_DOLO
