"""What case audits and IRO challenges add to the child's record: a summary block, work due
(audit actions for their owners, the audited worker's reflection, an IRO's open challenge)
and chronology entries."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from caseline.apps.accounts.permissions import Permission
from caseline.apps.accounts.queries import display_names
from caseline.apps.core.links import url_builder
from caseline.apps.people.contribution import (
    Category,
    ChronologyEntry,
    DueItem,
    PersonIds,
    RecordContribution,
    SummaryBlock,
)
from caseline.apps.people.models import Person
from caseline.apps.people.queries import RecordsHeld
from caseline.apps.quality import timescales
from caseline.apps.quality.models import (
    AuditAction,
    AuditStatus,
    CaseAudit,
    ChallengeOutcome,
    ChallengeStage,
    ChallengeStep,
    Grade,
    IROChallenge,
)
from caseline.apps.quality.timescales import AUDIT_ACTION, AUDIT_REFLECTION, CHALLENGE_RULES
from caseline.apps.timescales.queries import rules_in_force
from caseline.apps.timescales.rules import assess_timeliness, format_date


def _record_href(person: Person) -> str:
    return reverse("quality:record", kwargs={"person_id": person.pk})


def quality_summary(person: Person, as_at: datetime.date) -> list[SummaryBlock]:
    """The latest finished audit's grade, open audit actions and any open IRO challenge."""
    rows: list[tuple[str, str]] = []
    latest = (
        CaseAudit.objects.filter(person=person)
        .exclude(status=AuditStatus.IN_PROGRESS)
        .order_by("-submitted_at", "-id")
        .only("overall_grade", "moderated_grade", "status", "submitted_at")
        .first()
    )
    if latest is not None and latest.submitted_at is not None:
        state = "moderated" if latest.status == AuditStatus.MODERATED else "not yet moderated"
        day = format_date(timezone.localtime(latest.submitted_at).date())
        rows.append(("Latest case audit", f"{latest.final_grade_label} ({day}, {state})"))
    open_actions = AuditAction.objects.filter(person=person, done_on__isnull=True).count()
    if open_actions:
        rows.append(("Open audit actions", str(open_actions)))
    for challenge in IROChallenge.objects.filter(
        person=person, resolved_on__isnull=True
    ).prefetch_related("steps"):
        step = max(challenge.steps.all(), key=lambda s: (s.started_on, s.pk))
        rows.append(
            (
                "Open IRO challenge",
                f"{ChallengeStage(step.stage).label} since {format_date(step.started_on)}",
            )
        )
    if not rows:
        return []
    return [
        SummaryBlock(
            order=45,
            title="Case audits and IRO challenges",
            rows=rows,
            link_text="Audits and IRO challenges",
            link_href=_record_href(person),
        )
    ]


def quality_work(person_ids: PersonIds, as_at: datetime.date) -> list[DueItem]:
    """Open audit actions (their owner's), reflections the audited worker owes, and each open
    IRO challenge's current stage (the IRO's to follow up). Four queries however many
    children."""
    rules = rules_in_force(
        [AUDIT_REFLECTION.code, *(rule.code for rule in CHALLENGE_RULES.values())]
    )
    items: list[DueItem] = []
    action_done = url_builder("quality:action-done", "action_id")
    for action_id, person_id, owner_id, text, by_when in (
        AuditAction.objects.filter(person_id__any_of=person_ids, done_on__isnull=True)
        .order_by("by_when", "id")
        .values_list("pk", "person_id", "owner_id", "action", "by_when")
    ):
        items.append(
            DueItem(
                person_id=person_id,
                title=f"Audit action: {text[:60]}",
                rule_code=AUDIT_ACTION.code,
                timeliness=assess_timeliness(by_when, None, as_at),
                href=action_done(action_id=action_id),
                permission=Permission.AUDIT_ACTION_UPDATE,
                assigned_to_id=owner_id,
            )
        )
    reflect = url_builder("quality:audit-reflect", "audit_id")
    zone = timezone.get_current_timezone()
    for audit_id, person_id, submitted_at in CaseAudit.objects.filter(
        person_id__any_of=person_ids, status=AuditStatus.SUBMITTED
    ).values_list("pk", "person_id", "submitted_at"):
        trigger = timezone.localtime(submitted_at, zone).date()
        items.append(
            DueItem(
                person_id=person_id,
                title="Reflection on a case audit",
                rule_code=AUDIT_REFLECTION.code,
                timeliness=assess_timeliness(
                    rules[AUDIT_REFLECTION.code].due_date(trigger), None, as_at
                ),
                href=reflect(audit_id=audit_id),
                permission=Permission.AUDIT_REFLECT,
            )
        )
    challenge_page = url_builder("quality:challenge", "person_id", "challenge_id")
    latest: dict[int, tuple[datetime.date, int, str, int, int]] = {}
    for (
        challenge_id,
        person_id,
        raised_by,
        stage,
        started_on,
        step_id,
    ) in ChallengeStep.objects.filter(
        challenge__person_id__any_of=person_ids, challenge__resolved_on__isnull=True
    ).values_list(
        "challenge_id",
        "challenge__person_id",
        "challenge__raised_by_id",
        "stage",
        "started_on",
        "pk",
    ):
        key = (started_on, step_id, stage, person_id, raised_by)
        if challenge_id not in latest or key[:2] > latest[challenge_id][:2]:
            latest[challenge_id] = key
    for challenge_id, (started_on, _, stage, person_id, raised_by) in sorted(latest.items()):
        rule = rules[CHALLENGE_RULES[stage].code]
        items.append(
            DueItem(
                person_id=person_id,
                title=f"IRO challenge: {ChallengeStage(stage).label.lower()}",
                rule_code=rule.code,
                timeliness=assess_timeliness(rule.due_date(started_on), None, as_at),
                href=challenge_page(person_id=person_id, challenge_id=challenge_id),
                permission=Permission.IRO_CHALLENGE_RECORD,
                assigned_to_id=raised_by,
            )
        )
    return items


def quality_chronology(person: Person, held: RecordsHeld) -> list[ChronologyEntry]:
    """Audits as they were submitted and moderated, and each IRO challenge's stages and end."""
    entries: list[ChronologyEntry] = []
    audits = list(
        held.rows(CaseAudit)
        .exclude(status=AuditStatus.IN_PROGRESS)
        .only(
            "pk",
            "auditor_id",
            "moderated_by_id",
            "overall_grade",
            "moderated_grade",
            "moderation_decision",
            "submitted_at",
            "moderated_at",
            "status",
        )
    )
    challenges = list(held.rows(IROChallenge).prefetch_related("steps"))
    names = display_names(
        [a.auditor_id for a in audits]
        + [a.moderated_by_id for a in audits]
        + [c.raised_by_id for c in challenges]
    )
    record = _record_href(person)
    zone = timezone.get_current_timezone()
    for audit in audits:
        assert audit.submitted_at is not None
        submitted = timezone.localtime(audit.submitted_at, zone)
        entries.append(
            ChronologyEntry(
                date=submitted.date(),
                time=submitted.time(),
                category=Category.OVERSIGHT,
                what_happened=(
                    f"Case audit submitted: graded {Grade(audit.overall_grade).label.lower()}."
                ),
                source="Case audit",
                recorded_by=names.get(audit.auditor_id or 0, ""),
                href=record,
            )
        )
        if audit.moderated_at is not None:
            moderated = timezone.localtime(audit.moderated_at, zone)
            verb = "agreed" if audit.moderation_decision == "agreed" else "changed to"
            entries.append(
                ChronologyEntry(
                    date=moderated.date(),
                    time=moderated.time(),
                    category=Category.OVERSIGHT,
                    what_happened=(
                        f"Case audit moderated: grade {verb} "
                        f"{Grade(audit.moderated_grade).label.lower()}."
                    ),
                    source="Case audit",
                    recorded_by=names.get(audit.moderated_by_id or 0, ""),
                    href=record,
                )
            )
    for challenge in challenges:
        by = names.get(challenge.raised_by_id, "")
        for index, step in enumerate(
            sorted(challenge.steps.all(), key=lambda s: (s.started_on, s.pk))
        ):
            stage = ChallengeStage(step.stage).label
            what = (
                f"IRO challenge raised ({stage.lower()}) with {step.addressed_to}: "
                f"{challenge.concern}"
                if index == 0
                else f"IRO challenge escalated to {stage.lower()} with {step.addressed_to}."
            )
            entries.append(
                ChronologyEntry(
                    date=step.started_on,
                    category=Category.OVERSIGHT,
                    what_happened=what,
                    source="IRO challenge",
                    recorded_by=by,
                    why_it_matters=(
                        "The IRO has challenged the plan or practice for the child."
                        if index == 0
                        else ""
                    ),
                    significant=index == 0,
                    href=record,
                )
            )
        if challenge.resolved_on is not None:
            entries.append(
                ChronologyEntry(
                    date=challenge.resolved_on,
                    category=Category.OVERSIGHT,
                    what_happened=(
                        f"IRO challenge ended: {ChallengeOutcome(challenge.outcome).label.lower()}."
                        f" {challenge.resolution}"
                    ),
                    source="IRO challenge",
                    recorded_by=by,
                    href=record,
                )
            )
    return entries


CONTRIBUTION = RecordContribution(
    app_label="quality",
    summary_blocks=quality_summary,
    due_for=quality_work,
    chronology=quality_chronology,
    chronology_from_own_records=True,
    timescale_rules=timescales.RULES,
)
