"""Case audit actions: rounds and their samples, the audit's lifecycle, tool versions and
actions from audits; every write audited."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.models import AuditEvent
from caseline.apps.cin.models import CINPlan
from caseline.apps.frontdoor.models import Referral
from caseline.apps.lookedafter.models import MissingEpisode
from caseline.apps.people.models import Person
from caseline.apps.quality import actions
from caseline.apps.quality.events import QualityEvent
from caseline.apps.quality.models import (
    AuditRound,
    AuditStatus,
    AuditTool,
    CaseAudit,
    Grade,
    ModerationDecision,
    SampleKind,
    SampleTheme,
    Stage,
    Theme,
)
from caseline.apps.quality.sample import sample
from caseline.apps.quality.tests.conftest import answer_all, submitted

pytestmark = pytest.mark.django_db


# --- Rounds and samples ---------------------------------------------------------------------


def test_a_random_sample_per_team_takes_the_number_from_each_team_and_records_its_seed(
    make_round: Callable[..., AuditRound],
    children: list[Person],
    other_children: list[Person],
    team: Team,
    other_team: Team,
    manager: User,
    qa_lead: User,
) -> None:
    round_ = make_round(size=2, seed=7)
    audits = list(round_.audits.all())
    assert len(audits) == 4
    assert sorted(a.team_id or 0 for a in audits) == sorted([team.pk] * 2 + [other_team.pk] * 2)
    assert round_.seed == 7
    assert round_.sample_params == {"size": 2, "team_ids": [], "stage": "", "theme": ""}
    assert {a.auditor_id for a in audits} == {manager.pk}
    assert all(a.tool_id == round_.tool_id for a in audits)
    # One event for the round, naming the sample, and one on each child's record.
    events = AuditEvent.objects.filter(event_type=QualityEvent.ROUND_SET_UP)
    assert events.count() == 5
    round_event = events.get(subject_person_id__isnull=True)
    assert round_event.new_values["seed"] == 7
    assert sorted(round_event.new_values["sample"]) == sorted(a.person_id for a in audits)
    assert {e.subject_person_id for e in events.exclude(pk=round_event.pk)} == {
        a.person_id for a in audits
    }


def test_the_same_seed_draws_the_same_sample_and_another_seed_may_not(
    children: list[Person],
    other_children: list[Person],
    qa_lead: User,
    make_user: Callable[..., User],
    team: Team,
    worker: User,
) -> None:
    from tests.factories import ChildFactory

    for _ in range(20):
        ChildFactory.create(team=team, worker=worker)
    today = timezone.localdate()
    draws = [
        [
            c.person_id
            for c in sample(qa_lead, SampleKind.RANDOM_PER_TEAM, as_at=today, size=3, seed=s)
        ]
        for s in (11, 11, 12, 13, 14)
    ]
    assert draws[0] == draws[1]
    assert len(draws[0]) == 6
    assert any(d != draws[0] for d in draws[2:])


def test_a_round_without_a_seed_draws_one_and_records_it(
    make_round: Callable[..., AuditRound], children: list[Person]
) -> None:
    round_ = make_round(seed=None)
    assert 0 <= round_.seed < 1_000_000
    again = sample(
        round_.created_by, round_.sample_kind, as_at=round_.as_at, size=2, seed=round_.seed
    )
    assert [c.person_id for c in again] == sorted(round_.audits.values_list("person_id", flat=True))


def test_a_sample_by_stage_takes_only_children_at_that_stage(
    make_round: Callable[..., AuditRound],
    children: list[Person],
    worker: User,
    today: datetime.date,
) -> None:
    on_plan = children[:2]
    for child in on_plan:
        CINPlan.objects.create(
            person=child,
            referral=Referral.objects.get(person=child),
            start_date=today - datetime.timedelta(days=30),
            child_views="Views",
            recorded_by=worker,
        )
    round_ = make_round(sample_kind=SampleKind.STAGE, stage=Stage.CIN_PLAN, size=5)
    assert sorted(round_.audits.values_list("person_id", flat=True)) == sorted(
        c.pk for c in on_plan
    )


def test_a_sample_by_theme_of_missing_children_takes_those_missing_in_six_months(
    make_round: Callable[..., AuditRound],
    children: list[Person],
    worker: User,
    today: datetime.date,
) -> None:
    recent, old = children[0], children[1]
    MissingEpisode.objects.create(
        person=recent,
        missing_type="M",
        start_date=today - datetime.timedelta(days=20),
        recorded_by=worker,
    )
    MissingEpisode.objects.create(
        person=old,
        missing_type="M",
        start_date=today - datetime.timedelta(days=400),
        recorded_by=worker,
    )
    round_ = make_round(sample_kind=SampleKind.THEME, theme=SampleTheme.MISSING, size=5)
    assert list(round_.audits.values_list("person_id", flat=True)) == [recent.pk]


def test_a_sample_with_nobody_in_it_is_refused_and_nothing_is_written(
    make_round: Callable[..., AuditRound], children: list[Person]
) -> None:
    with pytest.raises(ValidationError) as error:
        make_round(sample_kind=SampleKind.THEME, theme=SampleTheme.NEGLECT)
    assert "No children" in str(error.value)
    assert not AuditRound.objects.exists()
    assert not AuditEvent.objects.filter(event_type=QualityEvent.ROUND_SET_UP).exists()


def test_a_round_refuses_bad_input_with_every_problem(
    make_round: Callable[..., AuditRound], worker: User, today: datetime.date
) -> None:
    with pytest.raises(ValidationError) as error:
        make_round(
            title="",
            size=0,
            deadline=today - datetime.timedelta(days=1),
            auditors=[worker],
            moderators=[],
            sample_kind=SampleKind.STAGE,
        )
    fields = error.value.message_dict
    assert set(fields) >= {"title", "size", "deadline", "auditors", "moderators", "stage"}
    assert "may not carry out case audits" in fields["auditors"][0]


def test_only_the_qa_lead_sets_up_rounds(
    make_round: Callable[..., AuditRound], worker: User, manager: User, children: list[Person]
) -> None:
    for user in (worker, manager):
        with pytest.raises(PermissionDenied):
            make_round(acting_user=user)


def test_the_sample_reads_only_children_the_user_may_see(
    tool: AuditTool,
    children: list[Person],
    other_children: list[Person],
    manager: User,
    team: Team,
) -> None:
    today = timezone.localdate()
    drawn = sample(manager, SampleKind.RANDOM_PER_TEAM, as_at=today, size=10, seed=1)
    assert {c.team_id for c in drawn} == {team.pk}
    assert len(drawn) == len(children)


# --- An audit's lifecycle -------------------------------------------------------------------


@pytest.fixture
def audit(make_round: Callable[..., AuditRound], children: list[Person]) -> CaseAudit:
    return make_round(size=1).audits.get()


def test_an_audit_runs_from_answers_to_moderation(
    audit: CaseAudit, manager: User, worker: User, moderator: User
) -> None:
    answer_all(audit, manager, Grade.REQUIRES_IMPROVEMENT)
    audit = actions.submit_audit(acting_user=manager, audit=audit)
    assert audit.status == AuditStatus.SUBMITTED
    audit = actions.record_reflection(
        acting_user=worker, audit=audit, reflection="I will see the child alone."
    )
    assert audit.status == AuditStatus.REFLECTED
    audit = actions.moderate_audit(
        acting_user=moderator,
        audit=audit,
        decision=ModerationDecision.CHANGED,
        grade=Grade.GOOD,
        reason="The plan shows progress the auditor missed.",
    )
    assert (audit.status, audit.final_grade, audit.overall_grade) == (
        AuditStatus.MODERATED,
        Grade.GOOD,
        Grade.REQUIRES_IMPROVEMENT,
    )
    events = list(
        AuditEvent.objects.filter(subject_person_id=audit.person_id)
        .exclude(event_type=QualityEvent.ROUND_SET_UP)
        .order_by("id")
        .values_list("event_type", flat=True)
    )
    assert events == [
        QualityEvent.AUDIT_ANSWERED,
        QualityEvent.AUDIT_SUBMITTED,
        QualityEvent.AUDIT_REFLECTED,
        QualityEvent.AUDIT_MODERATED,
    ]
    moderated = AuditEvent.objects.get(event_type=QualityEvent.AUDIT_MODERATED)
    assert moderated.old_values == {"overall_grade": Grade.REQUIRES_IMPROVEMENT}
    assert moderated.new_values["moderated_grade"] == Grade.GOOD


def test_an_audit_is_not_submitted_until_every_question_is_graded(
    audit: CaseAudit, manager: User
) -> None:
    first = audit.tool.questions.first()
    assert first is not None
    actions.save_answers(
        acting_user=manager,
        audit=audit,
        answers={first.pk: actions.AnswerInput(Grade.GOOD, "Seen alone")},
        overall_grade=Grade.GOOD,
        summary="",
    )
    with pytest.raises(ValidationError) as error:
        actions.submit_audit(acting_user=manager, audit=audit)
    assert "question 2, 3" in str(error.value)
    audit.refresh_from_db()
    assert audit.status == AuditStatus.IN_PROGRESS


def test_transitions_are_refused_from_the_wrong_state_or_the_wrong_person(
    audit: CaseAudit,
    manager: User,
    worker: User,
    moderator: User,
    other_worker: User,
    make_user: Callable[..., User],
) -> None:
    with pytest.raises(ValidationError, match="audit is in progress"):
        actions.record_reflection(acting_user=worker, audit=audit, reflection="Too soon")
    with pytest.raises(ValidationError, match="in progress"):
        actions.moderate_audit(
            acting_user=moderator, audit=audit, decision="agreed", grade="", reason=""
        )
    another_manager = make_user(Role.TEAM_MANAGER)
    with pytest.raises(ValidationError, match="auditor"):
        answer_all(audit, another_manager)
    submitted(audit, manager)
    with pytest.raises(ValidationError, match="Only the worker"):
        actions.record_reflection(acting_user=other_worker, audit=audit, reflection="Not mine")
    with pytest.raises(ValidationError, match="cannot change the answers"):
        answer_all(audit, manager)
    other_moderator = make_user(Role.SENIOR_LEADER)
    with pytest.raises(ValidationError, match="moderator of this round"):
        actions.moderate_audit(
            acting_user=other_moderator, audit=audit, decision="agreed", grade="", reason=""
        )
    with pytest.raises(ValidationError) as error:
        actions.moderate_audit(
            acting_user=moderator, audit=audit, decision="changed", grade=Grade.GOOD, reason=""
        )
    assert set(error.value.message_dict) == {"grade", "reason"}
    with pytest.raises(PermissionDenied):
        actions.moderate_audit(
            acting_user=worker, audit=audit, decision="agreed", grade="", reason=""
        )
    actions.moderate_audit(
        acting_user=moderator, audit=audit, decision="agreed", grade="", reason=""
    )
    with pytest.raises(ValidationError, match="moderated"):
        actions.moderate_audit(
            acting_user=moderator, audit=audit, decision="agreed", grade="", reason=""
        )


def test_the_auditor_cannot_moderate_their_own_audit(
    make_round: Callable[..., AuditRound], children: list[Person], moderator: User
) -> None:
    audit = make_round(size=1, auditors=[moderator]).audits.get()
    submitted(audit, moderator)
    with pytest.raises(ValidationError, match="another moderator"):
        actions.moderate_audit(
            acting_user=moderator, audit=audit, decision="agreed", grade="", reason=""
        )


def test_a_partner_agencys_answer_is_recorded_with_their_agency(
    audit: CaseAudit, manager: User
) -> None:
    question = audit.tool.questions.get(order=1)
    row = actions.record_partner_answer(
        acting_user=manager,
        audit=audit,
        partner_name="Hana Visitor",
        agency="Health visiting",
        question=question,
        grade=Grade.GOOD,
        answer="The health visitor saw the child weekly.",
    )
    assert (row.partner_name, row.agency, row.question_id) == (
        "Hana Visitor",
        "Health visiting",
        question.pk,
    )
    event = AuditEvent.objects.get(event_type=QualityEvent.PARTNER_ANSWER_RECORDED)
    assert event.subject_person_id == audit.person_id
    with pytest.raises(ValidationError) as error:
        actions.record_partner_answer(
            acting_user=manager,
            audit=audit,
            partner_name="",
            agency="",
            question=None,
            grade="",
            answer="",
        )
    assert set(error.value.message_dict) == {"partner_name", "agency", "answer"}


# --- Tool versions --------------------------------------------------------------------------


def test_editing_a_tool_makes_a_new_version_and_a_finished_audit_keeps_its_own(
    audit: CaseAudit,
    manager: User,
    moderator: User,
    qa_lead: User,
    tool: AuditTool,
    make_round: Callable[..., AuditRound],
) -> None:
    submitted(audit, manager)
    actions.moderate_audit(
        acting_user=moderator, audit=audit, decision="agreed", grade="", reason=""
    )
    questions = [actions.QuestionInput(q.theme, q.text, q.guidance) for q in tool.questions.all()][
        1:
    ]
    questions.append(actions.QuestionInput(Theme.IDENTITY, "Is the child's name said right?"))
    new = actions.save_tool_version(
        acting_user=qa_lead,
        base=tool,
        title=tool.title,
        introduction="",
        questions=questions,
        change_note="Dropped question 1; added one on names.",
    )
    assert (new.key, new.version) == (tool.key, 2)
    assert new.questions.count() == tool.questions.count()
    assert new.questions.get(order=len(questions)).text == "Is the child's name said right?"
    audit.refresh_from_db()
    assert audit.tool_id == tool.pk
    assert audit.answers.count() == 12
    assert tool.questions.get(order=1).text.startswith("Are the child's wishes")
    event = AuditEvent.objects.get(event_type=QualityEvent.TOOL_VERSIONED)
    assert event.new_values["version"] == 2
    with pytest.raises(PermissionDenied):
        actions.save_tool_version(
            acting_user=manager,
            base=tool,
            title="x",
            introduction="",
            questions=questions,
            change_note="x",
        )


def test_a_tool_version_needs_a_question_and_a_change_note(qa_lead: User, tool: AuditTool) -> None:
    with pytest.raises(ValidationError) as error:
        actions.save_tool_version(
            acting_user=qa_lead, base=tool, title="", introduction="", questions=[], change_note=""
        )
    assert set(error.value.message_dict) == {"title", "change_note", "questions"}
    assert AuditTool.objects.count() == 1
