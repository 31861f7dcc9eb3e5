"""CIN census rules that one child's record can break, checked where it is written.

Source of each: the DfE's CIN census validation rules, as listed in the Data to Insight
validator's rule table (``cin_rules_cin2025_26_pypi-0.1.13.csv`` in
shared/reference/returns/rules) and coded in ``csc-validator-be-cin`` 0.1.13
(``cin_validator/rules/cin20XX_XX/rule_<code>.py``), read to understand each rule. The
validator holds them from 2022-23 (earlier rule sets were not checked); each is a matter of
fact, so Caseline applies it to records of every year.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from caseline.apps.returns.rules.base import Collection, DfERule

_SOURCE = "DfE CIN census validation rules (csc-validator-be-cin 0.1.13, cin2022_23 onwards)"
_YEARS = range(2023, 2028)

NO_FACTORS_IDENTIFIED = "21"
REFERRAL_BEFORE_BIRTH_WEEKS = 40


class CINRule1103(DfERule):
    """The assessment start date cannot be before the referral date."""

    collection = Collection.CIN
    code = "1103"
    years = _YEARS
    source = _SOURCE
    every_year = True
    fields = ("AssessmentActualStartDate", "CINreferralDate")

    @classmethod
    def breaks(cls, *, assessment_start: datetime.date, referral_date: datetime.date) -> bool:
        return assessment_start < referral_date


class CINRule8606(DfERule):
    """Child referral date is more than 40 weeks before DOB or expected DOB."""

    collection = Collection.CIN
    code = "8606"
    years = _YEARS
    source = _SOURCE
    every_year = True
    fields = ("CINreferralDate", "PersonBirthDate", "ExpectedPersonBirthDate")

    @classmethod
    def breaks(cls, *, referral_date: datetime.date, born: datetime.date | None) -> bool:
        if born is None:
            return False
        return referral_date < born - datetime.timedelta(weeks=REFERRAL_BEFORE_BIRTH_WEEKS)


class CINRule8869(DfERule):
    """The assessment factors code "21" cannot be used in conjunction with any other
    assessment factors."""

    collection = Collection.CIN
    code = "8869"
    years = _YEARS
    source = _SOURCE
    every_year = True
    fields = ("AssessmentFactors",)

    @classmethod
    def breaks(cls, *, factors: Sequence[str]) -> bool:
        return NO_FACTORS_IDENTIFIED in factors and len(set(factors)) > 1


class CINRule8898(DfERule):
    """The assessment has more than one parental or child factors with the same code."""

    collection = Collection.CIN
    code = "8898"
    years = _YEARS
    source = _SOURCE
    every_year = True
    fields = ("AssessmentFactors",)

    @classmethod
    def breaks(cls, *, factors: Sequence[str]) -> bool:
        return len(set(factors)) != len(factors)
