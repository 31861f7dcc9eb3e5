"""SSDA903 rules that one looked-after child's record can break, checked where it is written.

Source of each: the DfE's SSDA903 validation rules, as listed in the Data to Insight validator's
rule table (``903_20XX_XX_rule_info.csv`` in shared/reference/returns/rules) and coded in
``csc-validator-be-903`` 0.1.17 (``lac_validator/rules/lac20XX_XX/rule_<code>.py``), read to
understand each rule. The validator holds them for 2022-23 to 2026-27 (earlier rule sets were
not checked); each is a matter of law or of the codes' meaning, so Caseline applies it to
records of every year.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from caseline.apps.returns.rules.base import Collection, DfERule, age_on

_SOURCE = "DfE SSDA903 validation rules (csc-validator-be-903 0.1.17, lac2022_23 to lac2026_27)"
_YEARS = range(2023, 2028)

EMERGENCY_PROTECTION_ORDER = "L2"
SECTION_20_SINGLE_PERIOD = "V2"
PLACED_WITH_PARENTS = "P1"
ADOPTED = frozenset({"E11", "E12"})
PLACED_FOR_ADOPTION = frozenset({"A3", "A4", "A5", "A6"})
UNDER_FOUR_PARTICIPATION = "PN0"
FOUR_AND_OVER_PARTICIPATION = frozenset({f"PN{n}" for n in range(1, 8)})
EPO_LONGEST_DAYS = 21
STAYED_WITH_CARERS_AT_18 = "E17"


def _birthday(born: datetime.date, years: int) -> datetime.date:
    """The day a child born on ``born`` turns ``years``, as the validator counts it (pandas'
    ``DateOffset(years=...)``: a 29 February birthday falls on 28 February)."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:  # 29 February in a year that is not a leap year: the 28th
        return born.replace(year=born.year + years, day=28)


def _fourth_birthday(born: datetime.date) -> datetime.date:
    return _birthday(born, 4)


class SSDA903Rule362(DfERule):
    """Emergency protection order (EPO) lasted longer than 21 days

    Consecutive L2 episodes count as one order: from the first one's start to the last one's
    end (the collection end while it is open) may be at most 21 days.
    """

    collection = Collection.SSDA903
    code = "362"
    years = _YEARS
    source = _SOURCE
    every_year = True
    fields = ("DECOM", "DEC", "LS")

    @classmethod
    def breaks(cls, *, order_started: datetime.date, order_ended: datetime.date) -> bool:
        return (order_ended - order_started).days > EPO_LONGEST_DAYS


class SSDA903Rule378(DfERule):
    """A child who is placed with parent(s) cannot be looked after under a single period of
    accommodation under Section 20 of the Children Act 1989."""

    collection = Collection.SSDA903
    code = "378"
    years = _YEARS
    source = _SOURCE
    every_year = True
    fields = ("LS", "PLACE")

    @classmethod
    def breaks(cls, *, legal_status: str, placement_type: str) -> bool:
        return legal_status == SECTION_20_SINGLE_PERIOD and placement_type == PLACED_WITH_PARENTS


class SSDA903Rule390(DfERule):
    """Reason episode ceased is adopted but child has not been previously placed for adoption.

    An episode that ends with the child adopted (E11, E12) must be a placement for adoption
    (A3 to A6).
    """

    collection = Collection.SSDA903
    code = "390"
    years = _YEARS
    source = _SOURCE
    every_year = True
    fields = ("PLACE", "REC")

    @classmethod
    def breaks(cls, *, reason_ceased: str, placement_type: str) -> bool:
        return reason_ceased in ADOPTED and placement_type not in PLACED_FOR_ADOPTION


class SSDA903Rule440(DfERule):
    """Participation method indicates child was under 4 years old at the time of the review,
    but date of birth and review date indicates the child was 4 years old or over.

    PN0 may be used up to and including the fourth birthday.
    """

    collection = Collection.SSDA903
    code = "440"
    years = _YEARS
    source = _SOURCE
    every_year = True
    fields = ("DOB", "REVIEW", "REVIEW_CODE")

    @classmethod
    def breaks(cls, *, participation: str, born: datetime.date, review_date: datetime.date) -> bool:
        return participation == UNDER_FOUR_PARTICIPATION and review_date > _fourth_birthday(born)


class SSDA903Rule441(DfERule):
    """Participation method indicates child was 4 years old or over at the time of the review,
    but the date of birth and review date indicates the child was under 4 years old.

    PN1 to PN7 may be used from the fourth birthday.
    """

    collection = Collection.SSDA903
    code = "441"
    years = _YEARS
    source = _SOURCE
    every_year = True
    fields = ("DOB", "REVIEW", "REVIEW_CODE")

    @classmethod
    def breaks(cls, *, participation: str, born: datetime.date, review_date: datetime.date) -> bool:
        return participation in FOUR_AND_OVER_PARTICIPATION and review_date < _fourth_birthday(born)


class SSDA903Rule460(DfERule):
    """Reason episode ceased is that child stayed with current carers at age 18 (or above), but
    child is aged under 18.

    E17 may end care on the 18th birthday or later, not the day before.
    """

    collection = Collection.SSDA903
    code = "460"
    years = _YEARS
    source = _SOURCE
    every_year = True
    fields = ("DOB", "DEC", "REC")

    @classmethod
    def breaks(cls, *, reason_ceased: str, born: datetime.date, ended: datetime.date) -> bool:
        return reason_ceased == STAYED_WITH_CARERS_AT_18 and ended < _birthday(born, 18)


def epo_runs(
    episodes: Iterable[tuple[str, datetime.date, datetime.date | None]], *, until: datetime.date
) -> list[tuple[datetime.date, datetime.date]]:
    """Each emergency protection order as one run: consecutive L2 episodes joined, where one
    ends on the day the next starts (the validator's reading). Episodes are (legal status,
    start, end), in date order; an open one runs to ``until``."""
    runs: list[tuple[datetime.date, datetime.date]] = []
    for legal_status, start, end in episodes:
        if legal_status != EMERGENCY_PROTECTION_ORDER:
            continue
        finish = end or until
        if runs and runs[-1][1] == start:
            runs[-1] = (runs[-1][0], finish)
        else:
            runs.append((start, finish))
    return runs


# --- The child's identifiers and the social worker (Header, SWEpisodes) -----------------------

_LISTED = (
    "DfE SSDA903 validation rules 2023-24 to 2026-27 (csc-validator-be-903 rule lists, "
    "903_2023_24_rule_info.csv to 903_2026_27_rule_info.csv)"
)
_LISTED_YEARS = range(2024, 2028)
UPN_NOT_YET_ASSIGNED = "UN1"
SCHOOL_AGE_FROM = 6
SOCIAL_WORKER_ID_STARTS = ("SW", "XX")
SOCIAL_WORKER_ID_SHORTEST = 4


class SSDA903Rule209(DfERule):
    """Child looked after is of school age and should not have an unknown Unique Pupil Number
    (UPN) code of UN1.

    School age as CIN census rule 8770Q takes it, 6 or more; a child's record is checked
    against 8770Q, which asks the same of every child.
    """

    collection = Collection.SSDA903
    code = "209"
    years = _LISTED_YEARS
    source = _LISTED
    every_year = True
    fields = ("DOB", "UPN")

    @classmethod
    def breaks(cls, *, upn_unknown_reason: str, born: datetime.date, on: datetime.date) -> bool:
        return upn_unknown_reason == UPN_NOT_YET_ASSIGNED and age_on(born, on) >= SCHOOL_AGE_FROM


class SSDA903RuleSW02STG1(DfERule):
    """Social worker ID does not begin with the characters \u2018SW\u2019 or \u2018XX\u2019.

    The validator also fails an ID shorter than four characters. XX is the return's ID for a
    worker with no registration; Caseline stores a Social Work England number, SW and its
    digits, or none, and refuses any other shape under this rule.
    """

    collection = Collection.SSDA903
    code = "SW02STG1"
    years = _LISTED_YEARS
    source = _LISTED + "; csc-validator-be-903 lac2023_24 rule SW02STG1"
    every_year = True
    fields = ("SW_ID",)

    @classmethod
    def breaks(cls, *, sw_id: str) -> bool:
        return not sw_id.startswith(SOCIAL_WORKER_ID_STARTS) or len(sw_id) < (
            SOCIAL_WORKER_ID_SHORTEST
        )


class SSDA903RuleSW13STG1(DfERule):
    """The reason for social worker change is not valid.

    The 2023-24 and 2024-25 lists say "either not valid or has not been entered": a social
    worker episode (from 1 April 2023, when SWEpisodes began) has a reason from the DfE's list.
    Only a worker named starts an episode. Whether the code is valid for the year is the code
    list's check.
    """

    collection = Collection.SSDA903
    code = "SW13STG1"
    years = _LISTED_YEARS
    source = _LISTED
    fields = ("SW_REASON",)

    @classmethod
    def breaks(cls, *, worker_named: bool, change_reason: str) -> bool:
        return worker_named and not change_reason
