"""Actions from audits, reflections and IRO challenges on the child's record and in My work;
IRO challenge stages and their local-standard timescales."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from caseline.apps.accounts.models import User
from caseline.apps.audit.models import AuditEvent
from caseline.apps.chronology.queries import chronology_for
from caseline.apps.mywork.queries import my_work
from caseline.apps.people.models import Person
from caseline.apps.people.summary import as_seen_by, due_items, summary_blocks
from caseline.apps.people.tests.due import check_links
from caseline.apps.quality import actions, queries
from caseline.apps.quality.events import QualityEvent
from caseline.apps.quality.models import (
    AuditRound,
    CaseAudit,
    ChallengeOutcome,
    ChallengeStage,
)
from caseline.apps.quality.providers import quality_work
from caseline.apps.quality.tests.conftest import submitted
from caseline.apps.quality.timescales import AUDIT_ACTION, CHALLENGE_STAGE_1, RULES
from caseline.apps.timescales.calendar import england_and_wales
from caseline.apps.timescales.models import LocalStandardSetting
from caseline.apps.timescales.rules import CATALOGUE, Basis

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit(make_round: Callable[..., AuditRound], children: list[Person]) -> CaseAudit:
    return make_round(size=1).audits.get()


def test_every_rule_is_a_local_standard_naming_its_source() -> None:
    for rule in RULES:
        assert CATALOGUE.get(rule.code) == rule
        assert rule.basis is Basis.LOCAL_STANDARD
        assert rule.source.startswith("Local standard")


def test_an_action_lands_in_its_owners_my_work_and_on_the_childs_record(
    audit: CaseAudit, manager: User, worker: User, today: datetime.date
) -> None:
    due = today + datetime.timedelta(days=10)
    action = actions.set_action(
        acting_user=manager,
        audit=audit,
        owner=manager,
        action="Update the chronology",
        by_when=due,
    )
    # The manager owns it though the child is not on their caseload.
    rows = my_work(manager, today).rows
    assert [(r.item.title, r.person.pk, r.item.timeliness.due_date) for r in rows] == [
        ("Audit action: Update the chronology", audit.person_id, due)
    ]
    # The child's worker could mark actions done, but this one is the manager's.
    assert all(r.item.rule_code != AUDIT_ACTION.code for r in my_work(worker, today).rows)
    items = [i for i in due_items(audit.person, today) if i.rule_code == AUDIT_ACTION.code]
    assert check_links(items) == {"quality:action-done"}
    [line] = as_seen_by(worker, items, {})
    assert line.for_whom == f"For the action owner, {manager.get_full_name()}"
    event = AuditEvent.objects.get(event_type=QualityEvent.ACTION_SET)
    assert event.subject_person_id == audit.person_id
    assert event.new_values["by_when"] == due.isoformat()
    with pytest.raises(ValidationError, match="owner"):
        actions.complete_action(acting_user=worker, action=action, done_on=today, note="")
    actions.complete_action(acting_user=manager, action=action, done_on=today, note="Done")
    assert my_work(manager, today).rows == []


def test_an_action_without_a_date_takes_the_local_standard_from_today(
    audit: CaseAudit, manager: User, worker: User, today: datetime.date
) -> None:
    action = actions.set_action(
        acting_user=manager, audit=audit, owner=worker, action="See the child alone", by_when=None
    )
    assert action.by_when == england_and_wales().add_working_days(today, 20)


def test_an_action_needs_an_owner_who_can_take_it_and_a_date_ahead(
    audit: CaseAudit, manager: User, make_user: Callable[..., User], today: datetime.date
) -> None:
    from caseline.apps.accounts.permissions import Role

    analyst = make_user(Role.ANALYST)
    with pytest.raises(ValidationError) as error:
        actions.set_action(
            acting_user=manager,
            audit=audit,
            owner=analyst,
            action="",
            by_when=today - datetime.timedelta(days=1),
        )
    assert set(error.value.message_dict) == {"owner", "action", "by_when"}
    with pytest.raises(PermissionDenied):
        actions.set_action(
            acting_user=analyst, audit=audit, owner=manager, action="x", by_when=None
        )


def test_the_audited_worker_owes_a_reflection_in_their_my_work(
    audit: CaseAudit, manager: User, worker: User, today: datetime.date
) -> None:
    submitted(audit, manager)
    rows = [r for r in my_work(worker, today).rows if r.item.rule_code == "audit-reflection"]
    assert len(rows) == 1
    assert rows[0].item.timeliness.due_date == england_and_wales().add_working_days(today, 10)
    assert check_links([rows[0].item]) == {"quality:audit-reflect"}
    actions.record_reflection(acting_user=worker, audit=audit, reflection="Noted")
    assert not [r for r in my_work(worker, today).rows if r.item.rule_code == "audit-reflection"]


def test_due_work_takes_a_fixed_number_of_queries(
    make_round: Callable[..., AuditRound],
    children: list[Person],
    manager: User,
    iro: User,
    today: datetime.date,
    django_assert_max_num_queries: Any,
) -> None:
    round_ = make_round(size=6)
    for audit in round_.audits.all():
        submitted(audit, manager)
        actions.set_action(
            acting_user=manager, audit=audit, owner=manager, action="x", by_when=None
        )
        actions.raise_challenge(
            acting_user=iro,
            child=audit.person,
            stage=ChallengeStage.INFORMAL,
            started_on=today,
            addressed_to="Tess Manning, team manager",
            concern="Drift",
        )
    ids = [c.pk for c in children]
    with django_assert_max_num_queries(4):
        items = quality_work(ids, today)
    assert len(items) == 18


# --- IRO challenge --------------------------------------------------------------------------


def test_a_challenge_goes_through_its_stages_to_resolution_on_the_childs_record(
    children: list[Person], iro: User, worker: User, today: datetime.date
) -> None:
    child = children[0]
    start = england_and_wales().add_working_days(today, -12)
    challenge = actions.raise_challenge(
        acting_user=iro,
        child=child,
        stage=ChallengeStage.INFORMAL,
        started_on=start,
        addressed_to="Sam Worth, social worker",
        concern="The permanence plan has drifted for six months.",
    )
    [item] = [i for i in due_items(child, today) if i.rule_code.startswith("iro-challenge")]
    assert item.rule_code == "iro-challenge-informal"
    assert item.timeliness.due_date == england_and_wales().add_working_days(start, 5)
    assert item.assigned_to_id == iro.pk
    assert check_links([item]) == {"quality:challenge"}
    escalated_on = england_and_wales().add_working_days(start, 6)
    with pytest.raises(ValidationError) as error:
        actions.escalate_challenge(
            acting_user=iro,
            challenge=challenge,
            stage=ChallengeStage.INFORMAL,
            started_on=start - datetime.timedelta(days=1),
            addressed_to="x",
            note="",
        )
    assert set(error.value.message_dict) == {"stage", "started_on"}
    actions.escalate_challenge(
        acting_user=iro,
        challenge=challenge,
        stage=ChallengeStage.STAGE_1,
        started_on=escalated_on,
        addressed_to="Tess Manning, team manager",
        note="No reply",
    )
    [item] = [i for i in due_items(child, today) if i.rule_code.startswith("iro-challenge")]
    assert item.rule_code == CHALLENGE_STAGE_1.code
    assert item.timeliness.due_date == england_and_wales().add_working_days(escalated_on, 5)
    blocks = [b for b in summary_blocks(child, today) if b.title.startswith("Case audits")]
    assert blocks[0].rows == [
        ("Open IRO challenge", f"Formal stage 1: team manager since {escalated_on:%-d %B %Y}")
    ]
    actions.resolve_challenge(
        acting_user=iro,
        challenge=challenge,
        resolved_on=today,
        outcome=ChallengeOutcome.RESOLVED,
        resolution="A permanence planning meeting is booked.",
    )
    assert not [i for i in due_items(child, today) if i.rule_code.startswith("iro-challenge")]
    entries = [e for e in chronology_for(child) if e.source == "IRO challenge"]
    assert [e.what_happened.split(":")[0] for e in entries] == [
        "IRO challenge raised (informal resolution) with Sam Worth, social worker",
        "IRO challenge escalated to formal stage 1",
        "IRO challenge ended",
    ]
    assert entries[0].significant
    events = list(
        AuditEvent.objects.filter(subject_person_id=child.pk, event_type__startswith="quality.")
        .order_by("id")
        .values_list("event_type", flat=True)
    )
    assert events == [
        QualityEvent.CHALLENGE_RAISED,
        QualityEvent.CHALLENGE_ESCALATED,
        QualityEvent.CHALLENGE_RESOLVED,
    ]
    with pytest.raises(ValidationError, match="already been resolved"):
        actions.resolve_challenge(
            acting_user=iro,
            challenge=challenge,
            resolved_on=today,
            outcome="resolved",
            resolution="again",
        )
    with pytest.raises(PermissionDenied):
        actions.raise_challenge(
            acting_user=worker,
            child=child,
            stage="informal",
            started_on=today,
            addressed_to="x",
            concern="x",
        )
    counts = queries.challenge_counts(today - datetime.timedelta(days=365), today)
    assert (counts.raised, counts.open, counts.resolved) == (1, 0, 1)
    assert dict(counts.by_stage)[ChallengeStage.STAGE_1.label] == 1
    assert dict(counts.by_outcome)[ChallengeOutcome.RESOLVED.label] == 1


def test_a_stage_timescale_is_a_local_standard_the_authority_can_change(
    children: list[Person], iro: User, make_user: Callable[..., User], today: datetime.date
) -> None:
    from caseline.apps.accounts.permissions import Role

    admin = make_user(Role.ADMINISTRATOR)
    actions.raise_challenge(
        acting_user=iro,
        child=children[0],
        stage=ChallengeStage.STAGE_1,
        started_on=today,
        addressed_to="Tess Manning",
        concern="Drift",
    )
    LocalStandardSetting.objects.create(
        rule_code=CHALLENGE_STAGE_1.code,
        unit="working_days",
        count=10,
        set_by=admin,
        set_at=timezone.now(),
        reason="Our protocol allows ten working days at stage 1",
    )
    [item] = quality_work([children[0].pk], today)
    assert item.timeliness.due_date == england_and_wales().add_working_days(today, 10)


def test_audits_show_in_the_childs_summary_and_chronology(
    audit: CaseAudit, manager: User, moderator: User, today: datetime.date
) -> None:
    submitted(audit, manager)
    actions.moderate_audit(
        acting_user=moderator,
        audit=audit,
        decision="changed",
        grade="outstanding",
        reason="Exceptional direct work",
    )
    [block] = [b for b in summary_blocks(audit.person, today) if b.title.startswith("Case audits")]
    assert block.rows == [("Latest case audit", f"Outstanding ({today:%-d %B %Y}, moderated)")]
    entries = [e.what_happened for e in chronology_for(audit.person) if e.source == "Case audit"]
    assert entries == [
        "Case audit submitted: graded good.",
        "Case audit moderated: grade changed to outstanding.",
    ]
