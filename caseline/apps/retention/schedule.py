"""The retention schedule: how long a child's record is kept, as versioned data with sources.

Each rule names the records it covers (``covers``: which of a child's records bring it into
play), its trigger (the date the period runs from) and its period. A child's record is kept
until the latest date of every rule that covers it: a child who was on a child protection
plan and later looked after is kept as a looked-after child. A new version of a rule keeps
its code and says from when it applies (``applies_from``); a record is judged by the version in
force on the day it is reviewed.

What each rule's source says was checked against public text where it could be found, and
``verified`` says how far; ``unverified`` says what was not. Caseline's own reading of a
regulation is not legal advice: an authority's information governance lead confirms the
schedule before any destruction is approved (docs/data-protection.md).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from caseline.apps.timescales.calendar import add_calendar_months


class Covers(StrEnum):
    """Which of a child's records bring a rule into play."""

    LOOKED_AFTER = "looked-after"  # any period of care (lookedafter.Episode)
    ADOPTED = "adopted"  # a period of care that ended in adoption (903 REC E11 or E12)
    CHILD_PROTECTION = "child-protection"  # a section 47 enquiry, conference or plan
    CHILD_IN_NEED = "child-in-need"  # a referral to children's social care


@dataclass(frozen=True)
class ChildFacts:
    """What the schedule needs to know about one child, read in bulk by ``queries``."""

    person_id: int
    date_of_birth: datetime.date | None
    date_of_death: datetime.date | None
    covers: frozenset[Covers]
    adoption_order_on: datetime.date | None = None


def years_after(day: datetime.date, years: int) -> datetime.date:
    """The anniversary ``years`` on (29 February falls on 28 February, as for every birthday
    in Caseline: ``lookedafter.derive.birthday``)."""
    return add_calendar_months(day, 12 * years)


@dataclass(frozen=True)
class RetentionRule:
    """One rule of the schedule, in one version."""

    code: str
    version: int
    title: str
    covers: Covers
    trigger: str  # plain English: what the period runs from
    period: str  # plain English: how long
    source: str  # the regulation or guidance, with its paragraph
    verified: str  # what was checked, against which public text
    unverified: str  # what was not; "" when nothing is outstanding
    keep_until: Callable[[ChildFacts], datetime.date | None] = field(repr=False)
    applies_from: datetime.date = datetime.date(2010, 4, 1)
    applies_to: datetime.date | None = None

    def applies_on(self, day: datetime.date) -> bool:
        return self.applies_from <= day and (self.applies_to is None or day <= self.applies_to)


def _looked_after(facts: ChildFacts) -> datetime.date | None:
    if facts.date_of_birth is None:
        return None
    if facts.date_of_death is not None and facts.date_of_death < years_after(
        facts.date_of_birth, 18
    ):
        return years_after(facts.date_of_death, 15)
    return years_after(facts.date_of_birth, 75)


def _adopted(facts: ChildFacts) -> datetime.date | None:
    if facts.adoption_order_on is None:
        return None
    return years_after(facts.adoption_order_on, 100)


def _to_25th_birthday(facts: ChildFacts) -> datetime.date | None:
    if facts.date_of_birth is None:
        return None
    return years_after(facts.date_of_birth, 25)


LOOKED_AFTER = RetentionRule(
    code="RET-LAC",
    version=1,
    title="Records of a child who has been looked after",
    covers=Covers.LOOKED_AFTER,
    trigger="The child's date of birth; or the date of death, if the child died before 18",
    period="Until the 75th birthday; or 15 years from the death of a child who died before 18",
    source=(
        "The Care Planning, Placement and Case Review (England) Regulations 2010 "
        "(SI 2010/959), regulation 50"
    ),
    verified=(
        "The same wording (75th anniversary of birth, or 15 years from a death before 18) read "
        "in the Welsh equivalents on legislation.gov.uk (SI 2007/310 (W.27) regulation 10; "
        "the 2015 Welsh regulations, regulation 64) and in English authorities' procedures "
        "citing regulation 50 (Salford, Merton)."
    ),
    unverified=(
        "The text of regulation 50 of SI 2010/959 itself was not read; nor whether it applies "
        "to a child looked after only under short breaks (regulation 48)."
    ),
    keep_until=_looked_after,
)

ADOPTED = RetentionRule(
    code="RET-ADOPTION",
    version=1,
    title="Records of a child adopted (adoption order made)",
    covers=Covers.ADOPTED,
    trigger=(
        "The date of the adoption order: the end of the period of care that ended in adoption "
        "(SSDA903 reason episode ceased E11 or E12)"
    ),
    period="At least 100 years from the adoption order",
    source=(
        "The Disclosure of Adoption Information (Post-Commencement Adoptions) Regulations 2005 "
        "(SI 2005/888), regulation 6 (preservation of section 56 information)"
    ),
    verified=(
        "Regulation 6's heading read in the regulations' contents; the 100 years from the "
        "adoption order in English authorities' procedures citing regulation 6 (Salford) and "
        "in the explanatory note of the Welsh equivalent (SI 2005/2689, regulation 5)."
    ),
    unverified=(
        "The text of regulation 6 itself was not read. The regulations apply to adoptions on or "
        "after 30 December 2005 only; earlier adoptions (the Adoption Agencies Regulations "
        "1983) were not checked. That a period of care ends on the day the order is made is "
        "taken from the SSDA903 guidance, not checked here. The adoption case record proper "
        "is kept by the adoption agency, which Caseline does not hold separately."
    ),
    keep_until=_adopted,
)

CHILD_PROTECTION = RetentionRule(
    code="RET-CP",
    version=1,
    title="Child protection records of a child never looked after",
    covers=Covers.CHILD_PROTECTION,
    trigger="The child's date of birth",
    period="Until the 25th birthday, unless the authority sets longer",
    source=(
        "No statutory period: the authority's own schedule. 25 years from birth is a common "
        "local default (Derbyshire's DOB+25); others keep longer (Blackpool and North "
        "Somerset: 35 years after the case closed, held lawful in R (C) v Northumberland CC "
        "[2015] EWHC 2134 (Admin))"
    ),
    verified=(
        "That no regulation sets a period, and the range of local periods, from published "
        "local authority schedules and the Northumberland judgment."
    ),
    unverified=(
        "The 25th birthday is Caseline's default, not a statutory period: each authority must "
        "set its own (a new version of this rule). Inquiries' moratoria on destruction "
        "(such as IICSA's) are not modelled; place a legal hold."
    ),
    keep_until=_to_25th_birthday,
)

CHILD_IN_NEED = RetentionRule(
    code="RET-CIN",
    version=1,
    title="Children in need records of a child never looked after",
    covers=Covers.CHILD_IN_NEED,
    trigger="The child's date of birth",
    period="Until the 25th birthday, unless the authority sets otherwise",
    source=(
        "No statutory period: the authority's own schedule (Devon: 18 and three years without "
        "activity; North Somerset: the 30th birthday)"
    ),
    verified="That local schedules differ, from published local authority schedules.",
    unverified=(
        "The 25th birthday is Caseline's default, not a statutory period: each authority must "
        "set its own. Contacts that never became a referral have no rule yet and are not "
        "listed."
    ),
    keep_until=_to_25th_birthday,
)

SCHEDULE: tuple[RetentionRule, ...] = (LOOKED_AFTER, ADOPTED, CHILD_PROTECTION, CHILD_IN_NEED)


def rules_in_force(day: datetime.date) -> list[RetentionRule]:
    """The version of each rule in force on a day."""
    return [rule for rule in SCHEDULE if rule.applies_on(day)]


def rule_version(code: str, version: int) -> RetentionRule:
    """One version of a rule, by its code and number."""
    for rule in SCHEDULE:
        if rule.code == code and rule.version == version:
            return rule
    raise KeyError(f"{code} version {version}")


@dataclass(frozen=True)
class Governing:
    """The rule that keeps a child's record longest, and the date it keeps it until."""

    rule: RetentionRule
    keep_until: datetime.date


def governing_rule(facts: ChildFacts, day: datetime.date) -> Governing | None:
    """The rule that keeps this record longest on ``day``. None if no rule covers it, or if
    any rule that covers it cannot give its date (a child with no date of birth): a record
    is never destroyed on the strength of some of its rules."""
    found: Governing | None = None
    for rule in rules_in_force(day):
        if rule.covers not in facts.covers:
            continue
        until = rule.keep_until(facts)
        if until is None:
            return None
        if found is None or until > found.keep_until:
            found = Governing(rule, until)
    return found
