"""Each indicator on a hand-built cohort, with the boundary cases its definition names."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from caseline.apps.indicators.engine import Context, Result, compute
from caseline.apps.indicators.measures import (
    assessment,
    front_door,
    looked_after,
    protection,
    workforce,
)
from caseline.apps.indicators.periods import AUTHORITY, PeriodKind, make_period
from caseline.apps.indicators.tests.builders import Record
from caseline.apps.people.models import Person
from caseline.apps.protection.models import ProtectionHistory
from tests.factories import AllocationFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db
D = datetime.date
AS_AT = D(2026, 3, 31)  # the end of collection year 2026 (1 April 2025 to 31 March 2026)


def run(indicator: object, as_at: datetime.date = AS_AT, kind: str = "collection-year") -> Result:
    from caseline.apps.indicators.engine import Indicator

    assert isinstance(indicator, Indicator)
    return compute(indicator, Context(as_at, make_period(kind, as_at)), AUTHORITY)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def record() -> Record:
    return Record()


def test_assessments_45_against_46_working_days_across_a_bank_holiday(record: Record) -> None:
    # From Monday 21 July 2025, the 45th working day is Tuesday 23 September (the summer bank
    # holiday, 25 August, is not one): authorised then is in time, a day later is not.
    on_time, late, same_day = record.child(), record.child(), record.child()
    record.assessment(on_time, D(2025, 7, 21), D(2025, 9, 23))
    record.assessment(late, D(2025, 7, 21), D(2025, 9, 24))
    record.assessment(same_day, D(2025, 10, 1), D(2025, 10, 1))
    record.assessment(record.child(), D(2025, 3, 1), D(2025, 3, 20))  # authorised last year
    result = run(assessment.AUTHORISED_IN_TIME)
    assert (result.numerator, result.denominator, result.value) == (2, 3, 66.7)
    assert result.numerator_ids == {on_time.pk, same_day.pk}
    assert result.denominator_ids == {on_time.pk, late.pk, same_day.pk}
    assert result.groups() == [("0 (same day)", 1, 1), ("41 to 45", 1, 1), ("46 to 50", 0, 1)]
    late_row = next(row for row in result.rows if row.person_id == late.pk)
    assert dict(late_row.decided_by)["Working days"] == 46


def test_as_at_a_past_date_gives_that_days_figures(record: Record) -> None:
    child = record.child()
    record.assessment(child, D(2025, 7, 21), D(2025, 9, 24))
    # As at 31 August 2025 the assessment was open, 28 working days in; authorisation is
    # not yet known.
    open_then = run(assessment.OPEN_PAST_LIMIT, as_at=D(2025, 8, 31))
    assert (open_then.numerator, open_then.denominator) == (0, 1)
    assert run(assessment.AUTHORISED_IN_TIME, as_at=D(2025, 8, 31)).denominator == 0
    # As at 23 September (the 45th working day) it was open and not yet past the limit; as at
    # the 24th it had been authorised, so it is no longer open, and it counts as late.
    then = run(assessment.OPEN_PAST_LIMIT, as_at=D(2025, 9, 23))
    assert (then.numerator, then.denominator) == (0, 1)
    assert run(assessment.OPEN_PAST_LIMIT, as_at=D(2025, 9, 24)).denominator == 0
    authorised = run(assessment.AUTHORISED_IN_TIME, as_at=D(2025, 9, 24))
    assert (authorised.numerator, authorised.denominator) == (0, 1)


def test_an_open_assessment_past_45_working_days(record: Record) -> None:
    child = record.child()
    record.assessment(child, D(2025, 7, 21))
    assert run(assessment.OPEN_PAST_LIMIT, as_at=D(2025, 9, 23)).numerator == 0
    result = run(assessment.OPEN_PAST_LIMIT, as_at=D(2025, 9, 24))
    assert (result.numerator, result.denominator) == (1, 1)
    assert dict(result.rows[0].decided_by)["45th working day"] == D(2025, 9, 23)


def test_conferences_within_15_working_days_from_a_friday(record: Record) -> None:
    # An enquiry started on Friday 19 December 2025: Monday 22 is day 1, and with Christmas,
    # Boxing Day and New Year's Day the 15th working day is Wednesday 14 January 2026.
    in_time, late = record.child(), record.child()
    record.conference(in_time, D(2026, 1, 14), enquiry=record.enquiry(in_time, D(2025, 12, 19)))
    record.conference(late, D(2026, 1, 15), enquiry=record.enquiry(late, D(2025, 12, 19)))
    before = record.child()  # a conference dated before its enquiry has no duration
    record.conference(before, D(2025, 6, 1), enquiry=record.enquiry(before, D(2025, 6, 2)))
    result = run(protection.CONFERENCES_IN_TIME)
    assert (result.numerator, result.denominator) == (1, 2)
    assert result.groups() == [("11 to 15", 1, 1), ("16 to 20", 0, 1)]
    late_row = dict(next(r for r in result.rows if r.person_id == late.pk).decided_by)
    assert late_row["Conference due"] == D(2026, 1, 14)
    assert late_row["Working days late"] == 1


def test_enquiries_by_outcome_as_at_the_date(record: Record) -> None:
    child = record.child()
    record.enquiry(child, D(2025, 5, 1), outcome="nfa", completed_on=D(2025, 5, 20))
    then = run(protection.ENQUIRIES, as_at=D(2025, 5, 10))
    assert then.groups() == [("Not yet completed", 1, 1)]
    later = run(protection.ENQUIRIES)
    assert later.groups()[0][0].startswith("No further action")


def test_plans_lasting_two_years_at_their_end(record: Record) -> None:
    exactly, short = record.child(), record.child()
    record.plan(exactly, D(2024, 4, 1), D(2026, 4, 1))  # ends after the year: not counted
    record.plan(exactly, D(2023, 6, 1), D(2025, 6, 1))  # exactly two years: 731 days
    record.plan(short, D(2023, 6, 2), D(2025, 6, 1))  # a day short of two years: 730 days
    record.plan(short, D(2023, 6, 3), D(2025, 6, 1))  # 729 days
    result = run(protection.PLANS_TWO_YEARS)
    assert (result.numerator, result.denominator) == (2, 3)
    assert sorted(int(str(dict(r.decided_by)["Days"])) for r in result.rows) == [729, 730, 731]


def test_second_or_later_plans_ever_and_within_two_years(record: Record) -> None:
    first, again, recent, before_caseline = (record.child() for _ in range(4))
    record.plan(first, D(2025, 6, 1))
    record.plan(again, D(2019, 1, 1), D(2020, 1, 1))
    record.plan(again, D(2025, 6, 1))
    record.plan(recent, D(2024, 1, 1), D(2024, 7, 1))
    record.plan(recent, D(2025, 6, 1))
    ProtectionHistory.objects.create(
        person=before_caseline, plans_before_caseline=1, recorded_by=record.user
    )
    record.plan(before_caseline, D(2025, 6, 1))
    ever = run(protection.SECOND_PLANS)
    assert (ever.numerator, ever.denominator) == (3, 4)
    assert ever.numerator_ids == {again.pk, recent.pk, before_caseline.pk}
    within = run(protection.SECOND_PLANS_TWO_YEARS)
    assert within.numerator_ids == {recent.pk}


def test_plans_by_category(record: Record) -> None:
    record.plan(record.child(), D(2025, 6, 1), category="NEG")
    record.plan(record.child(), D(2025, 7, 1), category="NEG")
    record.plan(record.child(), D(2025, 8, 1), category="EMO")
    result = run(protection.PLANS_BY_CATEGORY)
    assert (result.numerator, result.denominator, result.value) == (3, None, 3.0)
    assert result.groups() == [("EMO", 1, 1), ("NEG", 2, 2)]


def test_contacts_decided_within_one_working_day(record: Record) -> None:
    # Received on Thursday 17 April 2025 (before Easter): due on Tuesday 22 April.
    on_time, late, waiting = record.child(), record.child(), record.child()
    record.contact(on_time, at(D(2025, 4, 17)), at(D(2025, 4, 22), 16))
    record.contact(late, at(D(2025, 4, 17)), at(D(2025, 4, 23)))
    record.contact(waiting, at(D(2026, 3, 31)))  # still within its working day
    result = run(front_door.CONTACTS_DECIDED_IN_TIME)
    assert (result.numerator, result.denominator) == (1, 2)
    assert result.numerator_ids == {on_time.pk}
    row = dict(result.rows[0].decided_by)
    assert row["Decision due"] == D(2025, 4, 22)


def test_a_contact_s_days_are_the_days_in_england(record: Record) -> None:
    # Received at 23:30 UTC on Friday 6 June 2025, half past midnight on Saturday in summer
    # time: due Monday 9 June. Decided at 23:30 UTC that Monday, half past midnight on
    # Tuesday in England: late (by UTC days it would have been on time).
    child = record.child()
    friday_night = datetime.datetime(2025, 6, 6, 23, 30, tzinfo=datetime.UTC)
    record.contact(child, friday_night, friday_night + datetime.timedelta(days=3))
    result = run(front_door.CONTACTS_DECIDED_IN_TIME)
    assert (result.numerator, result.denominator) == (0, 1)
    row = dict(result.rows[0].decided_by)
    assert (row["Contact received"], row["Decision due"], row["Decided"]) == (
        D(2025, 6, 7),
        D(2025, 6, 9),
        D(2025, 6, 10),
    )


def test_re_referrals_within_12_months(record: Record) -> None:
    twelve, thirteen, once = record.child(), record.child(), record.child()
    record.referral(twelve, D(2024, 9, 1), nfa=True, closed_on=D(2024, 9, 1))
    record.referral(twelve, D(2025, 9, 1))  # 12 months to the day: a re-referral
    record.referral(thirteen, D(2024, 8, 31), closed_on=D(2024, 10, 1))
    record.referral(thirteen, D(2025, 9, 1))  # 12 months and a day
    record.referral(once, D(2025, 5, 1))
    result = run(front_door.RE_REFERRALS)
    assert (result.numerator, result.denominator) == (1, 3)
    assert result.numerator_ids == {twelve.pk}
    assert run(front_door.REFERRALS).numerator == 3


def test_children_starting_and_ceasing_by_legal_status_and_age(record: Record) -> None:
    baby = record.child(born=D(2025, 1, 10))
    record.episode(baby, D(2025, 6, 1), legal_status="V2")
    teen = record.child(born=D(2009, 6, 1))
    record.episode(teen, D(2023, 1, 1), end_date=D(2025, 12, 1))
    breaks = record.child()
    record.episode(breaks, D(2025, 7, 1), legal_status="V3", end_date=D(2025, 7, 3))
    assert run(looked_after.STARTED).groups() == [("V2, Under 1", 1, 1)]
    assert run(looked_after.CEASED).groups() == [("C2, 16 and over", 1, 1)]


def _moves(record: Record, child: Person, days: list[datetime.date], **last: str) -> None:
    """Episodes from each day to the next, a new placement each (the last still open)."""
    for n, day in enumerate(days):
        end = days[n + 1] if n + 1 < len(days) else None
        fields: dict[str, object] = {"reason_new_episode": "S" if n == 0 else "P"}
        if end is not None:
            fields.update(end_date=end, reason_episode_ceased="X1")
        if n == len(days) - 1:
            fields.update(last)
        record.episode(child, day, **fields)


def test_three_placements_where_the_third_is_a_short_break_or_adoption(record: Record) -> None:
    three, short_break, adoption, overnight = (record.child() for _ in range(4))
    _moves(record, three, [D(2025, 1, 1), D(2025, 6, 1), D(2025, 9, 1)])
    # A short break in April, then care from June with two placements: the short break is
    # not a third placement.
    record.episode(
        short_break, D(2025, 4, 5), legal_status="V3", placement_type="P1",
        end_date=D(2025, 4, 7), reason_episode_ceased="E13",
    )  # fmt: skip
    _moves(record, short_break, [D(2025, 6, 1), D(2025, 9, 1)])
    # The third is the move to adoption with the current foster carers: not a change.
    _moves(record, adoption, [D(2025, 1, 1), D(2025, 6, 1), D(2025, 9, 1)], placement_type="A5")
    # A placement of less than a day is not one.
    _moves(record, overnight, [D(2025, 1, 1), D(2025, 6, 1), D(2025, 6, 1)])
    result = run(looked_after.THREE_PLACEMENTS)
    assert result.numerator_ids == {three.pk}
    counts = {r.person_id: dict(r.decided_by)["Placements in the year"] for r in result.rows}
    assert counts == {three.pk: 3, short_break.pk: 2, adoption.pk: 2, overnight.pk: 2}


def test_long_term_stability(record: Record) -> None:
    stable = record.child(born=D(2015, 1, 1))
    _moves(record, stable, [D(2022, 1, 1), D(2023, 3, 31)])
    moved = record.child(born=D(2015, 1, 1))
    _moves(record, moved, [D(2022, 1, 1), D(2024, 4, 1)])
    sixteen = record.child(born=D(2010, 3, 31))  # 16 on the last day: left out
    _moves(record, sixteen, [D(2020, 1, 1)])
    recent = record.child()
    _moves(record, recent, [D(2024, 1, 1)])  # under 2.5 years: left out
    result = run(looked_after.LONG_TERM)
    assert result.denominator_ids == {stable.pk, moved.pk}
    assert result.numerator_ids == {stable.pk}


def test_oc2_health_measures(record: Record) -> None:
    young, older, arrived = record.child(born=D(2023, 1, 1)), record.child(), record.child()
    record.episode(young, D(2024, 1, 1))
    record.episode(older, D(2024, 1, 1))
    record.episode(arrived, D(2025, 6, 1))  # not looked after for the whole 12 months
    record.health(young, "rha", D(2025, 6, 1))
    record.health(young, "development", D(2025, 6, 1))
    record.health(older, "rha", D(2025, 6, 1))
    record.health(older, "dental", D(2025, 7, 1))
    record.health(older, "immunisations", D(2025, 7, 1), immunisations_up_to_date=True)
    by_code = {i.code: i for i in looked_after.OC2_INDICATORS}
    health = run(by_code["HE1"])
    assert health.numerator_ids == {older.pk}
    assert health.denominator_ids == {young.pk, older.pk}
    assert run(by_code["HE2"]).numerator_ids == {older.pk}
    assert run(by_code["HE3"]).numerator_ids == {older.pk}
    development = run(by_code["HE4"])
    assert development.numerator_ids == development.denominator_ids == {young.pk}


def test_care_leavers_whose_19th_birthday_falls_in_the_year(record: Record) -> None:
    nineteen = record.child(born=D(2006, 9, 1))  # 19 on 1 September 2025
    record.episode(nineteen, D(2021, 1, 1), end_date=D(2024, 9, 1), reason_episode_ceased="E8")
    record.keeping_in_touch(nineteen, D(2025, 9, 10), activity="G5", accommodation_suitable=False)
    twenty = record.child(born=D(2005, 10, 1))
    record.episode(twenty, D(2020, 1, 1), end_date=D(2023, 10, 1), reason_episode_ceased="E8")
    record.keeping_in_touch(twenty, D(2025, 10, 1))
    by_code = {i.code: i for i in looked_after.CARE_LEAVER_INDICATORS}
    touch, eet, accommodation = (run(by_code[c]) for c in ("CL1", "CL2", "CL3"))
    assert touch.denominator_ids == {nineteen.pk, twenty.pk}
    assert touch.numerator_ids == {nineteen.pk, twenty.pk}
    assert eet.numerator_ids == {twenty.pk}
    assert accommodation.numerator_ids == {twenty.pk}
    assert touch.groups() == [("Aged 19", 2 - 1, 1), ("Aged 20", 1, 1)]


def test_caseloads_and_scopes(record: Record) -> None:
    north = TeamFactory.create(name="North", service="assessment")
    south = TeamFactory.create(name="South", service="looked-after")
    wren = UserFactory.create(username="wren", first_name="Wren", last_name="Hale", team=north)
    children = [record.child() for _ in range(3)]
    AllocationFactory.create(person=children[0], team=north, worker=wren, start_date=D(2025, 1, 1))
    AllocationFactory.create(person=children[1], team=north, start_date=D(2025, 1, 1))
    AllocationFactory.create(
        person=children[2], team=south, start_date=D(2025, 1, 1), end_date=D(2025, 6, 1)
    )
    teams = run(workforce.CASELOAD_TEAM)
    assert teams.groups() == [("North", 2, 2)]
    assert run(workforce.CASELOAD_TEAM, as_at=D(2025, 5, 1)).groups() == [
        ("North", 2, 2),
        ("South", 1, 1),
    ]
    assert run(workforce.CASELOAD_WORKER).groups() == [("Wren Hale", 1, 1)]
    from caseline.apps.indicators.periods import Scope, ScopeKind

    context = Context(AS_AT, make_period(PeriodKind.COLLECTION_YEAR, AS_AT))
    south_scope = Scope(ScopeKind.TEAM, south.pk, "South")
    # Closed before the as-at date: the child's last team is still South's.
    assert compute(workforce.CASELOAD_TEAM, context, south_scope).numerator == 0
    assessment = Scope(ScopeKind.SERVICE, None, "Assessment", service="assessment")
    assert compute(workforce.CASELOAD_TEAM, context, assessment).numerator == 2
    in_care = Scope(ScopeKind.SERVICE, None, "Children in care", service="looked-after")
    assert compute(workforce.CASELOAD_TEAM, context, in_care).numerator == 0
    worker_scope = Scope(ScopeKind.WORKER, wren.pk, "Wren Hale")
    assert compute(workforce.CASELOAD_TEAM, context, worker_scope).numerator_ids == {children[0].pk}


def test_plans_whose_reviews_were_all_in_timescale(record: Record) -> None:
    on_time, first_late, overdue, new, short = (record.child() for _ in range(5))
    plan = record.plan(on_time, D(2025, 8, 31))
    record.conference(on_time, D(2025, 11, 30), kind="review", plan=plan)  # 3 months to the day
    record.conference(on_time, D(2026, 2, 28), kind="review", plan=plan)
    late_plan = record.plan(first_late, D(2025, 6, 1))
    record.conference(first_late, D(2025, 9, 2), kind="review", plan=late_plan)  # a day late
    record.plan(overdue, D(2025, 11, 1))  # first review due 1 February: none held
    record.plan(new, D(2025, 12, 31))  # 3 months on 31 March: due that day, not yet late
    record.plan(short, D(2026, 1, 1))  # under 3 months: left out
    result = run(protection.REVIEWS_IN_TIMESCALE)
    assert result.denominator_ids == {on_time.pk, first_late.pk, overdue.pk, new.pk}
    assert result.numerator_ids == {on_time.pk, new.pk}
    late_row = next(r for r in result.rows if r.person_id == first_late.pk)
    assert dict(late_row.decided_by)["First review late (due)"] == D(2025, 9, 1)


def test_placements_far_from_home_and_out_of_area(record: Record) -> None:
    far, near, unknown = record.child(), record.child(), record.child()
    record.episode(far, D(2025, 1, 1), distance_from_home="20.1", area="OUT")
    record.episode(near, D(2025, 1, 1), distance_from_home="20.0", area="IN")
    record.episode(unknown, D(2025, 1, 1))
    miles = run(looked_after.FAR_FROM_HOME)
    assert miles.numerator_ids == {far.pk}
    assert miles.denominator_ids == {far.pk, near.pk}
    area = run(looked_after.OUT_OF_AREA)
    assert area.numerator_ids == {far.pk}
    assert area.denominator_ids == {far.pk, near.pk}


def test_return_interviews_and_sdq_bands(record: Record) -> None:
    from caseline.apps.lookedafter.models import MissingEpisode

    child = record.child(born=D(2012, 1, 1))
    record.episode(child, D(2023, 1, 1))
    for start, offered in ((D(2025, 5, 1), True), (D(2025, 6, 1), False)):
        MissingEpisode.objects.create(
            person=child, missing_type="M", start_date=start, end_date=start,
            return_interview_offered=offered, recorded_by=record.user,
        )  # fmt: skip
    interviews = run(looked_after.RETURN_INTERVIEWS)
    assert (interviews.numerator, interviews.denominator) == (1, 2)
    record.health(child, "sdq", D(2025, 9, 1), sdq_score=15)
    sdq = run(looked_after.SDQ)
    assert sdq.groups() == [("14 to 16 (borderline)", 1, 1)]


def _population(record: Record, count: int) -> None:
    """``count`` children with a referral, an assessment, a plan and a period of care."""
    for _ in range(count):
        child = record.child()
        record.assessment(child, D(2025, 7, 21), D(2025, 9, 23))
        record.plan(child, D(2025, 6, 1))
        record.episode(child, D(2024, 1, 1))
        record.health(child, "rha", D(2025, 6, 1))


def test_the_whole_set_makes_the_same_queries_however_many_children(record: Record) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from caseline.apps.indicators.catalogue import INDICATORS
    from caseline.apps.indicators.engine import compute_all

    counts = []
    for size in (3, 9):
        _population(record, size)
        context = Context(AS_AT, make_period(PeriodKind.COLLECTION_YEAR, AS_AT))
        with CaptureQueriesContext(connection) as queries:
            results = compute_all(INDICATORS, context, AUTHORITY)
        counts.append(len(queries))
        assert next(r for r in results if r.indicator.code == "AS1").denominator == (
            3 if size == 3 else 12
        )
    assert counts[0] == counts[1]
    # With the wider service's five indicators, and six for LD1 to CO4: the allegations
    # received (LD1, LD2, LD4) and concluded, the LADO standards, the complaint stages started
    # and completed (CO2, CO3), the complaints received; and PA1 to PA4's care leavers, whose
    # dates of birth are read once for the four.
    assert counts[0] <= 70


def test_conversion_from_contact_to_referral_to_assessment(record: Record) -> None:
    referred, advised = record.child(), record.child()
    record.contact(referred, at(D(2025, 5, 1)), at(D(2025, 5, 1)), decision="referral")
    record.contact(advised, at(D(2025, 5, 1)), at(D(2025, 5, 2)), decision="advice")
    assert run(front_door.CONTACTS_TO_REFERRAL).numerator_ids == {referred.pk}
    record.referral(advised, D(2025, 6, 1))
    record.assessment(referred, D(2025, 6, 3))  # makes its own referral that day
    conversion = run(front_door.REFERRALS_TO_ASSESSMENT)
    assert (conversion.numerator_ids, conversion.denominator) == (frozenset({referred.pk}), 2)
    as_at_then = run(front_door.REFERRALS_TO_ASSESSMENT, as_at=D(2025, 6, 2))
    assert as_at_then.numerator == 0


def test_iro_caseloads(record: Record) -> None:
    from caseline.apps.lookedafter.models import IROAllocation

    iro = UserFactory.create(username="iro", first_name="Ira", last_name="Reed")
    for child in (record.child(), record.child()):
        IROAllocation.objects.create(
            person=child, iro=iro, start_date=D(2025, 1, 1), recorded_by=record.user
        )
    assert run(workforce.CASELOAD_IRO).groups() == [("Ira Reed", 2, 2)]


def test_a_child_whose_care_ended_on_31_march_is_not_looked_after_at_31_march(
    record: Record,
) -> None:
    ended, staying = record.child(), record.child()
    record.episode(ended, D(2025, 1, 1), end_date=D(2026, 3, 31))
    record.episode(staying, D(2025, 1, 1), end_date=D(2026, 4, 1))  # after the as-at date
    assert run(looked_after.THREE_PLACEMENTS).denominator_ids == {staying.pk}
