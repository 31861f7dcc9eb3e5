"""The director's page, the team manager's week and the child's journey: values, links to the
drill-down, permissions, audited reads and query counts."""

from __future__ import annotations

import datetime
import html
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.events import EventType
from caseline.apps.audit.models import AuditEvent
from caseline.apps.cin.models import CINPlan
from caseline.apps.indicators import catalogue, dashboard_views
from caseline.apps.indicators.actions import count_trends
from caseline.apps.indicators.engine import Context, compute
from caseline.apps.indicators.events import IndicatorsEvent
from caseline.apps.indicators.models import TrendFigure
from caseline.apps.indicators.periods import AUTHORITY, PeriodKind, make_period
from caseline.apps.indicators.tests.builders import Record
from caseline.apps.indicators.trends import month_ends, not_counted, trends
from caseline.apps.mywork.queries import team_due_work, team_work
from caseline.apps.returns.national import DataFileError, local_figures
from tests.factories import AllocationFactory, TeamFactory

pytestmark = pytest.mark.django_db
D = datetime.date
QUERY = "as_at_day=31&as_at_month=3&as_at_year=2026&period=collection-year&scope=authority"
ESCAPED = QUERY.replace("&", "&amp;")  # as the page's links write it
LAST_12 = "period=last-12-months"
AS1 = catalogue.BY_CODE["AS1"]


@pytest.fixture
def cohort() -> tuple[Record, list[int]]:
    """Two assessments authorised in September 2025, one in time (45) and one late (46)."""
    record = Record()
    in_time, late = record.child(given_name="Ina"), record.child(given_name="Lee")
    for child in (in_time, late):
        record.referral(child, D(2025, 7, 14))
    record.assessment(in_time, D(2025, 7, 21), D(2025, 9, 23))
    record.assessment(late, D(2025, 7, 21), D(2025, 9, 24))
    return record, [in_time.pk, late.pk]


@pytest.fixture(autouse=True)
def _nothing_asked_yet() -> None:
    """The worker is asked once per scope per process every ten minutes: each test asks anew."""
    cache.clear()


def count_as1() -> None:
    """The daily job's count of AS1's trend for the authority to 31 March 2026."""
    count_trends(scopes=[AUTHORITY], month_ends=month_ends(D(2026, 3, 31)), indicators=[AS1])


def signed_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def test_month_ends_are_the_24_before_the_as_at_date() -> None:
    ends = month_ends(D(2026, 3, 15))
    assert len(ends) == 24
    assert ends[0] == D(2024, 3, 31)
    assert ends[-1] == D(2026, 2, 28)
    assert month_ends(D(2026, 3, 31))[-1] == D(2026, 3, 31)


def test_a_trend_is_the_engine_as_at_each_month_end(cohort: tuple[Record, list[int]]) -> None:
    count_as1()
    (trend,) = trends([AS1], AUTHORITY, D(2026, 3, 31))
    by_month = {point.as_at: point.value for point in trend.points}
    assert by_month[D(2025, 8, 31)] is None  # nothing authorised yet
    assert by_month[D(2025, 9, 30)] == 50.0
    assert by_month[D(2026, 3, 31)] == 50.0
    assert all(point.counted for point in trend.points)
    assert trend.latest.period.start == D(2025, 4, 1)  # the 12 months to the month end
    assert trend.change == 0.0
    assert trend.england is not None
    assert trend.england.value == 85.7
    # A kept month is the engine's figure as at that month end, over the 12 months to it.
    end = D(2025, 10, 31)
    engine = compute(AS1, Context(end, make_period(PeriodKind.LAST_12_MONTHS, end)), AUTHORITY)
    (kept,) = [point for point in trend.points if point.as_at == end]
    assert (kept.numerator, kept.denominator, kept.value) == (1, 2, engine.value)


def test_past_months_are_never_counted_in_the_request(cohort: tuple[Record, list[int]]) -> None:
    (trend,) = trends([AS1], AUTHORITY, D(2026, 3, 31))
    assert [point.display for point in trend.points[:-1]] == ["Being counted"] * 23
    assert trend.points[-1].display == "50%"  # the latest month, counted with its rows
    assert trend.previous is not None
    assert trend.change is None
    assert not TrendFigure.objects.exists()
    assert not_counted([trend]) == month_ends(D(2026, 3, 31))[:-1]


def test_a_recount_replaces_the_kept_figures(cohort: tuple[Record, list[int]]) -> None:
    record, _ = cohort
    count_as1()
    kept = TrendFigure.objects.get(code="AS1", scope="authority", month_end=D(2025, 12, 31))
    assert (kept.numerator, kept.denominator) == (1, 2)
    third = record.child(given_name="Tia")
    record.referral(third, D(2025, 7, 14))
    record.assessment(third, D(2025, 7, 21), D(2025, 9, 22))
    count_as1()
    kept.refresh_from_db()
    assert (kept.numerator, kept.denominator) == (2, 3)
    assert TrendFigure.objects.filter(code="AS1", scope="authority").count() == 24
    counted = AuditEvent.objects.filter(event_type=IndicatorsEvent.TRENDS_COUNTED)
    assert counted.count() == 2
    extra = counted.latest("id").extra
    assert (extra["scopes"], extra["figures"], len(extra["month_ends"])) == (["authority"], 24, 24)


def test_the_director_sees_trend_table_england_and_worst_teams_linking_to_children(
    client: Client, make_user: Callable[..., User], cohort: tuple[Record, list[int]]
) -> None:
    _, (in_time, late) = cohort
    good, poor = TeamFactory.create(name="Good team"), TeamFactory.create(name="Poor team")
    AllocationFactory.create(person_id=in_time, team=good, start_date=D(2025, 1, 1))
    AllocationFactory.create(person_id=late, team=poor, start_date=D(2025, 1, 1))
    director = make_user(Role.SENIOR_LEADER, username="dir")
    response = signed_in(client, director).get(f"/indicators/director/?{QUERY}")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("<h1") == 1
    assert "<script>" not in body.split("<body")[1].replace(
        "<script>document.body.className", ""
    )  # no inline script of ours: data in a json_script element
    found = re.search(r'id="trend-data" type="application/json">(.*?)</script>', body, re.S)
    assert found is not None
    data = json.loads(found.group(1))
    assert data["AS1"]["values"][-1] == 50.0
    assert len(data["AS1"]["labels"]) == 24
    assert data["AS1"]["england"] == 85.7
    assert "England: 85.7% in 2024-25" in body
    assert "EES children in need table C2; LAIT 304" in body
    # The latest figure links to its drill-down; the worst team first, with its own link.
    drill = f"/indicators/AS1/?as_at_day=31&amp;as_at_month=3&amp;as_at_year=2026&amp;{LAST_12}"
    assert f'href="{drill}&amp;scope=authority">50%</a>' in body
    section = body.split('id="measure-AS1"')[1]
    worst = section.split("The teams doing worst on this measure")[1].split("</table>")[0]
    assert worst.index("Poor team") < worst.index("Good team")
    assert f'scope=team-{poor.pk}">0%</a>' in worst


def test_following_a_figure_from_the_director_page_is_an_audited_read(
    client: Client, make_user: Callable[..., User], cohort: tuple[Record, list[int]]
) -> None:
    _, (in_time, late) = cohort
    director = make_user(Role.SENIOR_LEADER, username="dir")
    body = signed_in(client, director).get(f"/indicators/director/?{QUERY}").content.decode()
    href = re.search(r'href="(/indicators/AS1/\?[^"]*scope=authority)">50%', body)
    assert href is not None
    drill = client.get(href.group(1).replace("&amp;", "&"))
    assert drill.status_code == 200
    assert f'href="/people/{in_time}/"' in drill.content.decode()
    viewed = AuditEvent.objects.filter(
        event_type=EventType.CHILD_RECORD_VIEWED, acting_user=director, extra__indicator="AS1"
    )
    assert set(viewed.values_list("subject_person_id", flat=True)) == {in_time, late}


@pytest.mark.parametrize("page", ["director", "team-week", "journey"])
def test_the_pages_are_closed_to_a_social_worker(client: Client, worker: User, page: str) -> None:
    assert signed_in(client, worker).get(f"/indicators/{page}/").status_code == 403
    client.logout()
    assert client.get(f"/indicators/{page}/").status_code == 302


def _team_children(
    record: Record, team: Team, worker: User, count: int, as_at: datetime.date
) -> list[int]:
    ids = []
    for n in range(count):
        child = record.child(given_name=f"Kid{n}")
        # Case supervision is due four weeks after allocation: long overdue, or due on the
        # Wednesday of the week after next (8 April 2026 for 31 March).
        day = as_at - datetime.timedelta(days=200 if n % 2 == 0 else 20)
        record.referral(child, day)
        AllocationFactory.create(person=child, team=team, worker=worker, start_date=day)
        ids.append(child.pk)
    return ids


def _week(client: Client) -> tuple[str, int]:
    client.get(f"/indicators/team-week/?{QUERY}")  # the session is saved on the first
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/indicators/team-week/?{QUERY}")
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_the_team_week_lands_on_the_managers_team_with_overdue_and_next_weeks_work(
    client: Client, manager: User, worker: User, team: Team
) -> None:
    record = Record()
    overdue, upcoming = _team_children(record, team, worker, 2, D(2026, 3, 31))
    signed_in(client, manager)
    body, queries = _week(client)
    assert body.count("<h1") == 1
    assert team.name in body
    assert "30 March 2026 to" not in body  # last week is 23 to 29 March
    assert "Monday 23 March 2026 to Sunday 29 March 2026" in body
    assert "Monday 6 April 2026 to Sunday 12 April 2026" in body
    overdue_table = body.split('id="overdue"')[1].split("</table>")[0]
    next_table = body.split('id="next-week"')[1].split("</table>")[0]
    assert f"/people/{overdue}/" in overdue_table
    assert f"/people/{upcoming}/" not in overdue_table
    assert f"/people/{upcoming}/" in next_table
    assert f"/people/{overdue}/" not in next_table
    caseloads = body.split('id="caseloads"')[1].split("</table>")[0]
    assert re.search(r"Wren.*?numeric\">2</td>", caseloads, re.S)
    assert "app-no-print" in body  # the controls are left off the printed page
    # 34 measured: fixed, whatever the team's size (next test); the read audit is three, one
    # leaves out children whose records are restricted to others, and one finds the team's
    # children before the timeliness measures read only theirs.
    assert queries <= 34


def test_the_team_week_audits_the_children_it_lists_and_no_others(
    client: Client, manager: User, worker: User, team: Team
) -> None:
    record = Record()
    overdue, next_week = _team_children(record, team, worker, 2, D(2026, 3, 31))
    # Work due after next week (supervision four weeks from 26 March) is not on the page;
    # nor is a child referred with no allocation (the team page's list, not this one).
    later = record.child(given_name="Later")
    record.referral(later, D(2026, 3, 30))
    AllocationFactory.create(person=later, team=team, worker=worker, start_date=D(2026, 3, 30))
    record.referral(record.child(given_name="Nobody"), D(2026, 3, 2))
    signed_in(client, manager)
    body, _ = _week(client)
    assert f"/people/{later.pk}/" not in body
    listed = AuditEvent.objects.filter(
        event_type=EventType.CHILDREN_LISTED,
        acting_user=manager,
        extra__section="indicators:team-week",
    ).last()
    assert listed is not None
    assert set(listed.extra["people"]) == {overdue, next_week}


def test_the_team_weeks_queries_do_not_grow_with_the_team(
    client: Client, manager: User, worker: User, team: Team
) -> None:
    record = Record()
    _team_children(record, team, worker, 2, D(2026, 3, 31))
    signed_in(client, manager)
    _, few = _week(client)
    _team_children(record, team, worker, 8, D(2026, 3, 31))
    _, many = _week(client)
    assert many == few


def test_the_team_weeks_due_work_is_the_team_pages_as_far_as_next_week(
    manager: User, worker: User, team: Team
) -> None:
    record = Record()
    as_at, until = D(2026, 3, 31), D(2026, 4, 12)
    _team_children(record, team, worker, 4, as_at)
    later = record.child(given_name="Later")  # supervision due four weeks on, after next week
    record.referral(later, D(2026, 3, 30))
    AllocationFactory.create(person=later, team=team, worker=worker, start_date=D(2026, 3, 30))
    whole = team_work(manager, as_at, can_authorise=False)
    week = team_due_work(manager, as_at, upcoming_until=until)
    assert week.workers == whole.workers  # counted over all the work, as on the team page
    assert week.overdue_rows == whole.overdue_rows
    assert week.upcoming_rows == [
        row for row in whole.upcoming_rows if row.item.timeliness.due_date <= until
    ]
    assert any(row.item.timeliness.due_date > until for row in whole.upcoming_rows)
    assert week.upcoming_rows
    assert whole.overdue_rows
    assert len(week.child_ids) == whole.children == 5


def test_the_team_week_lists_children_not_visited_within_the_standard(
    client: Client, manager: User, worker: User, team: Team
) -> None:
    record = Record()
    unvisited = record.child(given_name="Una")
    AllocationFactory.create(person=unvisited, team=team, worker=worker, start_date=D(2026, 1, 5))
    referral = record.referral(unvisited, D(2025, 12, 1))
    CINPlan.objects.create(
        person=unvisited, referral=referral, start_date=D(2026, 1, 5), recorded_by=record.user
    )
    body, _ = _week(signed_in(client, manager))
    not_visited = body.split('id="not-visited"')[1].split("</table>")[0]
    assert 'data-rule="cin-visit"' in not_visited
    assert f"/people/{unvisited.pk}/" in not_visited


def _overdue_children(record: Record, team: Team, worker: User, count: int) -> None:
    """``count`` children whose case supervision is long overdue (allocated 200 days before
    31 March 2026)."""
    day = D(2026, 3, 31) - datetime.timedelta(days=200)
    for n in range(count):
        child = record.child(given_name=f"Late{n}")
        record.referral(child, day)
        AllocationFactory.create(person=child, team=team, worker=worker, start_date=day)


def _section(body: str, element_id: str) -> str:
    return body.split(f'id="{element_id}"')[1].split("</table>")[0]


def test_the_team_weeks_overdue_list_is_paged_50_a_page_and_the_51st_is_on_page_2(
    client: Client, manager: User, worker: User, team: Team
) -> None:
    record = Record()
    _overdue_children(record, team, worker, 51)
    signed_in(client, manager)
    first = client.get(f"/indicators/team-week/?{QUERY}")
    rows = team_due_work(manager, D(2026, 3, 31)).overdue_rows
    total = len(rows)
    assert total >= 51
    assert first.context["overdue_rows"] == rows[:50]  # most overdue first
    body = first.content.decode()
    assert f"Showing 1 to 50 of {total}" in body
    assert _section(body, "overdue").count("<tr class") == 51  # the heading's and 50
    assert 'aria-label="Pages of overdue work"' in body
    assert f"?{ESCAPED}&amp;page=2#overdue-work" in body  # the links keep the date chosen
    second = client.get(f"/indicators/team-week/?{QUERY}&page=2")
    assert second.context["overdue_rows"][0] == rows[50]
    assert f"Showing 51 to {min(total, 100)} of {total}" in second.content.decode()


def test_the_team_week_counts_all_the_overdue_work_by_worker_and_kind_above_the_page(
    client: Client,
    manager: User,
    worker: User,
    team: Team,
    make_user: Callable[..., User],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(dashboard_views, "WEEK_ROWS_PER_PAGE", 2)
    other = make_user(Role.SOCIAL_WORKER, username="other", first_name="Otto", team=team)
    record = Record()
    _overdue_children(record, team, worker, 3)
    _overdue_children(record, team, other, 1)
    unvisited = record.child(given_name="Una")
    AllocationFactory.create(person=unvisited, team=team, worker=other, start_date=D(2026, 1, 5))
    referral = record.referral(unvisited, D(2025, 12, 1))
    CINPlan.objects.create(
        person=unvisited, referral=referral, start_date=D(2026, 1, 5), recorded_by=record.user
    )
    rows = team_due_work(manager, D(2026, 3, 31)).overdue_rows
    signed_in(client, manager)
    body = client.get(f"/indicators/team-week/?{QUERY}").content.decode()
    by_worker = _section(body, "overdue-by-worker")
    mine = sum(1 for row in rows if row.worker == worker)
    theirs = sum(1 for row in rows if row.worker == other)
    assert mine >= 3
    assert theirs >= 2
    assert re.search(rf"Wren.*?numeric\">{mine}</td>\s*<td[^>]*>0</td>", by_worker, re.S)
    assert re.search(rf"Otto.*?numeric\">{theirs}</td>\s*<td[^>]*>1</td>", by_worker, re.S)
    by_kind = _section(body, "overdue-by-kind")
    supervision = sum(1 for row in rows if row.item.rule_code == rows[0].item.rule_code)
    kinds = re.findall(r'header">([^<]+)</th>\s*<td[^>]*>(\d+)</td>', by_kind)
    assert sum(int(items) for _, items in kinds) == len(rows)  # every item, not the page's
    assert ("Child in need visit", "1") in kinds
    assert any(int(items) == supervision for _, items in kinds)


def test_the_team_week_shows_every_row_for_printing_when_asked(
    client: Client, manager: User, worker: User, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dashboard_views, "WEEK_ROWS_PER_PAGE", 2)
    record = Record()
    _overdue_children(record, team, worker, 3)
    total = len(team_due_work(manager, D(2026, 3, 31)).overdue_rows)
    signed_in(client, manager)
    paged = client.get(f"/indicators/team-week/?{QUERY}&page=2").content.decode()
    link = f'href="?{ESCAPED}&amp;all=yes#overdue-work"'
    assert f"{link}>Show all {total} overdue items for printing</a>" in paged
    assert "can take several seconds to open" in paged
    everything = client.get(f"/indicators/team-week/?{QUERY}&all=yes")
    assert len(everything.context["overdue_rows"]) == total
    body = everything.content.decode()
    assert _section(body, "overdue").count("<tr class") == total + 1
    assert 'aria-label="Pages of overdue work"' not in body
    assert f"Showing all {total} overdue items." in body
    assert f'href="?{ESCAPED}#overdue-work">Show them 2 at a time' in body


def test_the_team_weeks_visits_overdue_are_paged_apart_and_audited_a_page_at_a_time(
    client: Client, manager: User, worker: User, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dashboard_views, "WEEK_ROWS_PER_PAGE", 1)
    record = Record()
    unvisited = []
    for name in ("Una", "Uma"):
        child = record.child(given_name=name)
        AllocationFactory.create(person=child, team=team, worker=worker, start_date=D(2026, 1, 5))
        referral = record.referral(child, D(2025, 12, 1))
        CINPlan.objects.create(
            person=child, referral=referral, start_date=D(2026, 1, 5), recorded_by=record.user
        )
        unvisited.append(child.pk)
    signed_in(client, manager)
    response = client.get(f"/indicators/team-week/?{QUERY}&page=2&visits=2")
    assert response.context["overdue"].page.number == 2
    assert response.context["not_visited"].page.number == 2
    second_visit = response.context["not_visited_rows"][0]
    assert second_visit.person.pk in unvisited
    body = response.content.decode()
    assert "Showing 2 to 2 of 2" in _section(body, "not-visited")
    assert f"?{ESCAPED}&amp;page=2&amp;visits=1#not-visited-work" in body  # keeps the other page
    listed = AuditEvent.objects.filter(
        event_type=EventType.CHILDREN_LISTED, acting_user=manager
    ).last()
    assert listed is not None
    listed_people = set(listed.extra.get("people", []))
    if listed.subject_person_id is not None:
        listed_people.add(listed.subject_person_id)
    shown = {row.person.pk for row in response.context["overdue_rows"]}
    shown |= {row.person.pk for row in response.context["due_next_rows"]}
    assert listed_people == shown | {second_visit.person.pk}
    # Next week's work is paged the same way, on its own parameter.
    due_next = response.context["due_next"]
    assert due_next.page.paginator.count == len(response.context["week"].due_next_week)
    assert len(response.context["due_next_rows"]) <= 1


def test_the_team_weeks_only_control_is_the_date(client: Client, manager: User, team: Team) -> None:
    # The page's team is the manager's and its weeks its own: no scope or period to choose
    # (the scope's list of every team and worker was most of the page's rendering).
    signed_in(client, manager)
    body = client.get("/indicators/team-week/?as_at_day=31&as_at_month=3&as_at_year=2026")
    page = body.content.decode()
    assert "Monday 23 March 2026 to Sunday 29 March 2026" in page
    assert 'name="as_at_day"' in page
    assert 'name="scope"' not in page
    assert 'name="period"' not in page
    wrong = client.get("/indicators/team-week/?as_at_day=31&as_at_month=2&as_at_year=2026")
    assert wrong.status_code == 400


def test_a_team_manager_lands_on_their_team_on_the_director_page(
    client: Client, manager: User, team: Team, cohort: tuple[Record, list[int]]
) -> None:
    _, (in_time, _) = cohort
    AllocationFactory.create(person_id=in_time, team=team, start_date=D(2025, 1, 1))
    signed_in(client, manager)
    assert client.get("/indicators/director/").status_code == 200
    query = QUERY.replace("scope=authority", f"scope=team-{team.pk}")
    body = client.get(f"/indicators/director/?{query}").content.decode()
    section = body.split('id="measure-AS1"')[1]
    assert f'scope=team-{team.pk}">100%</a>' in section  # only the team's child, in time
    assert "The teams doing worst" not in section


def test_the_shipped_neighbours_figures_give_wirrals_average_and_invent_none(
    client: Client, make_user: Callable[..., User], cohort: tuple[Record, list[int]]
) -> None:
    # Re-referrals in 2024-25 of Wirral's ten neighbours, as the DfE published them (18.7, 26.2,
    # 19.0, 28.8, 18.5, 13.9, 14.6, 16.3, 26.0, 17.2): their mean is 19.9. Assessments in 45
    # working days are not in the shipped file, so AS1 has no neighbour figure.
    signed_in(client, make_user(Role.SENIOR_LEADER, username="dir"))
    body = client.get(f"/indicators/director/?{QUERY}").content.decode()
    said = " ".join(html.unescape(body.split('id="comparators"')[1]).split())
    assert "Wirral's ten statistical neighbours: Durham, Sefton, Halton," in said
    assert 'id="neighbours-not-shipped"' not in body
    found = re.search(r'id="trend-data" type="application/json">(.*?)</script>', body, re.S)
    assert found is not None
    trend = json.loads(found.group(1))
    assert trend["FD4"]["neighbours"] == 19.9
    assert trend["AS1"]["neighbours"] is None
    section = body.split('id="measure-FD4"')[1].split("</section>")[0]
    assert "Statistical neighbours: 19.9% in 2024-25" in section
    assert "the mean of 10 of 10 neighbours" in section
    changes = body.split('data-testid="changes"')[1].split("</table>")[0]
    assert "Not shipped" in changes
    home = client.get(f"/indicators/?{QUERY}").content.decode()
    row = home.split('data-indicator="FD4"')[1].split("</tr>")[0]
    assert "19.9%" in row
    assert "10 of 10" in row


def test_with_no_neighbours_figures_the_pages_say_so(
    client: Client,
    make_user: Callable[..., User],
    cohort: tuple[Record, list[int]],
    settings: Any,
    tmp_path: Path,
) -> None:
    figures = tmp_path / "figures.csv"
    figures.write_text("la_number,measure,value,unit,numerator,denominator,period,source\n")
    settings.CASELINE_LOCAL_AUTHORITY_FIGURES = str(figures)
    signed_in(client, make_user(Role.SENIOR_LEADER, username="dir"))
    body = client.get(f"/indicators/director/?{QUERY}").content.decode()
    assert 'id="neighbours-not-shipped"' in body
    found = re.search(r'id="trend-data" type="application/json">(.*?)</script>', body, re.S)
    assert found is not None
    assert json.loads(found.group(1))["FD4"]["neighbours"] is None


def test_the_neighbours_average_is_beside_england_on_the_director_and_analyst_pages(
    client: Client,
    make_user: Callable[..., User],
    cohort: tuple[Record, list[int]],
    settings: Any,
    tmp_path: Path,
) -> None:
    # Three of Wirral's neighbours (Durham, Sefton, Halton) with a figure for 2024-25; Wirral's
    # own figure and a non-neighbour's are not in the average.
    figures = tmp_path / "figures.csv"
    rows = [("840", "20"), ("343", "25"), ("876", "30.5"), ("344", "50"), ("201", "70")]
    figures.write_text(
        "la_number,measure,value,unit,numerator,denominator,period,source\n"
        + "".join(
            f"{la},assessments_within_45_working_days,{value},percent,,,2024-25,Hand-built\n"
            for la, value in rows
        ),
        encoding="utf-8",
    )
    settings.CASELINE_LOCAL_AUTHORITY_FIGURES = str(figures)
    signed_in(client, make_user(Role.SENIOR_LEADER, username="dir"))
    body = client.get(f"/indicators/director/?{QUERY}").content.decode()
    assert 'id="neighbours-not-shipped"' not in body
    found = re.search(r'id="trend-data" type="application/json">(.*?)</script>', body, re.S)
    assert found is not None
    assert json.loads(found.group(1))["AS1"]["neighbours"] == 25.2
    section = body.split('id="measure-AS1"')[1].split("</section>")[0]
    assert "Statistical neighbours: 25.2% in 2024-25" in section
    assert "the mean of 3 of 10 neighbours" in section
    table = section.split("app-trend__table")[1].split("</table>")[0]
    assert "Statistical neighbours (2024-25)</th>" in table
    assert table.count(">25.2%</td>") == 24
    home = client.get(f"/indicators/?{QUERY}").content.decode()
    row = home.split('data-indicator="AS1"')[1].split("</tr>")[0]
    assert "85.7%" in row  # England
    assert "25.2%" in row
    assert "3 of 10" in row


def test_a_figures_file_that_cannot_be_read_is_named(settings: Any, tmp_path: Path) -> None:
    settings.CASELINE_LOCAL_AUTHORITY_FIGURES = str(tmp_path / "missing.csv")
    with pytest.raises(DataFileError, match=r"CASELINE_LOCAL_AUTHORITY_FIGURES names .*missing"):
        local_figures()
