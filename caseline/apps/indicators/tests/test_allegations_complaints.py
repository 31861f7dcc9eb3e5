"""Allegations (LD1 to LD4) and complaints (CO1 to CO4) indicators, and their drill-down kept
to the officers (issue 21)."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.complaints.models import Complaint, ComplaintStage
from caseline.apps.indicators.engine import Context, Indicator, Result, compute
from caseline.apps.indicators.measures import allegations_complaints as ac
from caseline.apps.indicators.periods import AUTHORITY, make_period
from caseline.apps.lado.models import Allegation, AllegationChild, StrategyMeeting
from caseline.apps.people.models import Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
D = datetime.date
AS_AT = D(2026, 3, 31)


def run(indicator: Indicator, as_at: datetime.date = AS_AT) -> Result:
    return compute(indicator, Context(as_at, make_period("collection-year", as_at)), AUTHORITY)


def allegation(
    officer: User, children: list[Person], received: datetime.date, **kw: object
) -> Allegation:
    fields: dict[str, object] = {
        "source": "employer",
        "adult_name": "Pat Teacherson",
        "adult_employer": "Hillside Primary",
        "adult_role": "Teacher",
        "sector": "education",
        "what_was_alleged": "Grabbed a pupil.",
        **kw,
    }
    row = Allegation.objects.create(
        received_date=received,
        officer=officer,
        recorded_by=officer,
        **fields,
    )
    for child in children:
        AllegationChild.objects.create(allegation=row, person=child)
    return row


def complaint(officer: User, child: Person, received: datetime.date, **kw: object) -> Complaint:
    fields: dict[str, object] = {
        "complainant": "parent",
        "complainant_name": "Sam Parent",
        "theme": "communication",
        "summary": "No call back.",
        "advocacy_offered": False,
        "advocacy_taken_up": False,
        **kw,
    }
    return Complaint.objects.create(
        person=child,
        received_date=received,
        officer=officer,
        recorded_by=officer,
        **fields,
    )


@pytest.fixture
def lado(make_user: Callable[..., User]) -> User:
    return make_user(Role.LADO, username="lado")


@pytest.fixture
def officer(make_user: Callable[..., User]) -> User:
    return make_user(Role.COMPLAINTS_OFFICER, username="complaints")


def test_allegations_are_counted_once_by_sector_source_and_outcome(lado: User) -> None:
    a, b, c = PersonFactory.create(), PersonFactory.create(), PersonFactory.create()
    two = allegation(lado, [b, a], D(2025, 5, 1))
    allegation(lado, [c], D(2025, 6, 1), sector="sport", source="parent")
    allegation(lado, [c], D(2025, 3, 31))  # the year before
    allegation(lado, [], D(2025, 7, 1))  # names no child: not counted
    by_sector = run(ac.ALLEGATIONS_BY_SECTOR)
    assert by_sector.numerator == 2
    groups = {row.group for row in by_sector.rows}
    assert groups == {"Education (schools and colleges)", "Sport and leisure"}
    first = next(row for row in by_sector.rows if row.group.startswith("Education"))
    assert first.person_id == min(a.pk, b.pk)
    assert first.what == f"{two.reference} received 01/05/2025 (and 1 other child)"
    assert "Pat" not in first.what
    assert "Hillside" not in str(first.decided_by)
    assert {row.group for row in run(ac.ALLEGATIONS_BY_SOURCE).rows} == {
        "Employer or volunteer organisation",
        "Parent or carer",
    }
    Allegation.objects.filter(pk=two.pk).update(outcome="substantiated", outcome_date=D(2025, 9, 1))
    Allegation.objects.filter(sector="sport").update(
        outcome="unfounded", outcome_date=D(2025, 10, 1)
    )
    outcome = run(ac.ALLEGATIONS_SUBSTANTIATED)
    assert (outcome.numerator, outcome.denominator) == (1, 2)


def test_allegation_steps_on_time_across_a_bank_holiday(lado: User) -> None:
    child = PersonFactory.create()
    # Received Thursday 17 April 2025: Good Friday and Easter Monday are not working days, so
    # the initial consideration is due on Tuesday 22 April.
    on_time = allegation(
        lado,
        [child],
        D(2025, 4, 17),
        initial_consideration_date=D(2025, 4, 22),
        threshold_met=True,
    )
    # Its first strategy meeting is due five working days on, Tuesday 29 April: held late.
    StrategyMeeting.objects.create(
        allegation=on_time,
        meeting_date=D(2025, 4, 30),
        attendees="LADO",
        decisions="-",
        recorded_by=lado,
    )
    allegation(lado, [child], D(2025, 5, 6), initial_consideration_date=D(2025, 5, 8))  # late
    allegation(lado, [child], D(2026, 3, 31))  # not due yet: left out
    result = run(ac.ALLEGATION_STAGES_ON_TIME)
    assert (result.numerator, result.denominator) == (1, 3)
    counted = [(row.group, row.counted) for row in result.rows]
    assert counted == [
        ("Initial consideration", True),
        ("First strategy meeting", False),
        ("Initial consideration", False),
    ]


def test_complaint_stages_started_in_time_upheld_and_advocacy(officer: User) -> None:
    child = PersonFactory.create()
    first = complaint(officer, child, D(2025, 4, 1), advocacy_offered=True)
    second = complaint(officer, child, D(2025, 6, 2), advocacy_offered=True, advocacy_taken_up=True)
    complaint(officer, child, D(2025, 7, 1))
    common = {"recorded_by": officer}
    # Stage 1 of the first: 10 working days from Tuesday 1 April is Tuesday 15 April.
    ComplaintStage.objects.create(
        complaint=first, stage=1, started_date=D(2025, 4, 1), completed_date=D(2025, 4, 15),
        outcome="upheld", **common,
    )  # fmt: skip
    # Extended, so judged by 20 working days: 16 June is inside them.
    ComplaintStage.objects.create(
        complaint=second, stage=1, started_date=D(2025, 6, 2), extended=True,
        completed_date=D(2025, 6, 27), outcome="not-upheld", **common,
    )  # fmt: skip
    ComplaintStage.objects.create(
        complaint=second, stage=2, started_date=D(2025, 7, 7), completed_date=D(2025, 9, 30),
        outcome="withdrawn", **common,
    )  # fmt: skip
    started = run(ac.STAGES_STARTED)
    assert started.numerator == 3
    assert sorted(row.group for row in started.rows) == [
        "Stage 1: local resolution",
        "Stage 1: local resolution",
        "Stage 2: investigation",
    ]
    in_time = run(ac.STAGES_IN_TIME)
    assert (in_time.numerator, in_time.denominator) == (2, 3)
    upheld = run(ac.STAGES_UPHELD)
    assert (upheld.numerator, upheld.denominator) == (1, 2)  # the withdrawn stage left out
    advocacy = run(ac.ADVOCACY_OFFERED)
    assert (advocacy.numerator, advocacy.denominator) == (2, 3)
    assert sorted(row.group for row in advocacy.rows) == [
        "Not offered",
        "Offered and taken up",
        "Offered, not taken up",
    ]


def test_the_drill_down_lists_the_children_only_to_the_officer(
    make_user: Callable[..., User], lado: User, officer: User
) -> None:
    child = PersonFactory.create(given_name="Zebedee")
    allegation(lado, [child], D(2025, 5, 1))
    complaint(officer, child, D(2025, 5, 1))
    analyst = make_user(Role.ANALYST, username="ana")
    query = "?as_at_day=31&as_at_month=3&as_at_year=2026&period=collection-year&scope=authority"
    for user, code, sees in (
        (analyst, "LD1", False),
        (analyst, "CO4", False),
        (officer, "LD1", False),
        (lado, "LD1", True),
        (lado, "CO4", False),
        (officer, "CO4", True),
    ):
        client = Client()
        client.force_login(user)
        page = client.get(f"/indicators/{code}/{query}")
        assert page.status_code == 200, (user, code)
        body = page.content.decode()
        assert ("Zebedee" in body) is sees, (user.username, code)
        assert "Pat Teacherson" not in body
        assert "Sam Parent" not in body
        if not sees:
            assert "1 child you may not see is counted" in " ".join(body.split())
        download = client.get(f"/indicators/{code}/download.csv{query}")
        assert ("Zebedee" in download.content.decode()) is sees
