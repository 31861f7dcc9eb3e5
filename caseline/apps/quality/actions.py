"""Every write of case audits and IRO challenges: audited, checked, all or nothing."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.audit.record import changed_values, record_event, snapshot
from caseline.apps.core.access import require_permission, user_can
from caseline.apps.core.checks import Checks
from caseline.apps.people.models import Person
from caseline.apps.quality import sample as sampling
from caseline.apps.quality.events import QualityEvent
from caseline.apps.quality.models import (
    STAGE_ORDER,
    AuditAction,
    AuditAnswer,
    AuditRound,
    AuditStatus,
    AuditTool,
    CaseAudit,
    ChallengeOutcome,
    ChallengeStage,
    ChallengeStep,
    Grade,
    IROChallenge,
    ModerationDecision,
    PartnerAnswer,
    SampleKind,
    SampleTheme,
    Stage,
    Theme,
    ToolQuestion,
)
from caseline.apps.quality.timescales import AUDIT_ACTION
from caseline.apps.timescales.queries import rule_in_force

MAX_SAMPLE_SIZE = 200
TEXT_LIMIT = 10_000


def _refuse(field: str | None, message: str) -> ValidationError:
    return ValidationError({field: [message]} if field else message)


# --- Audit tools ----------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionInput:
    """A question of a tool version being written."""

    theme: str
    text: str
    guidance: str = ""


@transaction.atomic(durable=True)
def save_tool_version(
    *,
    acting_user: User,
    base: AuditTool,
    title: str,
    introduction: str,
    questions: Sequence[QuestionInput],
    change_note: str,
) -> AuditTool:
    """Save an edited tool as its next version; earlier versions, and the audits that used
    them, are left as they were."""
    require_permission(acting_user, Permission.AUDIT_ROUND_MANAGE)
    checks = Checks()
    checks.required("title", title, "Enter the tool's title")
    checks.required("change_note", change_note, "Say what changed in this version")
    checks.check(bool(questions), "questions", "A tool needs at least one question")
    for index, question in enumerate(questions, start=1):
        checks.check(
            question.theme in Theme.values, "questions", f"Choose a theme for question {index}"
        )
        checks.required("questions", question.text, f"Enter the text of question {index}")
    checks.raise_if_any()
    latest = AuditTool.objects.filter(key=base.key).aggregate(v=Max("version"))["v"] or 0
    tool = AuditTool.objects.create(
        key=base.key,
        version=latest + 1,
        title=title.strip(),
        introduction=introduction.strip(),
        created_by=acting_user,
        change_note=change_note.strip(),
    )
    ToolQuestion.objects.bulk_create(
        ToolQuestion(
            tool=tool,
            theme=q.theme,
            order=index,
            text=q.text.strip(),
            guidance=q.guidance.strip(),
        )
        for index, q in enumerate(questions, start=1)
    )
    record_event(
        acting_user=acting_user,
        event_type=QualityEvent.TOOL_VERSIONED,
        target=tool,
        new_values={
            **snapshot(tool, ["key", "version", "title", "change_note"]),
            "questions": len(questions),
            "from_version": base.version,
        },
    )
    return tool


# --- Rounds ---------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def set_up_round(
    *,
    acting_user: User,
    title: str,
    tool: AuditTool,
    sample_kind: str,
    size: int | None,
    as_at: datetime.date | None,
    deadline: datetime.date | None,
    auditors: Sequence[User],
    moderators: Sequence[User],
    teams: Sequence[Team] = (),
    stage: str = "",
    theme: str = "",
    seed: int | None = None,
) -> AuditRound:
    """Draw the sample and make one audit for each child, shared among the auditors in turn.

    The seed (drawn here when none is given) is recorded with the round, so the same seed
    and records give the same sample.
    """
    require_permission(acting_user, Permission.AUDIT_ROUND_MANAGE)
    checks = Checks()
    checks.required("title", title, "Enter a title for the round")
    checks.check(sample_kind in SampleKind.values, "sample_kind", "Choose how to sample")
    if checks.required("size", size, "Enter how many children to sample"):
        assert size is not None
        checks.check(
            1 <= size <= MAX_SAMPLE_SIZE,
            "size",
            f"The number of children must be between 1 and {MAX_SAMPLE_SIZE}",
        )
    if sample_kind == SampleKind.STAGE:
        checks.check(stage in Stage.values, "stage", "Choose the stage of the child's journey")
    if sample_kind == SampleKind.THEME:
        checks.check(theme in SampleTheme.values, "theme", "Choose the theme")
    if checks.required("as_at", as_at, "Enter the date the sample is drawn as at"):
        checks.happened("as_at", as_at, "The sample date")
    if checks.required("deadline", deadline, "Enter the deadline"):
        checks.planned("deadline", deadline, "The deadline")
        checks.check(
            deadline is None or as_at is None or deadline > as_at,
            "deadline",
            "The deadline must be after the sample date",
        )
    if checks.check(bool(auditors), "auditors", "Choose at least one auditor"):
        for user in auditors:
            checks.check(
                user_can(user, Permission.AUDIT_CASE),
                "auditors",
                f"{user.get_full_name() or user.username} may not carry out case audits",
            )
    if checks.check(bool(moderators), "moderators", "Choose at least one moderator"):
        for user in moderators:
            checks.check(
                user_can(user, Permission.AUDIT_MODERATE),
                "moderators",
                f"{user.get_full_name() or user.username} may not moderate case audits",
            )
    if seed is not None:
        checks.check(0 <= seed < 2**31, "seed", "The seed must be a whole number from 0")
    checks.raise_if_any()
    assert size is not None
    assert as_at is not None
    assert deadline is not None
    if seed is None:
        seed = secrets.randbelow(1_000_000)
    team_ids = sorted(t.pk for t in teams)
    chosen = sampling.sample(
        acting_user,
        sample_kind,
        as_at=as_at,
        size=size,
        seed=seed,
        team_ids=team_ids,
        stage=stage,
        theme=theme,
    )
    if not chosen:
        raise _refuse("sample_kind", "No children you may see match this sample on that date")
    round_ = AuditRound.objects.create(
        title=title.strip(),
        tool=tool,
        sample_kind=sample_kind,
        sample_params={"size": size, "team_ids": team_ids, "stage": stage, "theme": theme},
        seed=seed,
        as_at=as_at,
        deadline=deadline,
        created_by=acting_user,
    )
    round_.auditors.set(auditors)
    round_.moderators.set(moderators)
    ordered_auditors = sorted(auditors, key=lambda u: u.pk)
    audits = CaseAudit.objects.bulk_create(
        CaseAudit(
            round=round_,
            person_id=c.person_id,
            tool=tool,
            auditor=ordered_auditors[index % len(ordered_auditors)],
            worker_id=c.worker_id,
            team_id=c.team_id,
        )
        for index, c in enumerate(chosen)
    )
    record_event(
        acting_user=acting_user,
        event_type=QualityEvent.ROUND_SET_UP,
        target=round_,
        new_values={
            **snapshot(round_, ["title", "tool", "sample_kind", "sample_params", "seed"]),
            "as_at": as_at.isoformat(),
            "deadline": deadline.isoformat(),
            "auditors": [u.pk for u in ordered_auditors],
            "moderators": sorted(u.pk for u in moderators),
            "sample": [c.person_id for c in chosen],
        },
    )
    for audit in audits:
        record_event(
            acting_user=acting_user,
            event_type=QualityEvent.ROUND_SET_UP,
            target=audit,
            subject_person_id=audit.person_id,
            new_values=snapshot(audit, ["round", "tool", "auditor", "worker", "team"]),
        )
    return round_


# --- Carrying out an audit ------------------------------------------------------------------


def _require_state(audit: CaseAudit, *allowed: AuditStatus, doing: str) -> None:
    if audit.status not in allowed:
        raise ValidationError(
            f"You cannot {doing}: the audit is {AuditStatus(audit.status).label.lower()}."
        )


def _require_auditor(acting_user: User, audit: CaseAudit) -> None:
    if audit.auditor_id != acting_user.pk and not user_can(
        acting_user, Permission.AUDIT_ROUND_MANAGE
    ):
        raise ValidationError("Only the audit's auditor or the quality assurance lead can do this.")


def _locked(audit: CaseAudit) -> CaseAudit:
    return CaseAudit.objects.select_for_update().get(pk=audit.pk)


@dataclass(frozen=True)
class AnswerInput:
    grade: str
    answer: str


@transaction.atomic(durable=True)
def save_answers(
    *,
    acting_user: User,
    audit: CaseAudit,
    answers: Mapping[int, AnswerInput],
    overall_grade: str,
    summary: str,
) -> CaseAudit:
    """Save the auditor's answers and grades (a draft until submitted)."""
    require_permission(acting_user, Permission.AUDIT_CASE)
    audit = _locked(audit)
    _require_auditor(acting_user, audit)
    _require_state(audit, AuditStatus.IN_PROGRESS, doing="change the answers")
    questions = {q.pk: q for q in audit.tool.questions.all()}
    checks = Checks()
    for question_id, given in answers.items():
        checks.check(question_id in questions, None, "An answer is for a question not in the tool")
        checks.check(given.grade in ("", *Grade.values), f"grade_{question_id}", "Choose a grade")
        checks.check(
            len(given.answer) <= TEXT_LIMIT,
            f"answer_{question_id}",
            f"The answer must be {TEXT_LIMIT:,} characters or fewer",
        )
    checks.check(overall_grade in ("", *Grade.values), "overall_grade", "Choose a grade")
    checks.raise_if_any()
    before = {a.question_id: (a.grade, a.answer) for a in audit.answers.all()}
    existing = {a.question_id: a for a in audit.answers.all()}
    for question_id, given in answers.items():
        row = existing.get(question_id) or AuditAnswer(audit=audit, question_id=question_id)
        row.grade, row.answer = given.grade, given.answer.strip()
        row.save()
    old, new = changed_values(
        {"overall_grade": audit.overall_grade, "summary": audit.summary},
        {"overall_grade": overall_grade, "summary": summary.strip()},
    )
    audit.overall_grade, audit.summary = overall_grade, summary.strip()
    audit.save(update_fields=["overall_grade", "summary"])
    after = {q: (a.grade, a.answer) for q, a in answers.items()}
    changed = sorted(q for q in after if before.get(q) != (after[q][0], after[q][1].strip()))
    record_event(
        acting_user=acting_user,
        event_type=QualityEvent.AUDIT_ANSWERED,
        target=audit,
        subject_person_id=audit.person_id,
        old_values=old,
        new_values={**new, "questions_changed": changed},
    )
    return audit


@transaction.atomic(durable=True)
def submit_audit(*, acting_user: User, audit: CaseAudit) -> CaseAudit:
    """Submit a finished audit for the worker's reflection and moderation: every question
    graded and an overall grade given."""
    require_permission(acting_user, Permission.AUDIT_CASE)
    audit = _locked(audit)
    _require_auditor(acting_user, audit)
    _require_state(audit, AuditStatus.IN_PROGRESS, doing="submit it")
    graded = set(audit.answers.exclude(grade="").values_list("question_id", flat=True))
    missing = [q.order for q in audit.tool.questions.all() if q.pk not in graded]
    checks = Checks()
    checks.check(
        not missing,
        None,
        "Grade every question before submitting: question "
        + ", ".join(str(m) for m in missing)
        + (" has" if len(missing) == 1 else " have")
        + " no grade",
    )
    checks.check(bool(audit.overall_grade), None, "Give the audit an overall grade")
    checks.raise_if_any()
    audit.status = AuditStatus.SUBMITTED
    audit.submitted_at = timezone.now()
    audit.save(update_fields=["status", "submitted_at"])
    record_event(
        acting_user=acting_user,
        event_type=QualityEvent.AUDIT_SUBMITTED,
        target=audit,
        subject_person_id=audit.person_id,
        new_values=snapshot(audit, ["status", "overall_grade", "submitted_at"]),
    )
    return audit


@transaction.atomic(durable=True)
def record_reflection(*, acting_user: User, audit: CaseAudit, reflection: str) -> CaseAudit:
    """The audited worker's reflection on a submitted audit."""
    require_permission(acting_user, Permission.AUDIT_REFLECT)
    audit = _locked(audit)
    if audit.worker_id != acting_user.pk:
        raise ValidationError("Only the worker whose work was audited can add the reflection.")
    _require_state(audit, AuditStatus.SUBMITTED, doing="add a reflection")
    checks = Checks()
    checks.required("reflection", reflection, "Enter your reflection")
    checks.check(
        len(reflection) <= TEXT_LIMIT,
        "reflection",
        f"The reflection must be {TEXT_LIMIT:,} characters or fewer",
    )
    checks.raise_if_any()
    audit.reflection = reflection.strip()
    audit.reflected_at = timezone.now()
    audit.reflected_by = acting_user
    audit.status = AuditStatus.REFLECTED
    audit.save(update_fields=["reflection", "reflected_at", "reflected_by", "status"])
    record_event(
        acting_user=acting_user,
        event_type=QualityEvent.AUDIT_REFLECTED,
        target=audit,
        subject_person_id=audit.person_id,
        new_values=snapshot(audit, ["status", "reflection"]),
    )
    return audit


@transaction.atomic(durable=True)
def moderate_audit(
    *, acting_user: User, audit: CaseAudit, decision: str, grade: str, reason: str
) -> CaseAudit:
    """A moderator agrees the auditor's grade or changes it, with a reason."""
    require_permission(acting_user, Permission.AUDIT_MODERATE)
    audit = _locked(audit)
    if not audit.round.moderators.filter(pk=acting_user.pk).exists():
        raise ValidationError("Only a moderator of this round can moderate its audits.")
    if audit.auditor_id == acting_user.pk:
        raise ValidationError("You audited this case: another moderator must moderate it.")
    _require_state(audit, AuditStatus.SUBMITTED, AuditStatus.REFLECTED, doing="moderate it")
    checks = Checks()
    changed = checks.check(
        decision in ModerationDecision.values, "decision", "Choose agree or change"
    ) and (decision == ModerationDecision.CHANGED)
    if changed:
        if checks.check(grade in Grade.values, "grade", "Choose the moderated grade"):
            checks.check(
                grade != audit.overall_grade,
                "grade",
                "The moderated grade is the auditor's: choose agree, or a different grade",
            )
        checks.required("reason", reason, "Give the reason for changing the grade")
    checks.check(
        len(reason) <= TEXT_LIMIT,
        "reason",
        f"The reason must be {TEXT_LIMIT:,} characters or fewer",
    )
    checks.raise_if_any()
    audit.moderation_decision = decision
    audit.moderated_grade = grade if decision == ModerationDecision.CHANGED else audit.overall_grade
    audit.moderation_reason = reason.strip()
    audit.moderated_at = timezone.now()
    audit.moderated_by = acting_user
    audit.status = AuditStatus.MODERATED
    audit.save(
        update_fields=[
            "moderation_decision",
            "moderated_grade",
            "moderation_reason",
            "moderated_at",
            "moderated_by",
            "status",
        ]
    )
    record_event(
        acting_user=acting_user,
        event_type=QualityEvent.AUDIT_MODERATED,
        target=audit,
        subject_person_id=audit.person_id,
        old_values={"overall_grade": audit.overall_grade},
        new_values=snapshot(
            audit, ["status", "moderation_decision", "moderated_grade", "moderation_reason"]
        ),
    )
    return audit


@transaction.atomic(durable=True)
def record_partner_answer(
    *,
    acting_user: User,
    audit: CaseAudit,
    partner_name: str,
    agency: str,
    question: ToolQuestion | None,
    grade: str,
    answer: str,
) -> PartnerAnswer:
    """A partner agency auditor's answer in a multi-agency audit, recorded by the auditor."""
    require_permission(acting_user, Permission.AUDIT_CASE)
    audit = _locked(audit)
    _require_auditor(acting_user, audit)
    _require_state(
        audit,
        AuditStatus.IN_PROGRESS,
        AuditStatus.SUBMITTED,
        AuditStatus.REFLECTED,
        doing="add a partner's answer",
    )
    checks = Checks()
    checks.required("partner_name", partner_name, "Enter the partner auditor's name")
    checks.required("agency", agency, "Enter the partner's agency")
    checks.required("answer", answer, "Enter the partner's answer")
    checks.check(grade in ("", *Grade.values), "grade", "Choose a grade")
    checks.check(
        question is None or question.tool_id == audit.tool_id,
        "question",
        "Choose a question from this audit's tool",
    )
    checks.raise_if_any()
    row = PartnerAnswer.objects.create(
        audit=audit,
        partner_name=partner_name.strip(),
        agency=agency.strip(),
        question=question,
        grade=grade,
        answer=answer.strip(),
        recorded_by=acting_user,
    )
    record_event(
        acting_user=acting_user,
        event_type=QualityEvent.PARTNER_ANSWER_RECORDED,
        target=row,
        subject_person_id=audit.person_id,
        new_values=snapshot(row, ["audit", "partner_name", "agency", "question", "grade"]),
    )
    return row


# --- Actions from audits --------------------------------------------------------------------


@transaction.atomic(durable=True)
def set_action(
    *,
    acting_user: User,
    audit: CaseAudit,
    owner: User | None,
    action: str,
    by_when: datetime.date | None,
) -> AuditAction:
    """An action from an audit: who, what, and by when (by default, the local standard's
    time from today)."""
    require_permission(acting_user, Permission.AUDIT_CASE)
    audit = _locked(audit)
    if audit.auditor_id != acting_user.pk and not (
        user_can(acting_user, Permission.AUDIT_MODERATE)
        or user_can(acting_user, Permission.AUDIT_ROUND_MANAGE)
    ):
        raise ValidationError("Only the auditor, a moderator or the quality lead can set actions.")
    today = timezone.localdate()
    checks = Checks()
    if checks.required("owner", owner, "Choose who will do the action"):
        assert owner is not None
        checks.check(
            user_can(owner, Permission.AUDIT_ACTION_UPDATE),
            "owner",
            f"{owner.get_full_name() or owner.username} cannot take audit actions",
        )
    checks.required("action", action, "Enter what must be done")
    checks.check(
        len(action) <= TEXT_LIMIT,
        "action",
        f"The action must be {TEXT_LIMIT:,} characters or fewer",
    )
    if by_when is not None and checks.planned("by_when", by_when, "The date"):
        checks.check(by_when >= today, "by_when", "The date must be today or later")
    checks.raise_if_any()
    assert owner is not None
    if by_when is None:
        by_when = rule_in_force(AUDIT_ACTION.code).due_date(today)
    row = AuditAction.objects.create(
        audit=audit,
        person_id=audit.person_id,
        owner=owner,
        action=action.strip(),
        by_when=by_when,
        recorded_by=acting_user,
    )
    record_event(
        acting_user=acting_user,
        event_type=QualityEvent.ACTION_SET,
        target=row,
        subject_person_id=audit.person_id,
        new_values=snapshot(row, ["audit", "owner", "action", "by_when"]),
    )
    return row


@transaction.atomic(durable=True)
def complete_action(
    *, acting_user: User, action: AuditAction, done_on: datetime.date | None, note: str
) -> AuditAction:
    """The owner marks an audit action done."""
    require_permission(acting_user, Permission.AUDIT_ACTION_UPDATE)
    action = AuditAction.objects.select_for_update().get(pk=action.pk)
    if action.owner_id != acting_user.pk and not user_can(
        acting_user, Permission.AUDIT_ROUND_MANAGE
    ):
        raise ValidationError("Only the action's owner can mark it done.")
    if action.done_on is not None:
        raise ValidationError(f"This action was already done on {action.done_on:%-d %B %Y}.")
    checks = Checks()
    if checks.required("done_on", done_on, "Enter the date it was done"):
        checks.happened("done_on", done_on, "The date it was done")
    checks.raise_if_any()
    action.done_on, action.done_note = done_on, note.strip()
    action.save(update_fields=["done_on", "done_note"])
    record_event(
        acting_user=acting_user,
        event_type=QualityEvent.ACTION_DONE,
        target=action,
        subject_person_id=action.person_id,
        new_values=snapshot(action, ["done_on", "done_note"]),
    )
    return action


# --- IRO challenge --------------------------------------------------------------------------


def _step_checks(
    checks: Checks, child: Person, started_on: datetime.date | None, addressed_to: str
) -> None:
    if checks.required("started_on", started_on, "Enter the date the challenge was raised"):
        checks.happened("started_on", started_on, "The date", child=child)
    checks.required("addressed_to", addressed_to, "Enter who the challenge is raised with")


@transaction.atomic(durable=True)
def raise_challenge(
    *,
    acting_user: User,
    child: Person,
    stage: str,
    started_on: datetime.date | None,
    addressed_to: str,
    concern: str,
) -> IROChallenge:
    """An IRO raises a challenge about the child's case, informally or at a formal stage."""
    require_permission(acting_user, Permission.IRO_CHALLENGE_RECORD)
    checks = Checks()
    checks.check(stage in STAGE_ORDER, "stage", "Choose the stage")
    _step_checks(checks, child, started_on, addressed_to)
    checks.required("concern", concern, "Enter the concern the IRO raised")
    checks.raise_if_any()
    assert started_on is not None
    challenge = IROChallenge.objects.create(
        person=child, raised_by=acting_user, raised_on=started_on, concern=concern.strip()
    )
    step = ChallengeStep.objects.create(
        challenge=challenge,
        stage=stage,
        started_on=started_on,
        addressed_to=addressed_to.strip(),
        recorded_by=acting_user,
    )
    record_event(
        acting_user=acting_user,
        event_type=QualityEvent.CHALLENGE_RAISED,
        target=challenge,
        subject_person_id=child.pk,
        new_values={
            **snapshot(challenge, ["raised_on", "concern"]),
            **snapshot(step, ["stage", "addressed_to"]),
        },
    )
    return challenge


def _current_step(challenge: IROChallenge) -> ChallengeStep:
    step = challenge.steps.order_by("-started_on", "-id").first()
    assert step is not None  # a challenge is raised with its first step
    return step


@transaction.atomic(durable=True)
def escalate_challenge(
    *,
    acting_user: User,
    challenge: IROChallenge,
    stage: str,
    started_on: datetime.date | None,
    addressed_to: str,
    note: str,
) -> ChallengeStep:
    """Take an open challenge to a later stage of the protocol."""
    require_permission(acting_user, Permission.IRO_CHALLENGE_RECORD)
    challenge = IROChallenge.objects.select_for_update().get(pk=challenge.pk)
    if challenge.resolved_on is not None:
        raise ValidationError("This challenge has been resolved: raise a new one instead.")
    current = _current_step(challenge)
    checks = Checks()
    if checks.check(stage in STAGE_ORDER, "stage", "Choose the stage"):
        checks.check(
            STAGE_ORDER.index(stage) > STAGE_ORDER.index(current.stage),
            "stage",
            f"Choose a stage after the current one ({ChallengeStage(current.stage).label})",
        )
    _step_checks(checks, challenge.person, started_on, addressed_to)
    if started_on is not None and not checks.has("started_on"):
        checks.check(
            started_on >= current.started_on,
            "started_on",
            f"The date must be on or after {current.started_on:%-d %B %Y}, "
            "when the current stage began",
        )
    checks.raise_if_any()
    assert started_on is not None
    step = ChallengeStep.objects.create(
        challenge=challenge,
        stage=stage,
        started_on=started_on,
        addressed_to=addressed_to.strip(),
        note=note.strip(),
        recorded_by=acting_user,
    )
    record_event(
        acting_user=acting_user,
        event_type=QualityEvent.CHALLENGE_ESCALATED,
        target=challenge,
        subject_person_id=challenge.person_id,
        old_values={"stage": current.stage},
        new_values=snapshot(step, ["stage", "started_on", "addressed_to", "note"]),
    )
    return step


@transaction.atomic(durable=True)
def resolve_challenge(
    *,
    acting_user: User,
    challenge: IROChallenge,
    resolved_on: datetime.date | None,
    outcome: str,
    resolution: str,
) -> IROChallenge:
    """Record how an open challenge ended."""
    require_permission(acting_user, Permission.IRO_CHALLENGE_RECORD)
    challenge = IROChallenge.objects.select_for_update().get(pk=challenge.pk)
    if challenge.resolved_on is not None:
        raise ValidationError("This challenge has already been resolved.")
    current = _current_step(challenge)
    checks = Checks()
    if checks.required("resolved_on", resolved_on, "Enter the date it was resolved"):
        assert resolved_on is not None
        if checks.happened("resolved_on", resolved_on, "The date", child=challenge.person):
            checks.check(
                resolved_on >= current.started_on,
                "resolved_on",
                f"The date must be on or after {current.started_on:%-d %B %Y}, "
                "when the current stage began",
            )
    checks.check(outcome in ChallengeOutcome.values, "outcome", "Choose the outcome")
    checks.required("resolution", resolution, "Say how the challenge was resolved")
    checks.raise_if_any()
    challenge.resolved_on, challenge.outcome = resolved_on, outcome
    challenge.resolution = resolution.strip()
    challenge.save(update_fields=["resolved_on", "outcome", "resolution"])
    record_event(
        acting_user=acting_user,
        event_type=QualityEvent.CHALLENGE_RESOLVED,
        target=challenge,
        subject_person_id=challenge.person_id,
        new_values={
            **snapshot(challenge, ["resolved_on", "outcome", "resolution"]),
            "stage": current.stage,
        },
    )
    return challenge
