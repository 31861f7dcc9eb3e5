"""The director's trend counted outside the request (ADR 0038): the page asks the worker for
the months it lacks, the daily job counts every scope, and both keep the engine's figures."""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import Client
from django_tasks_db.models import DBTaskResult

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Role
from caseline.apps.indicators import catalogue
from caseline.apps.indicators.dashboards import HEADLINE_CODES
from caseline.apps.indicators.engine import Context, compute
from caseline.apps.indicators.models import TrendFigure
from caseline.apps.indicators.periods import PeriodKind, Scope, ScopeKind, make_period
from caseline.apps.indicators.tests.builders import Record
from tests.factories import AllocationFactory, TeamFactory

# Real transactions: the page's request to the worker is enqueued when its transaction
# commits, and the worker takes it in a transaction of its own.
pytestmark = pytest.mark.django_db(transaction=True)
D = datetime.date
QUERY = "as_at_day=31&as_at_month=3&as_at_year=2026&period=collection-year&scope=authority"


@pytest.fixture(autouse=True)
def _nothing_asked_yet() -> None:
    cache.clear()


@pytest.fixture
def two_teams() -> tuple[Team, Team]:
    """Two assessments authorised in September 2025, one in time in one team's, one late in
    the other's."""
    record = Record()
    good, poor = TeamFactory.create(name="Good team"), TeamFactory.create(name="Poor team")
    for team, authorised in ((good, D(2025, 9, 23)), (poor, D(2025, 9, 24))):
        child = record.child()
        record.referral(child, D(2025, 7, 14))
        record.assessment(child, D(2025, 7, 21), authorised)
        AllocationFactory.create(person=child, team=team, start_date=D(2025, 1, 1))
    return good, poor


def chart(body: str) -> dict[str, list[float | None]]:
    found = re.search(r'id="trend-data" type="application/json">(.*?)</script>', body, re.S)
    assert found is not None
    return {code: data["values"] for code, data in json.loads(found.group(1)).items()}


def test_the_page_asks_the_worker_for_the_months_it_lacks_and_shows_them_once_counted(
    client: Client, make_user: Callable[..., User], two_teams: tuple[Team, Team]
) -> None:
    client.force_login(make_user(Role.SENIOR_LEADER, username="dir"))
    body = client.get(f"/indicators/director/?{QUERY}").content.decode()
    assert "23 past months (April 2024 to February 2026) are being counted" in body
    assert chart(body)["AS1"] == [None] * 23 + [50.0]
    assert body.count(">Being counted</td>") == 23 * len(HEADLINE_CODES)
    asked = DBTaskResult.objects.get()
    assert asked.task_path.endswith("count_trend_months")
    assert not TrendFigure.objects.exists()  # the request counted none of them

    client.get(f"/indicators/director/?{QUERY}")
    assert DBTaskResult.objects.count() == 1  # asked once, not at every look

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert TrendFigure.objects.filter(scope="authority").count() == 23 * len(HEADLINE_CODES)
    body = client.get(f"/indicators/director/?{QUERY}").content.decode()
    assert "being counted" not in body
    assert "Past months' figures were counted at" in body
    assert chart(body)["AS1"][-8:] == [None, 50.0, 50.0, 50.0, 50.0, 50.0, 50.0, 50.0]


def test_the_daily_job_counts_the_authority_each_service_and_each_team(
    two_teams: tuple[Team, Team],
) -> None:
    good, poor = two_teams
    call_command("indicator_trends", "--as-at", "2026-03-31", "--months", "3", stdout=None)
    scopes = set(TrendFigure.objects.values_list("scope", flat=True))
    assert scopes == {"authority", f"service-{good.service}", f"team-{good.pk}", f"team-{poor.pk}"}
    assert TrendFigure.objects.count() == 4 * 3 * len(HEADLINE_CODES)
    # Each team's kept figure is the engine's for that team.
    end = D(2026, 2, 28)
    context = Context(end, make_period(PeriodKind.LAST_12_MONTHS, end))
    for team, value in ((good, 100.0), (poor, 0.0)):
        engine = compute(catalogue.BY_CODE["AS1"], context, Scope(ScopeKind.TEAM, team.pk))
        kept = TrendFigure.objects.get(code="AS1", scope=f"team-{team.pk}", month_end=end)
        assert kept.value == engine.value == value


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--as-at", "31/03/2026"], "--as-at must be a date like 2026-03-31, not '31/03/2026'."),
        (["--months", "0"], "--months must be 1 to 120, not 0."),
    ],
)
def test_the_daily_job_refuses_bad_arguments_and_keeps_nothing(
    arguments: list[str], message: str
) -> None:
    with pytest.raises(CommandError, match=re.escape(message)) as refused:
        call_command("indicator_trends", *arguments)
    assert refused.value.returncode == 2
    assert not TrendFigure.objects.exists()
