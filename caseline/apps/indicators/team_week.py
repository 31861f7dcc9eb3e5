"""The team manager's weekly analysis: for the team they manage, last week's timeliness (the
engine's measures over last week, scoped to the team), what is overdue and what falls due next
week (``mywork.queries.team_due_work``, the team page's own due work, listed no further ahead
than next week), caseloads by worker, and the children not visited within the standard (overdue
visits). Not the team page's sign-off or unallocated children, which this page does not show.

The overdue work is also counted by worker and by kind of work, so a page showing the overdue
rows a page at a time still gives the whole picture first."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from caseline.apps.accounts.models import Team, User
from caseline.apps.indicators import catalogue
from caseline.apps.indicators.dashboards import result_href
from caseline.apps.indicators.engine import Context, Result, compute_all
from caseline.apps.indicators.periods import PeriodKind, Scope, ScopeKind, make_period
from caseline.apps.mywork.queries import (
    TeamDueWork,
    WorkerLine,
    WorkRow,
    rule_title,
    team_due_work,
)
from caseline.apps.timescales.calendar import add_days

# Last week's timeliness: contacts decided, assessments authorised, initial conferences held.
TIMELINESS_CODES = ("FD1", "AS1", "CP2")


@dataclass(frozen=True)
class OverdueByWorker:
    """A worker's overdue items (``line.overdue``) and how many of them are visits."""

    line: WorkerLine
    visits: int


@dataclass(frozen=True)
class WeekAnalysis:
    team: Team | None
    last_week: tuple[datetime.date, datetime.date]
    next_week: tuple[datetime.date, datetime.date]
    timeliness: list[tuple[Result, str]]  # each figure with its drill-down
    work: TeamDueWork
    due_next_week: list[WorkRow]
    not_visited: list[WorkRow]
    overdue_by_worker: list[OverdueByWorker]  # the workers with overdue work, most first
    overdue_by_kind: list[tuple[str, int]]  # (the work's title, items), most first


def weeks(as_at: datetime.date) -> tuple[tuple[datetime.date, datetime.date], ...]:
    """Last week and next week (Monday to Sunday) around ``as_at``."""
    monday = add_days(as_at, -as_at.weekday())
    last = (add_days(monday, -7), add_days(monday, -1))
    following = (add_days(monday, 7), add_days(monday, 13))
    return last, following


def team_of(user: User) -> Team | None:
    """The team the user manages (the first by name), else their own."""
    managed = Team.objects.filter(manager=user).order_by("name").first()
    return managed or user.team


def is_visit(row: WorkRow) -> bool:
    """A visit to the child (CIN, child protection, looked after) by its timescale rule."""
    return "visit" in row.item.rule_code


def overdue_by_worker(work: TeamDueWork, not_visited: list[WorkRow]) -> list[OverdueByWorker]:
    """Each worker with overdue work (the caseload table's count), with their visits among it,
    in the caseload table's order (most overdue first, no worker last)."""
    visits = Counter(row.worker.pk if row.worker else None for row in not_visited)
    return [
        OverdueByWorker(line, visits[line.worker.pk if line.worker else None])
        for line in work.workers
        if line.overdue
    ]


def overdue_by_kind(rows: list[WorkRow]) -> list[tuple[str, int]]:
    """The overdue items counted by the work's title (its timescale rule's), most first."""
    counts = Counter(rule_title(row.item.rule_code) for row in rows)
    return sorted(counts.items(), key=lambda kind: (-kind[1], kind[0]))


def analysis(user: User, as_at: datetime.date) -> WeekAnalysis:
    """The week around ``as_at`` for the user's team."""
    last, following = weeks(as_at)
    team = team_of(user)
    timeliness: list[tuple[Result, str]] = []
    if team is not None:
        period = make_period(PeriodKind.RANGE, as_at, last[0], last[1])
        indicators = [catalogue.BY_CODE[code] for code in TIMELINESS_CODES]
        scope = Scope(ScopeKind.TEAM, team.pk, team.name)
        results = compute_all(indicators, Context(as_at, period), scope)
        timeliness = [(result, result_href(result)) for result in results]
    work = team_due_work(user, as_at, upcoming_until=following[1])
    not_visited = [row for row in work.overdue_rows if is_visit(row)]
    return WeekAnalysis(
        team=team,
        last_week=last,
        next_week=following,
        timeliness=timeliness,
        work=work,
        due_next_week=[
            row
            for row in work.upcoming_rows
            if following[0] <= row.item.timeliness.due_date <= following[1]
        ],
        not_visited=not_visited,
        overdue_by_worker=overdue_by_worker(work, not_visited),
        overdue_by_kind=overdue_by_kind(work.overdue_rows),
    )
