"""The looked-after rules added from issue 22, with the version in force on each trigger date:
the placement plan and notice of each placement, the visit after a care order made while the
child lives with a parent, short breaks, the 1991 review rule, and the IRO's earlier review."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from caseline.apps.lookedafter import derive
from caseline.apps.lookedafter import timescales as rules
from caseline.apps.lookedafter.models import (
    Episode,
    LACReview,
    PlacementNotice,
    PlacementPlan,
)
from caseline.apps.people.models import Person
from caseline.apps.timescales.rules import CATALOGUE, Certainty, TimelinessStatus

D = datetime.date


def ep(
    pk: int, start: D, end: D | None = None, *, rne: str = "S", rec: str = "", **kw: Any
) -> Episode:
    return Episode(
        pk=pk,
        start_date=start,
        end_date=end,
        reason_new_episode=rne,
        reason_episode_ceased=rec,
        legal_status=kw.pop("ls", "C2"),
        placement_type=kw.pop("place", "U6"),
        **kw,
    )


def review(day: D) -> LACReview:
    return LACReview(review_date=day)


def period(*episodes: Episode) -> derive.PeriodOfCare:
    [found] = derive.periods_of_care(episodes)
    return found


def due_of(episodes: list[Episode], as_at: D, **dates: Any) -> dict[str, derive.Due]:
    person = Person(given_name="Ada", family_name="Test", date_of_birth=D(2012, 5, 1))
    cared = derive.CareDates(person=person, episodes=episodes, reviews=[], contacts=[], **dates)
    return {d.rule.code: d for d in derive.care_due(cared, as_at)}


# A child looked after from Monday 3 March 2025 in foster care, moved on Monday 2 June.
FIRST = ep(1, D(2025, 3, 3), D(2025, 6, 2), rec="X1")
MOVED = ep(2, D(2025, 6, 2), rne="P")


# --- Placement plan and notice (CPPCR regs 9 and 13) --------------------------------------------


def test_each_placement_needs_its_own_plan_and_notice_within_5_working_days() -> None:
    due = due_of([FIRST, MOVED], D(2025, 6, 3))
    plan, notice = due["lac-placement-plan"], due["lac-placement-notice-emergency"]
    assert plan.title == "Placement plan"
    assert plan.timeliness.due_date == D(2025, 6, 9)  # 5 working days after 2 June
    assert notice.title == "Notice of the placement"
    assert notice.timeliness.due_date == D(2025, 6, 9)
    # A plan and notice of the first placement do not count for the second.
    due = due_of([FIRST, MOVED], D(2025, 6, 3), placement_plans=[1], placement_notices=[1])
    assert {"lac-placement-plan", "lac-placement-notice-emergency"} <= set(due)
    due = due_of([FIRST, MOVED], D(2025, 6, 3), placement_plans=[2], placement_notices=[2])
    assert not {"lac-placement-plan", "lac-placement-notice-emergency"} & set(due)


def test_a_change_of_legal_status_does_not_start_a_new_placement() -> None:
    status = ep(3, D(2025, 7, 1), rne="L", ls="E1")
    moved = ep(2, D(2025, 6, 2), D(2025, 7, 1), rne="P", rec="X1")
    due = due_of([FIRST, moved, status], D(2025, 7, 2), placement_plans=[2], placement_notices=[2])
    assert "lac-placement-plan" not in due  # the plan of 2 June covers the placement
    assert "lac-placement-notice-emergency" not in due


@pytest.mark.parametrize(("place", "needed"), [("T1", False), ("T2", False), ("T4", True)])
def test_a_hospital_stay_or_a_holiday_is_not_a_new_placement(place: str, needed: bool) -> None:
    moved = ep(2, D(2025, 6, 2), rne="P", place=place)
    due = due_of([FIRST, moved], D(2025, 6, 3))
    assert ("lac-placement-plan" in due) is needed
    assert ("lac-placement-notice-emergency" in due) is needed


def test_no_placement_plan_timescale_for_a_placement_made_before_april_2011() -> None:
    assert rules.PLACEMENT_PLAN.applies_from == D(2011, 4, 1)
    before = due_of([ep(1, D(2011, 3, 31))], D(2011, 4, 1))
    assert "lac-placement-plan" not in before
    from_april = due_of([ep(1, D(2011, 4, 1))], D(2011, 4, 2))
    # Friday 1 April 2011: 5 working days is Friday 8 April.
    assert from_april["lac-placement-plan"].timeliness.due_date == D(2011, 4, 8)


def _plan(episode: int, day: D) -> PlacementPlan:
    return PlacementPlan(episode_id=episode, agreed_on=day, agreed_with="Carer", summary="s")


def _notice(episode: int, day: D, *, emergency: bool) -> PlacementNotice:
    return PlacementNotice(episode_id=episode, given_on=day, emergency=emergency, given_to=[])


def test_the_recorded_plan_and_notice_are_judged_by_the_rule_for_the_placement() -> None:
    moved = period(FIRST, MOVED)
    paperwork = derive.placement_paperwork(
        moved,
        [_plan(1, D(2025, 3, 4)), _plan(2, D(2025, 6, 10))],
        [_notice(2, D(2025, 6, 9), emergency=True)],
        D(2025, 7, 1),
    )
    assert paperwork.needed
    assert paperwork.plan is not None
    assert paperwork.plan.agreed_on == D(2025, 6, 10)
    assert paperwork.plan_timeliness is not None
    assert paperwork.plan_timeliness.status is TimelinessStatus.COMPLETED_LATE
    assert paperwork.notice_timeliness is not None
    assert paperwork.notice_timeliness.status is TimelinessStatus.COMPLETED_ON_TIME
    # A planned placement's notice is due before it: given a day after is late.
    planned = derive.placement_paperwork(
        moved, [], [_notice(2, D(2025, 6, 3), emergency=False)], D(2025, 7, 1)
    )
    assert planned.plan is None
    assert planned.plan_timeliness is None
    assert planned.notice_timeliness is not None
    assert planned.notice_timeliness.status is TimelinessStatus.COMPLETED_LATE
    on_the_day = derive.placement_paperwork(
        moved, [], [_notice(2, D(2025, 6, 2), emergency=False)], D(2025, 7, 1)
    )
    assert on_the_day.notice_timeliness is not None
    assert on_the_day.notice_timeliness.status is TimelinessStatus.COMPLETED_ON_TIME


def test_the_new_rules_say_where_they_come_from_and_how_sure() -> None:
    assert "regulation 9(2)" in rules.PLACEMENT_PLAN.source
    assert rules.PLACEMENT_PLAN.certainty is Certainty.UNCHECKED
    assert "Unverified" in rules.PLACEMENT_PLAN.certainty_note
    assert "regulation 13(1)" in rules.PLACEMENT_NOTICE_EMERGENCY.source
    assert rules.PLACEMENT_NOTICE_EMERGENCY.certainty is Certainty.CHECKED
    assert "regulation 28(5)(a)" in rules.VISIT_CARE_ORDER_WITH_PARENT.source
    assert rules.VISIT_CARE_ORDER_WITH_PARENT.certainty is Certainty.CHECKED
    for rule in (
        rules.SHORT_BREAK_REVIEW_FIRST,
        rules.SHORT_BREAK_REVIEW,
        rules.SHORT_BREAK_VISIT_FIRST,
        rules.SHORT_BREAK_VISIT,
    ):
        assert "regulation 48" in rule.source
        assert rule.certainty is Certainty.UNCHECKED
        assert "Unverified" in rule.certainty_note
        assert CATALOGUE.get(rule.code) is rule


# --- A care order made while the child lives with a parent (CPPCR reg 28(5)) ----------------


def _with_parent(*later: Episode) -> list[Episode]:
    """On an interim care order at home with a parent from 3 March 2025."""
    first = ep(1, D(2025, 3, 3), ls="C1", place="P1")
    if later:
        first.end_date, first.reason_episode_ceased = later[0].start_date, "X1"
    return [first, *later]


def test_a_care_order_made_while_living_with_a_parent_makes_a_visit_due_within_a_week() -> None:
    order = ep(2, D(2025, 5, 7), rne="L", ls="C2", place="P1")
    episodes = _with_parent(order)
    # Seen weekly under the interim order, last on 2 May, and a review on 20 March.
    reviews = [review(D(2025, 3, 20))]
    due = derive.next_visit(period(*episodes), [D(2025, 5, 2)], reviews, D(2025, 5, 8))
    assert due.rule is rules.VISIT_CARE_ORDER_WITH_PARENT
    assert due.timeliness.due_date == D(2025, 5, 14)  # a week after the order
    # Seen after the order: then every six weeks.
    due = derive.next_visit(
        period(*episodes), [D(2025, 5, 2), D(2025, 5, 9)], reviews, D(2025, 5, 10)
    )
    assert due.rule is rules.VISIT_FIRST_YEAR
    assert due.timeliness.due_date == D(2025, 6, 20)


def test_an_overdue_visit_before_the_order_stays_the_one_due() -> None:
    order = ep(2, D(2025, 5, 7), rne="L", ls="C2", place="P1")
    # Last seen 25 March: six-weekly with a parent under the care order, so due 6 May,
    # before the week after the order (14 May).
    due = derive.next_visit(
        period(*_with_parent(order)), [D(2025, 3, 25)], [review(D(2025, 3, 20))], D(2025, 5, 8)
    )
    assert due.rule is rules.VISIT_FIRST_YEAR
    assert due.timeliness.due_date == D(2025, 5, 6)
    assert due.timeliness.status is TimelinessStatus.OVERDUE


def test_a_care_order_in_foster_care_or_before_the_placement_is_not_this_rule() -> None:
    fostered = [
        ep(1, D(2025, 3, 3), D(2025, 5, 7), ls="C1", rec="X1"),
        ep(2, D(2025, 5, 7), rne="L"),
    ]
    due = derive.next_visit(period(*fostered), [D(2025, 5, 2)], [], D(2025, 5, 8))
    assert due.rule is not rules.VISIT_CARE_ORDER_WITH_PARENT
    # The order on 7 May, then home to a parent on 1 July: the placement's own first visit.
    home = [
        ep(1, D(2025, 3, 3), D(2025, 5, 7), ls="C1", rec="X1"),
        ep(2, D(2025, 5, 7), D(2025, 7, 1), rne="L", rec="X1"),
        ep(3, D(2025, 7, 1), rne="P", place="P1"),
    ]
    due = derive.next_visit(period(*home), [D(2025, 6, 30)], [], D(2025, 7, 2))
    assert due.rule is rules.VISIT_FIRST
    assert due.timeliness.due_date == D(2025, 7, 8)


# --- Short breaks (CPPCR reg 48) ----------------------------------------------------------------


def _break(pk: int, start: D, days: int = 4, ls: str = "V3") -> Episode:
    return ep(pk, start, start + datetime.timedelta(days=days), ls=ls, rec="E13")


BREAKS = [_break(1, D(2025, 1, 6)), _break(2, D(2025, 3, 3)), _break(3, D(2025, 6, 2))]


def test_a_series_of_short_breaks_has_its_own_reviews() -> None:
    periods = derive.periods_of_care(BREAKS)
    series = derive.short_breaks_on(periods, D(2025, 2, 1))  # between breaks
    assert series is not None
    assert series.start_date == D(2025, 1, 6)
    first = derive.next_short_break_review(series, [], D(2025, 2, 1))
    assert first.rule is rules.SHORT_BREAK_REVIEW_FIRST
    assert first.timeliness.due_date == D(2025, 4, 6)  # 3 months from the first break
    held = [review(D(2025, 3, 31))]
    later = derive.next_short_break_review(series, held, D(2025, 4, 1))
    assert later.rule is rules.SHORT_BREAK_REVIEW
    assert later.timeliness.due_date == D(2025, 9, 30)  # then every 6 months
    [(_, on_time)] = derive.reviews_with_timeliness(periods, held, D(2025, 4, 1))
    assert on_time.status is TimelinessStatus.COMPLETED_ON_TIME


def test_short_break_visits_count_only_on_days_of_a_break() -> None:
    series = derive.short_breaks_on(derive.periods_of_care(BREAKS), D(2025, 6, 3))
    assert series is not None
    first = derive.next_short_break_visit(series, [D(2025, 2, 1)], D(2025, 6, 3))
    assert first.rule is rules.SHORT_BREAK_VISIT_FIRST  # 1 February: not on a break
    assert first.timeliness.due_date == D(2025, 4, 6)
    assert first.timeliness.status is TimelinessStatus.OVERDUE
    later = derive.next_short_break_visit(series, [D(2025, 3, 4)], D(2025, 6, 3))
    assert later.rule is rules.SHORT_BREAK_VISIT
    assert later.timeliness.due_date == D(2025, 9, 4)


def test_short_breaks_make_a_review_and_a_visit_due_and_nothing_else() -> None:
    due = due_of(BREAKS, D(2025, 2, 1))
    assert set(due) == {"lac-review-short-breaks-first", "lac-visit-short-breaks-first"}


def test_a_series_lapses_12_months_after_its_latest_break() -> None:
    periods = derive.periods_of_care(BREAKS)
    assert derive.short_breaks_on(periods, D(2026, 6, 6)) is not None
    assert derive.short_breaks_on(periods, D(2026, 6, 7)) is None
    assert due_of(BREAKS, D(2026, 6, 7)) == {}
    # A break 13 months after the last starts a new series.
    again = [*BREAKS, _break(4, D(2026, 7, 6))]
    series = derive.short_breaks_on(derive.periods_of_care(again), D(2026, 7, 20))
    assert series is not None
    assert series.start_date == D(2026, 7, 6)


def test_looked_after_in_the_usual_way_ends_the_series() -> None:
    usual = ep(4, D(2025, 7, 1), D(2025, 8, 1), ls="V2", rec="E13")
    periods = derive.periods_of_care([*BREAKS, usual])
    assert derive.short_breaks_on(periods, D(2025, 7, 10)) is None  # the usual rules apply
    assert derive.short_breaks_on(periods, D(2025, 8, 10)) is None  # and no break since
    assert "lac-review-first" in due_of([*BREAKS, usual], D(2025, 7, 10))
    again = [*BREAKS, usual, _break(5, D(2025, 9, 1))]
    series = derive.short_breaks_on(derive.periods_of_care(again), D(2025, 9, 2))
    assert series is not None
    assert series.start_date == D(2025, 9, 1)


# --- The rule in force when it happened: the first review before and after April 2011 --------


@pytest.mark.parametrize(
    ("start", "rule", "due"),
    [
        # The 1991 regulations: four weeks from Thursday 31 March 2011.
        (D(2011, 3, 31), rules.REVIEW_FIRST_1991, D(2011, 4, 28)),
        # The 2010 regulations: 20 working days from Friday 1 April 2011, over Good Friday,
        # Easter Monday, the royal wedding (29 April) and the early May bank holiday.
        (D(2011, 4, 1), rules.REVIEW_FIRST, D(2011, 5, 5)),
    ],
)
def test_the_first_review_is_due_by_the_rule_in_force_when_care_began(
    start: D, rule: Any, due: D
) -> None:
    next_due = derive.next_review(period(ep(1, start)), [], start)
    assert next_due.rule is rule
    assert next_due.timeliness.due_date == due
    later = D(2011, 6, 1)
    [(_, judged)] = derive.review_timeliness(period(ep(1, start)), [review(due)], later)
    assert judged.status is TimelinessStatus.COMPLETED_ON_TIME
    [(_, late)] = derive.review_timeliness(
        period(ep(1, start)), [review(due + datetime.timedelta(days=1))], later
    )
    assert late.status is TimelinessStatus.COMPLETED_LATE


def test_a_second_review_after_a_first_before_april_2011_is_judged_by_the_1991_rule() -> None:
    due = derive.next_review(period(ep(1, D(2011, 3, 1))), [review(D(2011, 3, 25))], D(2011, 4, 2))
    assert due.rule is rules.REVIEW_SECOND_1991
    assert due.timeliness.due_date == D(2011, 6, 25)
    due = derive.next_review(period(ep(1, D(2011, 3, 1))), [review(D(2011, 4, 1))], D(2011, 4, 2))
    assert due.rule is rules.REVIEW_SECOND


# --- The IRO asks for an earlier review (CPPCR reg 33(3)(a)) ---------------------------------


def test_the_next_review_is_due_by_the_earlier_of_the_rule_and_the_iros_date() -> None:
    care = period(ep(1, D(2025, 1, 6)))
    held = [review(D(2025, 1, 31))]  # the second is due 30 April
    asked = [derive.ReviewRequest(requested_on=D(2025, 2, 10), review_by=D(2025, 3, 14))]
    due = derive.next_review(care, held, D(2025, 2, 11), asked)
    assert due.timeliness.due_date == D(2025, 3, 14)
    assert due.rule is rules.REVIEW_SECOND
    assert due.title == "Looked-after review (brought forward by the IRO)"
    # A date later than the rule's changes nothing; nor does a request the last review met.
    later = [derive.ReviewRequest(requested_on=D(2025, 2, 10), review_by=D(2025, 6, 1))]
    assert derive.next_review(care, held, D(2025, 2, 11), later).timeliness.due_date == D(
        2025, 4, 30
    )
    met = [derive.ReviewRequest(requested_on=D(2025, 1, 20), review_by=D(2025, 1, 31))]
    assert derive.next_review(care, held, D(2025, 2, 11), met).timeliness.due_date == D(2025, 4, 30)
    # A review held after the IRO's date was late.
    judged = derive.review_timeliness(care, [*held, review(D(2025, 3, 20))], D(2025, 4, 1), asked)
    assert [t.status for _, t in judged] == [
        TimelinessStatus.COMPLETED_ON_TIME,
        TimelinessStatus.COMPLETED_LATE,
    ]


def test_the_care_dates_carry_the_iros_requests_into_the_due_work() -> None:
    asked = [derive.ReviewRequest(requested_on=D(2025, 1, 8), review_by=D(2025, 1, 20))]
    due = due_of([ep(1, D(2025, 1, 6))], D(2025, 1, 9), review_requests=asked)
    assert due["lac-review-first"].timeliness.due_date == D(2025, 1, 20)
