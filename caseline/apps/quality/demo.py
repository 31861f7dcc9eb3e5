"""Case audits for the demo: one audit round over the synthetic authority, one audit carried
through to moderation, and one IRO challenge, all made through the app's actions as the demo
users (so they are audited like any other write)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from caseline.apps.accounts.models import User
from caseline.apps.people.models import Allocation
from caseline.apps.quality import actions
from caseline.apps.quality.models import (
    AuditRound,
    AuditTool,
    ChallengeStage,
    Grade,
    SampleKind,
)

DEMO_SEED = 2026
DEMO_GRADES = (Grade.GOOD, Grade.REQUIRES_IMPROVEMENT)


def add_demo_audits() -> str:
    """Set up the demo's audit round unless one exists; say what was done."""
    if AuditRound.objects.exists():
        return "The demo already has audit rounds."
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["qa.lead", "team.manager", "director", "iro"])
    }
    if len(users) < 4:
        return "The demo users are missing: no audit round made."
    if not Allocation.objects.filter(end_date__isnull=True).exists():
        return "No child is allocated: no audit round made."
    today = timezone.localdate()
    tool = AuditTool.objects.filter(key="practice-audit").order_by("-version").first()
    assert tool is not None  # installed by migration 0002
    round_ = actions.set_up_round(
        acting_user=users["qa.lead"],
        title="Practice audit (demo)",
        tool=tool,
        sample_kind=SampleKind.RANDOM_PER_TEAM,
        size=2,
        as_at=today,
        deadline=today + datetime.timedelta(days=28),
        auditors=[users["team.manager"], users["qa.lead"]],
        moderators=[users["director"]],
        seed=DEMO_SEED,
    )
    audits = list(round_.audits.order_by("id")[: len(DEMO_GRADES)])
    for audit, grade in zip(audits, DEMO_GRADES, strict=False):
        auditor = (
            users["team.manager"]
            if audit.auditor_id == users["team.manager"].pk
            else users["qa.lead"]
        )
        actions.save_answers(
            acting_user=auditor,
            audit=audit,
            answers={
                q.pk: actions.AnswerInput(grade, "Seen in the record (demo).")
                for q in audit.tool.questions.all()
            },
            overall_grade=grade,
            summary="A demo audit.",
        )
        actions.submit_audit(acting_user=auditor, audit=audit)
        actions.moderate_audit(
            acting_user=users["director"], audit=audit, decision="agreed", grade="", reason=""
        )
    last = round_.audits.select_related("person").order_by("-id")[0]
    actions.raise_challenge(
        acting_user=users["iro"],
        child=last.person,
        stage=ChallengeStage.INFORMAL,
        started_on=today,
        addressed_to="Tess Manning, team manager",
        concern="The plan has no date for the permanence decision (demo).",
    )
    return f"Audit round with {round_.audits.count()} audits set up (seed {DEMO_SEED})."
