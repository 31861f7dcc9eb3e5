"""The adoption, conversion, review, visit, UASC, pathway plan and workforce indicators on
hand-built cohorts, with the boundary cases their definitions name."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from caseline.apps.cin.models import CINPlan
from caseline.apps.indicators.engine import Context, Kind, Result, compute, compute_all
from caseline.apps.indicators.measures import adoption, assessment, looked_after, workforce
from caseline.apps.indicators.periods import AUTHORITY, make_period
from caseline.apps.indicators.tests.builders import Record
from caseline.apps.lookedafter.models import (
    AdoptionDecision,
    LACReview,
    LACVisit,
    PathwayPlan,
    UASCDetails,
)
from caseline.apps.people.models import Person
from tests.factories import AllocationFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db
D = datetime.date
AS_AT = D(2026, 3, 31)  # the end of collection year 2026


def run(indicator: object, as_at: datetime.date = AS_AT, kind: str = "collection-year") -> Result:
    from caseline.apps.indicators.engine import Indicator

    assert isinstance(indicator, Indicator)
    return compute(indicator, Context(as_at, make_period(kind, as_at)), AUTHORITY)


def row_of(result: Result, person: Person) -> dict[str, object]:
    return dict(next(r for r in result.rows if r.person_id == person.pk).decided_by)


@pytest.fixture
def record() -> Record:
    return Record()


def _decision(record: Record, child: Person, **fields: Any) -> AdoptionDecision:
    return AdoptionDecision.objects.create(
        person=child, decided_on=D(2023, 3, 1), decided_by="ADM", recorded_by=record.user,
        **fields,
    )  # fmt: skip


def test_adoption_timeliness_a1_a2_a10(record: Record) -> None:
    # Placed for adoption with strangers; matched before the placement order: A2 counts 0.
    strangers = record.child(born=D(2022, 6, 1))
    record.episode(strangers, D(2023, 1, 10), end_date=D(2023, 6, 1), reason_episode_ceased="X1")
    record.episode(
        strangers, D(2023, 6, 1), reason_new_episode="L", legal_status="E1",
        end_date=D(2023, 9, 1), reason_episode_ceased="X1",
    )  # fmt: skip
    record.episode(
        strangers, D(2023, 9, 1), reason_new_episode="P", legal_status="E1",
        placement_type="A4", end_date=D(2025, 6, 1), reason_episode_ceased="E11",
    )  # fmt: skip
    _decision(record, strangers, matched_on=D(2023, 5, 1), adopted_by_foster_carers=False)
    # Adopted by the foster carers the child moved to on 1 October 2022.
    carers = record.child(born=D(2021, 6, 1))
    record.episode(carers, D(2022, 4, 1), end_date=D(2022, 10, 1), reason_episode_ceased="X1")
    record.episode(
        carers, D(2022, 10, 1), reason_new_episode="P", end_date=D(2023, 11, 1),
        reason_episode_ceased="X1",
    )  # fmt: skip
    record.episode(
        carers, D(2023, 11, 1), reason_new_episode="L", legal_status="E1",
        end_date=D(2024, 1, 1), reason_episode_ceased="X1",
    )  # fmt: skip
    record.episode(
        carers, D(2024, 1, 1), reason_new_episode="P", legal_status="E1", placement_type="A3",
        end_date=D(2025, 7, 1), reason_episode_ceased="E12",
    )  # fmt: skip
    _decision(record, carers, matched_on=D(2023, 12, 1), adopted_by_foster_carers=True)
    # Adopted with no placement for adoption first: left out of all three.
    direct = record.child(born=D(2020, 1, 1))
    record.episode(
        direct, D(2022, 1, 1), legal_status="E1", end_date=D(2025, 5, 1),
        reason_episode_ceased="E11",
    )  # fmt: skip
    _decision(record, direct, matched_on=D(2023, 1, 1))
    # Adopted on 31 March 2025, the last day of the year before: not in the cohort.
    earlier = record.child(born=D(2020, 1, 1))
    record.episode(
        earlier, D(2022, 1, 1), placement_type="A4", end_date=D(2025, 3, 31),
        reason_episode_ceased="E11",
    )  # fmt: skip

    a1, a2, a10 = run(adoption.A1), run(adoption.A2), run(adoption.A10)
    strangers_days = (D(2023, 9, 1) - D(2023, 1, 10)).days  # 234
    carers_a1 = (D(2024, 1, 1) - D(2022, 4, 1)).days  # 640
    carers_a10 = (D(2022, 10, 1) - D(2022, 4, 1)).days  # 183
    assert a1.indicator.kind is Kind.AVERAGE
    assert a1.denominator_ids == {strangers.pk, carers.pk, direct.pk}  # the drill-down
    assert (a1.numerator, a1.denominator) == (strangers_days + carers_a1, 2)
    assert a1.value == round((strangers_days + carers_a1) / 2, 1)
    assert (a10.numerator, a10.denominator) == (strangers_days + carers_a10, 2)
    assert a10.display == f"{(strangers_days + carers_a10) / 2:,.1f} days"
    assert row_of(a10, carers)["Foster placement began"] == D(2022, 10, 1)
    # A2: matched before the order is 0; the carers' 30 days; the direct adoption left out.
    assert (a2.numerator, a2.denominator, a2.value) == (30, 2, 15.0)
    assert row_of(a2, strangers)["Days"] == 0
    assert a2.summary == "(30 days over 2 children adopted)"
    # As at a day before any adoption in the year: nothing to average.
    assert run(adoption.A1, as_at=D(2025, 4, 30)).value is None


def test_assessments_that_led_to_a_plan(record: Record) -> None:
    planned, nothing, after_closing, protected = (record.child() for _ in range(4))
    for child in (planned, nothing, after_closing, protected):
        record.assessment(child, D(2025, 5, 1), D(2025, 6, 10))
    plan_referral = planned.referrals.get()
    CINPlan.objects.create(
        person=planned, referral=plan_referral, start_date=D(2025, 6, 20),
        child_views="-", recorded_by=record.user,
    )  # fmt: skip
    closed = after_closing.referrals.get()
    closed.closed_on = D(2025, 7, 1)
    closed.save()
    CINPlan.objects.create(
        person=after_closing, referral=closed, start_date=D(2025, 7, 2), child_views="-",
        recorded_by=record.user,
    )  # fmt: skip
    record.plan(protected, D(2025, 6, 10))  # a plan on the day of authorisation counts
    result = run(assessment.ASSESSMENT_TO_PLAN)
    assert result.denominator_ids == {planned.pk, nothing.pk, after_closing.pk, protected.pk}
    assert result.numerator_ids == {planned.pk, protected.pk}
    assert result.groups() == [
        ("Child in need plan", 1, 1),
        ("Child protection plan", 1, 1),
        ("No plan", 0, 2),
    ]
    # As at 15 June 2025 the child in need plan had not started.
    then = run(assessment.ASSESSMENT_TO_PLAN, as_at=D(2025, 6, 15))
    assert then.numerator_ids == {protected.pk}


def _review(record: Record, child: Person, day: datetime.date) -> LACReview:
    return LACReview.objects.create(
        person=child, review_date=day, chair=record.user, participation="PN1",
        recorded_by=record.user,
    )  # fmt: skip


def test_looked_after_reviews_in_timescale_across_a_bank_holiday(record: Record) -> None:
    # Care from Monday 4 August 2025: the 20th working day is Tuesday 2 September (25 August
    # is a bank holiday). Held that day is in time; the second is due 2 December.
    on_time, second_late, overdue, too_new = (record.child() for _ in range(4))
    for child in (on_time, second_late, overdue):
        record.episode(child, D(2025, 8, 4))
    _review(record, on_time, D(2025, 9, 2))
    _review(record, on_time, D(2025, 12, 2))
    _review(record, second_late, D(2025, 9, 2))
    _review(record, second_late, D(2025, 12, 3))  # a day late
    _review(record, overdue, D(2025, 9, 3))  # the first a day late as well
    record.episode(too_new, D(2026, 3, 20))  # the first review is not due by 31 March
    result = run(looked_after.REVIEWS)
    assert result.denominator_ids == {on_time.pk, second_late.pk, overdue.pk}
    assert result.numerator_ids == {on_time.pk}
    assert row_of(result, second_late)["First late review due"] == D(2025, 12, 2)
    # The on-time child's third review is due 2 June 2026: not overdue on 31 March; the
    # third child's second review was due 3 December 2025 and never held.
    assert row_of(result, on_time)["Next review due"] == D(2026, 6, 2)
    assert row_of(result, overdue)["Overdue on the last day"] == "Yes"


def _visit(record: Record, child: Person, day: datetime.date, seen: bool = True) -> None:
    LACVisit.objects.create(
        person=child, visit_date=day, child_seen=seen, seen_alone=seen, note="-",
        recorded_by=record.user,
    )  # fmt: skip


def test_statutory_visits_in_timescale(record: Record) -> None:
    # Placed on Monday 2 June 2025: the first visit is due within a week, 9 June (on the day
    # is in time), then at most every 6 weeks.
    steady, late, not_seen, too_new = (record.child() for _ in range(4))
    for child in (steady, late, not_seen):
        record.episode(child, D(2025, 6, 2))
    day = D(2025, 6, 9)
    while day <= AS_AT:
        _visit(record, steady, day)
        day += datetime.timedelta(weeks=6)
    _visit(record, late, D(2025, 6, 9))
    _visit(record, late, D(2025, 7, 22))  # due 21 July: a day late
    day = D(2025, 9, 1)
    while day <= AS_AT:
        _visit(record, late, day)
        day += datetime.timedelta(weeks=6)
    _visit(record, not_seen, D(2025, 6, 9))
    for day in (D(2025, 7, 21), D(2025, 9, 1)):
        _visit(record, not_seen, day, seen=False)  # not seen: not a statutory visit
    record.episode(too_new, D(2026, 3, 28))  # the first visit is due 4 April
    result = run(looked_after.VISITS)
    assert result.denominator_ids == {steady.pk, late.pk, not_seen.pk}
    assert result.numerator_ids == {steady.pk}
    assert row_of(result, late)["First late visit"] == D(2025, 7, 22)
    assert row_of(result, late)["It was due"] == D(2025, 7, 21)
    assert row_of(result, not_seen)["Overdue on the last day"] == "Yes"


def test_unaccompanied_asylum_seeking_children(record: Record) -> None:
    still, left, before, never = (record.child(born=D(2010, 1, 1)) for _ in range(4))
    for child in (still, left, before):
        child.is_uasc = True
        child.save()
        UASCDetails.objects.create(person=child, arrived_on=D(2024, 12, 1), updated_by=record.user)
    record.episode(still, D(2025, 1, 1))
    record.episode(left, D(2025, 1, 1), end_date=D(2025, 10, 1))
    before.is_uasc = False
    before.save()
    UASCDetails.objects.filter(person=before).update(ceased_on=D(2025, 3, 1))
    record.episode(before, D(2025, 1, 1))  # no longer UASC before the year began
    record.episode(never, D(2025, 1, 1))
    result = run(looked_after.UASC)
    assert result.numerator_ids == {still.pk, left.pk}
    assert result.groups() == [
        ("Left care in the year", 1, 1),
        ("Looked after on the last day", 1, 1),
    ]


def test_pathway_plans_up_to_date(record: Record) -> None:
    eligible = record.child(born=D(2008, 5, 1))  # 16 in May 2024, still looked after
    record.episode(eligible, D(2020, 1, 1))
    former = record.child(born=D(2007, 1, 15))  # left care at 18
    record.episode(former, D(2019, 1, 1), end_date=D(2025, 1, 15), reason_episode_ceased="E8")
    turns_16 = record.child(born=D(2010, 1, 15))  # 16 on 15 January 2026: plan due 15 April
    record.episode(turns_16, D(2020, 1, 1))
    for child, day in ((eligible, D(2025, 12, 1)), (former, D(2025, 6, 1))):
        PathwayPlan.objects.create(
            person=child, kind=PathwayPlan.Kind.PLAN, plan_date=day, summary="-",
            young_person_views="-", recorded_by=record.user,
        )  # fmt: skip
    result = run(looked_after.PATHWAY_PLANS)
    assert result.denominator_ids == {eligible.pk, former.pk}
    assert result.numerator_ids == {eligible.pk}
    assert row_of(result, former)["Next due"] == D(2025, 12, 1)
    # As at 1 December 2025 the former relevant young person's review is due that day: in time.
    assert run(looked_after.PATHWAY_PLANS, as_at=D(2025, 12, 1)).numerator_ids == {
        eligible.pk,
        former.pk,
    }


def test_conference_chairs_caseloads(record: Record) -> None:
    from caseline.apps.protection.models import Conference

    first = UserFactory.create(username="chair1", first_name="Cara", last_name="Ames")
    second = UserFactory.create(username="chair2", first_name="Dev", last_name="Bose")
    reviewed, initial_only, ended = (record.child() for _ in range(3))
    for child in (reviewed, initial_only, ended):
        plan = record.plan(child, D(2025, 9, 1), end=D(2026, 1, 1) if child is ended else None)
        plan.conference.chair = first
        plan.conference.save()
    review = record.conference(reviewed, D(2025, 12, 1), kind=Conference.Kind.REVIEW)
    review.chair, review.plan = second, reviewed.cp_plans.get()
    review.save()
    assert run(workforce.CASELOAD_CHAIR).groups() == [("Cara Ames", 1, 1), ("Dev Bose", 1, 1)]
    # Before the review, the first chair had all three.
    assert run(workforce.CASELOAD_CHAIR, as_at=D(2025, 11, 30)).groups() == [("Cara Ames", 3, 3)]
    # A conference held in another system has no chair on Caseline (ADR 0036).
    Conference.objects.filter(pk=initial_only.cp_plans.get().conference_id).update(chair=None)
    assert run(workforce.CASELOAD_CHAIR, as_at=D(2025, 11, 30)).groups() == [
        ("Cara Ames", 2, 2),
        ("Held in another system", 1, 1),
    ]


def test_changes_of_social_worker_per_child(record: Record) -> None:
    team = TeamFactory.create(name="Care")
    x, y = (UserFactory.create(username=n, team=team) for n in ("x", "y"))
    moved, steady = record.child(), record.child()
    for child in (moved, steady):
        record.episode(child, D(2025, 1, 1))
    AllocationFactory.create(person=moved, team=team, worker=x, start_date=D(2025, 1, 1),
                             end_date=D(2025, 6, 1))  # fmt: skip
    AllocationFactory.create(person=moved, team=team, worker=y, start_date=D(2025, 6, 1),
                             end_date=D(2025, 9, 1))  # fmt: skip
    AllocationFactory.create(person=moved, team=team, worker=x, start_date=D(2025, 9, 1))
    AllocationFactory.create(person=steady, team=team, worker=y, start_date=D(2025, 1, 1))
    result = run(workforce.SOCIAL_WORKER_CHANGES)
    # In the year (from 1 April 2025): x, y, x again: two changes; the other none.
    assert (result.numerator, result.denominator, result.value) == (2, 2, 1.0)
    assert row_of(result, moved)["Changes of social worker"] == 2


def test_caseloads_by_stage(record: Record) -> None:
    team = TeamFactory.create(name="North")
    wren = UserFactory.create(username="wren", first_name="Wren", last_name="Hale", team=team)
    in_care, protected, leaver, in_need, early = (record.child() for _ in range(5))
    record.episode(in_care, D(2025, 1, 1))
    record.referral(protected, D(2025, 1, 1))
    record.plan(protected, D(2025, 2, 1))
    leaver.date_of_birth = D(2007, 1, 15)
    leaver.save()
    record.episode(leaver, D(2019, 1, 1), end_date=D(2025, 1, 15), reason_episode_ceased="E8")
    record.referral(in_need, D(2025, 1, 1))
    for child in (in_care, protected, leaver, in_need, early):
        AllocationFactory.create(person=child, team=team, worker=wren, start_date=D(2025, 1, 1))
    stage = {
        "Wren Hale: Looked after": 1,
        "Wren Hale: Child protection": 1,
        "Wren Hale: Care leaver": 1,
        "Wren Hale: Child in need": 1,
        "Wren Hale: Other": 1,
    }
    assert {g: n for g, n, _ in run(workforce.CASELOAD_WORKER_STAGE).groups()} == stage
    teams = {g: n for g, n, _ in run(workforce.CASELOAD_TEAM_STAGE).groups()}
    assert teams == {k.replace("Wren Hale", "North"): v for k, v in stage.items()}
    # Both together (one context, stages read once), with a child allocated to the team only.
    AllocationFactory.create(person=record.child(), team=team, start_date=D(2025, 1, 1))
    context = Context(AS_AT, make_period("collection-year", AS_AT))
    by_worker, by_team = compute_all(
        [workforce.CASELOAD_WORKER_STAGE, workforce.CASELOAD_TEAM_STAGE], context, AUTHORITY
    )
    assert (by_worker.numerator, by_team.numerator) == (5, 6)
    # On 1 January 2025, before the protection plan began, that child was in need.
    before = run(workforce.CASELOAD_WORKER_STAGE, as_at=D(2025, 1, 1))
    assert row_of(before, protected)["Stage"] == "Child in need"
