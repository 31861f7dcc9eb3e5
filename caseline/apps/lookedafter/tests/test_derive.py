"""Derivations: periods of care, placements, due dates, care-leaver eligibility, in touch."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from caseline.apps.lookedafter import derive
from caseline.apps.lookedafter import timescales as rules
from caseline.apps.lookedafter.models import (
    CareLeaverContact,
    Episode,
    LACReview,
)
from caseline.apps.people.models import Person
from caseline.apps.timescales.rules import CATALOGUE, Certainty, TimelinessStatus

D = datetime.date


def ep(
    start: D, end: D | None = None, rne: str = "S", rec: str = "", ls: str = "C2", **kw: Any
) -> Episode:
    return Episode(
        start_date=start,
        end_date=end,
        reason_new_episode=rne,
        reason_episode_ceased=rec,
        legal_status=ls,
        placement_type=kw.pop("place", "U6"),
        **kw,
    )


def review(day: D) -> LACReview:
    return LACReview(review_date=day)


def test_rules_are_registered_with_their_certainty() -> None:
    assert CATALOGUE.get("lac-review-first").certainty is Certainty.CHECKED
    assert CATALOGUE.get("lac-visit-first").certainty is Certainty.CHECKED
    assert CATALOGUE.get("lac-health-initial").certainty is Certainty.SECONDARY
    assert CATALOGUE.get("lac-pep-review").certainty is Certainty.SECONDARY
    assert CATALOGUE.get("care-leaver-pathway-plan").certainty is Certainty.CHECKED
    for code in (
        "care-leaver-pathway-review",
        "care-leaver-birthday-contact",
        "lac-review-minutes",
    ):
        rule = CATALOGUE.get(code)
        assert rule.certainty is Certainty.UNCHECKED
        assert "not checked" in rule.certainty_note.lower()


def test_periods_of_care_are_derived_from_consecutive_episodes() -> None:
    episodes = [
        ep(D(2025, 3, 1), D(2025, 5, 1), rne="P", rec="E4A"),
        ep(D(2025, 1, 6), D(2025, 3, 1), rec="X1"),
        ep(D(2025, 8, 1), D(2025, 9, 1), rec="X1"),
        ep(D(2025, 9, 1), None, rne="L"),
        ep(D(2025, 9, 1), None, rne="S"),  # an S always starts a new period
    ]
    periods = derive.periods_of_care(episodes)
    assert [(p.start_date, p.end_date, len(p.episodes)) for p in periods] == [
        (D(2025, 1, 6), D(2025, 5, 1), 2),
        (D(2025, 8, 1), None, 2),
        (D(2025, 9, 1), None, 1),
    ]
    assert periods[0].reason_ceased == "E4A"
    assert periods[0].legal_status_since == D(2025, 1, 6)  # a move does not restart it
    assert [p.start_date for p in periods[0].placements] == [D(2025, 1, 6), D(2025, 3, 1)]
    assert len(periods[1].placements) == 1


def test_a_gap_between_episodes_starts_a_new_period() -> None:
    periods = derive.periods_of_care(
        [ep(D(2025, 1, 6), D(2025, 2, 1), rec="X1"), ep(D(2025, 2, 3), None, rne="P")]
    )
    assert len(periods) == 2


@pytest.mark.parametrize(
    ("start", "first_due"),
    [
        (D(2025, 1, 6), D(2025, 2, 3)),  # 20 working days, no holidays
        (D(2025, 4, 14), D(2025, 5, 15)),  # Good Friday, Easter Monday and 5 May skipped
    ],
)
def test_first_review_is_due_20_working_days_after_care_starts(start: D, first_due: D) -> None:
    [period] = derive.periods_of_care([ep(start)])
    due = derive.next_review(period, [], start)
    assert due.timeliness.due_date == first_due
    assert due.rule is rules.REVIEW_FIRST


def test_second_review_3_months_then_every_6_months() -> None:
    [period] = derive.periods_of_care([ep(D(2025, 1, 6))])
    held = [review(D(2025, 1, 31))]
    assert derive.next_review(period, held, D(2025, 2, 1)).timeliness.due_date == D(2025, 4, 30)
    held.append(review(D(2025, 4, 30)))
    due = derive.next_review(period, held, D(2025, 11, 3))
    assert due.timeliness.due_date == D(2025, 10, 30)
    assert due.timeliness.status is TimelinessStatus.OVERDUE
    assert due.timeliness.label == "Overdue by 2 working days"
    timeliness = derive.review_timeliness(period, [*held, review(D(2025, 11, 4))], D(2025, 12, 1))
    assert [t.status for _, t in timeliness] == [
        TimelinessStatus.COMPLETED_ON_TIME,
        TimelinessStatus.COMPLETED_ON_TIME,
        TimelinessStatus.COMPLETED_LATE,
    ]


def test_reviews_of_an_earlier_period_do_not_count() -> None:
    periods = derive.periods_of_care(
        [ep(D(2024, 1, 8), D(2024, 6, 1), rec="E4A"), ep(D(2025, 1, 6))]
    )
    due = derive.next_review(periods[1], [review(D(2024, 2, 1))], D(2025, 1, 7))
    assert due.rule is rules.REVIEW_FIRST


def test_minutes_are_due_20_working_days_after_the_review() -> None:
    r = LACReview(review_date=D(2025, 1, 6))
    assert derive.minutes_due(r, D(2025, 1, 7)).due_date == D(2025, 2, 3)
    r.minutes_completed_on = D(2025, 2, 4)
    assert derive.minutes_due(r, D(2025, 3, 1)).label == "Completed 1 working day late"


def test_visit_within_a_week_of_placement_then_six_weekly() -> None:
    [period] = derive.periods_of_care([ep(D(2025, 1, 6))])
    due = derive.next_visit(period, [], [], D(2025, 1, 7))
    assert (due.rule, due.timeliness.due_date) == (rules.VISIT_FIRST, D(2025, 1, 13))
    seen = [D(2025, 1, 10)]  # the visits at which the child was seen
    due = derive.next_visit(period, seen, [], D(2025, 1, 21))
    assert (due.rule, due.timeliness.due_date) == (rules.VISIT_FIRST_YEAR, D(2025, 2, 21))


def test_a_move_restarts_the_one_week_visit() -> None:
    [period] = derive.periods_of_care(
        [ep(D(2025, 1, 6), D(2025, 3, 3), rec="X1"), ep(D(2025, 3, 3), rne="P")]
    )
    due = derive.next_visit(period, [D(2025, 2, 28)], [], D(2025, 3, 4))
    assert due.timeliness.due_date == D(2025, 3, 10)


def test_long_term_placement_visits_3_monthly_after_the_first_year() -> None:
    [period] = derive.periods_of_care([ep(D(2025, 1, 6), intended_until_18=True)])
    in_first_year = derive.next_visit(period, [D(2025, 12, 1)], [], D(2025, 12, 2))
    assert in_first_year.rule is rules.VISIT_FIRST_YEAR
    after = derive.next_visit(period, [D(2026, 1, 10)], [], D(2026, 1, 11))
    assert (after.rule, after.timeliness.due_date) == (rules.VISIT_LONG_TERM, D(2026, 4, 10))


@pytest.mark.parametrize(
    ("kw", "after_review"),
    [
        ({"place": "P1", "ls": "C1"}, rules.VISIT_FOUR_WEEKLY),
        ({"arrangement": Episode.Arrangement.CONNECTED_TEMPORARY}, rules.VISIT_FOUR_WEEKLY),
        (
            {"arrangement": Episode.Arrangement.PARENT_BEFORE_ASSESSMENT, "place": "P1"},
            rules.VISIT_FIRST_YEAR,
        ),
    ],
)
def test_weekly_visits_until_the_first_review(kw: dict[str, Any], after_review: Any) -> None:
    [period] = derive.periods_of_care([ep(D(2025, 1, 6), **kw)])
    visits = [D(2025, 1, 10)]
    before = derive.next_visit(period, visits, [], D(2025, 1, 11))
    assert (before.rule, before.timeliness.due_date) == (rules.VISIT_WEEKLY, D(2025, 1, 17))
    visits.append(D(2025, 2, 3))
    after = derive.next_visit(period, visits, [review(D(2025, 2, 1))], D(2025, 2, 4))
    assert after.rule is after_review


def test_care_order_at_home_visits_six_weekly() -> None:
    [period] = derive.periods_of_care([ep(D(2025, 1, 6), place="P1", ls="C2")])
    due = derive.next_visit(period, [D(2025, 1, 10)], [], D(2025, 1, 11))
    assert due.rule is rules.VISIT_FIRST_YEAR


def person(dob: D) -> Person:
    return Person(given_name="Ada", family_name="Testchild", date_of_birth=dob)


def test_health_assessments_initial_then_by_age() -> None:
    [period] = derive.periods_of_care([ep(D(2025, 1, 6))])
    older, baby = person(D(2015, 1, 1)), person(D(2024, 1, 1))
    assert derive.next_health_assessment(older, period, [], D(2025, 1, 7)).timeliness.due_date == D(
        2025, 2, 3
    )
    done = [D(2025, 1, 20)]  # the dates of health assessments (not of dental checks)
    assert derive.next_health_assessment(
        older, period, done, D(2025, 2, 1)
    ).timeliness.due_date == D(2026, 1, 20)
    due = derive.next_health_assessment(baby, period, done, D(2025, 2, 1))
    assert (due.rule, due.timeliness.due_date) == (rules.HEALTH_REVIEW_UNDER_5, D(2025, 7, 20))


def test_pep_initial_then_termly() -> None:
    [period] = derive.periods_of_care([ep(D(2025, 1, 6))])
    assert derive.next_pep(period, [], D(2025, 1, 7)).rule is rules.PEP_INITIAL
    due = derive.next_pep(period, [D(2025, 1, 31)], D(2025, 2, 1))
    assert (due.rule, due.timeliness.due_date) == (rules.PEP_REVIEW, D(2025, 5, 31))


# --- Care leavers ---------------------------------------------------------------------------

DOB = D(2008, 3, 1)  # 14 on 1 March 2022, 16 on 1 March 2024, 18 on 1 March 2026


def test_under_16_is_not_a_care_leaver() -> None:
    assert derive.care_leaver_status(person(DOB), [ep(D(2023, 1, 1))], D(2024, 2, 1)) is None


def test_eligible_while_looked_after_after_13_weeks_from_14_ending_after_16() -> None:
    young = person(DOB)
    episodes = [ep(D(2023, 12, 1))]
    assert derive.eligibility_met_on(young, episodes) == D(2024, 3, 1)
    assert derive.care_leaver_status(young, episodes, D(2024, 6, 1)) is derive.Eligibility.ELIGIBLE


def test_relevant_then_former_relevant_after_leaving() -> None:
    young = person(DOB)
    episodes = [ep(D(2023, 12, 1), D(2025, 1, 10), rec="E8")]
    assert derive.care_leaver_status(young, episodes, D(2025, 2, 1)) is derive.Eligibility.RELEVANT
    assert (
        derive.care_leaver_status(young, episodes, D(2026, 5, 1))
        is derive.Eligibility.FORMER_RELEVANT
    )
    assert derive.care_leaver_status(young, episodes, D(2034, 3, 2)) is None  # over 25


def test_leaving_care_gives_the_category_eligibility_and_leaving_day_together() -> None:
    young = person(DOB)
    episodes = [ep(D(2023, 12, 1), D(2025, 1, 10), rec="E8")]
    leaving = derive.leaving_care(young, episodes, D(2026, 5, 1))
    # 91 days looked after from 1 December 2023 reached before 16: met on the 16th birthday.
    assert leaving == derive.LeavingCare(
        derive.Eligibility.FORMER_RELEVANT, D(2024, 3, 1), D(2025, 1, 10)
    )
    # Worked out from periods the caller already has, the same answer.
    periods = derive.periods_of_care(episodes)
    assert derive.leaving_care(young, episodes, D(2026, 5, 1), periods) == leaving
    # Before 16 nothing is worked out; an episode begun after the day asked about is not read.
    assert derive.leaving_care(young, episodes, D(2024, 1, 1)) == derive.LeavingCare(
        None, None, None
    )
    later = [*episodes, ep(D(2026, 6, 1), rne="S", rec="")]
    assert derive.leaving_care(young, later, D(2026, 5, 1)).status is (
        derive.Eligibility.FORMER_RELEVANT
    )


def test_thirteen_weeks_counted_across_episodes_from_14() -> None:
    young = person(DOB)
    episodes = [
        ep(D(2022, 1, 1), D(2022, 4, 1), rec="E4A"),  # 31 days count (from 1 March 2022)
        ep(D(2024, 2, 1), D(2024, 4, 1), rec="E4A"),  # 60 more: 91 reached on 1 April
    ]
    assert derive.eligibility_met_on(young, episodes) == D(2024, 4, 1)
    short = [ep(D(2024, 2, 1), D(2024, 4, 1), rec="E4A")]
    assert derive.eligibility_met_on(young, short) is None
    assert derive.care_leaver_status(young, short, D(2024, 6, 1)) is derive.Eligibility.QUALIFYING


def test_short_breaks_do_not_count_towards_eligibility() -> None:
    young = person(DOB)
    assert derive.eligibility_met_on(young, [ep(D(2023, 12, 1), ls="V3")]) is None


def test_left_before_16_is_not_eligible() -> None:
    young = person(DOB)
    episodes = [ep(D(2022, 6, 1), D(2024, 2, 1), rec="E4A")]
    assert derive.eligibility_met_on(young, episodes) is None
    assert derive.care_leaver_status(young, episodes, D(2024, 6, 1)) is None


def test_pathway_plan_due_by_16_years_3_months_then_6_monthly() -> None:
    young = person(DOB)
    episodes = [ep(D(2023, 12, 1))]
    due = derive.next_pathway_plan(young, episodes, [], D(2024, 3, 5))
    assert due is not None
    assert (due.rule, due.timeliness.due_date) == (rules.PATHWAY_PLAN, D(2024, 6, 1))
    due = derive.next_pathway_plan(young, episodes, [D(2024, 5, 20)], D(2024, 6, 1))
    assert due is not None
    assert (due.rule, due.timeliness.due_date) == (rules.PATHWAY_PLAN_REVIEW, D(2024, 11, 20))
    assert derive.next_pathway_plan(person(D(2015, 1, 1)), episodes, [], D(2024, 6, 1)) is None


def contact(day: D, in_touch: str = "YES") -> CareLeaverContact:
    return CareLeaverContact(contact_date=day, in_touch=in_touch)


def test_keeping_in_touch_around_the_birthday() -> None:
    young = person(DOB)
    episodes = [ep(D(2023, 12, 1), D(2025, 6, 1), rec="E8")]
    # Window for the 18th birthday (1 March 2026) opens on 1 December 2025.
    assert derive.birthday_contact(young, episodes, [], D(2025, 11, 30)) is None
    pending = derive.birthday_contact(young, episodes, [], D(2026, 1, 15))
    assert pending is not None
    assert (pending.age, pending.timeliness.due_date) == (18, D(2026, 4, 1))
    assert pending.timeliness.status is TimelinessStatus.NOT_DUE_YET
    late = derive.birthday_contact(young, episodes, [], D(2026, 4, 2))
    assert late is not None
    assert late.timeliness.status is TimelinessStatus.OVERDUE
    met = derive.birthday_contact(young, episodes, [contact(D(2025, 12, 10))], D(2026, 4, 2))
    assert met is not None
    assert met.timeliness.status is TimelinessStatus.COMPLETED_ON_TIME
    # A contact before the window opened does not count.
    early = derive.birthday_contact(young, episodes, [contact(D(2025, 11, 1))], D(2026, 4, 2))
    assert early is not None
    assert early.contact is None


def test_from_22_only_if_in_touch() -> None:
    young = person(DOB)
    episodes = [ep(D(2023, 12, 1), D(2025, 6, 1), rec="E8")]
    as_at = D(2030, 1, 15)  # the 22nd birthday window is open
    not_in_touch = derive.birthday_contact(young, episodes, [contact(D(2029, 3, 1), "NO")], as_at)
    assert not_in_touch is not None
    assert not_in_touch.age == 21
    due = derive.birthday_contact(young, episodes, [contact(D(2029, 3, 1))], as_at)
    assert due is not None
    assert due.age == 22


def test_no_birthday_contact_while_looked_after() -> None:
    assert derive.birthday_contact(person(DOB), [ep(D(2023, 12, 1))], [], D(2026, 1, 15)) is None


def test_care_plan_due_10_working_days_after_care_starts() -> None:
    [period] = derive.periods_of_care([ep(D(2025, 1, 6))])
    due = derive.care_plan_due(period, [], D(2025, 1, 7))
    assert due is not None
    assert due.timeliness.due_date == D(2025, 1, 20)
    assert CATALOGUE.get("lac-care-plan").certainty is Certainty.UNCHECKED
    assert derive.care_plan_due(period, [D(2025, 1, 10)], D(2025, 1, 11)) is None
