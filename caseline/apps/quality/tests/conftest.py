"""Fixtures for case audits: two teams with children, a QA lead, a moderator, an IRO, and a
helper that carries an audit to a state."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.utils import timezone

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Role
from caseline.apps.people.models import Person
from caseline.apps.quality import actions
from caseline.apps.quality.models import AuditRound, AuditTool, CaseAudit, Grade, SampleKind
from tests.factories import ChildFactory, TeamFactory

TODAY = datetime.date(2026, 11, 30)


@pytest.fixture
def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def team(db: None) -> Team:
    return TeamFactory.create(name="Assessment Team North", service=Team.Service.ASSESSMENT)


@pytest.fixture
def other_team(db: None) -> Team:
    return TeamFactory.create(name="Children in Care Team", service=Team.Service.ASSESSMENT)


@pytest.fixture
def other_worker(make_user: Callable[..., User], other_team: Team) -> User:
    return make_user(Role.SOCIAL_WORKER, username="otherworker", team=other_team)


@pytest.fixture
def qa_lead(make_user: Callable[..., User]) -> User:
    return make_user(Role.QA_LEAD, username="qa", first_name="Quinn", last_name="Ashby")


@pytest.fixture
def moderator(make_user: Callable[..., User]) -> User:
    return make_user(Role.SENIOR_LEADER, username="director", first_name="Dee", last_name="Rector")


@pytest.fixture
def iro(make_user: Callable[..., User]) -> User:
    return make_user(Role.IRO, username="iro", first_name="Ira", last_name="Reeve")


@pytest.fixture
def children(team: Team, worker: User, today: datetime.date) -> list[Person]:
    return [
        ChildFactory.create(
            team=team,
            worker=worker,
            allocated_on=today - datetime.timedelta(days=90),
            referral_date=today - datetime.timedelta(days=90),
        )
        for _ in range(6)
    ]


@pytest.fixture
def other_children(other_team: Team, other_worker: User, today: datetime.date) -> list[Person]:
    return [
        ChildFactory.create(
            team=other_team, worker=other_worker, allocated_on=today - datetime.timedelta(days=90)
        )
        for _ in range(4)
    ]


@pytest.fixture
def tool(db: None) -> AuditTool:
    """The default tool, installed by the data migration."""
    return AuditTool.objects.get(key="practice-audit", version=1)


@pytest.fixture
def make_round(
    qa_lead: User, manager: User, moderator: User, tool: AuditTool, today: datetime.date
) -> Callable[..., AuditRound]:
    def make(**overrides: object) -> AuditRound:
        values: dict[str, object] = {
            "acting_user": qa_lead,
            "title": "November audit",
            "tool": tool,
            "sample_kind": SampleKind.RANDOM_PER_TEAM,
            "size": 2,
            "as_at": today,
            "deadline": today + datetime.timedelta(days=28),
            "auditors": [manager],
            "moderators": [moderator],
            "seed": 42,
        }
        values.update(overrides)
        return actions.set_up_round(**values)  # type: ignore[arg-type]

    return make


def answer_all(audit: CaseAudit, auditor: User, grade: str = Grade.GOOD) -> CaseAudit:
    """Grade every question of the audit's tool and give the overall grade."""
    return actions.save_answers(
        acting_user=auditor,
        audit=audit,
        answers={
            q.pk: actions.AnswerInput(grade, f"Evidence for {q.order}")
            for q in audit.tool.questions.all()
        },
        overall_grade=grade,
        summary="The child's voice is clear.",
    )


def submitted(audit: CaseAudit, auditor: User, grade: str = Grade.GOOD) -> CaseAudit:
    answer_all(audit, auditor, grade)
    return actions.submit_audit(acting_user=auditor, audit=audit)
