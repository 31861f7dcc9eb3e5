"""SSDA903 rules on a looked-after child's health and offending (OC2) that one health record
can break, checked where it is written.

Source of each: the DfE's SSDA903 validation rules, as listed in the Data to Insight
validator's rule tables (``903_2023_24_rule_info.csv`` to ``903_2026_27_rule_info.csv`` in
shared/reference/returns/rules, whose messages the docstrings are). The return reads ages at
the start or end of the collection year; Caseline judges a child's age on the day of the
record, which is the fact the rule stands for, and applies each rule to records of every year.
"""

from __future__ import annotations

import datetime

from caseline.apps.returns.rules.base import Collection, DfERule, age_on

SDQ_MAX = 40  # a strengths and difficulties questionnaire scores 0 to 40
SDQ_AGES = range(4, 17)  # the questionnaire is for children of 4 to 16 (rules 157, 186)
SDQ_OUT_OF_AGE_RANGE = "SDQ1"  # the SDQ reason for a child outside its ages
DEVELOPMENT_CHECK_BELOW = 5  # development checks are for the under-5s (rules 545, 546)
# The age of criminal responsibility in England: Children and Young Persons Act 1933 s50.
CONVICTION_FROM = 10


class _HealthRule(DfERule):
    """An OC2 rule in the four rule lists held, checked in every year."""

    collection = Collection.SSDA903
    years = range(2024, 2028)
    source = (
        "DfE SSDA903 validation rules 2023-24 to 2026-27 (csc-validator-be-903 rule lists, "
        "903_2023_24_rule_info.csv to 903_2026_27_rule_info.csv)"
    )
    every_year = True


class SSDA903Rule180(_HealthRule):
    """Data entry for the strengths and difficulties questionnaire (SDQ) score is invalid.

    A score is 0 to 40.
    """

    code = "180"
    fields = ("SDQ_SCORE",)

    @classmethod
    def breaks(cls, *, score: int) -> bool:
        return not 0 <= score <= SDQ_MAX


class SSDA903Rule197a(_HealthRule):
    """Reason for no Strengths and Difficulties (SDQ) score is not required if Strengths and
    Difficulties Questionnaire score is filled in."""

    code = "197a"
    fields = ("SDQ_REASON", "SDQ_SCORE")

    @classmethod
    def breaks(cls, *, score: int | None, reason: str) -> bool:
        return score is not None and bool(reason)


class SSDA903Rule157(_HealthRule):
    """Child is aged 4 years or over at the beginning of the year or 16 years or under at the
    end of the year and Strengths and Difficulties Questionnaire (SDQ) 1 has been recorded as
    the reason for no Strengths and Difficulties Questionnaire (SDQ) score.

    SDQ1 is for a child under 4 or over 16 on the day of the questionnaire.
    """

    code = "157"
    fields = ("DOB", "SDQ_REASON")

    @classmethod
    def breaks(cls, *, reason: str, born: datetime.date, on: datetime.date) -> bool:
        return reason == SDQ_OUT_OF_AGE_RANGE and age_on(born, on) in SDQ_AGES


class SSDA903Rule546(_HealthRule):
    """Children aged 5 or over at 31 March should not have health promotion information
    completed.

    A development check is for a child under 5 on the day of the check.
    """

    code = "546"
    fields = ("DOB", "HEALTH_CHECK")

    @classmethod
    def breaks(cls, *, born: datetime.date, checked_on: datetime.date) -> bool:
        return age_on(born, checked_on) >= DEVELOPMENT_CHECK_BELOW


class SSDA903Rule542(_HealthRule):
    """A child aged under 10 at 31 March should not have conviction information completed.

    No child under 10 can be guilty of an offence (Children and Young Persons Act 1933 s50):
    Caseline judges the age on the day of the conviction.
    """

    code = "542"
    fields = ("CONVICTED",)

    @classmethod
    def breaks(cls, *, born: datetime.date, convicted_on: datetime.date) -> bool:
        return age_on(born, convicted_on) < CONVICTION_FROM


class SSDA903Rule192(_HealthRule):
    """Child has been identified as having a substance misuse problem but the additional item
    on whether an intervention was received has been left blank."""

    code = "192"
    fields = ("INTERVENTION_RECEIVED", "SUBSTANCE_MISUSE")

    @classmethod
    def breaks(cls, *, substance_misuse: bool | None, received: bool | None) -> bool:
        return bool(substance_misuse) and received is None


class SSDA903Rule158(_HealthRule):
    """If a child has been recorded as receiving an intervention for their substance misuse
    problem, then the additional item on whether an intervention was offered should be left
    blank."""

    code = "158"
    fields = ("INTERVENTION_OFFERED", "INTERVENTION_RECEIVED")

    @classmethod
    def breaks(cls, *, received: bool | None, offered: bool | None) -> bool:
        return received is True and offered is not None


class SSDA903Rule159(_HealthRule):
    """If a child has been recorded as not receiving an intervention for their substance
    misuse problem, then the additional item on whether an intervention was offered should be
    completed as well."""

    code = "159"
    fields = ("INTERVENTION_OFFERED", "INTERVENTION_RECEIVED", "SUBSTANCE_MISUSE")

    @classmethod
    def breaks(cls, *, received: bool | None, offered: bool | None) -> bool:
        return received is False and offered is None


class SSDA903Rule193(_HealthRule):
    """Child not identified as having a substance misuse problem but at least one of the two
    additional items on whether an intervention were offered and received have been
    completed."""

    code = "193"
    fields = ("INTERVENTION_OFFERED", "INTERVENTION_RECEIVED", "SUBSTANCE_MISUSE")

    @classmethod
    def breaks(
        cls, *, substance_misuse: bool | None, received: bool | None, offered: bool | None
    ) -> bool:
        return not substance_misuse and (received is not None or offered is not None)
