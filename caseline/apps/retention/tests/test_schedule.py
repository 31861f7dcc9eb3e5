"""Each rule of the retention schedule gives the date its source says."""

from __future__ import annotations

import datetime

import pytest

from caseline.apps.retention.queries import SHORTEST_YEARS_FROM_BIRTH
from caseline.apps.retention.schedule import (
    ADOPTED,
    CHILD_IN_NEED,
    CHILD_PROTECTION,
    LOOKED_AFTER,
    SCHEDULE,
    ChildFacts,
    Covers,
    governing_rule,
    rule_version,
    years_after,
)

D = datetime.date
TODAY = D(2026, 12, 2)


LEAP_DAY = D(2000, 2, 29)


def facts(
    *covers: Covers,
    born: D | None = LEAP_DAY,
    died: D | None = None,
    adopted: D | None = None,
) -> ChildFacts:
    return ChildFacts(
        person_id=1,
        date_of_birth=born,
        date_of_death=died,
        covers=frozenset(covers),
        adoption_order_on=adopted,
    )


def test_looked_after_records_are_kept_to_the_75th_birthday() -> None:
    governing = governing_rule(facts(Covers.LOOKED_AFTER, born=D(2012, 5, 1)), TODAY)
    assert governing is not None
    assert governing.rule is LOOKED_AFTER
    assert governing.keep_until == D(2087, 5, 1)


def test_a_29_february_birthday_falls_on_28_february() -> None:
    assert LOOKED_AFTER.keep_until(facts(Covers.LOOKED_AFTER)) == D(2075, 2, 28)


def test_a_looked_after_child_who_died_before_18_is_kept_15_years_from_the_death() -> None:
    died_at_ten = facts(Covers.LOOKED_AFTER, born=D(2000, 6, 1), died=D(2010, 6, 1))
    assert LOOKED_AFTER.keep_until(died_at_ten) == D(2025, 6, 1)
    died_at_20 = facts(Covers.LOOKED_AFTER, born=D(2000, 6, 1), died=D(2020, 6, 1))
    assert LOOKED_AFTER.keep_until(died_at_20) == D(2075, 6, 1)
    # The day before the 18th birthday is still before 18.
    died_day_before_18 = facts(Covers.LOOKED_AFTER, born=D(2000, 6, 1), died=D(2018, 5, 31))
    assert LOOKED_AFTER.keep_until(died_day_before_18) == D(2033, 5, 31)


def test_adoption_records_are_kept_100_years_from_the_order_and_govern() -> None:
    adopted = facts(Covers.LOOKED_AFTER, Covers.ADOPTED, born=D(2008, 1, 1), adopted=D(2010, 7, 15))
    governing = governing_rule(adopted, TODAY)
    assert governing is not None
    assert governing.rule is ADOPTED
    assert governing.keep_until == D(2110, 7, 15)


@pytest.mark.parametrize("covers", [Covers.CHILD_PROTECTION, Covers.CHILD_IN_NEED])
def test_child_protection_and_child_in_need_records_go_to_the_25th_birthday(
    covers: Covers,
) -> None:
    governing = governing_rule(facts(covers, born=D(2001, 3, 4)), TODAY)
    assert governing is not None
    assert (
        governing.rule
        is {"child-protection": CHILD_PROTECTION, "child-in-need": CHILD_IN_NEED}[covers.value]
    )
    assert governing.keep_until == D(2026, 3, 4)


def test_the_longest_rule_governs_a_record_several_cover() -> None:
    both = facts(
        Covers.CHILD_PROTECTION, Covers.CHILD_IN_NEED, Covers.LOOKED_AFTER, born=D(2001, 3, 4)
    )
    governing = governing_rule(both, TODAY)
    assert governing is not None
    assert (governing.rule, governing.keep_until) == (LOOKED_AFTER, D(2076, 3, 4))


def test_no_rule_without_records_or_without_a_date_of_birth() -> None:
    assert governing_rule(facts(), TODAY) is None
    assert governing_rule(facts(Covers.CHILD_IN_NEED, born=None), TODAY) is None
    # Adopted, but looked after with no date of birth: never destroyed on the adoption alone.
    assert (
        governing_rule(
            facts(Covers.LOOKED_AFTER, Covers.ADOPTED, born=None, adopted=D(2010, 1, 1)), TODAY
        )
        is None
    )


def test_no_rule_keeps_a_living_childs_record_for_less_than_the_shortest_period() -> None:
    """The due list narrows by date of birth on this figure: no rule may undercut it."""
    born = D(2000, 1, 1)
    for rule in SCHEDULE:
        until = rule.keep_until(facts(rule.covers, born=born, adopted=D(2001, 1, 1)))
        assert until is not None
        assert until >= years_after(born, SHORTEST_YEARS_FROM_BIRTH), rule.code


def test_every_rule_names_its_source_and_what_is_unverified() -> None:
    for rule in SCHEDULE:
        assert all((rule.source, rule.verified, rule.trigger, rule.period)), rule.code
        assert rule_version(rule.code, rule.version) is rule
    # The locally set periods say so.
    assert "not a statutory period" in CHILD_PROTECTION.unverified
    assert "not a statutory period" in CHILD_IN_NEED.unverified
